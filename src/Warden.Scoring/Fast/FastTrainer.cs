using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Warden.Core;

namespace Warden.Scoring.Fast;

public sealed record FastTrainerOptions
{
    public int BucketBits { get; init; } = 20;
    public int MinCharN { get; init; } = 1;
    public int MaxCharN { get; init; } = 5;
    public int Epochs { get; init; } = 6;
    /// <summary>AdaGrad base learning rate.</summary>
    public float LearningRate { get; init; } = 0.2f;
    /// <summary>L2 weight decay applied lazily to the rows an example touches.</summary>
    public float L2 { get; init; } = 1e-6f;
    public int Seed { get; init; } = 42;
    /// <summary>Average the weights at the end of every epoch from this one (1-based) on; 0 keeps the last epoch's weights.</summary>
    public int AverageFromEpoch { get; init; }
    /// <summary>Independent training runs (seeds Seed, Seed+1, ...) whose weights are averaged.</summary>
    public int Bags { get; init; } = 1;
    /// <summary>A dataset contributes at most this many examples' worth of weight per epoch, so big sets do not drown small languages.</summary>
    public int DatasetCap { get; init; } = 30_000;
    /// <summary>Word features without edge punctuation (<see cref="FeatureHasher.TrimWordPunctuation"/>).</summary>
    public bool TrimWordPunctuation { get; init; } = true;
    /// <summary>
    /// The n-gram sum of a text is divided by the square root of at least this many features (<see cref="FastScorer.SumRows"/>):
    /// about a four-word sentence's worth, so a short text is not scored at full strength from a few n-grams whose weights
    /// come from one dataset's tweets ("k" scored 0.51 with 16, 0.32 with 128). Lexicon hits are not scaled,
    /// so a short insult still counts in full. Raised from 16 in the tenth round: 128 passed 6 more held-out everyday
    /// messages with every suite and validation AUROC within ±0.002; 256 passed 9 but lost 9 cases of the languages
    /// suite, whose insults in lexicon-only languages rest on a few n-grams (docs/models.md).
    /// </summary>
    public int MinScaleFeatures { get; init; } = 128;
    /// <summary>Leave out character n-grams of spaces alone (<see cref="FeatureHasher.SkipBlankCharNgrams"/>).</summary>
    public bool SkipBlankCharNgrams { get; init; } = true;
    /// <summary>Lexicon features enter the logit unscaled rather than with the n-grams' 1/sqrt(n) (see <see cref="FastScorer.SumRows"/>).</summary>
    public bool DirectLexiconFeatures { get; init; } = true;
    /// <summary>Mask words naming demographic groups out of the n-grams (needs the lexicon's group category; see <see cref="HarmLexicon"/>).</summary>
    public bool MaskGroupWords { get; init; }
    /// <summary>Emit group-conjunction features when the lexicon has a group category.</summary>
    public bool GroupConjunctionFeatures { get; init; } = true;
    /// <summary>The "group word + contempt" conjunction alone (<see cref="FastModelMetadata.GroupContemptFeature"/>).</summary>
    public bool GroupContemptFeature { get; init; }
    /// <summary>A self-harm phrase withholds the threat conjunction (<see cref="FastModelMetadata.SelfHarmBlocksThreatConjunction"/>).</summary>
    public bool SelfHarmBlocksThreatConjunction { get; init; }
    /// <summary>Each word also gets a feature in the text's detected language (<see cref="FeaturePipeline.LanguageWords"/>).</summary>
    public bool LanguageWordFeatures { get; init; }
    /// <summary>
    /// In a language without labelled toxicity data of its own (<see cref="FastModelMetadata.LabelledLanguages"/>), the
    /// lexicon features count this many times at inference (<see cref="FastModelMetadata.UnlabelledLexiconWeight"/>):
    /// there the n-grams were learnt from neutral web text and templates and rank real abuse near chance, while the
    /// lexicon carries what transfers (twenty-third round, docs/models.md). 1 = as in training.
    /// </summary>
    public float UnlabelledLexiconWeight { get; init; } = 1f;
    /// <summary>A language counts as labelled (<see cref="FastModelMetadata.LabelledLanguages"/>) when one of its labelled
    /// datasets holds at least this many toxic and this many non-toxic training texts.</summary>
    public int LabelledLanguageMinTexts { get; init; } = 100;
    /// <summary>Datasets whose labels do not make a language one with labelled data (<see cref="FastModelMetadata.LabelledLanguages"/>),
    /// besides Warden's generated sets: translated safety prompts, say, whose only harmless texts are other prompts.</summary>
    public IReadOnlyCollection<string> PromptDatasets { get; init; } = [];
    /// <summary>Per-example weight multipliers of named training datasets (after the cap); validation is never boosted.</summary>
    public IReadOnlyDictionary<string, float> DatasetBoosts { get; init; } = new Dictionary<string, float>();
    /// <summary>
    /// Learn one intercept per (dataset, attribute) during training and drop it at inference, so the weights
    /// learn what makes a text harmful rather than each dataset's base rate and collection style.
    /// </summary>
    public bool DatasetIntercepts { get; init; } = true;
    /// <summary>
    /// A text labelled clearly non-toxic (toxicity ≤ 0.1) is also a negative for every finer attribute its dataset
    /// leaves unannotated: without this, rare attributes (self_harm, threat) see negatives only from the few
    /// datasets that annotate them and fire on ordinary text. Applied with this weight.
    /// </summary>
    public float ImpliedNegativeWeight { get; init; } = 0.5f;
    /// <summary>
    /// No implied self_harm negative for a clean text that holds a self-harm phrase of the harm lexicon in plain
    /// context: annotators of toxicity rarely call "I want to kill myself" toxic, so its low toxicity label says nothing
    /// about self-harm, and as implied negatives such texts taught that the phrases are harmless.
    /// </summary>
    public bool ImpliedNegativesSpareSelfHarmPhrases { get; init; } = true;
    /// <summary>A language gets its own calibration when it has at least this many labelled validation texts (and 30 of each class).</summary>
    public int MinLanguageCalibrationTexts { get; init; } = 300;
    /// <summary>
    /// How strongly a language's calibration is pulled towards the global one, in rows of validation data (0 = not at
    /// all). A language's validation texts usually come from one dataset of one domain; a calibration fitted on a few
    /// hundred of them alone also moves that language's everyday text across the threshold.
    /// </summary>
    public double LanguageCalibrationPriorRows { get; init; } = 1000;
    /// <summary>
    /// Share of the length drift to take out (0 = none): on the training texts of <see cref="LengthCorrectionDataset"/>
    /// (harmless text of every length), the slope of each attribute's raw logit on √n is measured after training, and
    /// −share·slope becomes that attribute's <see cref="FastModelMetadata.LengthCorrection"/>; calibration is fitted after.
    /// </summary>
    public float LengthCorrection { get; init; }
    /// <summary>Per-attribute shares that replace <see cref="LengthCorrection"/> for the attributes they name.</summary>
    public IReadOnlyDictionary<HarmAttribute, float>? LengthCorrectionByAttribute { get; init; }
    /// <summary>The harmless training dataset whose texts measure the length drift.</summary>
    public string? LengthCorrectionDataset { get; init; }
    /// <summary>
    /// Knowledge distillation: a teacher's scores of each training text (same order as the training list, 8 per text).
    /// An annotated label y is trained towards (1 − <see cref="DistillWeight"/>)·y + <see cref="DistillWeight"/>·teacher;
    /// unannotated attributes are left as they are. Null trains on the labels alone.
    /// </summary>
    public IReadOnlyList<float[]>? TeacherScores { get; init; }
    /// <summary>How much of a distilled target comes from the teacher (0 = labels only, 1 = teacher only).</summary>
    public float DistillWeight { get; init; } = 0.5f;
    /// <summary>
    /// Lexicon dropout: the share of training texts whose plain harm-lexicon words are masked out of the n-grams, so the
    /// category features must carry those hits alone, as they must in a language whose words the model never saw.
    /// </summary>
    public float LexiconDropout { get; init; }
    /// <summary>
    /// The attributes whose logit gets a share of the toxicity logit before calibration (<see cref="Fast.ToxicityStacking"/>),
    /// each share fitted on validation data between 0 and <see cref="ToxicityStackingMax"/>. Empty = none.
    /// </summary>
    public IReadOnlyCollection<HarmAttribute> ToxicityStacking { get; init; } = [];
    /// <summary>The largest share of the toxicity logit that <see cref="ToxicityStacking"/> may add.</summary>
    public float ToxicityStackingMax { get; init; } = 1f;
    /// <summary>An attribute is stacked only when at least this many validation datasets annotate it (10 texts of each class).</summary>
    public int ToxicityStackingMinDatasets { get; init; } = Fast.ToxicityStacking.MinDatasets;
    public string ModelName { get; init; } = "warden-fast";
    public string Version { get; init; } = "1.0.0";
}

/// <summary>Trains a <see cref="FastModel"/> with masked, soft-label, multi-label logistic regression (AdaGrad) and Platt calibration.</summary>
/// <summary>Raw (uncalibrated) logits of a text, one per attribute.</summary>
internal delegate void RawLogitFunction(string text, Span<float> logits);

public sealed class FastTrainer
{
    private const int A = HarmAttributes.Count;
    private const int SelfHarm = (int)HarmAttribute.SelfHarm;

    public FastModel Train(
        IReadOnlyList<LabeledText> train,
        IReadOnlyList<LabeledText> validation,
        IReadOnlyList<string> profanityLexicon,
        FastTrainerOptions options,
        ILanguageIdentifier languages,
        TextWriter? log = null,
        IReadOnlyDictionary<string, List<string>>? harmLexicon = null)
    {
        log ??= TextWriter.Null;
        if (options.TeacherScores is { } teacherScores && teacherScores.Count != train.Count)
            throw new ArgumentException($"the teacher scored {teacherScores.Count} texts, the training set has {train.Count}", nameof(options));
        if (options.DistillWeight is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), "the distillation weight must be between 0 and 1");
        var clock = Stopwatch.StartNew();
        var metadata = Describe(options, options.BucketBits, options.DirectLexiconFeatures, options.Seed, profanityLexicon, harmLexicon, train);
        var pipeline = FeaturePipeline.ForModel(metadata, metadata.BucketBits);

        var trainFeatures = ExtractAll(pipeline, train, options.LexiconDropout, options.Seed, pipeline.LanguageWords ? languages : null);
        log.WriteLine($"features: {train.Count:N0} training texts in {clock.Elapsed.TotalSeconds:0.0}s");

        var exampleWeights = DatasetWeights(train, options.DatasetCap, options.DatasetBoosts);
        var (interceptGroup, groupCount) = InterceptGroups(train, options.DatasetIntercepts);

        var spared = SparedFromImpliedSelfHarm(train, pipeline.Harm, options);
        if (options.ImpliedNegativesSpareSelfHarmPhrases) log.WriteLine($"implied negatives: {spared.Count(x => x):N0} clean training texts with a self-harm phrase get no implied self_harm negative");
        var weights = TrainWeights(train, trainFeatures, exampleWeights, interceptGroup, groupCount, options, options.Seed, log, clock, spared);
        for (var bag = 1; bag < options.Bags; bag++)
        {
            // Independent runs with other shuffles, averaged: for a linear model the mean of the weights is the mean
            // of the logits, so this is a bagged ensemble at the cost of one model at inference.
            var other = TrainWeights(train, trainFeatures, exampleWeights, interceptGroup, groupCount, options, options.Seed + bag, log, clock, spared);
            System.Numerics.Tensors.TensorPrimitives.Add(weights, other, weights);
        }
        if (options.Bags > 1) System.Numerics.Tensors.TensorPrimitives.Multiply(weights, 1f / options.Bags, weights);

        var model = new FastModel(metadata, weights);
        if (options.LengthCorrection > 0 || options.LengthCorrectionByAttribute is { Count: > 0 }) metadata.LengthCorrection = LengthCorrection(train, trainFeatures, weights, options, log);
        if (options.UnlabelledLexiconWeight != 1f) metadata.UnweightedLexiconFeatures = CommonInHarmlessText(train, trainFeatures, pipeline, options, log);
        Calibrate(model, validation, options, languages, log);
        log.WriteLine($"trained in {clock.Elapsed.TotalSeconds:0.0}s");
        return model;
    }

    /// <summary>
    /// The metadata of a model about to be trained: how its features are computed and what it was trained on. Both
    /// trainers build their feature pipeline from it (<see cref="FeaturePipeline.ForModel"/>), as the scorers do when
    /// loading the model, so training and inference cannot compute different features.
    /// </summary>
    internal static FastModelMetadata Describe(FastTrainerOptions options, int bucketBits, bool directLexicon, int seed,
        IReadOnlyList<string> profanityLexicon, IReadOnlyDictionary<string, List<string>>? harmLexicon, IReadOnlyList<LabeledText> train) => new()
    {
        Name = options.ModelName,
        Version = options.Version,
        BucketBits = bucketBits,
        MinCharN = options.MinCharN,
        MaxCharN = options.MaxCharN,
        Seed = seed,
        ProfanityLexicon = [.. profanityLexicon],
        HarmLexicon = harmLexicon?.ToDictionary(p => p.Key, p => p.Value.ToList()) ?? [],
        TrimWordPunctuation = options.TrimWordPunctuation,
        SkipBlankCharNgrams = options.SkipBlankCharNgrams,
        MinScaleFeatures = options.MinScaleFeatures,
        DirectLexiconFeatures = directLexicon,
        MaskGroupWords = options.MaskGroupWords,
        GroupConjunctionFeatures = options.GroupConjunctionFeatures,
        GroupContemptFeature = options.GroupContemptFeature,
        SelfHarmBlocksThreatConjunction = options.SelfHarmBlocksThreatConjunction,
        LanguageWordFeatures = options.LanguageWordFeatures,
        TrainingData = train.GroupBy(t => t.Dataset).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
        EvidenceLanguages = EvidenceLanguages(train),
        LabelledLanguages = EvidenceLanguages(train.Where(t => !IsGenerated(t.Dataset) && !options.PromptDatasets.Contains(t.Dataset)).ToList(),
            options.LabelledLanguageMinTexts)[HarmAttribute.Toxicity.WireName()],
        UnlabelledLexiconWeight = options.UnlabelledLexiconWeight,
        Notes = options.DatasetBoosts.Where(kv => !IsGenerated(kv.Key) && train.Any(t => t.Dataset == kv.Key))
            .ToDictionary(kv => DatasetWeightNote(kv.Key), kv => kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    };

    /// <summary>Key of <see cref="FastModelMetadata.Notes"/> that records a labelled dataset's per-example weight (model cards list them).</summary>
    public static string DatasetWeightNote(string dataset) => "dataset_weight." + dataset;

    /// <summary>
    /// Per language, the weighted lexicon features (<see cref="FastScorer.WeightedLexiconFeatures"/>) that fire in at least
    /// 1% of its harmless web sentences (<see cref="FastTrainerOptions.LengthCorrectionDataset"/>'s training texts): there
    /// an entry of another language is an everyday word (Romanian "cu", "with", is Portuguese profanity), so those
    /// features keep their trained weight in that language.
    /// </summary>
    private static Dictionary<string, List<int>> CommonInHarmlessText(IReadOnlyList<LabeledText> train, int[][] trainFeatures, FeaturePipeline pipeline,
        FastTrainerOptions options, TextWriter log)
    {
        var weighted = FastScorer.WeightedLexiconFeatures(pipeline);
        var result = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        if (weighted.Length == 0 || options.LengthCorrectionDataset is not { } neutral) return result;
        foreach (var language in Enumerable.Range(0, train.Count).Where(i => train[i].Dataset == neutral).GroupBy(i => train[i].Language).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // One pass over each text's features: how many texts hold each weighted feature.
            var texts = 0;
            var holding = new int[weighted.Length];
            foreach (var i in language)
            {
                texts++;
                foreach (var k in trainFeatures[i].Where(f => f < 0).Select(f => Array.BinarySearch(weighted, ~f)).Where(k => k >= 0).Distinct()) holding[k]++;
            }
            var common = weighted.Where((_, k) => holding[k] >= Math.Max(1, texts / 100)).ToList();
            if (common.Count == 0) continue;
            result[language.Key] = common;
            log.WriteLine($"lexicon weight: common in harmless {language.Key} web text, weight 1 there: {string.Join(", ", common.Select(f => FeatureName(pipeline, f)))}");
        }
        return result;
    }

    /// <summary>The name of a lexicon feature: a harm-lexicon category feature's, or "profanity" for the profanity list.</summary>
    public static string FeatureName(FeaturePipeline pipeline, int feature) =>
        feature == pipeline.ProfanityFeature ? "profanity" : pipeline.Harm.FeatureName(feature) ?? feature.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The <see cref="FastModelMetadata.Notes"/> key of an attribute's best macro-F1 threshold on the pooled validation splits.</summary>
    public static string BestThresholdNote(HarmAttribute attribute) => $"validation_best_threshold.{attribute.WireName()}";

    /// <summary>Warden's own generated sets (contrast templates, everyday chat, neutral web text), not labelled data.</summary>
    internal static bool IsGenerated(string dataset) =>
        dataset.StartsWith("warden_", StringComparison.Ordinal) || dataset.StartsWith("lingua_", StringComparison.Ordinal);

    /// <summary>
    /// −share × the least-squares slope of each attribute's raw logit on √n over the harmless texts of
    /// <see cref="FastTrainerOptions.LengthCorrectionDataset"/>; empty when the training data has none of them.
    /// </summary>
    private static List<float> LengthCorrection(IReadOnlyList<LabeledText> train, int[][] trainFeatures, float[] weights, FastTrainerOptions options, TextWriter log)
    {
        double n = 0, sx = 0, sxx = 0;
        var sy = new double[A];
        var sxy = new double[A];
        Span<float> logits = stackalloc float[A];
        for (var i = 0; i < train.Count; i++)
        {
            if (train[i].Dataset != options.LengthCorrectionDataset) continue;
            var scale = FastScorer.SumRows(weights, trainFeatures[i], logits, options.MinScaleFeatures);
            if (scale <= 0) continue;
            var root = 1.0 / scale;
            n++; sx += root; sxx += root * root;
            for (var a = 0; a < A; a++) { sy[a] += logits[a]; sxy[a] += root * logits[a]; }
        }
        var variance = sxx - sx * sx / Math.Max(n, 1);
        if (n < 100 || variance <= 0)
        {
            log.WriteLine($"length correction: only {n} texts of {options.LengthCorrectionDataset}; none applied");
            return [];
        }
        float Share(int a) => options.LengthCorrectionByAttribute is { } shares && shares.TryGetValue((HarmAttribute)a, out var share) ? share : options.LengthCorrection;
        var correction = Enumerable.Range(0, A).Select(a => (float)(-Share(a) * (sxy[a] - sx * sy[a] / n) / variance)).ToList();
        log.WriteLine($"length correction ({string.Join(" ", Enumerable.Range(0, A).Select(a => Share(a).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)))} of the drift on {n:N0} texts): " + string.Join(" ", correction.Select(c => c.ToString("0.000"))));
        return correction;
    }

    private static float[] TrainWeights(IReadOnlyList<LabeledText> train, int[][] trainFeatures, float[] exampleWeights, int[] interceptGroup, int groupCount,
        FastTrainerOptions options, int seed, TextWriter log, Stopwatch clock, bool[] sparedFromImpliedSelfHarm)
    {
        var weights = new float[(long)A << options.BucketBits];
        var squares = new float[weights.Length];
        var intercepts = new float[groupCount * A];
        var interceptSquares = new float[groupCount * A];
        var random = new Random(seed);
        var order = Enumerable.Range(0, train.Count).ToArray();
        float[]? average = null;
        var snapshots = 0;
        Span<float> logits = stackalloc float[A];
        Span<float> gradient = stackalloc float[A];
        Span<float> directGradient = stackalloc float[A];

        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            double loss = 0, lossWeight = 0;
            foreach (var index in order)
            {
                var example = train[index];
                var features = trainFeatures[index];
                var group = interceptGroup[index];
                var scale = FastScorer.SumRows(weights, features, logits, options.MinScaleFeatures);
                var any = false;
                var toxicity = example.Labels.Values[(int)HarmAttribute.Toxicity];
                var clearlyClean = toxicity <= 0.1f;
                var teacher = options.TeacherScores?[index];
                for (var a = 0; a < A; a++)
                {
                    var y = example.Labels.Values[a];
                    var labelWeight = 1f;
                    if (teacher is not null && !float.IsNaN(y)) y = (1 - options.DistillWeight) * y + options.DistillWeight * teacher[a];
                    if (float.IsNaN(y))
                    {
                        if (!clearlyClean || options.ImpliedNegativeWeight <= 0 || a == SelfHarm && sparedFromImpliedSelfHarm[index]) { gradient[a] = 0; continue; }
                        y = 0f;
                        labelWeight = options.ImpliedNegativeWeight;
                    }
                    var z = logits[a] + intercepts[group * A + a];
                    var p = 1f / (1f + MathF.Exp(-z));
                    var g = (p - y) * exampleWeights[index] * labelWeight;
                    gradient[a] = g * scale;
                    directGradient[a] = g;
                    loss += exampleWeights[index] * -(y * MathF.Log(p + 1e-7f) + (1 - y) * MathF.Log(1 - p + 1e-7f));
                    lossWeight += exampleWeights[index];
                    // The intercept learns fast (plain AdaGrad on one scalar) and absorbs each dataset's base rate.
                    ref var s = ref interceptSquares[group * A + a];
                    s += g * g;
                    intercepts[group * A + a] -= options.LearningRate * g / MathF.Sqrt(s + 1e-6f);
                    any = true;
                }
                if (any) UpdateRows(weights, squares, features, gradient, directGradient, options.LearningRate, options.L2);
            }
            if (options.AverageFromEpoch > 0 && epoch + 1 >= options.AverageFromEpoch)
            {
                average ??= new float[weights.Length];
                System.Numerics.Tensors.TensorPrimitives.Add(average, weights, average);
                snapshots++;
            }
            log.WriteLine($"epoch {epoch + 1}/{options.Epochs}: loss {loss / Math.Max(lossWeight, 1e-9):0.0000} ({clock.Elapsed.TotalSeconds:0.0}s)");
        }
        if (average is null) return weights;
        System.Numerics.Tensors.TensorPrimitives.Multiply(average, 1f / snapshots, average);
        return average;
    }

    /// <param name="languages">For <see cref="FeaturePipeline.LanguageWords"/>: each text's language as the scorer will detect it,
    /// not its dataset's, so that training and scoring give a text the same features.</param>
    internal static int[][] ExtractAll(FeaturePipeline pipeline, IReadOnlyList<LabeledText> texts, float lexiconDropout = 0, int seed = 0,
        ILanguageIdentifier? languages = null)
    {
        var result = new int[texts.Count][];
        Parallel.For(0, texts.Count, i =>
        {
            // Which texts drop their lexicon words depends on the seed and the position only, so training stays deterministic.
            var dropped = lexiconDropout > 0 && Mix((uint)i, (uint)seed) % 10_000 < lexiconDropout * 10_000;
            var count = pipeline.Extract(texts[i].Text, out var buffer, dropped, languages?.Identify(texts[i].Text));
            result[i] = buffer.AsSpan(0, count).ToArray();
            System.Buffers.ArrayPool<int>.Shared.Return(buffer);
        });
        return result;
    }

    /// <summary>A fixed hash of two integers (HashCode is randomised per process, which would break reproducibility).</summary>
    private static uint Mix(uint a, uint b) => FeatureHasher.Avalanche(a * 0x9E3779B1u ^ b * 0x85EBCA6Bu);

    private static void UpdateRows(float[] weights, float[] squares, int[] features, ReadOnlySpan<float> gradient, ReadOnlySpan<float> directGradient,
        float learningRate, float l2)
    {
        var scaledG = Vector256.Create(gradient);
        var directG = Vector256.Create(directGradient);
        var active = Vector256.GreaterThan(Vector256.Abs(scaledG), Vector256<float>.Zero) | Vector256.GreaterThan(Vector256.Abs(directG), Vector256<float>.Zero);
        var lr = Vector256.Create(learningRate);
        var decay = Vector256.Create(l2);
        var epsilon = Vector256.Create(1e-6f);
        ref var w0 = ref MemoryMarshal.GetArrayDataReference(weights);
        ref var s0 = ref MemoryMarshal.GetArrayDataReference(squares);
        foreach (var feature in features)
        {
            // Direct (lexicon) features are stored as ~index and enter the logit unscaled.
            var f = feature >= 0 ? feature : ~feature;
            var g = feature >= 0 ? scaledG : directG;
            var g2 = g * g;
            var offset = (nuint)f * A;
            var w = Vector256.LoadUnsafe(ref w0, offset);
            var s = Vector256.LoadUnsafe(ref s0, offset) + g2;
            var step = lr * (g + decay * w) / Vector256.Sqrt(s + epsilon);
            // Masked attributes get neither a gradient nor decay.
            Vector256.ConditionalSelect(active, w - step, w).StoreUnsafe(ref w0, offset);
            s.StoreUnsafe(ref s0, offset);
        }
    }

    /// <summary>Per example, min(1, cap / dataset size): each dataset weighs at most <paramref name="cap"/> examples.</summary>
    internal static float[] DatasetWeights(IReadOnlyList<LabeledText> texts, int cap, IReadOnlyDictionary<string, float>? boosts = null)
    {
        var sizes = texts.GroupBy(t => t.Dataset).ToDictionary(g => g.Key, g => g.Count());
        return [.. texts.Select(t => MathF.Min(1f, cap / (float)sizes[t.Dataset]) * (boosts?.GetValueOrDefault(t.Dataset, 1f) ?? 1f))];
    }

    /// <summary>
    /// Intercept group 0 is shared; a dataset gets its own group only if it holds both classes for the
    /// attributes it annotates — a one-class set with its own intercept would teach the weights nothing.
    /// </summary>
    internal static (int[] Groups, int Count) InterceptGroups(IReadOnlyList<LabeledText> texts, bool enabled)
    {
        var groups = new int[texts.Count];
        if (!enabled) return (groups, 1);
        var byDataset = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var set in texts.GroupBy(t => t.Dataset).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var mixed = HarmAttributes.All.Any(a =>
            {
                var annotated = set.Where(t => t.Labels.IsAnnotated(a)).ToList();
                if (annotated.Count < 50) return false;
                var positives = annotated.Count(t => t.Labels[a] >= 0.5f) / (double)annotated.Count;
                return positives is > 0.03 and < 0.97;
            });
            if (mixed) byDataset[set.Key] = byDataset.Count + 1;
        }
        for (var i = 0; i < texts.Count; i++) groups[i] = byDataset.GetValueOrDefault(texts[i].Dataset);
        return (groups, byDataset.Count + 1);
    }

    /// <summary>
    /// Per attribute, the languages where one labelled dataset holds at least 100 positive and 100 negative training
    /// texts: positives from a one-class prompt set and negatives from a neutral set do not make a tested language.
    /// </summary>
    internal static Dictionary<string, List<string>> EvidenceLanguages(IReadOnlyList<LabeledText> train, int minTexts = 100)
    {
        var result = new Dictionary<string, List<string>>();
        foreach (var a in HarmAttributes.All)
        {
            result[a.WireName()] = [.. train
                .Where(t => t.Labels.IsAnnotated(a))
                .GroupBy(t => (t.Language, t.Dataset))
                .Where(g => g.Count(t => t.Labels[a] >= 0.5f) >= minTexts && g.Count(t => t.Labels[a] < 0.5f) >= minTexts)
                .Select(g => g.Key.Language)
                .Distinct()
                .OrderBy(l => l, StringComparer.Ordinal)];
        }
        return result;
    }

    /// <summary>
    /// Fits Platt scaling per attribute on validation logits, globally and — where a language has enough labelled
    /// validation texts — per detected language, so that 0.5 means "more likely than not" in Turkish as in English.
    /// </summary>
    private static void Calibrate(FastModel model, IReadOnlyList<LabeledText> validation, FastTrainerOptions options, ILanguageIdentifier languages, TextWriter log)
    {
        var scorer = new FastScorer(model, languages);
        Calibrate(model.Metadata, (text, row) => scorer.RawLogits(text, row), validation, options, languages, log, scorer.Pipeline.Harm);
    }

    /// <summary>The texts that get no implied self_harm negative (<see cref="FastTrainerOptions.ImpliedNegativesSpareSelfHarmPhrases"/>).</summary>
    internal static bool[] SparedFromImpliedSelfHarm(IReadOnlyList<LabeledText> texts, HarmLexicon harm, FastTrainerOptions options)
    {
        var spared = new bool[texts.Count];
        var bit = harm.CategoryBit(HarmLexicon.SelfHarmCategory);
        if (!options.ImpliedNegativesSpareSelfHarmPhrases || bit == 0) return spared;
        Parallel.For(0, texts.Count, i =>
        {
            var labels = texts[i].Labels;
            if (labels.IsAnnotated(HarmAttribute.SelfHarm) || !(labels[HarmAttribute.Toxicity] <= 0.1f)) return;
            spared[i] = (harm.Match(FeaturePipeline.ForScoring(texts[i].Text), plainOnly: true) & bit) != 0;
        });
        return spared;
    }

    private static double PositiveShare(IEnumerable<(float Y, float W)> rows)
    {
        double positive = 0, total = 0;
        foreach (var (y, w) in rows) { positive += y * w; total += w; }
        return total > 0 ? positive / total : 0.5;
    }

    /// <summary>Example weights that give a language's rows the pooled positive share (soft labels count fractionally).</summary>
    private static float[] PriorMatchedWeights(IReadOnlyList<(float Z, float Y, float W, string Language, bool Implied)> rows, double targetShare)
    {
        var share = PositiveShare(rows.Select(r => (r.Y, r.W)));
        var positiveFactor = share > 0 ? targetShare / share : 1;
        var negativeFactor = share < 1 ? (1 - targetShare) / (1 - share) : 1;
        return [.. rows.Select(r => (float)(r.W * (r.Y * positiveFactor + (1 - r.Y) * negativeFactor)))];
    }

    /// <summary>Fits the global and per-language calibrations of any model given its raw-logit function.</summary>
    /// <param name="harm">The model's harm lexicon, for <see cref="SparedFromImpliedSelfHarm"/>.</param>
    internal static void Calibrate(FastModelMetadata metadata, RawLogitFunction rawLogits, IReadOnlyList<LabeledText> validation,
        FastTrainerOptions options, ILanguageIdentifier languages, TextWriter log, HarmLexicon harm)
    {
        var logits = new float[validation.Count][];
        var detected = new string[validation.Count];
        Parallel.For(0, validation.Count, i =>
        {
            var row = new float[A];
            rawLogits(validation[i].Text, row);
            logits[i] = row;
            detected[i] = FastScorer.CalibrationLanguage(languages.Identify(validation[i].Text));
        });
        // The raw-logit function must not stack already: the stacking is fitted here, on the logits it gives.
        metadata.ToxicityStacking = options.ToxicityStacking.Count > 0 ? [.. ToxicityStacking.Fit(logits, validation, options.ToxicityStacking, options.ToxicityStackingMax, log, options.ToxicityStackingMinDatasets)] : [];
        if (ToxicityStacking.Of(metadata) is { } stacking)
            foreach (var row in logits) ToxicityStacking.Apply(stacking, row);
        var weights = DatasetWeights(validation, options.DatasetCap);
        var spared = SparedFromImpliedSelfHarm(validation, harm, options);
        metadata.LanguageCalibrations.Clear();
        for (var a = 0; a < A; a++)
        {
            var name = HarmAttributes.All[a].WireName();
            var rows = new List<(float Z, float Y, float W, string Language, bool Implied)>();
            for (var i = 0; i < validation.Count; i++)
            {
                var label = validation[i].Labels.Values[a];
                var weight = weights[i];
                var implied = false;
                if (float.IsNaN(label))
                {
                    // The same implied negatives as in training, so calibration sees ordinary clean text too.
                    if (!(validation[i].Labels.Values[(int)HarmAttribute.Toxicity] <= 0.1f) || options.ImpliedNegativeWeight <= 0 || a == SelfHarm && spared[i]) continue;
                    label = 0f;
                    weight *= options.ImpliedNegativeWeight;
                    implied = true;
                }
                rows.Add((logits[i][a], label, weight, detected[i], implied));
            }
            var positives = rows.Count(r => r.Y >= 0.5f);
            if (rows.Count < 50 || positives < 10 || positives == rows.Count)
            {
                log.WriteLine($"calibration {name}: too little validation data ({rows.Count} labelled, {positives} positive); identity kept");
                continue;
            }
            var calibration = Platt.Fit([.. rows.Select(r => r.Z)], [.. rows.Select(r => r.Y)], [.. rows.Select(r => r.W)]);
            metadata.Calibrations[a] = calibration;
            var best = Platt.BestMacroF1Threshold([.. rows.Select(r => calibration.Apply(r.Z))], [.. rows.Select(r => r.Y)], [.. rows.Select(r => r.W)]);
            metadata.Notes[BestThresholdNote(HarmAttributes.All[a])] = best.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
            log.WriteLine($"calibration {name}: n={rows.Count} positives={positives} scale={calibration.Scale:0.000} offset={calibration.Offset:0.000} best-threshold={best:0.00}");

            var globalPositiveShare = PositiveShare(rows.Select(r => (r.Y, r.W)));
            // Implied negatives stay in: a language's calibration must also see its ordinary clean text.
            foreach (var language in rows.GroupBy(r => r.Language).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var labelled = language.ToList();
                var pos = labelled.Count(r => r.Y >= 0.5f);
                if (language.Key == "und" || labelled.Count < options.MinLanguageCalibrationTexts || pos < 30 || labelled.Count - pos < 30) continue;
                // A language's validation data usually comes from one or two datasets whose base rate is an artefact of
                // how they were collected (MLMA's French tweets are 83% hateful). Reweighting its classes to the pooled
                // positive share lets the language's own calibration fix the logit scale and shift without importing
                // that base rate.
                var matched = PriorMatchedWeights(labelled, globalPositiveShare);
                var own = Platt.Fit([.. labelled.Select(r => r.Z)], [.. labelled.Select(r => r.Y)], matched,
                    prior: calibration, priorRows: options.LanguageCalibrationPriorRows);
                if (!metadata.LanguageCalibrations.TryGetValue(language.Key, out var perAttribute))
                    metadata.LanguageCalibrations[language.Key] = perAttribute = [.. Enumerable.Repeat<Calibration?>(null, A)];
                perAttribute[a] = own;
                log.WriteLine($"calibration {name}/{language.Key}: n={labelled.Count} positives={pos} scale={own.Scale:0.000} offset={own.Offset:0.000}");
            }
        }
    }
}
