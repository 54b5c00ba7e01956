using Warden.Core;
using Warden.Scoring.Fast;
using Xunit.Abstractions;

namespace Warden.Scoring.Tests;

/// <summary>A tiny synthetic corpus: insults labelled toxic/insult, polite sentences clean, two fake datasets.</summary>
internal static class SyntheticCorpus
{
    public static readonly string[] Insults = ["idiot", "moron", "imbecile", "loser", "clown", "dimwit", "halfwit", "cretin", "dumbass", "jerk", "numbskull", "bonehead"];
    private static readonly string[] ToxicFrames =
    [
        "you are an {0}", "what a {0} you are", "shut up you {0}", "only an {0} would say that",
        "go away {0}", "listen here you pathetic {0}", "everyone knows you are a {0}", "stop posting {0}",
    ];
    private static readonly string[] HeldOutToxicFrames = ["honestly you absolute {0}", "nobody asked you {0}", "typical {0} behaviour from you"];
    private static readonly string[] Nouns = ["weather", "garden", "recipe", "concert", "library", "bicycle", "museum", "train", "coffee", "meeting", "holiday", "article", "festival", "picnic", "harbour", "bakery"];
    private static readonly string[] CleanFrames =
    [
        "thank you for the {0}", "the {0} was lovely today", "i really enjoyed the {0}", "see you at the {0} tomorrow",
        "could you tell me about the {0}", "we talked about the {0} for hours", "the {0} starts at noon", "my friend recommended the {0}",
    ];
    private static readonly string[] HeldOutCleanFrames = ["have a nice time at the {0}", "the {0} looks wonderful", "please share the {0} with us"];

    public static IReadOnlyList<string> HeldOutToxic =>
        [.. HeldOutToxicFrames.SelectMany(f => Insults.Select(i => string.Format(f, i)))];

    public static IReadOnlyList<string> HeldOutClean =>
        [.. HeldOutCleanFrames.SelectMany(f => Nouns.Select(n => string.Format(f, n)))];

    /// <summary>
    /// Dataset "synth_a" annotates toxicity and insult; "synth_b" only toxicity (insult masked as NaN).
    /// No record annotates threat (or any other attribute).
    /// </summary>
    public static (List<LabeledText> Train, List<LabeledText> Validation) Build()
    {
        var all = new List<LabeledText>();
        var n = 0;
        foreach (var frame in ToxicFrames)
            foreach (var insult in Insults)
            {
                var dataset = n % 2 == 0 ? "synth_a" : "synth_b";
                var labels = new AttributeLabels().Set(HarmAttribute.Toxicity, 1f);
                if (dataset == "synth_a") labels.Set(HarmAttribute.Insult, 1f);
                all.Add(new LabeledText(dataset, $"t{n++}", string.Format(frame, insult), "en", labels, Split.Train));
            }
        foreach (var frame in CleanFrames)
            foreach (var noun in Nouns)
            {
                var dataset = n % 2 == 0 ? "synth_a" : "synth_b";
                var labels = new AttributeLabels().Set(HarmAttribute.Toxicity, 0f);
                if (dataset == "synth_a") labels.Set(HarmAttribute.Insult, 0f);
                all.Add(new LabeledText(dataset, $"c{n++}", string.Format(frame, noun), "en", labels, Split.Train));
            }
        // Every third record is validation (deterministic), the rest train.
        var train = all.Where((_, i) => i % 3 != 0).ToList();
        var validation = all.Where((_, i) => i % 3 == 0).Select(r => r with { Split = Split.Validation }).ToList();
        return (train, validation);
    }
}

public class FastTrainerTests(ITestOutputHelper output)
{
    private static readonly FastTrainerOptions Options = new() { BucketBits = 14, Epochs = 8, Seed = 42, ModelName = "synthetic", Version = "0.0.1" };
    private static readonly string[] Lexicon = ["shit", "fuck"];

    private static FastModel Train(FastTrainerOptions options, TextWriter? log = null)
    {
        var (train, validation) = SyntheticCorpus.Build();
        return new FastTrainer().Train(train, validation, Lexicon, options, new FixedLanguage("en"), log);
    }

    private static byte[] Bytes(FastModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Length_correction_is_measured_on_the_named_dataset_and_added_per_square_root_of_the_ngram_count()
    {
        var (train, validation) = SyntheticCorpus.Build();
        // Harmless texts of many lengths, as the everyday web sentences are for the shipped model.
        var words = "the weather in the garden was lovely and the bakery near the harbour sold fresh bread every morning".Split(' ');
        var neutral = Enumerable.Range(0, 200).Select(i => new LabeledText("neutral", $"n{i}", string.Join(' ', words.Take(2 + i % (words.Length - 1))), "en",
            new AttributeLabels().Set(HarmAttribute.Toxicity, 0f), Split.Train));
        var data = train.Concat(neutral).ToList();
        var plain = new FastTrainer().Train(data, validation, Lexicon, Options, new FixedLanguage("en"));
        var corrected = new FastTrainer().Train(data, validation, Lexicon, Options with { LengthCorrection = 1f, LengthCorrectionDataset = "neutral" }, new FixedLanguage("en"));
        Assert.Empty(plain.Metadata.LengthCorrection);
        Assert.Equal(HarmAttributes.Count, corrected.Metadata.LengthCorrection.Count);
        Assert.Equal(plain.Weights, corrected.Weights); // measured after training: the weights are the same

        // A correction of 1 per attribute adds exactly √n to every raw logit; an empty text gets nothing. (A scorer reads
        // the correction when it is made, so the first one stays uncorrected.)
        var uncorrected = new FastScorer(plain, new FixedLanguage("en"));
        plain.Metadata.LengthCorrection = [.. Enumerable.Repeat(1f, HarmAttributes.Count)];
        var scorer = new FastScorer(plain, new FixedLanguage("en"));
        var metadata = plain.Metadata;
        float Difference(string text)
        {
            Span<float> a = stackalloc float[HarmAttributes.Count], b = stackalloc float[HarmAttributes.Count];
            scorer.RawLogits(text, a);
            uncorrected.RawLogits(text, b);
            return a[0] - b[0];
        }
        Assert.Equal(0f, Difference(""));
        var shortText = Difference("lovely bread");
        var longText = Difference("the weather in the garden was lovely and the bakery near the harbour sold fresh bread every morning");
        Assert.True(shortText >= MathF.Sqrt(metadata.MinScaleFeatures) - 1e-3f, $"{shortText}");
        Assert.True(longText > shortText + 1, $"{longText} vs {shortText}");
    }

    [Fact]
    public void Per_attribute_length_correction_shares_replace_the_global_share_for_the_attributes_they_name()
    {
        var (train, validation) = SyntheticCorpus.Build();
        var words = "the weather in the garden was lovely and the bakery near the harbour sold fresh bread every morning".Split(' ');
        var neutral = Enumerable.Range(0, 200).Select(i => new LabeledText("neutral", $"n{i}", string.Join(' ', words.Take(2 + i % (words.Length - 1))), "en",
            new AttributeLabels().Set(HarmAttribute.Toxicity, 0f).Set(HarmAttribute.Threat, 0f), Split.Train));
        var data = train.Concat(neutral).ToList();
        var global = new FastTrainer().Train(data, validation, Lexicon, Options with { LengthCorrection = 0.5f, LengthCorrectionDataset = "neutral" }, new FixedLanguage("en"));
        var shares = new Dictionary<HarmAttribute, float> { [HarmAttribute.Threat] = 1f, [HarmAttribute.Insult] = 0f };
        var mixed = new FastTrainer().Train(data, validation, Lexicon,
            Options with { LengthCorrection = 0.5f, LengthCorrectionByAttribute = shares, LengthCorrectionDataset = "neutral" }, new FixedLanguage("en"));
        var onlyShares = new FastTrainer().Train(data, validation, Lexicon,
            Options with { LengthCorrectionByAttribute = shares, LengthCorrectionDataset = "neutral" }, new FixedLanguage("en"));
        var g = global.Metadata.LengthCorrection;
        var m = mixed.Metadata.LengthCorrection;
        Assert.NotEqual(0f, g[(int)HarmAttribute.Threat]);
        Assert.NotEqual(0f, g[(int)HarmAttribute.Toxicity]);
        Assert.Equal(g[(int)HarmAttribute.Toxicity], m[(int)HarmAttribute.Toxicity]);
        Assert.Equal(2 * g[(int)HarmAttribute.Threat], m[(int)HarmAttribute.Threat], 1e-6f);
        Assert.Equal(0f, m[(int)HarmAttribute.Insult]);
        // Shares alone switch the correction on, for the named attributes only.
        Assert.Equal(HarmAttributes.Count, onlyShares.Metadata.LengthCorrection.Count);
        Assert.Equal(0f, onlyShares.Metadata.LengthCorrection[(int)HarmAttribute.Toxicity]);
        Assert.Equal(m[(int)HarmAttribute.Threat], onlyShares.Metadata.LengthCorrection[(int)HarmAttribute.Threat]);
    }

    [Fact]
    public void Bagging_averages_the_weights_of_consecutive_seeds()
    {
        var bagged = Train(Options with { Bags = 2 });
        var first = Train(Options);
        var second = Train(Options with { Seed = Options.Seed + 1 });
        Assert.NotEqual(first.Weights, second.Weights);
        for (var i = 0; i < bagged.Weights.Length; i++)
            Assert.Equal((first.Weights[i] + second.Weights[i]) / 2, bagged.Weights[i], 5);
    }

    [Fact]
    public void Averaging_only_the_last_epoch_keeps_the_last_weights_and_earlier_epochs_change_them()
    {
        Assert.Equal(Train(Options).Weights, Train(Options with { AverageFromEpoch = Options.Epochs }).Weights);
        Assert.NotEqual(Train(Options).Weights, Train(Options with { AverageFromEpoch = 2 }).Weights);
    }

    [Fact]
    public void Corpus_has_the_intended_shape()
    {
        var (train, validation) = SyntheticCorpus.Build();
        Assert.InRange(train.Count + validation.Count, 150, 1000);
        Assert.Equal(2, train.Select(t => t.Dataset).Distinct().Count());
        Assert.Contains(train, t => !t.Labels.IsAnnotated(HarmAttribute.Insult));
        Assert.DoesNotContain(train.Concat(validation), t => t.Labels.IsAnnotated(HarmAttribute.Threat));
    }

    [Fact]
    public void Trained_model_ranks_held_out_insults_above_held_out_polite_text()
    {
        var log = new StringWriter();
        var model = Train(Options, log);
        output.WriteLine(log.ToString());
        var scorer = new FastScorer(model, new FixedLanguage("en"));

        var toxic = SyntheticCorpus.HeldOutToxic.Select(t => scorer.Score(t)[HarmAttribute.Toxicity]).ToList();
        var clean = SyntheticCorpus.HeldOutClean.Select(t => scorer.Score(t)[HarmAttribute.Toxicity]).ToList();
        output.WriteLine($"toxic mean {toxic.Average():0.000} min {toxic.Min():0.000}; clean mean {clean.Average():0.000} max {clean.Max():0.000}");

        // Pairwise ranking (AUROC) on held-out frames: the words that matter are the insults.
        var pairs = toxic.SelectMany(t => clean.Select(c => t > c ? 1.0 : t == c ? 0.5 : 0.0)).Average();
        Assert.True(pairs >= 0.95, $"AUROC {pairs:0.000}");
        Assert.True(toxic.Average() > clean.Average() + 0.3, $"toxic mean {toxic.Average():0.000}, clean mean {clean.Average():0.000}");

        // Insult was annotated by one dataset only; it must still learn the same direction.
        var insult = SyntheticCorpus.HeldOutToxic.Select(t => scorer.Score(t)[HarmAttribute.Insult]).Average();
        var insultClean = SyntheticCorpus.HeldOutClean.Select(t => scorer.Score(t)[HarmAttribute.Insult]).Average();
        Assert.True(insult > insultClean, $"insult: toxic {insult:0.000} vs clean {insultClean:0.000}");
    }

    [Fact]
    public void Metadata_records_the_training_run()
    {
        var model = Train(Options);
        var m = model.Metadata;
        Assert.Equal("synthetic", m.Name);
        Assert.Equal("0.0.1", m.Version);
        Assert.Equal(14, m.BucketBits);
        Assert.Equal(42, m.Seed);
        Assert.Equal(Lexicon, m.ProfanityLexicon);
        var (train, _) = SyntheticCorpus.Build();
        Assert.Equal(train.Count(t => t.Dataset == "synth_a"), m.TrainingData["synth_a"]);
        Assert.Equal(train.Count(t => t.Dataset == "synth_b"), m.TrainingData["synth_b"]);
        Assert.Equal((1 << 14) * HarmAttributes.Count, model.Weights.Length);
        Assert.All(model.Weights, w => Assert.True(float.IsFinite(w)));
        // Toxicity had enough validation data to be calibrated.
        Assert.NotEqual(Calibration.Identity, m.Calibrations[(int)HarmAttribute.Toxicity]);
    }

    [Fact]
    public void Same_seed_gives_byte_identical_models()
    {
        var first = Bytes(Train(Options));
        var second = Bytes(Train(Options));
        Assert.Equal(first.Length, second.Length);
        Assert.True(first.AsSpan().SequenceEqual(second), "two trainings with the same seed differ");
    }

    [Fact]
    public void Different_seed_gives_different_bytes()
    {
        var first = Bytes(Train(Options));
        var other = Bytes(Train(Options with { Seed = 43 }));
        Assert.False(first.AsSpan().SequenceEqual(other), "the seed has no effect on the model");
    }

    [Fact]
    public void Attribute_that_no_record_annotates_keeps_identity_calibration()
    {
        var model = Train(Options);
        foreach (var a in new[] { HarmAttribute.Threat, HarmAttribute.SelfHarm, HarmAttribute.SexuallyExplicit, HarmAttribute.IdentityAttack, HarmAttribute.SevereToxicity, HarmAttribute.Profanity })
        {
            Assert.Equal(Calibration.Identity, model.Metadata.Calibrations[(int)a]);
            foreach (var (_, perAttribute) in model.Metadata.LanguageCalibrations) Assert.Null(perAttribute[(int)a]);
            Assert.Empty(model.Metadata.EvidenceLanguages[a.WireName()]);
        }
    }

    [Fact]
    public void Unannotated_attribute_with_implied_negatives_stays_low_on_clean_text()
    {
        // Threat is never annotated: clean texts are implied negatives, toxic texts teach it nothing.
        var scorer = new FastScorer(Train(Options), new FixedLanguage("en"));
        var cleanThreat = SyntheticCorpus.HeldOutClean.Select(t => scorer.Score(t)[HarmAttribute.Threat]).Average();
        Assert.True(cleanThreat < 0.5f, $"threat on clean text {cleanThreat:0.000}");
    }

    [Fact]
    public void Distillation_trains_towards_the_teacher_in_proportion_to_its_weight()
    {
        var (train, _) = SyntheticCorpus.Build();
        // A teacher that knows nothing: 0.5 for every attribute of every text.
        var clueless = train.Select(_ => Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray()).ToList();
        var labelsOnly = Train(Options);
        Assert.Equal(labelsOnly.Weights, Train(Options with { TeacherScores = clueless, DistillWeight = 0f }).Weights);

        float Gap(FastModel model)
        {
            var scorer = new FastScorer(model, new FixedLanguage("en"));
            Span<float> logits = stackalloc float[HarmAttributes.Count];
            double toxic = 0, clean = 0;
            foreach (var t in SyntheticCorpus.HeldOutToxic) { scorer.RawLogits(t, logits); toxic += logits[(int)HarmAttribute.Toxicity]; }
            foreach (var t in SyntheticCorpus.HeldOutClean) { scorer.RawLogits(t, logits); clean += logits[(int)HarmAttribute.Toxicity]; }
            return (float)(toxic / SyntheticCorpus.HeldOutToxic.Count - clean / SyntheticCorpus.HeldOutClean.Count);
        }
        var full = Gap(labelsOnly);
        var half = Gap(Train(Options with { TeacherScores = clueless, DistillWeight = 0.5f }));
        var teacherOnly = Gap(Train(Options with { TeacherScores = clueless, DistillWeight = 1f }));
        output.WriteLine($"toxic-minus-clean raw logit: labels {full:0.000}, half {half:0.000}, teacher only {teacherOnly:0.000}");
        Assert.True(full > half && half > Math.Abs(teacherOnly), $"{full} > {half} > |{teacherOnly}|");
        Assert.True(Math.Abs(teacherOnly) < 0.25f * full, $"teacher only {teacherOnly} vs labels {full}");
    }

    [Fact]
    public void Teacher_scores_must_match_the_training_texts()
    {
        var (train, validation) = SyntheticCorpus.Build();
        var tooFew = train.Skip(1).Select(_ => new float[HarmAttributes.Count]).ToList();
        Assert.Throws<ArgumentException>(() => new FastTrainer().Train(train, validation, Lexicon, Options with { TeacherScores = tooFew }, new FixedLanguage("en")));
    }

    [Fact]
    public void Lexicon_dropout_is_deterministic_and_changes_the_weights()
    {
        var categories = new Dictionary<string, List<string>> { ["insult"] = [.. SyntheticCorpus.Insults] };
        var (train, validation) = SyntheticCorpus.Build();
        FastModel Run(float dropout) => new FastTrainer().Train(train, validation, Lexicon, Options with { LexiconDropout = dropout }, new FixedLanguage("en"), harmLexicon: categories);
        Assert.Equal(Bytes(Run(0.5f)), Bytes(Run(0.5f)));
        Assert.NotEqual(Run(0f).Weights, Run(0.5f).Weights);
    }

    /// <summary>Texts with the word "zork" are in language "xa", the others in "xb".</summary>
    private sealed class MarkerLanguage : ILanguageIdentifier
    {
        public string Identify(string text) => text.Contains("zork", StringComparison.Ordinal) ? "xa" : "xb";
        public (string Language, float Confidence) IdentifyWithConfidence(string text) => (Identify(text), 1f);
    }

    [Fact]
    public void Language_words_let_a_word_be_harmful_in_one_language_and_harmless_in_another()
    {
        // "blorp" is an insult in xa and harmless in xb, "quib" the other way round: no weights of shared features can
        // rank both right (it is an exclusive or), a word's copy in each language can.
        string[] fillers = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
        var all = new List<LabeledText>();
        foreach (var filler in fillers)
            foreach (var (text, toxic) in new[] { ($"zork {filler} blorp", 1f), ($"zork {filler} quib", 0f), ($"{filler} blorp", 0f), ($"{filler} quib", 1f) })
                for (var copy = 0; copy < 4; copy++)
                    all.Add(new LabeledText("synth", $"{all.Count}", text, "xx", new AttributeLabels().Set(HarmAttribute.Toxicity, toxic), Split.Train));
        var validation = all.Where((_, i) => i % 4 == 0).Select(r => r with { Split = Split.Validation }).ToList();
        float[] Scores(bool languageWords)
        {
            var options = Options with { LanguageWordFeatures = languageWords, Epochs = 20 };
            var scorer = new FastScorer(new FastTrainer().Train(all, validation, Lexicon, options, new MarkerLanguage()), new MarkerLanguage());
            return [.. new[] { "zork thirteen blorp", "zork thirteen quib", "thirteen blorp", "thirteen quib" }.Select(t => scorer.Score(t)[HarmAttribute.Toxicity])];
        }
        var shared = Scores(false);
        var perLanguage = Scores(true);
        output.WriteLine($"shared only: {string.Join(" ", shared)}; with language words: {string.Join(" ", perLanguage)}");
        Assert.True(perLanguage[0] > perLanguage[1] + 0.3f && perLanguage[3] > perLanguage[2] + 0.3f, string.Join(" ", perLanguage));
        Assert.False(shared[0] > shared[1] + 0.3f && shared[3] > shared[2] + 0.3f, string.Join(" ", shared));
        Assert.True(new FastTrainer().Train(all, validation, Lexicon, Options with { LanguageWordFeatures = true }, new MarkerLanguage()).Metadata.LanguageWordFeatures);
    }

    [Fact]
    public void The_lexicon_counts_more_only_in_languages_without_labelled_data()
    {
        var categories = new Dictionary<string, List<string>> { ["insult"] = [.. SyntheticCorpus.Insults], [HarmLexicon.ReportingCategory] = ["calling"] };
        var (train, validation) = SyntheticCorpus.Build();
        var model = new FastTrainer().Train(train, validation, Lexicon, Options with { UnlabelledLexiconWeight = 3f }, new FixedLanguage("en"), harmLexicon: categories);
        Assert.Equal(3f, model.Metadata.UnlabelledLexiconWeight);
        model.Metadata.LabelledLanguages = ["en"];
        var scorer = new FastScorer(model, new FixedLanguage("en"));
        Assert.Equal(1f, scorer.LexiconWeightFor("en"));
        Assert.Equal(3f, scorer.LexiconWeightFor("xx"));
        Assert.Equal(1f, scorer.LexiconWeightFor("und")); // unknown language: as trained

        float[] Logits(string text, string language)
        {
            var logits = new float[HarmAttributes.Count];
            scorer.RawLogits(text, language, logits);
            return logits;
        }
        // Without a lexicon hit, the language does not matter.
        Assert.Equal(Logits("see you at the museum tomorrow", "en"), Logits("see you at the museum tomorrow", "xx"));
        // With one, the lexicon's part of the logit counts three times outside the labelled languages.
        var plain = Logits("you are an idiot", "en");
        var unlabelled = Logits("you are an idiot", "xx");
        // A text that reports what someone calls others keeps the trained weight: counter-speech as often as abuse.
        Assert.Equal(Logits("stop calling him an idiot", "en"), Logits("stop calling him an idiot", "xx"));
        model.Metadata.LabelledLanguages = [];
        model.Metadata.UnlabelledLexiconWeight = 1f;
        var lexiconPart = new float[HarmAttributes.Count];
        var withoutLexicon = new FastScorer(new FastModel(model.Metadata, model.Weights), new FixedLanguage("en"));
        Assert.True(unlabelled[(int)HarmAttribute.Toxicity] > plain[(int)HarmAttribute.Toxicity] + 0.1f,
            $"{unlabelled[(int)HarmAttribute.Toxicity]} vs {plain[(int)HarmAttribute.Toxicity]}");
        withoutLexicon.RawLogits("you are an idiot", "xx", lexiconPart);
        Assert.Equal(plain, lexiconPart); // weight 1 everywhere: as in a labelled language
    }

    [Fact]
    public void Generated_sets_do_not_make_a_language_labelled()
    {
        var texts = new List<LabeledText>();
        for (var i = 0; i < 240; i++)
        {
            var labels = new AttributeLabels().Set(HarmAttribute.Toxicity, i % 2);
            texts.Add(new LabeledText("warden_contrast", $"c{i}", $"text {i}", "it", labels, Split.Train));
            texts.Add(new LabeledText("some_corpus", $"s{i}", $"text {i}", "de", labels, Split.Train));
        }
        var model = new FastTrainer().Train(texts, [], Lexicon, Options with { Epochs = 1 }, new FixedLanguage("de"));
        Assert.Equal(["de"], model.Metadata.LabelledLanguages);
        Assert.Contains("it", model.Metadata.EvidenceLanguages["toxicity"]);
    }
}

public class ImpliedSelfHarmNegativeTests
{
    private static readonly HarmLexicon Lexicon = new(new FeatureHasher(12), new Dictionary<string, List<string>>
    {
        [HarmLexicon.SelfHarmCategory] = ["kill myself", "suicidal"],
        ["insult"] = ["idiot"],
    });

    private static LabeledText Text(string text, float toxicity, float? selfHarm = null)
    {
        var labels = new AttributeLabels().Set(HarmAttribute.Toxicity, toxicity);
        if (selfHarm is { } y) labels.Set(HarmAttribute.SelfHarm, y);
        return new LabeledText("d", text, text, "en", labels, Split.Train);
    }

    [Fact]
    public void Plain_matches_leave_out_negated_hits()
    {
        var bit = Lexicon.CategoryBit(HarmLexicon.SelfHarmCategory);
        Assert.NotEqual(0UL, bit);
        Assert.Equal(0UL, Lexicon.CategoryBit("no_such_category"));
        Assert.NotEqual(0UL, Lexicon.Match(FeaturePipeline.ForFeatures("I want to kill myself"), plainOnly: true) & bit);
        Assert.NotEqual(0UL, Lexicon.Match(FeaturePipeline.ForFeatures("I don't want to kill myself")) & bit);
        Assert.Equal(0UL, Lexicon.Match(FeaturePipeline.ForFeatures("I don't want to kill myself"), plainOnly: true) & bit);
    }

    [Fact]
    public void Clean_texts_with_a_plain_self_harm_phrase_get_no_implied_self_harm_negative()
    {
        LabeledText[] texts =
        [
            Text("honestly I want to kill myself", 0f),           // clean, plain phrase: spared
            Text("I am not suicidal, just tired", 0f),            // negated: still an implied negative
            Text("you idiot, go kill myself yourself", 0.9f),     // not clean: no implied negatives at all
            Text("I want to kill myself", 0f, selfHarm: 1f),      // annotated: its own label counts
            Text("what a lovely day", 0f),                        // nothing to spare
        ];
        var spared = FastTrainer.SparedFromImpliedSelfHarm(texts, Lexicon, new FastTrainerOptions());
        Assert.Equal([true, false, false, false, false], spared);
        Assert.All(FastTrainer.SparedFromImpliedSelfHarm(texts, Lexicon, new FastTrainerOptions { ImpliedNegativesSpareSelfHarmPhrases = false }), Assert.False);
    }
}
