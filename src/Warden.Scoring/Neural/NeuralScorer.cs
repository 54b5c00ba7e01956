using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Warden.Core;
using Warden.Scoring.Fast;

namespace Warden.Scoring.Neural;

/// <summary>
/// Inference for <see cref="NeuralModel"/> in plain C# with System.Numerics.Tensors (no libtorch at run time).
/// Thread-safe; a text's scores never depend on the rest of the batch.
/// </summary>
public sealed class NeuralScorer : IScorer
{
    private const int A = HarmAttributes.Count;
    private readonly NeuralModel _model;
    private readonly ILanguageIdentifier _languages;
    private readonly CalibrationTable _calibrations;
    private readonly float[] _thresholds;
    private readonly float[]? _stacking;

    public NeuralScorer(NeuralModel model, ILanguageIdentifier languages)
    {
        _model = model;
        _languages = languages;
        _calibrations = new CalibrationTable(model.Metadata);
        _stacking = ToxicityStacking.Of(model.Metadata);
        _thresholds = [.. model.Metadata.Thresholds];
        Pipeline = FeaturePipeline.ForModel(model.Metadata, model.Shape.BucketBits);
        WordLexicon = WordLexicon.For(model.Shape, Pipeline);
    }

    internal WordLexicon? WordLexicon { get; }

    public NeuralModel Model => _model;
    internal FeaturePipeline Pipeline { get; }

    public string ModelName => $"{_model.Metadata.Name}@{_model.Metadata.Version}";
    public IReadOnlyList<float> Thresholds => _thresholds;

    public ScoreResult Score(string text, ScoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var language = _languages.LanguageOf(text, options);
        Span<float> logits = stackalloc float[A];
        RawLogits(text, logits);
        var calibrations = _calibrations.For(language);
        var scores = new float[A];
        for (var a = 0; a < A; a++) scores[a] = calibrations[a].Apply(logits[a]);
        return new ScoreResult(language, scores);
    }

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null)
    {
        var results = new ScoreResult[texts.Count];
        Parallel.For(0, texts.Count, i => results[i] = Score(texts[i], options));
        return results;
    }

    [ThreadStatic] private static ConvolutionWorkspace? _workspace;

    public void RawLogits(string text, Span<float> logits)
    {
        var shape = _model.Shape;
        // Both branches read the same normalised text; normalise once.
        var normalized = FeaturePipeline.ForScoring(text);
        var features = ArrayPool<int>.Shared.Rent(Pipeline.BufferSize(normalized.Length));
        try
        {
            var count = Pipeline.ExtractNormalized(normalized, features);
            Span<float> input = stackalloc float[shape.HiddenInput];
            Span<float> hidden = stackalloc float[shape.HiddenSize];
            ConvolutionWorkspace? words = null;
            if (shape.ConvFilters > 0)
            {
                words = _workspace ??= new ConvolutionWorkspace();
                WordConvolution.ExtractWords(Pipeline.Hasher, normalized, words, WordLexicon, shape.MaskWords);
            }
            Forward(_model, features.AsSpan(0, count), words, input, hidden, logits);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(features);
        }
        if (_stacking is not null) ToxicityStacking.Apply(_stacking, logits);
    }

    /// <summary>
    /// The forward pass, shared with training: embedding bag (scaled by 1/√n) and, when the model has one, the
    /// max-pooled word convolution side by side in <paramref name="input"/>; ReLU hidden layer; output layer.
    /// </summary>
    internal static void Forward(NeuralModel model, ReadOnlySpan<int> features, ConvolutionWorkspace? words, Span<float> input, Span<float> hidden, Span<float> logits)
    {
        var d = model.Shape.EmbeddingSize;
        var h = model.Shape.HiddenSize;
        var width = model.Shape.HiddenInput;
        var embedded = input[..d];
        var table = model.Embeddings.AsSpan();
        SumRows(table, d, features, embedded);
        if (features.Length > 0) TensorPrimitives.Multiply(embedded, 1f / MathF.Sqrt(features.Length), embedded);
        if (model.Shape.ConvFilters > 0) WordConvolution.Forward(model, words!, input.Slice(d, model.Shape.ConvFilters));
        var w1 = model.Hidden.AsSpan();
        for (var j = 0; j < h; j++)
            hidden[j] = MathF.Max(0f, TensorPrimitives.Dot(w1.Slice(j * width, width), input[..width]) + model.HiddenBias[j]);
        var w2 = model.Output.AsSpan();
        for (var a = 0; a < A; a++)
            logits[a] = TensorPrimitives.Dot(w2.Slice(a * h, h), hidden) + model.OutputBias[a];
        if (model.Shape.DirectRows > 0) AddDirect(model, features, logits);
    }

    /// <summary>
    /// <paramref name="sum"/> = the embedding rows of <paramref name="features"/> (<see cref="BagRow"/>) added one after
    /// another from zero. Rows of the usual width (32) are summed in four registers, one call per row before: the same
    /// additions in the same order, element by element, so the sums are bit for bit those of
    /// <c>TensorPrimitives.Add</c> row by row, in training as well.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void SumRows(ReadOnlySpan<float> table, int d, ReadOnlySpan<int> features, Span<float> sum)
    {
        if (d == 32 && Vector256.IsHardwareAccelerated)
        {
            ref var origin = ref MemoryMarshal.GetReference(table);
            Vector256<float> a = default, b = default, c = default, e = default;
            foreach (var f in features)
            {
                var row = BagRow(f);
                if ((uint)((row + 1) * 32) > (uint)table.Length) throw new IndexOutOfRangeException($"feature row {row} is outside the embedding table");
                var at = (nuint)row * 32;
                a += Vector256.LoadUnsafe(ref origin, at);
                b += Vector256.LoadUnsafe(ref origin, at + 8);
                c += Vector256.LoadUnsafe(ref origin, at + 16);
                e += Vector256.LoadUnsafe(ref origin, at + 24);
            }
            a.CopyTo(sum);
            b.CopyTo(sum[8..]);
            c.CopyTo(sum[16..]);
            e.CopyTo(sum[24..]);
            return;
        }
        sum[..d].Clear();
        foreach (var f in features) TensorPrimitives.Add(sum[..d], table.Slice(BagRow(f) * d, d), sum[..d]);
    }

    /// <summary>Embedding row of a feature: a direct lexicon feature (~row) is in the bag like any other, and also on the direct path.</summary>
    internal static int BagRow(int feature) => feature >= 0 ? feature : ~feature;

    /// <summary>Row of the direct lexicon path for a direct feature (~bucket), or -1 for any other feature.</summary>
    internal static int DirectRow(NeuralShape shape, int feature) => feature < 0 && shape.DirectRows > 0 ? ~feature & (shape.DirectRows - 1) : -1;

    /// <summary>The direct lexicon path: each lexicon hit adds its row to the logits, unscaled, whatever the text's length.</summary>
    internal static void AddDirect(NeuralModel model, ReadOnlySpan<int> features, Span<float> logits)
    {
        var direct = model.Direct.AsSpan();
        foreach (var f in features)
        {
            var row = DirectRow(model.Shape, f);
            if (row >= 0) TensorPrimitives.Add(logits[..A], direct.Slice(row * A, A), logits[..A]);
        }
    }
}
