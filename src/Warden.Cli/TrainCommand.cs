using System.CommandLine;
using Warden.Core;
using Warden.Data.Datasets;
using Warden.Eval.Classifier;
using Warden.Eval.Functional;
using Warden.Scoring.Fast;
using Warden.Scoring.Neural;
using Warden.Text.LanguageId;
using Warden.Training;

namespace Warden.Cli;

/// <summary><c>warden train fast|langid</c>: reproduces the shipped models from ../shared/datasets with a fixed seed.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var train = new Command("train", "Train Warden's models from ../shared/datasets (reproduces models/)");
        train.Subcommands.Add(Fast());
        train.Subcommands.Add(Neural());
        train.Subcommands.Add(LanguageId());
        return train;
    }

    /// <summary>The recipe's switches (which of Warden's own resources go into training), shared by <c>train fast</c> and <c>train neural</c>.</summary>
    private sealed class RecipeSwitches
    {
        private readonly Option<bool> _noIdentity = new("--no-identity-mentions") { Description = "leave out the generated neutral identity mentions (ablation)" };
        private readonly Option<bool> _noContrast = new("--no-contrast-sets") { Description = "leave out the generated contrast sets: negation, counter-speech, reported insults (ablation)" };
        private readonly Option<bool> _noLexicon = new("--no-harm-lexicon") { Description = "train without the multilingual harm-lexicon features (ablation)" };
        private readonly Option<float> _contrastWeight = new("--contrast-weight") { Description = "per-example weight of the contrast sets", DefaultValueFactory = _ => RecipeOptions.DefaultContrastWeight };
        private readonly Option<bool> _groupConjunctions = new("--group-conjunctions") { Description = "add group-word conjunction features from identity_terms.json (experiment; off by default)" };
        private readonly Option<float> _hateWeight = new("--contrast-hate-weight") { Description = "per-example weight of the contrast sets' group-hate sentences (with --split-group-hate)", DefaultValueFactory = _ => RecipeOptions.DefaultContrastWeight };
        private readonly Option<bool> _splitHate = new("--split-group-hate") { Description = "group-hate contrast sentences as their own one-class set (experiment; teaches group words to look hateful)" };
        private readonly Option<bool> _noMaskGroups = new("--no-mask-group-words") { Description = "keep words naming demographic groups in the n-grams (ablation; by default they become one stand-in with no weight of its own)" };

        private readonly Option<bool> _noNeutralWeb = new("--no-neutral-web-text") { Description = "leave out the everyday web sentences of lingua_langid_sentences (75 languages) that train as non-toxic texts (ablation)" };
        private readonly Option<float> _neutralWebWeight = new("--neutral-web-text-weight") { Description = "per-example weight of the neutral web sentences (after the dataset cap)", DefaultValueFactory = _ => 1f };

        private readonly Option<string[]> _contrastExclude = new("--contrast-exclude") { Description = "leave these contrast-set categories out (default: " + string.Join(" ", RecipeOptions.DefaultContrastExclude) + "; 'none' keeps all): " + string.Join(", ", Warden.Training.Synthetic.ContrastSets.CategoryNames), AllowMultipleArgumentsPerToken = true };

        private readonly Option<bool> _calibrateOnSynthetic = new("--calibrate-on-synthetic") { Description = "include the validation rows of Warden's generated sets in the calibration data (ablation; before the third round this was the default)" };

        private readonly Option<bool> _noLexiconInsertions = new("--no-lexicon-insertions") { Description = "leave out the everyday sentences with a harm-lexicon insult put in (harmful) beside the same sentences without it (harmless), made for the lexicon languages without contrast sets (ablation)" };
        private readonly Option<float> _lexiconInsertionsWeight = new("--lexicon-insertions-weight") { Description = "per-example weight of the lexicon insertions", DefaultValueFactory = _ => 1f };

        private readonly Option<string[]> _onlyDatasets = new("--only-datasets") { Description = "train on these datasets alone (registry names or Warden's generated sets: warden_contrast, lingua_neutral, ...); validation and calibration stay whole (ablation)", AllowMultipleArgumentsPerToken = true };
        private readonly Option<string[]> _excludeDatasets = new("--exclude-datasets") { Description = "leave these datasets out of training; validation and calibration stay whole (ablation)", AllowMultipleArgumentsPerToken = true };

        private readonly Option<bool> _noEverydayChat = new("--no-everyday-chat") { Description = "leave out the hand-written harmless casual messages in 39 languages (everyday_chat.json) that train as clean texts (ablation)" };
        private readonly Option<float> _everydayChatWeight = new("--everyday-chat-weight") { Description = "per-example weight of the casual messages", DefaultValueFactory = _ => RecipeOptions.DefaultEverydayChatWeight };

        private readonly Option<float> _unlabelledLexiconWeight = new("--unlabelled-lexicon-weight") { Description = "how many times the harm-lexicon features count at inference in a language without labelled toxicity data of its own (1 = as trained)", DefaultValueFactory = _ => RecipeOptions.DefaultUnlabelledLexiconWeight };
        private readonly Option<string[]> _toxicityStacking = new("--toxicity-stacking") { Description = "attributes whose raw logit gets a share of the toxicity logit before calibration, each share fitted on the validation splits (default: identity_attack severe_toxicity; none = off)", AllowMultipleArgumentsPerToken = true };
        private readonly Option<bool> _groupContempt = new("--group-contempt") { Description = "a group word and a contempt word (hate, disgusting) in one clause without a reporting word give a feature of their own" };
        private readonly Option<bool> _selfHarmBlocksThreat = new("--self-harm-blocks-threat-conjunction") { Description = "a self-harm phrase (kill myself) in a clause withholds the intent + violence threat conjunction there, as a fixed threat phrase does" };
        private readonly Option<float?> _selfHarmWeight = new("--self-harm-weight") { Description = "per-example weight of the self-harm pairs (warden_contrast_self_harm; default: the contrast weight)" };
        private readonly Option<bool> _calibrateOnSelfHarmPairs = new("--calibrate-on-self-harm-pairs") { Description = "fit calibration on the validation templates of the self-harm pairs too (the other hand-written sets stay out)" };
        private readonly Option<string[]> _calibrationExclude = new("--calibration-exclude-datasets") { Description = "train on these datasets but leave their validation rows out of calibration", AllowMultipleArgumentsPerToken = true };
        private readonly Option<bool> _noEmoji = new("--no-emoji") { Description = "leave out the emoji of emoji.json (🖕; animal, pest and vomiting emoji as group traits; weapons; identity emoji) from the lexicon categories" };
        private readonly Option<bool> _noSpareSelfHarmPhrases = new("--no-spare-self-harm-phrases") { Description = "also count clean texts (toxicity <= 0.1) that hold a self-harm phrase of the harm lexicon as implied self_harm negatives" };
        private readonly Option<bool> _noSelfHarmInsertions = new("--no-self-harm-insertions") { Description = "leave out the everyday sentences with a self-harm phrase of the harm lexicon put in (beside the same sentences without it, in every lexicon language)" };
        private readonly Option<float> _selfHarmInsertionsWeight = new("--self-harm-insertions-weight") { Description = "per-example weight of the self-harm insertions", DefaultValueFactory = _ => 1f };
        private readonly Option<string[]> _excludeLexiconCategories = new("--exclude-lexicon-categories") { Description = "leave these categories of harm_lexicon.json out (e.g. profanity)", AllowMultipleArgumentsPerToken = true };
        private readonly Option<string[]> _datasetWeight = new("--dataset-weight") { Description = "per-example weight of a named training dataset, after the cap (e.g. reddit_cssrs_suicide=0.25); replaces its default weight", AllowMultipleArgumentsPerToken = true };
        private readonly Option<int> _labelledMinTexts = new("--labelled-language-min-texts") { Description = "a language counts as labelled (its lexicon is not weighted up) when one of its datasets has this many toxic and this many non-toxic training texts", DefaultValueFactory = _ => RecipeOptions.DefaultLabelledLanguageMinTexts };
        private readonly Option<int> _toxicityStackingMinDatasets = new("--toxicity-stacking-min-datasets") { Description = "stack an attribute only when at least this many validation datasets annotate it with 10 texts of each class", DefaultValueFactory = _ => Warden.Scoring.Fast.ToxicityStacking.MinDatasets };
        private readonly Option<float> _lengthCorrection = new("--length-correction") { Description = "share of the length drift of the raw logits (measured on the everyday web sentences) to take out of warden-fast (0 = none)", DefaultValueFactory = _ => RecipeOptions.DefaultLengthCorrection };

        private readonly Option<string[]> _lengthCorrectionFor = new("--length-correction-for") { Description = "per-attribute shares of the length drift to take out, replacing --length-correction for those attributes (e.g. threat=1 severe_toxicity=0.5)", AllowMultipleArgumentsPerToken = true };

        private readonly Option<float?> _implicitWeight = new("--implicit-hate-weight") { Description = "train the implicit-hate pairs as a set of their own (warden_contrast_implicit) with this per-example weight (default: part of warden_contrast, at the contrast weight)" };
        private readonly Option<float?> _veiledWeight = new("--veiled-threat-weight") { Description = "per-example weight of the veiled-threat pairs (warden_contrast_veiled) when they are trained on (default: the contrast weight)" };

        private readonly Option<bool> _noGroupTraits = new("--no-group-traits") { Description = "leave out the \"group word + negative trait in one clause\" feature of warden-fast (the trait lists of identity_terms.json; on by default since the sixteenth round; the neural model never uses it)" };
        private readonly Option<bool> _noReportedSpeech = new("--no-reported-speech") { Description = "let the group + trait conjunction fire in a sentence that reports a statement (saying, claims, calling ...; blocked by default)" };

        private readonly Option<bool> _noThreatConjunction = new("--no-threat-conjunction") { Description = "leave out the \"intent word + violent verb in one clause\" feature (threat_terms.json: I will / should be / ich werde + kill / stab / umbringen; on by default since the sixteenth round)" };

        private readonly Option<bool> _noLiteralPests = new("--no-literal-pests") { Description = "leave out the literal-pest phrases (literal_pests.json: intestinal parasites, kitchen cockroaches), masked out of the n-grams like the false friends (on by default since the twentieth round)" };
        private readonly Option<bool> _noFalseFriends = new("--no-false-friends") { Description = "leave out the false-friend phrases (false_friends.json: till slut, en retard, sehr dick), everyday phrases whose word is an insult in another language, masked out of the n-grams (on by default since the eighteenth round)" };
        private readonly Option<bool> _noViolentIdioms = new("--no-violent-idioms") { Description = "leave out the harmless idioms with a violent word (threat_terms.json: kill time, killing it, matar el tiempo), which cancel the threat hits they overlap and are masked out of the n-grams (on by default since the seventeenth round)" };

        private readonly Option<bool> _languageWords = new("--language-words") { Description = "give each word a second feature in the text's detected language, beside the shared one, so a word can mean something else in one language than in the others (tried in the nineteenth round, off by default: fewer harmless texts flagged, but lower OLID and TR macro-F1; docs/models.md)" };

        private readonly Option<bool> _threatInsertions = new("--threat-insertions") { Description = "add everyday sentences with an intent word and a violent verb of threat_terms.json put in, as threats (tried in the sixteenth round, off by default)" };

        private readonly Option<bool> _addressee = new("--addressee-conjunctions") { Description = "add \"second-person word + harm-lexicon hit in one clause\" features from second_person.json" };

        public void AddTo(Command command)
        {
            foreach (var option in new Option[] { _addressee, _noIdentity, _noContrast, _noLexicon, _contrastWeight, _groupConjunctions, _hateWeight, _splitHate, _noMaskGroups, _noNeutralWeb, _neutralWebWeight, _contrastExclude, _calibrateOnSynthetic, _noLexiconInsertions, _lexiconInsertionsWeight, _onlyDatasets, _excludeDatasets, _noEverydayChat, _everydayChatWeight, _lengthCorrection, _lengthCorrectionFor, _noGroupTraits, _noReportedSpeech, _veiledWeight, _implicitWeight, _noThreatConjunction, _threatInsertions, _noViolentIdioms, _noFalseFriends, _noLiteralPests, _languageWords, _unlabelledLexiconWeight, _toxicityStacking, _toxicityStackingMinDatasets, _groupContempt, _labelledMinTexts, _selfHarmBlocksThreat, _selfHarmWeight, _calibrateOnSelfHarmPairs, _calibrationExclude, _noSelfHarmInsertions, _selfHarmInsertionsWeight, _datasetWeight, _excludeLexiconCategories, _noSpareSelfHarmPhrases, _noEmoji })
                command.Options.Add(option);
        }

        public RecipeOptions Read(ParseResult parse) => new(
            IdentityMentions: !parse.GetValue(_noIdentity), ContrastSets: !parse.GetValue(_noContrast), HarmLexicon: !parse.GetValue(_noLexicon),
            ContrastWeight: parse.GetValue(_contrastWeight), GroupConjunctions: parse.GetValue(_groupConjunctions),
            ContrastHateWeight: parse.GetValue(_hateWeight), SplitGroupHate: parse.GetValue(_splitHate), MaskGroupWords: !parse.GetValue(_noMaskGroups),
            NeutralWebText: !parse.GetValue(_noNeutralWeb), NeutralWebTextWeight: parse.GetValue(_neutralWebWeight),
            ContrastExclude: parse.GetValue(_contrastExclude) is { Length: > 0 } excluded ? [.. excluded.Where(c => c != "none")] : null,
            CalibrateOnSynthetic: parse.GetValue(_calibrateOnSynthetic), LexiconInsertions: !parse.GetValue(_noLexiconInsertions),
            LexiconInsertionsWeight: parse.GetValue(_lexiconInsertionsWeight),
            OnlyDatasets: Names(parse.GetValue(_onlyDatasets)), ExcludeDatasets: Names(parse.GetValue(_excludeDatasets)),
            AddresseeConjunctions: parse.GetValue(_addressee),
            EverydayChat: !parse.GetValue(_noEverydayChat), EverydayChatWeight: parse.GetValue(_everydayChatWeight),
            LengthCorrection: parse.GetValue(_lengthCorrection), UnlabelledLexiconWeight: parse.GetValue(_unlabelledLexiconWeight), ToxicityStacking: StackedAttributes(parse.GetValue(_toxicityStacking)), ToxicityStackingMinDatasets: parse.GetValue(_toxicityStackingMinDatasets), GroupContempt: parse.GetValue(_groupContempt), LabelledLanguageMinTexts: parse.GetValue(_labelledMinTexts), SelfHarmBlocksThreatConjunction: parse.GetValue(_selfHarmBlocksThreat), SelfHarmWeight: parse.GetValue(_selfHarmWeight), CalibrateOnSelfHarmPairs: parse.GetValue(_calibrateOnSelfHarmPairs), SelfHarmInsertions: !parse.GetValue(_noSelfHarmInsertions), SelfHarmInsertionsWeight: parse.GetValue(_selfHarmInsertionsWeight), DatasetWeights: DatasetWeights(parse.GetValue(_datasetWeight)), ExcludeLexiconCategories: Names(parse.GetValue(_excludeLexiconCategories)), SpareSelfHarmPhrases: !parse.GetValue(_noSpareSelfHarmPhrases), Emoji: !parse.GetValue(_noEmoji), CalibrationExcludeDatasets: Names(parse.GetValue(_calibrationExclude)), GroupTraits: !parse.GetValue(_noGroupTraits), VeiledThreatWeight: parse.GetValue(_veiledWeight), ImplicitHateWeight: parse.GetValue(_implicitWeight),
            LengthCorrectionByAttribute: AttributeShares(parse.GetValue(_lengthCorrectionFor)), ReportedSpeech: !parse.GetValue(_noReportedSpeech),
            ThreatConjunction: !parse.GetValue(_noThreatConjunction), ThreatInsertions: parse.GetValue(_threatInsertions),
            ViolentIdioms: !parse.GetValue(_noViolentIdioms), FalseFriends: !parse.GetValue(_noFalseFriends), LanguageWords: parse.GetValue(_languageWords), LiteralPests: !parse.GetValue(_noLiteralPests));

        /// <summary>"attribute=share" pairs; null when none were given. A bad pair is a usage error naming it.</summary>
        private static Dictionary<HarmAttribute, float>? AttributeShares(string[]? pairs) =>
            NonNegativePairs<HarmAttribute>(pairs, "--length-correction-for", "attribute", "share", HarmAttributes.TryParse);

        /// <summary>"dataset=weight" pairs; null when none were given. A bad pair is a usage error naming it.</summary>
        private static Dictionary<string, float>? DatasetWeights(string[]? pairs) =>
            NonNegativePairs(pairs, "--dataset-weight", "dataset", "weight", (string text, out string name) => (name = text).Length > 0);

        private delegate bool TryParseKey<TKey>(string text, out TKey key);

        /// <summary>"key=value" pairs with values of 0 or more, space- or comma-separated; null when none were given.</summary>
        private static Dictionary<TKey, float>? NonNegativePairs<TKey>(string[]? pairs, string option, string keyName, string valueName, TryParseKey<TKey> parseKey)
            where TKey : notnull
        {
            if (Names(pairs) is not { } entries) return null;
            var values = new Dictionary<TKey, float>();
            foreach (var pair in entries)
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2 || !parseKey(parts[0], out var key)
                    || !float.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) || value < 0)
                    throw new UsageException($"{option}: expected {keyName}={valueName} with a {valueName} of 0 or more, got '{pair}'");
                values[key] = value;
            }
            return values;
        }

        /// <summary>Attributes given space- or comma-separated ("none": no attribute); null when none were given. A bad name is a usage error.</summary>
        private static HarmAttribute[]? StackedAttributes(string[]? values)
        {
            if (Names(values) is not { } names) return null;
            if (names is ["none"]) return [];
            return [.. names.Select(n => HarmAttributes.TryParse(n, out var attribute) && attribute != HarmAttribute.Toxicity ? attribute
                : throw new UsageException($"--toxicity-stacking: expected attributes other than toxicity (or none), got '{n}'"))];
        }

        /// <summary>Dataset names given space- or comma-separated; null when none were given.</summary>
        private static string[]? Names(string[]? values) =>
            values is { Length: > 0 } ? [.. values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))] : null;
    }

    private static Option<double> CalibrationPriorOption(FastTrainerOptions defaults) => new("--language-calibration-prior-rows")
    {
        DefaultValueFactory = _ => defaults.LanguageCalibrationPriorRows,
        Description = "pull each language's calibration towards the global one as strongly as this many validation rows (0 = languages calibrate on their own data alone)",
    };

    private static Option<string?> DatasetsOption() => new("--datasets") { Description = "datasets folder (default: $WARDEN_DATASETS or ../shared/datasets found upwards)" };

    private static Command Fast()
    {
        var datasets = DatasetsOption();
        var output = new Option<string>("--output", "-o") { Description = "model file to write", DefaultValueFactory = _ => "models/warden-fast/model.bin" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42, Description = "random seed" };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => new FastTrainerOptions().Epochs, Description = "passes over the training data" };
        var bits = new Option<int>("--bucket-bits") { DefaultValueFactory = _ => new FastTrainerOptions().BucketBits, Description = "log2 of the hash buckets" };
        var noCard = new Option<bool>("--no-card") { Description = "skip the evaluation and MODEL_CARD.md" };
        var defaults = new FastTrainerOptions();
        var rate = new Option<float>("--learning-rate") { DefaultValueFactory = _ => defaults.LearningRate, Description = "AdaGrad learning rate" };
        var l2 = new Option<float>("--l2") { DefaultValueFactory = _ => defaults.L2, Description = "L2 weight decay" };
        var cap = new Option<int>("--dataset-cap") { DefaultValueFactory = _ => defaults.DatasetCap, Description = "examples' worth of weight per dataset and epoch" };
        var noIntercepts = new Option<bool>("--no-dataset-intercepts") { Description = "train without per-dataset intercepts" };
        var minN = new Option<int>("--min-char-n") { DefaultValueFactory = _ => defaults.MinCharN, Description = "shortest character n-gram" };
        var maxN = new Option<int>("--max-char-n") { DefaultValueFactory = _ => defaults.MaxCharN, Description = "longest character n-gram" };
        var untrimmed = new Option<bool>("--no-trim-word-punctuation") { Description = "word features keep the punctuation at word edges (ablation)" };
        var blankNgrams = new Option<bool>("--keep-blank-char-ngrams") { Description = "keep character n-grams of spaces alone, as models before the fourth round did (ablation)" };
        var minScale = new Option<int>("--min-scale-features") { DefaultValueFactory = _ => defaults.MinScaleFeatures, Description = "divide a text's n-gram sum by the square root of at least this many features (0 = plain 1/sqrt(n), as before the fourth round)" };
        var scaledLexicon = new Option<bool>("--scaled-lexicon-features") { Description = "lexicon features share the n-grams' 1/sqrt(n) scale (ablation)" };
        var implied = new Option<float>("--implied-negative-weight") { DefaultValueFactory = _ => defaults.ImpliedNegativeWeight, Description = "weight of implied negatives for unannotated attributes of clean texts (0 = off)" };
        var averageFrom = new Option<int>("--average-from-epoch") { DefaultValueFactory = _ => defaults.AverageFromEpoch, Description = "average the weights at the end of each epoch from this one on (0 = off)" };
        var bags = new Option<int>("--bags") { DefaultValueFactory = _ => defaults.Bags, Description = "independent runs with consecutive seeds whose weights are averaged" };
        var teacher = new Option<string?>("--teacher") { Description = "distil from this scorer (model name, path or a+b ensemble (a*2+b weighs a twice), e.g. warden-neural): annotated labels are mixed with its scores (experiment; off by default)" };
        var lexiconDropout = new Option<float>("--lexicon-dropout") { DefaultValueFactory = _ => defaults.LexiconDropout, Description = "share of training texts whose plain harm-lexicon words are masked out of the n-grams, so the category features learn to carry them alone (0-1)" };
        var distillWeight = new Option<float>("--distill-weight") { DefaultValueFactory = _ => defaults.DistillWeight, Description = "share of the teacher in a distilled target (0-1, with --teacher)" };
        var priorRows = CalibrationPriorOption(defaults);
        var switches = new RecipeSwitches();
        var command = new Command("fast", "Train the built-in fast scorer (the default model)") { datasets, output, seed, epochs, bits, noCard, rate, l2, cap, noIntercepts, minN, maxN, implied, untrimmed, scaledLexicon, averageFrom, bags, blankNgrams, minScale, teacher, distillWeight, lexiconDropout, priorRows };
        switches.AddTo(command);
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            var registry = DatasetRegistry.CreateDefault(parse.GetValue(datasets));
            var options = new FastTrainerOptions
            {
                Seed = parse.GetValue(seed), Epochs = parse.GetValue(epochs), BucketBits = parse.GetValue(bits),
                LearningRate = parse.GetValue(rate), L2 = parse.GetValue(l2), DatasetCap = parse.GetValue(cap),
                DatasetIntercepts = !parse.GetValue(noIntercepts), MinCharN = parse.GetValue(minN), MaxCharN = parse.GetValue(maxN),
                ImpliedNegativeWeight = parse.GetValue(implied), TrimWordPunctuation = !parse.GetValue(untrimmed),
                DirectLexiconFeatures = !parse.GetValue(scaledLexicon), SkipBlankCharNgrams = !parse.GetValue(blankNgrams), MinScaleFeatures = parse.GetValue(minScale),
                AverageFromEpoch = parse.GetValue(averageFrom), Bags = parse.GetValue(bags), DistillWeight = parse.GetValue(distillWeight), LexiconDropout = parse.GetValue(lexiconDropout),
                LanguageCalibrationPriorRows = parse.GetValue(priorRows),
            };
            var recipe = switches.Read(parse);
            var teacherScorer = parse.GetValue(teacher) is { Length: > 0 } teacherSpec ? BackendCommands.ResolveScorer(teacherSpec) : null;
            var model = FastModelRecipe.Train(registry, options, Console.Error, recipe, teacherScorer);
            var path = parse.GetValue(output)!;
            model.Save(path);
            Console.Error.WriteLine($"warden: model written to {path} ({new FileInfo(path).Length / (1024 * 1024.0):0.0} MB)");
            if (parse.GetValue(noCard)) return ExitCodes.Success;

            var scorer = new FastScorer(model, LanguageIdentifier.LoadDefault());
            WriteCard(path, scorer, registry, (evaluations, functional, suites) => ModelCardWriter.Render(model, evaluations, functional, "warden train fast", suites));
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Evaluates a freshly trained model (test splits, functional suites, everyday text) and writes MODEL_CARD.md beside it.</summary>
    private static void WriteCard(string modelPath, IScorer scorer, DatasetRegistry registry,
        Func<IReadOnlyList<DatasetEvaluation>, FunctionalReport, CardSuites, string> render)
    {
        var evaluations = ModelCardWriter.EvaluateAll(scorer, registry, Console.Error);
        var functional = FunctionalSuites.Run(scorer);
        FunctionalReport Suite(string name) => FunctionalSuites.Run(scorer, FunctionalSuites.Load(name));
        var suites = new CardSuites(
            Holdout: Suite(FunctionalSuites.Holdout),
            Neutral: FlagRateReport.Run(scorer, NeutralWebText.LoadHeldOut(registry.Root), NeutralWebText.HeldOutSource),
            Languages: Suite(FunctionalSuites.Languages),
            Everyday: Suite(FunctionalSuites.Everyday),
            Literal: Suite(FunctionalSuites.Literal),
            Stretched: Suite(FunctionalSuites.Stretched));
        var card = render(evaluations, functional, suites);
        var cardPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath))!, "MODEL_CARD.md");
        File.WriteAllText(cardPath, card);
        Console.Error.WriteLine($"warden: model card written to {cardPath}");
    }

    private static Command Neural()
    {
        var datasets = DatasetsOption();
        var output = new Option<string>("--output", "-o") { Description = "model file to write", DefaultValueFactory = _ => "models/warden-neural/model.bin" };
        var defaults = new NeuralTrainerOptions();
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => defaults.Seed, Description = "random seed" };
        var epochs = new Option<int>("--epochs") { DefaultValueFactory = _ => defaults.Epochs, Description = "passes over the training data" };
        var bits = new Option<int>("--bucket-bits") { DefaultValueFactory = _ => defaults.BucketBits, Description = "log2 of the embedding rows" };
        var embedding = new Option<int>("--embedding-size") { DefaultValueFactory = _ => defaults.EmbeddingSize, Description = "embedding width" };
        var hidden = new Option<int>("--hidden-size") { DefaultValueFactory = _ => defaults.HiddenSize, Description = "hidden layer width" };
        var convFilters = new Option<int>("--conv-filters") { DefaultValueFactory = _ => defaults.ConvFilters, Description = "filters of the convolution over word vectors (0: embedding bag alone)" };
        var noWordCategories = new Option<bool>("--no-word-categories") { Description = "leave the harm-lexicon categories off the convolution's word vectors" };
        var convWidth = new Option<int>("--conv-width") { DefaultValueFactory = _ => defaults.ConvWidth, Description = "consecutive words each filter sees" };
        var embeddingRate = new Option<float>("--embedding-learning-rate") { DefaultValueFactory = _ => defaults.EmbeddingLearningRate, Description = "AdaGrad rate of the embeddings" };
        var denseRate = new Option<float>("--dense-learning-rate") { DefaultValueFactory = _ => defaults.DenseLearningRate, Description = "AdaGrad rate of the dense layers" };
        var noCard = new Option<bool>("--no-card") { Description = "skip the evaluation and MODEL_CARD.md" };
        var pretrainEpochs = new Option<int>("--pretrain-epochs") { DefaultValueFactory = _ => defaults.Pretraining.Epochs, Description = "skip-gram passes over the training texts (labels unused) before the supervised stage (0: none)" };
        var pretrainWindow = new Option<int>("--pretrain-window") { DefaultValueFactory = _ => defaults.Pretraining.Window, Description = "largest distance between a word and the words it predicts in pretraining" };
        var pretrainRate = new Option<float>("--pretrain-learning-rate") { DefaultValueFactory = _ => defaults.Pretraining.LearningRate, Description = "starting SGD rate of pretraining" };
        var pretrainRms = new Option<float>("--pretrain-rms") { DefaultValueFactory = _ => defaults.Pretraining.TargetRms, Description = "root-mean-square the pretrained rows are scaled to" };
        var hiddenDropout = new Option<float>("--hidden-dropout") { DefaultValueFactory = _ => defaults.HiddenDropout, Description = "share of hidden units zeroed in each training step (0: none)" };
        var wordDropout = new Option<float>("--word-dropout") { DefaultValueFactory = _ => defaults.WordDropout, Description = "share of features and words left out of each training step (0: none)" };
        var directBits = new Option<int>("--direct-bits") { DefaultValueFactory = _ => defaults.DirectBits, Description = "log2 of the rows of a direct path from each lexicon hit to the logits, unscaled as in the fast model (0: none)" };
        var maskWords = new Option<bool>("--mask-words") { Description = "mask the convolution's words as the bag's n-grams are masked (negated harm words, group names)" };
        var halfEmbeddings = new Option<bool>("--half-embeddings") { Description = "store the embedding table as float16 (the format before the fourteenth round, twice the size) instead of int8 rows" };
        var priorRows = CalibrationPriorOption(defaults.Data);
        var switches = new RecipeSwitches();
        var command = new Command("neural", "Train the neural scorer (embedding bag and word convolution + hidden layer, plain C#)") { datasets, output, seed, epochs, bits, embedding, hidden, convFilters, convWidth, noWordCategories, embeddingRate, denseRate, noCard, priorRows, pretrainEpochs, pretrainWindow, pretrainRate, pretrainRms, hiddenDropout, wordDropout, halfEmbeddings, directBits, maskWords };
        switches.AddTo(command);
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            var registry = DatasetRegistry.CreateDefault(parse.GetValue(datasets));
            var options = new NeuralTrainerOptions
            {
                Seed = parse.GetValue(seed), Epochs = parse.GetValue(epochs), BucketBits = parse.GetValue(bits),
                EmbeddingSize = parse.GetValue(embedding), HiddenSize = parse.GetValue(hidden),
                ConvFilters = parse.GetValue(convFilters), ConvWidth = parse.GetValue(convWidth), WordCategories = !parse.GetValue(noWordCategories),
                EmbeddingLearningRate = parse.GetValue(embeddingRate), DenseLearningRate = parse.GetValue(denseRate),
                HiddenDropout = parse.GetValue(hiddenDropout), WordDropout = parse.GetValue(wordDropout),
                DirectBits = parse.GetValue(directBits), MaskWords = parse.GetValue(maskWords),
                EmbeddingPrecision = parse.GetValue(halfEmbeddings) ? EmbeddingPrecision.Half : EmbeddingPrecision.Int8,
                Pretraining = defaults.Pretraining with
                {
                    Epochs = parse.GetValue(pretrainEpochs), Window = parse.GetValue(pretrainWindow),
                    LearningRate = parse.GetValue(pretrainRate), TargetRms = parse.GetValue(pretrainRms),
                },
                Data = defaults.Data with { LanguageCalibrationPriorRows = parse.GetValue(priorRows) },
            };
            var recipe = switches.Read(parse);
            var model = FastModelRecipe.TrainNeural(registry, options, Console.Error, recipe);
            var path = parse.GetValue(output)!;
            model.Save(path);
            Console.Error.WriteLine($"warden: model written to {path} ({new FileInfo(path).Length / (1024 * 1024.0):0.0} MB)");
            if (parse.GetValue(noCard)) return ExitCodes.Success;
            var scorer = new NeuralScorer(model, LanguageIdentifier.LoadDefault());
            WriteCard(path, scorer, registry, (evaluations, functional, suites) => ModelCardWriter.Render(model, evaluations, functional, "warden train neural", suites));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command LanguageId()
    {
        var datasets = DatasetsOption();
        var output = new Option<string>("--output", "-o") { Description = "model file to write", DefaultValueFactory = _ => "models/langid/langid.bin" };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 1, Description = "random seed" };
        var noInformal = new Option<bool>("--no-informal") { Description = "train on the lingua sentences (and romanised Hindi) only, without the informal posts of the labelled sets and Warden's own sentences; they are still the informal test (ablation)" };
        var command = new Command("langid", "Train the language identifier on lingua_langid_sentences and informal texts of the labelled sets") { datasets, output, seed, noInformal };
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            var root = parse.GetValue(datasets) ?? DatasetRegistry.FindDatasetsRoot();
            var informal = LanguageIdRecipe.Load(DatasetRegistry.CreateDefault(root), Console.Error);
            var options = new LanguageIdTrainingOptions
            {
                Informal = parse.GetValue(noInformal) ? informal with { Train = [], Validation = [] } : informal,
            };
            var report = LanguageIdTrainer.TrainAndSave(Path.Combine(root, "lingua_langid_sentences"), parse.GetValue(output)!, parse.GetValue(seed), Console.Error, options);
            Console.WriteLine(report.ToMarkdown());
            return ExitCodes.Success;
        }));
        return command;
    }
}
