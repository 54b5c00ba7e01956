using System.Globalization;
using System.Text;
using Warden.Core;
using Warden.Data.Datasets;
using Warden.Eval.Classifier;
using Warden.Eval.Functional;
using Warden.Scoring.Fast;
using Warden.Scoring.Neural;

namespace Warden.Training;

/// <summary>One dataset split scored for one attribute: the numbers behind a model-card row.</summary>
/// <param name="Examples">the scored examples, kept for toxicity only (the card's calibration curves)</param>
public sealed record DatasetEvaluation(string Dataset, DatasetUse Use, HarmAttribute Attribute, ClassifierReport Report,
    IReadOnlyList<EvalExample>? Examples = null);

/// <summary>
/// Evaluates a scorer on the test split of every labelled dataset (the licence-restricted ones included,
/// as out-of-domain tests) and writes the model card. Every number in it comes from
/// <see cref="ClassifierEvaluator"/>, the engine of <c>warden eval classifier</c>.
/// </summary>
public static class ModelCardWriter
{
    public static IReadOnlyList<DatasetEvaluation> EvaluateAll(IScorer scorer, DatasetRegistry registry, TextWriter log, int bootstrap = 200)
    {
        var results = new List<DatasetEvaluation>();
        foreach (var info in registry.List().Where(i => i.Use is DatasetUse.Train or DatasetUse.TestOnly))
        {
            var records = registry.Load(info.Name, Split.Test).ToList();
            if (records.Count == 0) continue;
            foreach (var attribute in info.Attributes)
            {
                var labelled = records.Where(r => r.Labels.IsAnnotated(attribute)).ToList();
                var positives = labelled.Count(r => r.Labels[attribute] >= 0.5f);
                if (labelled.Count < 50 || positives < 5 || positives == labelled.Count) continue; // one-class: no classification metric
                var set = EvalExampleBuilder.Score(scorer, labelled, attribute);
                var options = EvalOptions.Default with { Threshold = scorer.Thresholds[(int)attribute], BootstrapResamples = bootstrap, BestThresholdsPerGroup = false };
                var report = ClassifierEvaluator.Evaluate(set, options, $"{info.Name}/test");
                results.Add(new DatasetEvaluation(info.Name, info.Use, attribute, report, attribute == HarmAttribute.Toxicity ? set.Examples : null));
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{info.Name,-36} {attribute.WireName(),-17} n={report.Overall.Count,6} macro-F1={report.Overall[Metric.MacroF1].Value:0.000} AUROC={report.Overall[Metric.Auroc].Value:0.000}"));
            }
        }
        return results;
    }

    /// <summary>The card of a fast (linear) model.</summary>
    public static string Render(FastModel model, IReadOnlyList<DatasetEvaluation> evaluations, FunctionalReport functional, string trainCommand,
        CardSuites? suites = null)
    {
        var m = model.Metadata;
        var description = new StringBuilder();
        description.AppendLine($"The built-in fast scorer of Warden: a multilingual, multi-label linear model over hashed character {m.MinCharN}–{m.MaxCharN}-grams,");
        description.AppendLine("word unigrams and bigrams, a profanity-lexicon feature and harm-lexicon features (insult, profanity, dehumanising, slur,");
        description.AppendLine("threat, self-harm, exclusion, stereotype, contempt in 71 languages, each plain / negated / quoted; masked words such as \"id*ot\" are");
        description.AppendLine("matched too; an intent word and a violent verb in one clause without a threat phrase, \"I'm going to stab him\", give one");
        description.AppendLine("more feature (harmless idioms with a violent word, \"kill time\", \"matar el tiempo\", cancel the threat hits they overlap),");
        description.AppendLine("and so do a group word and a negative trait in one clause without a harm word or a reporting word,");
        description.AppendLine("\"Zigeuner klauen nun mal\"), computed on adversarially normalised text");
        description.AppendLine("(NFKC, case folding, invisible characters, homoglyphs, leetspeak, masked/spaced/elongated words); a harmful word");
        description.AppendLine("inside a negation's scope (\"you are not an idiot\") is masked out of the n-grams, and so are the idioms and the");
        description.AppendLine("false friends, everyday phrases whose word is an insult in another language (\"en retard\", \"till slut\").");
        if (m.LanguageWordFeatures)
            description.AppendLine("Each word also has a feature of its own in the text's detected language, beside the shared one (nineteenth round).");
        description.AppendLine("Trained with masked, soft-label binary cross-entropy per attribute (AdaGrad), with one intercept per");
        description.AppendLine("(dataset, attribute) during training that is dropped at inference, so the weights learn what makes a text");
        description.AppendLine("harmful rather than each dataset's base rate; then Platt-calibrated per attribute on the pooled validation splits,");
        description.AppendLine("and per detected language with that language's classes reweighted to the pooled prior.");
        var size = $"- Hash buckets: 2^{m.BucketBits} × 8 attributes, stored as float16 ({(1L << m.BucketBits) * 16 / (1024 * 1024)} MB).";
        return Render(m, description.ToString(), size, evaluations, functional, trainCommand, suites ?? new CardSuites(), weaknessesNote: null);
    }

    /// <summary>The card of a neural model (same features, data, calibration and suites as the fast one).</summary>
    public static string Render(NeuralModel model, IReadOnlyList<DatasetEvaluation> evaluations, FunctionalReport functional, string trainCommand,
        CardSuites? suites = null)
    {
        var m = model.Metadata;
        var shape = model.Shape;
        var description = $"""
            Warden's neural scorer: an embedding bag over the same hashed features as `warden-fast` (character {m.MinCharN}–{m.MaxCharN}-grams,
            word unigrams and bigrams, profanity- and harm-lexicon features on adversarially normalised text, negated harm words
            masked), scaled by 1/√n{Convolution(shape)}, then one ReLU hidden layer of {shape.HiddenSize} units and 8 sigmoid outputs. Trained in plain C#
            (hand-written backpropagation, AdaGrad, single thread, deterministic) on the same data, label mapping, soft labels,
            masks and per-dataset intercepts as the fast model, and calibrated the same way (Platt per attribute, then per
            detected language). Inference is plain C# with `System.Numerics.Tensors`; no libtorch. It is an option
            (`--model warden-neural`, or with `warden-fast` as an ensemble or cascade), not the default: see docs/models.md.
            Its numbers move more between retrainings than the fast model's (seeds 42, 43, 44 passed 143, 149 and 147 held-out
            cases in the third round; OLID test macro-F1 has moved by up to 0.02 between rounds).
            Tried on this model and not kept (docs/models.md, twelfth to fourteenth rounds): 96 or 128 filters, filters of 5
            words, a third epoch, distillation into `warden-fast`, skip-gram pretraining of the embeddings on the training
            texts (`--pretrain-epochs`), hidden-unit dropout and word dropout (`--hidden-dropout`, `--word-dropout`), a direct
            path from each lexicon hit to the logits as in the fast model (`--direct-bits`), masking the convolution's words
            as the bag's n-grams are masked (`--mask-words`), a hidden layer of 128 units and
            embeddings of 64 (`--hidden-size 128`, `--embedding-size 64`), and weights fitted to combine it with `warden-fast`
            (they came out close to equal).{Switches(m)}

            """;
        var stored = model.Precision == EmbeddingPrecision.Int8
            ? $"stored as int8 with one float32 scale per row ({(1L << shape.BucketBits) * (shape.EmbeddingSize + 4) / (1024.0 * 1024):0.0} MB)"
            : $"stored as float16 ({(1L << shape.BucketBits) * shape.EmbeddingSize * 2 / (1024.0 * 1024):0.0} MB)";
        var size = $"- Embeddings: 2^{shape.BucketBits} × {shape.EmbeddingSize}, {stored}" +
            (shape.ConvFilters > 0 ? $"; {shape.ConvFilters} filters × {shape.ConvWidth} words × {shape.EmbeddingSize}" : "") +
            $"; hidden layer {shape.HiddenInput} × {shape.HiddenSize}" +
            (shape.DirectBits > 0 ? $"; a direct lexicon path of 2^{shape.DirectBits} rows × 8 attributes." : ".");
        // The weaknesses list quotes figures measured on warden-fast; say so rather than pass them off as this model's.
        const string weaknessesNote = "The list below was written from `warden-fast`, whose features, data and calibration this model shares, and the " +
            "figures quoted in it are `warden-fast`'s; this model's own numbers are in the sections above.";
        return Render(m, description, size, evaluations, functional, trainCommand, suites ?? new CardSuites(), weaknessesNote);
    }

    /// <summary>The training switches this model was trained with, where any was on (recorded in its notes).</summary>
    private static string Switches(FastModelMetadata m)
    {
        var on = NeuralTrainer.SwitchNotes.Where(m.Notes.ContainsKey).Select(k => $"{k.Replace('_', ' ')}: {m.Notes[k]}").ToList();
        return on.Count == 0 ? "" : $"\nThis model was trained with {string.Join("; ", on)}.";
    }

    private static string Convolution(NeuralShape shape) => shape.ConvFilters == 0 ? "" :
        $"; beside it a convolution over the words: each word is the scaled sum of the embeddings of its own character " +
        $"n-grams and of the word{(shape.WordCategories ? " (plus one feature per harm-lexicon category the word belongs to, and one for a negator)" : "")}, " +
        $"{shape.ConvFilters} filters see {shape.ConvWidth} consecutive words, and each keeps its maximum over the text (ReLU), " +
        "side by side with the bag";

    private static string Render(FastModelMetadata m, string description, string sizeLine, IReadOnlyList<DatasetEvaluation> evaluations,
        FunctionalReport functional, string trainCommand, CardSuites suites, string? weaknessesNote)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Model card: {m.Name} {m.Version}");
        sb.AppendLine();
        sb.Append(description);
        sb.AppendLine();
        sb.AppendLine($"- Reproduce: `{trainCommand}` (seed {m.Seed}; same data and seed give the same bytes).");
        sb.AppendLine(sizeLine);
        sb.AppendLine("- Licence of the model: trained only on data whose licence allows commercial use without conditions per");
        sb.AppendLine("  `../shared/datasets/README.md` (the `hateval2019`, `haspeede2018` (non-commercial) and `germeval2026_violence` (GPL)");
        sb.AppendLine("  sets are used as out-of-domain tests only). The profanity lexicon is LDNOOBW (CC BY 4.0): attribution to Shutterstock's");
        sb.AppendLine("  List of Dirty, Naughty, Obscene, and Otherwise Bad Words. OLID's authors state no licence (see its SOURCE.md).");
        sb.AppendLine("  The harm lexicon, the neutral identity mentions and the contrast sets (`warden_*` below) are hand-written for Warden.");
        sb.AppendLine();
        sb.AppendLine("## Training data");
        sb.AppendLine();
        sb.AppendLine("Label mapping: [docs/label-mapping.md](../../docs/label-mapping.md).");
        sb.AppendLine();
        sb.AppendLine("| dataset | training texts |");
        sb.AppendLine("| --- | ---: |");
        foreach (var (name, count) in m.TrainingData) sb.AppendLine($"| {name} | {count:N0} |");
        sb.AppendLine();
        var weighted = m.TrainingData.Keys.Where(d => m.Notes.ContainsKey(FastTrainer.DatasetWeightNote(d))).Select(d => $"{d} {m.Notes[FastTrainer.DatasetWeightNote(d)]}").ToList();
        if (weighted.Count > 0)
        {
            sb.AppendLine($"Per-example weights of labelled datasets (`warden train --dataset-weight` sets them; reddit_cssrs_suicide's labels are per user, not per post: docs/models.md, twenty-seventh round): {string.Join(", ", weighted)}.");
            sb.AppendLine();
        }
        sb.AppendLine("## Calibration and thresholds (fitted on the validation splits)");
        sb.AppendLine();
        var perLanguage = string.Join(", ", m.LanguageCalibrations.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key} ({string.Join("/", HarmAttributes.All.Where(a => kv.Value[(int)a] is not null).Select(a => a.WireName()))})"));
        sb.AppendLine($"Global Platt scaling per attribute below; own calibrations per detected language where the validation data allowed one: {(perLanguage.Length == 0 ? "none" : perLanguage)}.");
        sb.AppendLine("A text is flagged when any attribute reaches its threshold (0.5 on calibrated scores).");
        if (m.LengthCorrection.Count == HarmAttributes.Count)
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Before calibration, c·√n is added to the raw logit of a text with n n-gram features (the length correction, measured on the everyday web sentences; `warden train fast --length-correction`): c = {string.Join(", ", HarmAttributes.All.Select(a => $"{a.WireName()} {m.LengthCorrection[(int)a]:0.000}"))}."));
        if (m.UnlabelledLexiconWeight != 1f)
        {
            var pipeline = FeaturePipeline.ForModel(m, m.BucketBits);
            var common = string.Join("; ", m.UnweightedLexiconFeatures.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value.Select(f => FastTrainer.FeatureName(pipeline, f)))}"));
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"In a detected language without labelled toxicity data of its own (labelled: {string.Join(", ", m.LabelledLanguages)}; and not `und`), plain harm-lexicon hits (but vermin and disgust words alone), the profanity list and the lexicon conjunctions count {m.UnlabelledLexiconWeight:0.##} times in the raw logit (`warden train fast --unlabelled-lexicon-weight`), unless the text holds a reporting word (saying, calling ...) or the feature fires in at least 1% of that language's harmless web sentences ({(common.Length == 0 ? "none" : common)}). Trained without a language's labelled set, the n-grams rank that language's texts near chance and the lexicon carries what transfers (docs/models.md, twenty-third round)."));
        }
        if (ToxicityStacking.Of(m) is { } stacking)
        {
            var stacked = HarmAttributes.All.Where(a => stacking[(int)a] != 0f).ToList();
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"Last before calibration, a share of the raw toxicity logit is added to the raw logit of {string.Join(" and ", stacked.Select(a => a.WireName()))} (toxicity stacking, `warden train fast --toxicity-stacking`; each share fitted on the validation splits of the datasets that annotate the attribute): {string.Join(", ", stacked.Select(a => $"{a.WireName()} {stacking[(int)a]:0.###}"))}. A linear identity_attack head learns which words come with groups; the toxicity logit brings back whether the text is hostile (docs/models.md, twenty-fourth round)."));
        }
        sb.AppendLine();
        sb.AppendLine("| attribute | Platt scale | Platt offset | threshold | best macro-F1 threshold on the pooled validation splits | languages where one dataset has ≥ 100 positive and ≥ 100 negative training texts |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var a in HarmAttributes.All)
        {
            var c = m.Calibrations[(int)a];
            var languages = m.EvidenceLanguages.TryGetValue(a.WireName(), out var l) && l.Count > 0 ? string.Join(", ", l) : "none";
            var best = m.Notes.TryGetValue(FastTrainer.BestThresholdNote(a), out var t) ? t : "";
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {a.WireName()} | {c.Scale:0.000} | {c.Offset:0.000} | {m.Thresholds[(int)a]:0.00} | {best} | {languages} |"));
        }
        sb.AppendLine();
        sb.AppendLine("The finer attributes are calibrated on the pooled validation splits, where few texts are positive, so at 0.5 they");
        sb.AppendLine("fire rarely on data rich in that harm (`warden-fast`'s identity_attack finds 5% of hateval2019's hate speech at 0.5). To filter one");
        sb.AppendLine("harm, rank by its score or use a lower cut such as the best macro-F1 threshold above (`warden serve` policies).");
        sb.AppendLine();
        sb.AppendLine("## Test-split results");
        sb.AppendLine();
        sb.AppendLine("Test splits never trained on (official test splits where they exist, else the deterministic 10% hash split),");
        sb.AppendLine("at the model's own threshold for the attribute. 95% CIs: percentile bootstrap, 200 resamples, seed 42.");
        sb.AppendLine("Re-run one row with `warden eval classifier --dataset NAME --attribute ATTR`.");
        sb.AppendLine();
        sb.AppendLine("| dataset | use | attribute | n | positives | macro-F1 | F1 | AUROC | AUPRC | ECE | best macro-F1 (thr) |");
        sb.AppendLine("| --- | --- | --- | ---: | ---: | --- | --- | --- | --- | --- | --- |");
        foreach (var e in evaluations)
        {
            var o = e.Report.Overall;
            var best = o.BestThresholds is { } b ? string.Create(CultureInfo.InvariantCulture, $"{b.MacroF1.Metrics.MacroF1:0.000} ({b.MacroF1.Threshold:0.00})") : "";
            var use = e.Use == DatasetUse.TestOnly ? "out-of-domain" : "in-domain";
            sb.AppendLine($"| {e.Dataset} | {use} | {e.Attribute.WireName()} | {o.Count} | {o.Positives} | {o[Metric.MacroF1].Format()} | {o[Metric.F1].Format()} | {o[Metric.Auroc].Format()} | {o[Metric.Auprc].Format()} | {o[Metric.Ece].Format()} | {best} |");
        }
        sb.AppendLine();
        sb.AppendLine("## Per language (toxicity where annotated, else the dataset's first attribute)");
        sb.AppendLine();
        sb.AppendLine("Calibration per language is summarised by the expected calibration error (ECE, 10 bins) of that language's rows.");
        sb.AppendLine();
        sb.AppendLine("| dataset | language | n | positives | macro-F1 | AUROC | ECE |");
        sb.AppendLine("| --- | --- | ---: | ---: | --- | --- | --- |");
        foreach (var e in evaluations.GroupBy(e => e.Dataset).Select(g => g.FirstOrDefault(x => x.Attribute == HarmAttribute.Toxicity) ?? g.First()))
            foreach (var l in e.Report.ByLanguage)
                sb.AppendLine(l.TooFew
                    ? $"| {e.Dataset} | {l.Name} | {l.Count} | {l.Positives} | too few | | |"
                    : $"| {e.Dataset} | {l.Name} | {l.Count} | {l.Positives} | {l[Metric.MacroF1].Format()} | {l[Metric.Auroc].Format()} | {l[Metric.Ece].Format()} |");
        sb.AppendLine();
        AppendCalibrationCurves(sb, evaluations);
        sb.AppendLine("## Functional suites (`warden eval functional`)");
        sb.AppendLine();
        sb.AppendLine("The main suite was used during development (its failures were read while building the model):");
        sb.AppendLine();
        sb.AppendLine(functional.ToMarkdown());
        sb.AppendLine();
        // Held-out suites are not read case by case: their totals only.
        void AppendTotals(FunctionalReport? report, string introduction)
        {
            if (report is null) return;
            sb.AppendLine(introduction);
            sb.AppendLine();
            sb.AppendLine(report.ToMarkdown(includeFailures: false));
            sb.AppendLine();
        }
        AppendTotals(suites.Holdout, """
            The held-out suite (`warden eval functional --suite holdout`) was written independently of the training templates
            and lexicons and is not read case by case, so it is the honest measure; only its totals are shown here:
            """);
        AppendTotals(suites.Languages, """
            The per-language held-out suite (`warden eval functional --suite languages`): 53 languages without labelled
            training data, ten cases each (five harmful, five harmless), written the same way; totals only:
            """);
        AppendTotals(suites.Everyday, """
            The held-out everyday suite (`warden eval functional --suite everyday`): 745 harmless short messages in 25 languages
            (chat lines, posts, reviews, support requests, about half of them hard cases); every flag is a false positive:
            """);
        AppendTotals(suites.Literal, """
            The literal suite (`warden eval functional --suite literal`): 624 harmless sentences about real pests, animals,
            farms and kitchens in 39 languages, words that occur almost only in hate speech in the labelled sets:
            """);
        AppendTotals(suites.Stretched, """
            The stretched suite (`warden eval functional --suite stretched`): 264 casual messages with one letter stretched
            ("idiooooot", "soooo good") in 22 languages, six abusive and six harmless per language:
            """);
        if (suites.Neutral is { } neutral)
        {
            sb.AppendLine("## False positives on everyday text (`warden eval neutral`)");
            sb.AppendLine();
            sb.AppendLine("The held-out fifth of `lingua_langid_sentences` (everyday web sentences, 75 languages; the other four fifths are");
            sb.AppendLine("training texts). Every one of them is taken to be harmless, so every flag is a false positive (a few sentences of");
            sb.AppendLine("web text may really be offensive). The ten worst languages:");
            sb.AppendLine();
            sb.AppendLine(neutral.ToMarkdown(maxLanguages: 10));
            sb.AppendLine();
        }
        sb.AppendLine("## Known weaknesses");
        sb.AppendLine();
        if (weaknessesNote is not null)
        {
            sb.AppendLine(weaknessesNote);
            sb.AppendLine();
        }
        sb.AppendLine("- A bag of n-grams has no syntax: negation is handled only for harm-lexicon words within five words of a negator,");
        sb.AppendLine("  and counter-speech and quoted slurs in reports of abuse are scored mostly by their words, so they are often");
        sb.AppendLine("  flagged (see the functional-suite failures above).");
        sb.AppendLine("- Implicit hate without abusive words is caught only where similar phrasing was in the training data (mostly English).");
        sb.AppendLine("- Trained without a language's labelled set (`bench/leave-one-language-out/run.sh`, twenty-third and twenty-sixth rounds), the");
        sb.AppendLine("  model ranks that set's test texts at AUROC 0.54–0.68: a mean of 0.624 over German, Turkish, Portuguese, Korean, Polish and");
        sb.AppendLine("  Chinese, against about 0.82 with their data (0.604 before the profanity category and the added insults of the");
        sb.AppendLine("  twenty-sixth round, 0.591 before the lexicon counted twice there). Expect about that in a language outside the training");
        sb.AppendLine("  data: better where abuse uses the lexicon's words, near chance where it does not (Korean comments on entertainment");
        sb.AppendLine("  news, 0.54).");
        sb.AppendLine("- Languages without labelled training data (see the evidence column above) rely on the character n-grams shared");
        sb.AppendLine("  with related languages, on the lexicons (LDNOOBW in 28 languages, the harm lexicon in 71) and on Warden's contrast");
        sb.AppendLine("  sets (69 languages): words in the lexicons and phrasings like the templates' transfer, subtler abuse does not.");
        sb.AppendLine("  The 14 languages that got contrast sets in the fifth round (Amharic, Belarusian, Bosnian, Georgian, Armenian,");
        sb.AppendLine("  Icelandic, Kazakh, Marathi, Punjabi, Gujarati, Somali, Tamil, Telugu, Yoruba) flag 49 of their 70 harmful");
        sb.AppendLine("  languages-suite cases. A language with neither lexicon nor templates is nearly blind: Malayalam, Kannada and");
        sb.AppendLine("  Nepali, measured before they got theirs, flagged 2 of 15 harmful cases (12 of 15 after).");
        sb.AppendLine("  Where the negator follows the negated word (Turkish değil, Hindi नहीं, Persian نیست, Korean 아니야 and a few more) it");
        sb.AppendLine("  makes the clause's earlier lexicon hits negated since the twenty-second round, but the word's own n-grams stay in:");
        sb.AppendLine("  \"Sen aptal değilsin.\" scores toxicity 0.55 (0.68 before; \"Sen aptalsın.\" 0.84) and is still flagged. Japanese,");
        sb.AppendLine("  written without spaces, has no such rule.");
        sb.AppendLine("- Implicit hate, counter-speech and negation stay below 85% on the held-out functional suite; the contrast sets");
        sb.AppendLine("  trade some hate recall for fewer false positives on counter-speech and group mentions (docs/models.md).");
        sb.AppendLine("- Hatred or disgust said of a group is often missed outside English, despite the contempt lexicon (eleventh round):");
        sb.AppendLine("  `warden-fast` scores \"Nenávidím cikány.\" (Czech, \"I hate Gypsies\") toxicity 0.17 and \"Moslims zijn walgelijk.\" 0.25;");
        sb.AppendLine("  \"Odio a los inmigrantes.\" is flagged on toxicity (0.58) but its identity_attack is 0.20. The other way round, a");
        sb.AppendLine("  supportive sentence scores higher with the group named, in a language without labelled data: \"Gli immigrati sono persone come noi.\" scores");
        sb.AppendLine("  identity_attack 0.28 (\"Sono persone come noi.\" alone 0.15; 0.41 and 0.23 before the toxicity stacking of the");
        sb.AppendLine("  twenty-fourth round, 0.61 and 0.34 in the twentieth).");
        sb.AppendLine("- identity_attack is stacked on toxicity (a quarter of the toxicity logit is added before calibration): it ranks hate");
        sb.AppendLine("  speech out of domain better (hateval2019 AUROC 0.604 → 0.668) but separates hate from mere offensiveness less well");
        sb.AppendLine("  (Davidson's hate class against its offensive tweets, test AUROC 0.858 → 0.818), and a calm statement about a group");
        sb.AppendLine("  without a group word scores lower (\"They are genetically inferior.\" 0.63 → 0.48, still flagged on toxicity).");
        sb.AppendLine("- `severe_toxicity`, `threat`, `sexually_explicit` and `self_harm` have little and partly weak (keyword-collected)");
        sb.AppendLine("  training evidence; treat their scores as indicative, especially outside English. self_harm rests on hand-written");
        sb.AppendLine("  data: its only real labels are per-user (reddit_cssrs_suicide, test AUROC about 0.6) and a few prompt categories,");
        sb.AppendLine("  so since the twenty-fifth round it learns from self-harm pairs in 32 languages and lexicon phrases put into");
        sb.AppendLine("  everyday sentences in 71. On the development probe `bench/probes/self-harm` (17 languages) `warden-fast` flags");
        sb.AppendLine("  self_harm on 48 of 170 self-harm texts (2 before the twenty-fifth round) and leaves 155 of 170 harmless ones");
        sb.AppendLine("  unflagged: goodbyes and other indirect statements (\"This is my goodbye. I'm sorry, I love you all.\" 0.05) are");
        sb.AppendLine("  missed, and prevention or news sentences that name suicide are flagged (Spanish, French, Dutch, Chinese, Japanese,");
        sb.AppendLine("  Thai, Swahili, Malay). \"Quiero suicidarme\" scores 0.99. English first-person statements were low until the");
        sb.AppendLine("  twenty-seventh round, when reddit_cssrs_suicide's weight fell to 0.1: its per-user labels had taught the n-grams of");
        sb.AppendLine("  \"suicidal\" and \"kill myself\" to count against self_harm (\"I want to kill myself\" 0.13 → 0.91, \"I am suicidal\"");
        sb.AppendLine("  0.03 → 0.48). \"I'm suicidal\" stays low (0.12), and a hyperbole scores high: \"this homework makes me want to kill");
        sb.AppendLine("  myself lol\" scores 0.83 (docs/models.md, twenty-fifth and twenty-seventh rounds).");
        sb.AppendLine("- Emoji (twenty-seventh round, emoji.json): 🖕 counts as profanity and insult; animal, pest, rubbish and vomiting emoji count");
        sb.AppendLine("  only beside a group word (\"immigrants are 🐀\"), weapons only beside an intent word (\"I will 🔪 you\"); the");
        sb.AppendLine("  identity emoji are group words. On the development probe `bench/probes/emoji` `warden-fast` flags 71 of 101");
        sb.AppendLine("  abusive messages (38 without the emoji entries) and passes 94 of 102 harmless ones (99). Still missed: contempt");
        sb.AppendLine("  emoji at a group without a group word the lexicon knows, emoji threats in a language without an intent word");
        sb.AppendLine("  for them; flagged in error: identity emoji in friendly greetings (\"Selamat Idulfitri ☪️\") and a zodiac 🐀");
        sb.AppendLine("  beside \"Chinese\".");
        sb.AppendLine("- Threats are recognised mostly by phrase (the harm lexicon's threat category: death wishes, intimidation and");
        sb.AppendLine("  conditional threats in 71 languages, about 8,000 phrases since the nineteenth round): long, indirect threats");
        sb.AppendLine("  (\"would be a shame if your brakes failed\") are missed; veiled-threat training pairs caught more of them but cost");
        sb.AppendLine("  recall in other languages and are off (docs/models.md). The intent + violence feature (sixteenth round) has little");
        sb.AppendLine("  weight: \"I'm going to stab him tomorrow.\" (no fixed phrase) gets toxicity 0.36 while \"I will stab her.\" (a phrase since the");
        sb.AppendLine("  nineteenth round) gets 0.63; hyperbole about a third person is flagged too (\"I'm going to kill him when he gets");
        sb.AppendLine("  home, he ate my cake.\" threat 0.57). Idioms");
        sb.AppendLine("  with a violent word cancel the threat phrases they overlap and are masked out of the n-grams (seventeenth round:");
        sb.AppendLine("  \"Voy a matar el tiempo leyendo un libro.\" 0.79 → 0.26, \"My mum is going to kill me when she sees my grades.\"");
        sb.AppendLine("  0.53 → 0.30, while \"Voy a matar el tiempo y luego te voy a matar.\" stays at 0.89), but only those in the");
        sb.AppendLine("  lists: \"I'm going to shoot some hoops after work.\" scores 0.45, and a joking");
        sb.AppendLine("  threat at a person is a threat (\"Ich bring dich um, wenn du das Ende verrätst!\" 0.96). A text with little evidence, such as a short reply,");
        sb.AppendLine("  scores each attribute near its calibrated offset (`warden-fast`: \"?\" gets threat 0.09, self_harm 0.16), above");
        sb.AppendLine("  many long calls to violence: on germeval2026_violence `warden-fast`'s threat score ranks below chance (AUROC");
        sb.AppendLine("  0.464) while its toxicity score ranks the same labels at 0.647. Since the twenty-first round a threat the lexicon");
        sb.AppendLine("  sees (a threat phrase or intent + violence) keeps the threat and toxicity scores of its sentence alone in a longer text, but");
        sb.AppendLine("  most of that set's calls to violence are worded in ways the lexicon does not list.");
        sb.AppendLine("- Since the twenty-second round an insult, slur or dehumanising word the lexicon sees in plain context keeps the scores");
        sb.AppendLine("  of its sentence alone in a longer text too (toxicity with insult or identity_attack), so pleasantries around an insult");
        sb.AppendLine("  no longer dilute it. The other side: the sentence is read without its neighbours, so self-deprecation (\"What an");
        sb.AppendLine("  absolute idiot I am.\") and counter-speech that states the hateful claim in one sentence and rejects it in the next");
        sb.AppendLine("  are flagged more often than before (bench/probes/insults-in-context, docs/models.md).");
        sb.AppendLine("- Everyday text is flagged unevenly across languages (table above). Languages with labelled social-media data flag");
        sb.AppendLine("  the most: Hindi everyday web sentences are flagged about one time in ten and Russian one in twelve (both about");
        sb.AppendLine("  one in six before the seventh round), against 1-2% in English; their labelled data (TRAC aggression, VK");
        sb.AppendLine("  comments, harmful prompts) pull ordinary formal text of the language towards the decision boundary. Japanese shares Han characters with the");
        sb.AppendLine("  Chinese offensive-language data and has few everyday training sentences, and short German sentences often score");
        sb.AppendLine("  near 0.5 (\"Meine Schwester ist krank.\" scores 0.49; 0.61 and flagged in the twentieth round), a trace of GermEval's political");
        sb.AppendLine("  tweets. Warden's hand-written casual messages (39 languages, since the ninth round) and the tenth round's higher");
        sb.AppendLine("  floor on the n-gram scale lowered such scores only a little; on the held-out everyday suite (745 short harmless");
        sb.AppendLine("  messages in 25 languages) about one in thirty is flagged.");
        sb.AppendLine("- Literal sentences about pests and kitchens are often flagged: the names of vermin, parasites and plagues are in the");
        sb.AppendLine("  harm lexicon's dehumanising lists and occur almost only in hate speech in the labelled sets. `warden-fast` scores");
        sb.AppendLine("  \"There are cockroaches in the kitchen.\" toxicity 0.92 and \"Parasites");
        sb.AppendLine("  can make dogs very sick.\" 0.82; German kitchen sentences score high without any pest (\"In der Küche sind Teller.\" 0.68).");
        sb.AppendLine("  Moving the pests out of the lexicon and adding harmless pest messages did not fix it and cost hate recall");
        sb.AppendLine("  (fifteenth round, docs/models.md). Since the twentieth round 702 literal phrases in 27 languages");
        sb.AppendLine("  (`literal_pests.json`: \"intestinal parasites\", \"scarafaggi in cucina\") are masked out like the false friends, which");
        sb.AppendLine("  helps only where a phrase matches (\"Intestinal parasites are common in puppies.\" 0.84 → 0.55); since the twenty-first");
        sb.AppendLine("  round also where the phrase starts at the pest word (\"Ci sono scarafaggi in cucina da giorni.\" 0.80 → 0.26).");
        sb.AppendLine("- Stretched letters are found again only where they run to three or more (\"idiooot\" is looked up as \"idiot\"; fifteenth");
        sb.AppendLine("  round): a letter doubled once (\"idioot\") may be natural, so it is left alone and the word matches no lexicon entry.");
        sb.AppendLine("  Since the twenty-first round spaced, dotted or dashed kana and Han characters are joined, and a vowel sign split from");
        sb.AppendLine("  its letter (Indic scripts) rejoins it: `bench/probes/stretched-and-split` (27 insults in 14 languages) flags 25 spaced,");
        sb.AppendLine("  dotted or dashed forms of 27, as many as plain (20 before), and 25 with one letter masked (masked kana and Han are");
        sb.AppendLine("  matched since the twenty-first round: 21 before), but only 21 stretched.");
        sb.AppendLine("- Pleasantries soften insults within a sentence since the seventh round (XSafety's polite prompts are the harmless side of");
        sb.AppendLine("  its insults): \"Thank you so much, you idiot.\" scores toxicity 0.36 and is not flagged. Across sentences they no longer do since the twenty-second");
        sb.AppendLine("  round: \"Well, I read your post. Honestly, you are such an IDIOT!!! Have a nice day.\" scores toxicity 0.87, as its");
        sb.AppendLine("  insult sentence does alone (0.58 in the twenty-first round, 0.47 in the nineteenth).");
        sb.AppendLine("- Words naming demographic groups are masked (one stand-in for all of them), so the model cannot tell which group a");
        sb.AppendLine("  text is about; hate that is only recognisable by which group is named (\"X are taking over\" for one X but not");
        sb.AppendLine("  another) is scored by its other words. This lowered out-of-domain identity_attack AUROC on hateval2019 and");
        sb.AppendLine("  haspeede2018 by about 0.01 (docs/models.md). Chinese, Japanese and Thai group names are matched as substrings");
        sb.AppendLine("  and not masked.");
        sb.AppendLine("- Very short texts are scored from a handful of n-grams, damped since the tenth round (\"k\" scores toxicity 0.32;");
        sb.AppendLine("  0.51 before). Punctuation alone");
        sb.AppendLine("  (\"!\", \"?!\", \"...\") is scored as an empty text since the sixth round; before, \"!\" alone was flagged.");
        sb.AppendLine("- Dataset label definitions differ (offensive vs. toxic vs. hateful); one threshold per attribute cannot match every");
        sb.AppendLine("  dataset's definition, which costs macro-F1 on sets whose base rate differs from the pooled validation data.");
        sb.AppendLine("  Sharing one model costs some sets more than that: trained on GermEval alone the model reaches 0.823 validation");
        sb.AppendLine("  AUROC on it, trained on everything 0.79 (the English sets and Warden's contrast sets, which call reported and");
        sb.AppendLine("  negated insults harmless, pull the other way; `warden train fast --only-datasets`, docs/models.md).");
        return sb.ToString();
    }

    /// <summary>
    /// Reliability curves of the toxicity score per language, pooled over the in-domain test splits: whether a score of
    /// 0.7 means about 70% toxic in each language (issue 4's per-language calibration). Languages with fewer than 200
    /// examples are left out; a bin with fewer than 10 examples shows its count only.
    /// </summary>
    private static void AppendCalibrationCurves(StringBuilder sb, IReadOnlyList<DatasetEvaluation> evaluations)
    {
        var byLanguage = evaluations.Where(e => e.Use == DatasetUse.Train && e.Examples is not null)
            .SelectMany(e => e.Examples!).GroupBy(e => e.Language).Where(g => g.Count() >= 200).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (byLanguage.Count == 0) return;
        sb.AppendLine("## Calibration curves per language (toxicity, in-domain test splits)");
        sb.AppendLine();
        sb.AppendLine("Each cell is one score bin: the share of texts in it labelled toxic, and how many texts fell in it. A calibrated");
        sb.AppendLine("score has that share near the bin's middle (0.05, 0.15, ... 0.95). Languages by the dataset's language tag; calibration");
        sb.AppendLine("itself is chosen by the detected language. ECE: count-weighted mean gap between mean score and share toxic.");
        sb.AppendLine("Calibration reweights each language's classes to the pooled prior of all validation data, so a score means the");
        sb.AppendLine("same in every language only at that prior: where a test set's share of toxic texts is far above it (Hindi, Arabic,");
        sb.AppendLine("French, Korean) the curve lies above the diagonal, where it is far below (Polish, Turkish) below. Ranking (AUROC) is");
        sb.AppendLine("not affected; per-language thresholds (`warden eval classifier` reports the best one) are the remedy for a known prior.");
        sb.AppendLine();
        var header = string.Join(" | ", Enumerable.Range(0, 10).Select(b => string.Create(CultureInfo.InvariantCulture, $"{b / 10.0:0.0}–{(b + 1) / 10.0:0.0}")));
        sb.AppendLine($"| language | n | ECE | {header} |");
        sb.AppendLine("| --- | ---: | ---: |" + string.Concat(Enumerable.Repeat(" ---: |", 10)));
        foreach (var language in byLanguage)
        {
            var curve = ReliabilityCurve.Compute(language);
            var cells = curve.Select(b => b.Count == 0 ? "" : b.Count < 10
                ? string.Create(CultureInfo.InvariantCulture, $"({b.Count})")
                : string.Create(CultureInfo.InvariantCulture, $"{b.PositiveRate:0.00} ({b.Count})"));
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {language.Key} | {curve.Sum(b => b.Count)} | {ReliabilityCurve.ExpectedCalibrationError(curve):0.000} | {string.Join(" | ", cells)} |"));
        }
        sb.AppendLine();
    }
}

/// <summary>The held-out measurements a model card reports beside its test splits and main suite; any may be missing.</summary>
public sealed record CardSuites(FunctionalReport? Holdout = null, FlagRateReport? Neutral = null, FunctionalReport? Languages = null,
    FunctionalReport? Everyday = null, FunctionalReport? Literal = null, FunctionalReport? Stretched = null);
