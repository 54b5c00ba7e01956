using System.Diagnostics;
using System.Numerics.Tensors;
using Warden.Core;
using Warden.Scoring.Fast;

namespace Warden.Scoring.Neural;

public sealed record NeuralTrainerOptions
{
    public int BucketBits { get; init; } = 17;
    public int EmbeddingSize { get; init; } = 32;
    public int HiddenSize { get; init; } = 64;
    /// <summary>Filters of the convolution over word vectors; 0 leaves the model an embedding bag.</summary>
    public int ConvFilters { get; init; } = 64;
    /// <summary>Consecutive words each filter sees.</summary>
    public int ConvWidth { get; init; } = 3;
    /// <summary>Give each word vector of the convolution its harm-lexicon categories.</summary>
    public bool WordCategories { get; init; } = true;
    public int Epochs { get; init; } = 2;
    /// <summary>AdaGrad learning rate of the embeddings.</summary>
    public float EmbeddingLearningRate { get; init; } = 0.1f;
    /// <summary>AdaGrad learning rate of the dense layers.</summary>
    public float DenseLearningRate { get; init; } = 0.02f;
    public int Seed { get; init; } = 42;
    /// <summary>Share of hidden units zeroed in each training step (inverted dropout; 0 = none).</summary>
    public float HiddenDropout { get; init; }
    /// <summary>Share of bag features and of convolution words left out of each training step (word dropout; 0 = none).</summary>
    public float WordDropout { get; init; }
    /// <summary>Skip-gram pretraining of the embedding table on the training texts (labels unused) before the supervised stage.</summary>
    public SubwordPretrainingOptions Pretraining { get; init; } = new();
    /// <summary>log2 of the rows of the direct lexicon path (0: none); see <see cref="NeuralShape.DirectBits"/>.</summary>
    public int DirectBits { get; init; }
    /// <summary>Mask the convolution's words as the bag's n-grams are masked; see <see cref="NeuralShape.MaskWords"/>.</summary>
    public bool MaskWords { get; init; }
    /// <summary>How the embedding table is stored; int8 (half the size of float16) since the fourteenth round.</summary>
    public EmbeddingPrecision EmbeddingPrecision { get; init; } = EmbeddingPrecision.Int8;
    /// <summary>Data handling shared with the fast model: n-gram range, dataset cap and intercepts, implied negatives, calibration.</summary>
    public FastTrainerOptions Data { get; init; } = new() { ModelName = "warden-neural" };
}

/// <summary>
/// Trains a <see cref="NeuralModel"/> with hand-written backpropagation (plain C#, deterministic, single thread):
/// the same masked soft-label loss, dataset weighting, per-dataset intercepts and implied negatives as
/// <see cref="FastTrainer"/>, then the same calibration.
/// </summary>
public sealed class NeuralTrainer
{
    private const int A = HarmAttributes.Count;

    /// <summary>Keys of <see cref="FastModelMetadata.Notes"/> that record a training switch that was on (model cards name them).</summary>
    public const string PretrainingNote = "pretraining", HiddenDropoutNote = "hidden_dropout", WordDropoutNote = "word_dropout";

    public static readonly IReadOnlyList<string> SwitchNotes = [PretrainingNote, HiddenDropoutNote, WordDropoutNote];

    public NeuralModel Train(IReadOnlyList<LabeledText> train, IReadOnlyList<LabeledText> validation, IReadOnlyList<string> profanityLexicon,
        NeuralTrainerOptions options, ILanguageIdentifier languages, TextWriter? log = null, IReadOnlyDictionary<string, List<string>>? harmLexicon = null)
    {
        log ??= TextWriter.Null;
        if (options.HiddenDropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(options), $"hidden dropout must be in [0, 1), got {options.HiddenDropout}");
        if (options.WordDropout is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(options), $"word dropout must be in [0, 1), got {options.WordDropout}");
        if (options.Pretraining is { Epochs: > 0 } p0 && (p0.Window < 1 || p0.Negatives < 0 || p0.LearningRate <= 0 || !(p0.TargetRms > 0)))
            throw new ArgumentOutOfRangeException(nameof(options), "pretraining needs a window of at least 1, 0 or more negatives, and a positive learning rate and RMS");
        if (options.DirectBits is < 0 or > 20) throw new ArgumentOutOfRangeException(nameof(options), $"direct bits must be in [0, 20], got {options.DirectBits}");
        var clock = Stopwatch.StartNew();
        var data = options.Data;
        var shape = new NeuralShape(options.BucketBits, options.EmbeddingSize, options.HiddenSize, options.ConvFilters, options.ConvWidth, options.ConvFilters > 0 && options.WordCategories, options.DirectBits,
            options.ConvFilters > 0 && options.WordCategories && options.MaskWords);
        // Every feature goes into the embedding bag; with a direct path the lexicon features are marked (~row) so they
        // also reach the logits unscaled.
        // The neural model's features have no language copies (FastModelRecipe's LanguageWords is for the linear model).
        // Nor the group + contempt conjunction: a feature tried for the linear model only.
        var metadata = FastTrainer.Describe(data with { LanguageWordFeatures = false, UnlabelledLexiconWeight = 1f, GroupContemptFeature = false }, shape.BucketBits, directLexicon: shape.DirectBits > 0, options.Seed, profanityLexicon, harmLexicon, train);
        var pipeline = FeaturePipeline.ForModel(metadata, shape.BucketBits);
        var features = FastTrainer.ExtractAll(pipeline, train);
        var exampleWeights = FastTrainer.DatasetWeights(train, data.DatasetCap, data.DatasetBoosts);
        var (interceptGroup, groupCount) = FastTrainer.InterceptGroups(train, data.DatasetIntercepts);
        var spared = FastTrainer.SparedFromImpliedSelfHarm(train, pipeline.Harm, data);
        log.WriteLine($"neural: features of {train.Count:N0} texts in {clock.Elapsed.TotalSeconds:0.0}s; shape {shape}");

        int d = shape.EmbeddingSize, h = shape.HiddenSize, input = shape.HiddenInput;
        int filters = shape.ConvFilters, windowLength = shape.ConvWidth * d;
        var random = new Random(options.Seed);
        float Uniform(float limit) => (float)(random.NextDouble() * 2 - 1) * limit;
        var embeddings = new float[shape.Buckets * d];
        for (var i = 0; i < embeddings.Length; i++) embeddings[i] = Uniform(0.05f);
        var w1 = new float[h * input];
        for (var i = 0; i < w1.Length; i++) w1[i] = Uniform(MathF.Sqrt(6f / (input + h)));
        var b1 = new float[h];
        Array.Fill(b1, 0.01f);
        var w2 = new float[A * h];
        for (var i = 0; i < w2.Length; i++) w2[i] = Uniform(MathF.Sqrt(6f / (h + A)));
        var b2 = new float[A];
        // Drawn after everything else, so a model without filters gets the same weights as before the branch existed.
        var convolution = new float[filters * windowLength];
        for (var i = 0; i < convolution.Length; i++) convolution[i] = Uniform(MathF.Sqrt(6f / (windowLength + filters)));
        var convolutionBias = new float[filters];
        var direct = new float[shape.DirectRows * A];
        var gDirect = new float[direct.Length];
        var model = new NeuralModel(metadata, shape, embeddings, w1, b1, w2, b2, convolution, convolutionBias, options.EmbeddingPrecision, direct);
        var gConvolution = new float[convolution.Length];
        var gConvolutionBias = new float[filters];
        var words = filters > 0 ? new ConvolutionWorkspace() : null;
        // The words' normalised texts once, not once per epoch.
        var normalizedTexts = words is null ? null : train.Select(t => FeaturePipeline.ForScoring(t.Text)).ToArray();
        var wordLexicon = WordLexicon.For(shape, pipeline);
        if (options.Pretraining.Epochs > 0)
        {
            // Each distinct text once: the generated sets repeat sentences, and weighting is a matter for the labels.
            var texts = (normalizedTexts ?? train.Select(t => FeaturePipeline.ForScoring(t.Text)).ToArray()).Distinct(StringComparer.Ordinal).ToArray();
            var pretrainedWords = SubwordPretraining.Run(texts, pipeline.Hasher, wordLexicon, embeddings, d, options.Pretraining, options.Seed + 1, log);
            log.WriteLine($"neural: pretrained the embeddings on {texts.Length:N0} distinct texts ({pretrainedWords:N0} words) in {clock.Elapsed.TotalSeconds:0.0}s");
            var p = options.Pretraining;
            metadata.Notes[PretrainingNote] = FormattableString.Invariant($"skip-gram, {p.Epochs} epoch(s), window {p.Window}, {p.Negatives} negatives, rate {p.LearningRate}, rows rescaled to RMS {p.TargetRms}");
        }
        // Recorded only when on, so the default recipe's bytes do not change.
        if (options.HiddenDropout > 0) metadata.Notes[HiddenDropoutNote] = options.HiddenDropout.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (options.WordDropout > 0) metadata.Notes[WordDropoutNote] = options.WordDropout.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var gPadded = new float[64];

        var gEmbeddings = new float[embeddings.Length];
        var gW1 = new float[w1.Length]; var gB1 = new float[h];
        var gW2 = new float[w2.Length]; var gB2 = new float[A];
        var intercepts = new float[groupCount * A];
        var gIntercepts = new float[groupCount * A];
        var layerInput = new float[input]; var hidden = new float[h]; var logits = new float[A];
        var gLogits = new float[A]; var gHidden = new float[h]; var gInput = new float[input]; var step = new float[Math.Max(Math.Max(input, h), windowLength)];
        var order = Enumerable.Range(0, train.Count).ToArray();
        // Its own generator, drawn from only when dropout is on, so models without it keep their bytes.
        var dropout = new Random(options.Seed + 2);
        var kept = new List<int>();
        var hiddenScale = 1f / (1f - options.HiddenDropout);

        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            random.Shuffle(order);
            double loss = 0, lossWeight = 0;
            foreach (var index in order)
            {
                var example = train[index];
                ReadOnlySpan<int> f = features[index];
                var group = interceptGroup[index];
                if (words is not null) WordConvolution.ExtractWords(pipeline.Hasher, normalizedTexts![index], words, wordLexicon, shape.MaskWords);
                if (options.WordDropout > 0)
                {
                    kept.Clear();
                    foreach (var feature in f) if (dropout.NextSingle() >= options.WordDropout) kept.Add(feature);
                    f = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(kept);
                    if (words is not null) DropWords(words, options.WordDropout, dropout);
                }
                NeuralScorer.Forward(model, f, words, layerInput, hidden, logits);
                if (options.HiddenDropout > 0)
                {
                    for (var j = 0; j < h; j++) hidden[j] = dropout.NextSingle() < options.HiddenDropout ? 0f : hidden[j] * hiddenScale;
                    for (var a = 0; a < A; a++) logits[a] = TensorPrimitives.Dot(w2.AsSpan(a * h, h), hidden) + b2[a];
                    if (shape.DirectRows > 0) NeuralScorer.AddDirect(model, f, logits);
                }
                var toxicity = example.Labels.Values[(int)HarmAttribute.Toxicity];
                var any = false;
                for (var a = 0; a < A; a++)
                {
                    var y = example.Labels.Values[a];
                    var labelWeight = 1f;
                    if (float.IsNaN(y))
                    {
                        if (!(toxicity <= 0.1f) || data.ImpliedNegativeWeight <= 0 || a == (int)HarmAttribute.SelfHarm && spared[index]) { gLogits[a] = 0; continue; }
                        y = 0f;
                        labelWeight = data.ImpliedNegativeWeight;
                    }
                    var z = logits[a] + intercepts[group * A + a];
                    var p = 1f / (1f + MathF.Exp(-z));
                    var weight = exampleWeights[index] * labelWeight;
                    gLogits[a] = (p - y) * weight;
                    loss += weight * -(y * MathF.Log(p + 1e-7f) + (1 - y) * MathF.Log(1 - p + 1e-7f));
                    lossWeight += weight;
                    AdaGrad(ref intercepts[group * A + a], ref gIntercepts[group * A + a], gLogits[a], options.DenseLearningRate * 5);
                    any = true;
                }
                if (!any) continue;

                // The direct lexicon path: each hit's row gets the logits' gradient.
                if (shape.DirectRows > 0)
                    foreach (var feature in f)
                        if (NeuralScorer.DirectRow(shape, feature) is var row and >= 0)
                            AdaGrad(direct.AsSpan(row * A, A), gDirect.AsSpan(row * A, A), gLogits, options.EmbeddingLearningRate);
                // Back-propagate through the output layer.
                Array.Clear(gHidden);
                for (var a = 0; a < A; a++)
                {
                    var g = gLogits[a];
                    if (g == 0) continue;
                    var row = w2.AsSpan(a * h, h);
                    TensorPrimitives.MultiplyAdd(row, g, gHidden, gHidden);
                    TensorPrimitives.Multiply(hidden, g, step.AsSpan(0, h));
                    AdaGrad(row, gW2.AsSpan(a * h, h), step.AsSpan(0, h), options.DenseLearningRate);
                    AdaGrad(ref b2[a], ref gB2[a], g, options.DenseLearningRate);
                }
                // Through the ReLU and the hidden layer.
                Array.Clear(gInput);
                for (var j = 0; j < h; j++)
                {
                    if (hidden[j] <= 0) continue;
                    var g = options.HiddenDropout > 0 ? gHidden[j] * hiddenScale : gHidden[j];
                    if (g == 0) continue;
                    var row = w1.AsSpan(j * input, input);
                    TensorPrimitives.MultiplyAdd(row, g, gInput, gInput);
                    TensorPrimitives.Multiply(layerInput, g, step.AsSpan(0, input));
                    AdaGrad(row, gW1.AsSpan(j * input, input), step.AsSpan(0, input), options.DenseLearningRate);
                    AdaGrad(ref b1[j], ref gB1[j], g, options.DenseLearningRate);
                }
                if (words is not null)
                    BackpropagateConvolution(model, words, gInput.AsSpan(d, filters), ref gPadded, gConvolution, gConvolutionBias, gEmbeddings, step, options);
                // Into the embedding rows of the text's features (the bag was scaled by 1/√n).
                if (f.Length == 0) continue;
                var gEmbedded = gInput.AsSpan(0, d);
                TensorPrimitives.Multiply(gEmbedded, 1f / MathF.Sqrt(f.Length), gEmbedded);
                foreach (var feature in f)
                {
                    var row = NeuralScorer.BagRow(feature);
                    AdaGrad(embeddings.AsSpan(row * d, d), gEmbeddings.AsSpan(row * d, d), gEmbedded, options.EmbeddingLearningRate);
                }
            }
            log.WriteLine($"neural epoch {epoch + 1}/{options.Epochs}: loss {loss / Math.Max(lossWeight, 1e-9):0.0000} ({clock.Elapsed.TotalSeconds:0.0}s)");
        }

        // Calibrate the weights that will ship, not the float32 ones they are rounded from.
        if (options.EmbeddingPrecision == EmbeddingPrecision.Int8) NeuralModel.RoundToInt8Rows(embeddings, d);
        var scorer = new NeuralScorer(model, languages);
        FastTrainer.Calibrate(metadata, (text, row) => scorer.RawLogits(text, row), validation, data, languages, log, pipeline.Harm);
        log.WriteLine($"neural: trained in {clock.Elapsed.TotalSeconds:0.0}s");
        return model;
    }

    /// <summary>
    /// From the pooled filters back to the winning windows, the filters, and the embedding rows of each word in them.
    /// The gradient into the windows is taken before the filters move, as for the dense layers.
    /// </summary>
    private static void BackpropagateConvolution(NeuralModel model, ConvolutionWorkspace words, ReadOnlySpan<float> gPooled, ref float[] gPadded,
        float[] gConvolution, float[] gConvolutionBias, float[] gEmbeddings, float[] step, NeuralTrainerOptions options)
    {
        var shape = model.Shape;
        int d = shape.EmbeddingSize, windowLength = shape.ConvWidth * d, count = words.Words;
        if (count == 0) return;
        var rows = count + shape.ConvWidth - 1;
        if (gPadded.Length < rows * d) gPadded = new float[Math.Max(rows * d, gPadded.Length * 2)];
        var gRows = gPadded.AsSpan(0, rows * d);
        gRows.Clear();
        var padded = words.Padded.AsSpan(0, rows * d);
        var any = false;
        for (var k = 0; k < shape.ConvFilters; k++)
        {
            var at = words.ArgMax[k];
            var g = gPooled[k];
            if (at < 0 || g == 0) continue;
            var kernel = model.Convolution.AsSpan(k * windowLength, windowLength);
            var gWindow = gRows.Slice(at * d, windowLength);
            TensorPrimitives.MultiplyAdd(kernel, g, gWindow, gWindow);
            TensorPrimitives.Multiply(padded.Slice(at * d, windowLength), g, step.AsSpan(0, windowLength));
            AdaGrad(kernel, gConvolution.AsSpan(k * windowLength, windowLength), step.AsSpan(0, windowLength), options.DenseLearningRate);
            AdaGrad(ref model.ConvolutionBias[k], ref gConvolutionBias[k], g, options.DenseLearningRate);
            any = true;
        }
        if (!any) return;
        var lead = WordConvolution.LeadingPad(shape);
        var from = 0;
        for (var t = 0; t < count; t++)
        {
            var to = words.WordEnds[t];
            var gWord = gRows.Slice((t + lead) * d, d);
            if (to > from && TensorPrimitives.MaxMagnitude(gWord) != 0)
            {
                TensorPrimitives.Multiply(gWord, 1f / MathF.Sqrt(to - from), gWord);
                foreach (var feature in words.Features.AsSpan(from, to - from))
                    AdaGrad(model.Embeddings.AsSpan(feature * d, d), gEmbeddings.AsSpan(feature * d, d), gWord, options.EmbeddingLearningRate);
            }
            from = to;
        }
    }

    /// <summary>Leaves each word out of the convolution's workspace with probability <paramref name="share"/> (at least one word stays).</summary>
    private static void DropWords(ConvolutionWorkspace work, float share, Random random)
    {
        int from = 0, used = 0, words = 0;
        for (var t = 0; t < work.Words; t++)
        {
            var to = work.WordEnds[t];
            var last = t == work.Words - 1 && words == 0;
            if (last || random.NextSingle() >= share)
            {
                Array.Copy(work.Features, from, work.Features, used, to - from);
                used += to - from;
                work.WordEnds[words++] = used;
            }
            from = to;
        }
        work.Words = words;
    }

    private static void AdaGrad(Span<float> weights, Span<float> squares, ReadOnlySpan<float> gradient, float learningRate)
    {
        for (var i = 0; i < weights.Length; i++)
        {
            var g = gradient[i];
            squares[i] += g * g;
            weights[i] -= learningRate * g / MathF.Sqrt(squares[i] + 1e-6f);
        }
    }

    private static void AdaGrad(ref float weight, ref float square, float gradient, float learningRate)
    {
        square += gradient * gradient;
        weight -= learningRate * gradient / MathF.Sqrt(square + 1e-6f);
    }
}
