using Warden.Text.LanguageId;
using Warden.Training.Lexicons;
using Warden.Training.Synthetic;
using Warden.Core;
using Warden.Data.Datasets;
using Warden.Scoring.Fast;
using Warden.Scoring.Neural;

namespace Warden.Training;

/// <summary>Which of Warden's own hand-written resources go into training (all by default; switches exist for ablations).</summary>
public sealed record RecipeOptions(bool IdentityMentions = true, bool ContrastSets = true, bool HarmLexicon = true, float ContrastWeight = RecipeOptions.DefaultContrastWeight,
    bool GroupConjunctions = false, float ContrastHateWeight = RecipeOptions.DefaultContrastWeight, bool SplitGroupHate = false, bool MaskGroupWords = true,
    bool NeutralWebText = true, float NeutralWebTextWeight = 1f, IReadOnlyList<string>? ContrastExclude = null,
    bool CalibrateOnSynthetic = false, bool LexiconInsertions = true, float LexiconInsertionsWeight = 1f,
    IReadOnlyList<string>? OnlyDatasets = null, IReadOnlyList<string>? ExcludeDatasets = null, bool AddresseeConjunctions = false,
    bool EverydayChat = true, float EverydayChatWeight = RecipeOptions.DefaultEverydayChatWeight,
    float LengthCorrection = RecipeOptions.DefaultLengthCorrection, bool GroupTraits = true, float? VeiledThreatWeight = null, float? ImplicitHateWeight = null,
    IReadOnlyDictionary<HarmAttribute, float>? LengthCorrectionByAttribute = null, bool ReportedSpeech = true, bool ThreatConjunction = true, bool ThreatInsertions = false,
    bool ViolentIdioms = true, bool FalseFriends = true, bool LanguageWords = false, bool LiteralPests = true,
    float UnlabelledLexiconWeight = RecipeOptions.DefaultUnlabelledLexiconWeight, IReadOnlyList<HarmAttribute>? ToxicityStacking = null,
    int ToxicityStackingMinDatasets = Warden.Scoring.Fast.ToxicityStacking.MinDatasets, bool GroupContempt = false,
    int LabelledLanguageMinTexts = RecipeOptions.DefaultLabelledLanguageMinTexts, bool SelfHarmBlocksThreatConjunction = false,
    float? SelfHarmWeight = null, bool CalibrateOnSelfHarmPairs = false, IReadOnlyList<string>? CalibrationExcludeDatasets = null,
    bool SelfHarmInsertions = true, float SelfHarmInsertionsWeight = 1f, IReadOnlyDictionary<string, float>? DatasetWeights = null,
    IReadOnlyList<string>? ExcludeLexiconCategories = null, bool SpareSelfHarmPhrases = true, bool Emoji = true)
{
    /// <summary>
    /// The attributes whose logit gets a share of the toxicity logit before calibration, the share fitted on validation
    /// data (<see cref="FastTrainerOptions.ToxicityStacking"/>). identity_attack: its linear head learns which words name
    /// groups, and with the toxicity logit added it ranks hateval2019 (never trained on) at AUROC 0.713 rather than 0.633
    /// in English and 0.615 rather than 0.574 in Spanish, with no functional-suite case lost. severe_toxicity, a degree
    /// of toxicity: test AUROC 0.850 → 0.885 (convabuse) and 0.908 → 0.951 (RTP sample), suites unchanged. insult and
    /// profanity gained 0.01 of mean validation AUROC too, but lost two harmful cases of the languages suite, where in a
    /// language without labelled data the toxicity logit is near chance; threat and sexually_explicit cost a main-suite
    /// case and a threat in each threat probe (twenty-fourth round, docs/models.md).
    /// </summary>
    public static readonly IReadOnlyList<HarmAttribute> DefaultToxicityStacking = [HarmAttribute.IdentityAttack, HarmAttribute.SevereToxicity];

    /// <summary>The attributes stacked: <see cref="ToxicityStacking"/> or the default list.</summary>
    public IReadOnlyList<HarmAttribute> StackedAttributes => ToxicityStacking ?? DefaultToxicityStacking;

    /// <summary>
    /// How many times the lexicon features count at inference in a language without labelled toxicity data of its own
    /// (<see cref="FastTrainerOptions.UnlabelledLexiconWeight"/>). Trained without a language's labelled set, the model
    /// ranked that set's test texts at AUROC 0.51–0.65; counting the lexicon twice raised the mean of six such languages
    /// from 0.591 to 0.600 (`bench/leave-one-language-out`; twenty-third round, docs/models.md; 0.624 since the twenty-sixth round's lexicon).
    /// </summary>
    public const float DefaultUnlabelledLexiconWeight = 2f;

    /// <summary>A language is labelled when one of its datasets holds this many toxic and non-toxic training texts.</summary>
    public const int DefaultLabelledLanguageMinTexts = 100;

    /// <summary>Datasets whose labels do not count as a language's own labelled data for <see cref="UnlabelledLexiconWeight"/>.</summary>
    public static readonly IReadOnlyCollection<string> PromptDatasets = ["xsafety", "multijail"];

    /// <summary>
    /// Contrast-set categories left out unless asked for. (The implicit-hate templates and their benign partners were
    /// left out too until the twentieth round: at 15 per language they did not move implicit hate on the held-out suite
    /// and cost GermEval validation AUROC; at 40 per language they pass 4.7 more held-out cases over three seeds and
    /// flag fewer harmless web texts, for 0.011 validation AUROC on OLID and GermEval; docs/models.md.) The veiled-threat pairs of the tenth round passed 4 more held-out threat cases but cost 10
    /// cases of the languages suite, 12 held-out everyday messages and 0.005–0.010 validation AUROC on OLID and
    /// GermEval; the moderation talk (tenth round) raised validation AUROC slightly but passed 3 fewer held-out cases;
    /// the contempt pairs (eleventh round) flagged many more probe lines of "I hate {g}" / "{g} are disgusting" but
    /// passed 7 fewer held-out everyday messages and 4 fewer held-out cases than the contempt lexicon alone; the
    /// calls to violence and violence news (twenty-second round) raised germeval2026 threat AUROC by 0.015–0.030 but
    /// cost 0.004 OLID validation AUROC, held-out and languages-suite cases and two single-word insults; the
    /// self-deprecation messages (same round) passed 10 more held-out everyday messages but cost 1.7 held-out and 2.7
    /// languages-suite cases, and bare insults lost their flag (stretched-and-split probe 221 → 187).
    /// Kept in the file for ablations (`--contrast-exclude none`; docs/models.md).
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultContrastExclude = ["veiled_threat", "violent_everyday", "negated_threat", "moderation_talk", "group_contempt", "contempt_everyday", "violence_call", "violence_news", "self_deprecation"];

    /// <summary>The contrast categories actually left out: <see cref="ContrastExclude"/> or the default list.</summary>
    public IReadOnlyList<string> ExcludedContrastCategories => ContrastExclude ?? DefaultContrastExclude;

    /// <summary>
    /// Per-example weight of the generated contrast sets: a few thousand sentences among ~400k would barely move
    /// the weights of the negators and condemnation phrases they exist to teach (chosen on validation AUROC and the
    /// main functional suite; see docs/models.md).
    /// </summary>
    public const float DefaultContrastWeight = 4f;

    /// <summary>
    /// Per-example weight of the hand-written casual messages (2,213 training texts in 39 languages): weight 4
    /// gave the same validation, suite and everyday-text numbers as 1 (docs/models.md), so they count as plain texts.
    /// </summary>
    public const float DefaultEverydayChatWeight = 1f;

    /// <summary>
    /// Default per-example weights of named training datasets (<c>--dataset-weight</c> replaces them). reddit_cssrs_suicide
    /// at 0.1 (twenty-seventh round): its labels are per user, not per post, and at full weight they taught the n-grams of
    /// "suicidal" and "kill myself" to count against self_harm, so "I am suicidal" scored 0.03 and "I want to kill
    /// myself" 0.13 (0.48 and 0.91 at 0.1; docs/models.md).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, float> DefaultDatasetWeights = new Dictionary<string, float>(StringComparer.Ordinal)
    {
        ["reddit_cssrs_suicide"] = 0.1f,
    };

    /// <summary>
    /// The neural model's defaults over <see cref="DefaultDatasetWeights"/>: Reddit at full weight. The neural model
    /// already scored the English statements high with it (0.64–0.94), and at 0.1 its test macro-F1 fell on OLID
    /// (0.772 → 0.752), GermEval and ToLD (twenty-seventh round, one seed).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, float> NeuralDatasetWeights = new Dictionary<string, float>(StringComparer.Ordinal)
    {
        ["reddit_cssrs_suicide"] = 1f,
    };

    /// <summary>
    /// Share of the fast model's length drift taken out (<see cref="FastTrainerOptions.LengthCorrection"/>), measured on
    /// the everyday web sentences. 0.25 ranked best on validation AUROC among 0, 0.25, 0.5, 0.75 and 1, but it lowered
    /// short texts' scores ("you are an idiot": insult 0.63 → 0.48) and cost functional-suite cases; 0.1 keeps them
    /// and about half the gain (docs/models.md).
    /// </summary>
    public const float DefaultLengthCorrection = 0.1f;

    public static readonly RecipeOptions Default = new();

    // MaskGroupWords (on by default): every word naming a demographic group (identity_terms.json) becomes one stand-in
    // before the n-grams are computed, and the stand-in has no feature of its own. No weight can attach to a group's
    // name, so "Many immigrants work in our hospitals" no longer scores as hateful because most training texts that
    // name immigrants are hateful, and what the data teaches about "X are vermin" carries to every group
    // (held-out functional suite +4 of 192 on average over three seeds; docs/models.md).

    // NeutralWebText (on by default): 59k everyday web sentences in 75 languages as non-toxic training texts. Without
    // them 18.6% of held-out everyday sentences were flagged (Japanese 88%, Indonesian 42%, Spanish 22%): languages
    // whose only labelled data are harmful prompts learnt that their everyday words are harmful. With them: 1.5%
    // (`warden eval neutral`; docs/models.md).

    // GroupConjunctions (identity_terms.json: a group word in the same clause as a harm-lexicon word or a
    // generalisation) is off by default: with it the held-out implicit-hate cases went from 10 to 8 of 24 and
    // validation AUROC moved by under 0.002 (docs/models.md). `warden train fast --group-conjunctions` turns it on.

    // ThreatConjunction (on by default, sixteenth round): threat_terms.json's intent words (I will, should be, ich werde)
    // and violent verbs (stab, umbringen, matar) give one feature when both are in plain context in a clause without a
    // fixed threat phrase. Over three seeds, against the same recipe without it: main suite equal, +0.7 languages-suite
    // cases, +2.7 of the 57 threats of bench/probes/threats (−1.3 of its 49 harmless violent sentences), held-out
    // cases equal, validation within ±0.002.
    // ThreatInsertions (off): everyday sentences with an intent + violence pair put in, as threats: 5.3 more probe
    // threats but 5 fewer harmless probe sentences, 1.3 fewer held-out cases and OLID validation AUROC −0.005 on
    // average (docs/models.md).

    // GroupTraits (on by default since the sixteenth round; tried in the tenth and fifteenth): a group word and a negative
    // trait (identity_terms.json) in plain context in a clause without a harm-lexicon word or a reporting word give one
    // feature. Over three seeds: main suite +4.0, held-out +0.7 (implicit hate +0.7), web sentences −2.7 flagged,
    // out-of-domain identity-attack AUROC +0.005–0.009 on hateval2019 (en) and haspeede2018; languages suite −0.7,
    // literal −2.0, everyday −0.3 (docs/models.md). The fast model only: the neural model's word categories leave the
    // trait and reporting lists out (NeuralLexicon), since with them it passed fewer everyday messages (fifteenth round).

    public FastTrainerOptions Apply(FastTrainerOptions options)
    {
        var boosts = new Dictionary<string, float>();
        if (ContrastSets)
        {
            boosts[Synthetic.ContrastSets.DatasetName] = ContrastWeight;
            boosts[Synthetic.ContrastSets.HateDatasetName] = ContrastHateWeight;
            boosts[Synthetic.ContrastSets.VeiledDatasetName] = VeiledThreatWeight ?? ContrastWeight;
            boosts[Synthetic.ContrastSets.SelfHarmDatasetName] = SelfHarmWeight ?? ContrastWeight;
            if (ImplicitHateWeight is { } implicitWeight) boosts[Synthetic.ContrastSets.ImplicitDatasetName] = implicitWeight;
        }
        if (NeutralWebText) boosts[Warden.Data.Datasets.NeutralWebText.DatasetName] = NeutralWebTextWeight;
        if (LexiconInsertions) boosts[Synthetic.LexiconInsertions.DatasetName] = LexiconInsertionsWeight;
        if (EverydayChat) boosts[Synthetic.EverydayChat.DatasetName] = EverydayChatWeight;
        if (SelfHarmInsertions) boosts[Synthetic.SelfHarmInsertions.DatasetName] = SelfHarmInsertionsWeight;
        foreach (var (dataset, weight) in RecipeOptions.DefaultDatasetWeights) boosts[dataset] = weight;
        foreach (var (dataset, weight) in DatasetWeights ?? new Dictionary<string, float>()) boosts[dataset] = weight;
        return options with
        {
            MaskGroupWords = MaskGroupWords, GroupConjunctionFeatures = GroupConjunctions, GroupContemptFeature = GroupContempt,
            SelfHarmBlocksThreatConjunction = SelfHarmBlocksThreatConjunction, ImpliedNegativesSpareSelfHarmPhrases = SpareSelfHarmPhrases, DatasetBoosts = boosts, LanguageWordFeatures = LanguageWords,
            LengthCorrection = NeutralWebText ? LengthCorrection : 0, LengthCorrectionByAttribute = NeutralWebText ? LengthCorrectionByAttribute : null,
            LengthCorrectionDataset = Warden.Data.Datasets.NeutralWebText.DatasetName,
            UnlabelledLexiconWeight = UnlabelledLexiconWeight,
            ToxicityStacking = StackedAttributes, ToxicityStackingMinDatasets = ToxicityStackingMinDatasets,
            // XSafety and MultiJail are safety prompts translated from English and Chinese, not comments written in the
            // language: Spanish, Japanese and Bengali have no labelled data but theirs.
            PromptDatasets = PromptDatasets, LabelledLanguageMinTexts = LabelledLanguageMinTexts,
        };
    }
}

/// <summary>The training data of the default fast model, as loaded from the registry.</summary>
public sealed record TrainingCorpus(IReadOnlyList<LabeledText> Train, IReadOnlyList<LabeledText> Validation, LoadReport Report);

/// <summary>
/// How the shipped default model is made: every dataset the registry marks <see cref="DatasetUse.Train"/>
/// (never the non-commercial or GPL sets), the LDNOOBW lexicon, and <see cref="FastTrainer"/> with a fixed seed.
/// <c>warden train</c> runs exactly this.
/// </summary>
public static class FastModelRecipe
{
    public const string LexiconDataset = "ldnoobw";

    public static TrainingCorpus LoadCorpus(DatasetRegistry registry, TextWriter log, RecipeOptions? recipe = null)
    {
        recipe ??= RecipeOptions.Default;
        var report = new LoadReport();
        var train = registry.LoadAll(Split.Train, info => info.Use == DatasetUse.Train, report).ToList();
        var validation = registry.LoadAll(Split.Validation, info => info.Use == DatasetUse.Train, report).ToList();
        var synthetic = new List<LabeledText>();
        if (recipe.IdentityMentions) synthetic.AddRange(IdentityMentions.Generate());
        if (recipe.ContrastSets) synthetic.AddRange(ContrastSets.Generate(recipe.SplitGroupHate, recipe.ExcludedContrastCategories, splitImplicit: recipe.ImplicitHateWeight is not null));
        if (recipe.EverydayChat) synthetic.AddRange(EverydayChat.Generate());
        if (recipe.NeutralWebText || recipe.LexiconInsertions || recipe.ThreatInsertions || recipe.SelfHarmInsertions)
        {
            var neutral = Warden.Data.Datasets.NeutralWebText.Load(registry.Root);
            if (recipe.NeutralWebText) synthetic.AddRange(neutral.Where(r => r.Split == Split.Train));
            if (recipe.LexiconInsertions)
                synthetic.AddRange(Synthetic.LexiconInsertions.Generate(neutral, recipe.ContrastSets ? ContrastSets.Languages() : null));
            if (recipe.ThreatInsertions) synthetic.AddRange(Synthetic.ThreatInsertions.Generate(neutral));
            if (recipe.SelfHarmInsertions) synthetic.AddRange(Synthetic.SelfHarmInsertions.Generate(neutral));
        }
        train.AddRange(synthetic.Where(r => r.Split == Split.Train));
        train = SelectDatasets(train, recipe);
        if (recipe.DatasetWeights is not null && Missing(train, recipe.DatasetWeights.Keys) is { Count: > 0 } unweighable)
            throw new ArgumentException($"--dataset-weight: no training texts from {string.Join(", ", unweighable)}");
        // Hand-written sentences teach behaviour; they are no sample of any real distribution, so by default they stay out
        // of the validation data that calibration is fitted on (a choice of principle: measured, it moved no validation
        // number by more than 0.002; docs/models.md).
        if (recipe.CalibrateOnSynthetic) validation.AddRange(synthetic.Where(r => r.Split == Split.Validation));
        else if (recipe.CalibrateOnSelfHarmPairs)
            validation.AddRange(synthetic.Where(r => r.Split == Split.Validation && r.Dataset == ContrastSets.SelfHarmDatasetName));
        if (recipe.CalibrationExcludeDatasets is { Count: > 0 } calibrationExcluded)
            validation.RemoveAll(r => calibrationExcluded.Contains(r.Dataset, StringComparer.Ordinal));
        log.WriteLine($"corpus: {train.Count:N0} training and {validation.Count:N0} validation texts from {train.Select(t => t.Dataset).Distinct().Count()} datasets");
        return new TrainingCorpus(train, validation, report);
    }

    /// <summary>The names among <paramref name="names"/> that no training text comes from, in the order given.</summary>
    private static List<string> Missing(IEnumerable<LabeledText> train, IEnumerable<string> names)
    {
        var present = train.Select(t => t.Dataset).ToHashSet(StringComparer.Ordinal);
        return [.. names.Where(n => !present.Contains(n))];
    }

    /// <summary>
    /// The training texts of the datasets the recipe names (<see cref="RecipeOptions.OnlyDatasets"/>, then
    /// <see cref="RecipeOptions.ExcludeDatasets"/>), for ablations such as "GermEval alone". Validation stays whole, so
    /// calibration and every evaluation see the same data as the default model's. A name that matches no training text
    /// is an error rather than a silent no-op.
    /// </summary>
    internal static List<LabeledText> SelectDatasets(List<LabeledText> train, RecipeOptions recipe)
    {
        if (recipe.OnlyDatasets is null && recipe.ExcludeDatasets is null) return train;
        var unknown = Missing(train, (recipe.OnlyDatasets ?? []).Concat(recipe.ExcludeDatasets ?? []));
        if (unknown.Count > 0)
            throw new ArgumentException($"no training texts from {string.Join(", ", unknown)}; training datasets: {string.Join(", ", train.Select(t => t.Dataset).Distinct().Order(StringComparer.Ordinal))}");
        var only = recipe.OnlyDatasets?.ToHashSet(StringComparer.Ordinal);
        var excluded = (recipe.ExcludeDatasets ?? []).ToHashSet(StringComparer.Ordinal);
        return [.. train.Where(t => (only is null || only.Contains(t.Dataset)) && !excluded.Contains(t.Dataset))];
    }

    /// <summary>All LDNOOBW words and phrases of every language, lower-cased, in a stable order.</summary>
    public static IReadOnlyList<string> LoadProfanityLexicon(DatasetRegistry registry)
    {
        var directory = Path.Combine(registry.Root, LexiconDataset);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"profanity lexicon not found: {directory}");
        return Directory.EnumerateFiles(directory, "*.txt")
            .Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Select(l => l.Trim().ToLowerInvariant())
            .Where(l => l.Length > 1)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The harm lexicon the recipe trains with (empty when switched off).</summary>
    public static Dictionary<string, List<string>> LoadHarmLexicon(RecipeOptions? recipe = null)
    {
        recipe ??= RecipeOptions.Default;
        if (!recipe.HarmLexicon) return [];
        var lexicon = HarmLexiconFile.LoadEmbedded();
        foreach (var category in recipe.ExcludeLexiconCategories ?? [])
            if (!lexicon.Remove(category))
                throw new ArgumentException($"no harm-lexicon category '{category}'; categories: {string.Join(", ", lexicon.Keys.Order(StringComparer.Ordinal))}");
        if (recipe.GroupConjunctions || recipe.MaskGroupWords)
        {
            var terms = HarmLexiconFile.LoadIdentityTerms();
            lexicon[HarmLexicon.GroupCategory] = terms[HarmLexicon.GroupCategory];
            lexicon[HarmLexicon.GeneralisationCategory] = terms[HarmLexicon.GeneralisationCategory];
            if (recipe.GroupTraits)
            {
                lexicon[HarmLexicon.TraitCategory] = terms[HarmLexicon.TraitCategory];
                // The reporting words only ever block the trait conjunction.
                if (recipe.ReportedSpeech) lexicon[HarmLexicon.ReportingCategory] = terms[HarmLexicon.ReportingCategory];
            }
        }
        if (recipe.ThreatConjunction)
            foreach (var (category, entries) in HarmLexiconFile.LoadThreatTerms()) lexicon[category] = entries;
        // Harmless phrases share the idioms' category, masked out of the n-grams: violent idioms ("kill time"), false
        // friends ("till slut") and, since the twentieth round, literal pests ("intestinal parasites"). The neural model's
        // word categories leave them out (NeuralLexicon).
        var harmlessPhrases = new List<string>();
        if (recipe.ViolentIdioms) harmlessPhrases.AddRange(HarmLexiconFile.LoadViolentIdioms());
        if (recipe.FalseFriends) harmlessPhrases.AddRange(HarmLexiconFile.LoadFalseFriends());
        if (recipe.LiteralPests) harmlessPhrases.AddRange(HarmLexiconFile.LoadLiteralPests());
        if (harmlessPhrases.Count > 0) lexicon[HarmLexicon.IdiomCategory] = harmlessPhrases;
        if (recipe.AddresseeConjunctions)
            foreach (var (category, entries) in HarmLexiconFile.LoadAddresseeTerms()) lexicon[category] = entries;
        // Emoji join the categories the recipe has (twenty-seventh round): a weapon only where the threat conjunction
        // is on, an identity emoji only where group words are.
        if (recipe.Emoji)
            foreach (var (category, entries) in HarmLexiconFile.LoadEmoji())
                if (lexicon.TryGetValue(category, out var list)) lexicon[category] = [.. list, .. entries];
        return lexicon;
    }

    public static NeuralModel TrainNeural(DatasetRegistry registry, NeuralTrainerOptions options, TextWriter log, RecipeOptions? recipe = null)
    {
        var corpus = LoadCorpus(registry, log, recipe);
        var lexicon = LoadProfanityLexicon(registry);
        recipe ??= RecipeOptions.Default;
        var weights = new Dictionary<string, float>(RecipeOptions.NeuralDatasetWeights, StringComparer.Ordinal);
        foreach (var (dataset, weight) in recipe.DatasetWeights ?? new Dictionary<string, float>()) weights[dataset] = weight;
        options = options with { Data = (recipe with { DatasetWeights = weights }).Apply(options.Data) };
        return new NeuralTrainer().Train(corpus.Train, corpus.Validation, lexicon, options, LanguageIdentifier.LoadDefault(), log, NeuralLexicon(recipe));
    }

    /// <summary>The harm lexicon of the neural model's word categories: the recipe's, without the group-trait and reporting
    /// lists, which are conjunction features of the fast model (with them the neural model passed 15 fewer everyday
    /// messages and 3 fewer held-out implicit-hate cases; fifteenth round).</summary>
    public static Dictionary<string, List<string>> NeuralLexicon(RecipeOptions? recipe = null) =>
        LoadHarmLexicon((recipe ?? RecipeOptions.Default) with { GroupTraits = false, ViolentIdioms = false, FalseFriends = false, LiteralPests = false });

    /// <summary>
    /// Trains the fast model. With a <paramref name="teacher"/> (any scorer, e.g. the neural model or an ensemble) the
    /// model is distilled: each annotated label is mixed with the teacher's score of the same text
    /// (<see cref="FastTrainerOptions.DistillWeight"/>), and the teacher's name is recorded in the model's notes.
    /// </summary>
    public static FastModel Train(DatasetRegistry registry, FastTrainerOptions options, TextWriter log, RecipeOptions? recipe = null, IScorer? teacher = null)
    {
        var corpus = LoadCorpus(registry, log, recipe);
        var lexicon = LoadProfanityLexicon(registry);
        if (teacher is not null)
        {
            var scored = teacher.ScoreBatch([.. corpus.Train.Select(t => t.Text)]);
            options = options with { TeacherScores = [.. scored.Select(r => r.Scores)] };
            log.WriteLine($"teacher {teacher.ModelName}: scored {scored.Count:N0} training texts; distillation weight {options.DistillWeight}");
        }
        var model = new FastTrainer().Train(corpus.Train, corpus.Validation, lexicon, (recipe ?? RecipeOptions.Default).Apply(options), LanguageIdentifier.LoadDefault(), log, LoadHarmLexicon(recipe));
        if (teacher is not null)
        {
            model.Metadata.Notes["distilled_from"] = teacher.ModelName;
            model.Metadata.Notes["distill_weight"] = options.DistillWeight.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return model;
    }
}
