using System.Diagnostics;
using System.Numerics.Tensors;
using Warden.Scoring.Fast;

namespace Warden.Scoring.Neural;

/// <summary>Settings of <see cref="SubwordPretraining"/>; <see cref="Epochs"/> = 0 leaves the embeddings as drawn.</summary>
public sealed record SubwordPretrainingOptions
{
    public int Epochs { get; init; }
    /// <summary>Largest distance between a word and the words it predicts (each position draws its own, 1..Window).</summary>
    public int Window { get; init; } = 4;
    /// <summary>Words drawn from the unigram^0.75 distribution as wrong answers for each right one.</summary>
    public int Negatives { get; init; } = 5;
    /// <summary>Starting rate of plain SGD, decaying linearly to nearly zero.</summary>
    public float LearningRate { get; init; } = 0.05f;
    /// <summary>Relative frequency above which words are randomly skipped (word2vec's sub-sampling).</summary>
    public double SubsampleThreshold { get; init; } = 1e-4;
    /// <summary>The pretrained rows are rescaled to this root-mean-square, so the supervised stage starts at a familiar scale.</summary>
    public float TargetRms { get; init; } = 0.05f;
}

/// <summary>
/// Pretrains the embedding table on unlabelled text before the supervised stage: a fastText-style skip-gram where a
/// word's vector is built exactly as the word convolution builds it (the scaled sum of the rows of its character
/// n-grams, of the word itself and of its lexicon categories) and predicts the words around it against sampled
/// negatives. Words that appear in similar contexts end up with similar vectors, so what the labelled data teaches
/// about one word carries to its neighbours in meaning, including words the labelled data never showed next to a
/// label. Single thread and seeded: the same texts give the same table.
/// </summary>
internal static class SubwordPretraining
{
    private const int NegativeTableSize = 1 << 22;

    /// <summary>Updates <paramref name="embeddings"/> ([bucket, d] row-major) in place; returns the words trained on.</summary>
    public static long Run(IReadOnlyList<string> normalizedTexts, FeatureHasher hasher, WordLexicon? lexicon, float[] embeddings, int d,
        SubwordPretrainingOptions options, int seed, TextWriter? log = null)
    {
        if (options.Epochs <= 0 || normalizedTexts.Count == 0) return 0;
        log ??= TextWriter.Null;
        var clock = Stopwatch.StartNew();
        var buckets = embeddings.Length / d;
        var random = new Random(seed);

        // Unigram counts of the predicted words (hashed into the output table's rows).
        var counts = new long[buckets];
        long total = 0;
        var work = new TextWords();
        foreach (var text in normalizedTexts)
        {
            work.Read(hasher, lexicon, text, withFeatures: false);
            for (var i = 0; i < work.Count; i++) counts[work.Targets[i]]++;
            total += work.Count;
        }
        if (total == 0) return 0;
        var keep = new float[buckets];
        for (var b = 0; b < buckets; b++)
        {
            if (counts[b] == 0) continue;
            var share = counts[b] / (double)total / options.SubsampleThreshold;
            keep[b] = (float)Math.Min(1, Math.Sqrt(1 / share) + 1 / share);
        }
        var negatives = NegativeTable(counts);

        var output = new float[embeddings.Length];
        var trained = new bool[buckets];
        var vectors = new float[64 * d];
        var gradient = new float[d];
        var steps = (long)options.Epochs * total;
        long done = 0, used = 0;
        for (var epoch = 0; epoch < options.Epochs; epoch++)
        {
            foreach (var text in normalizedTexts)
            {
                work.Read(hasher, lexicon, text, withFeatures: true);
                done += work.Count;
                var rate = options.LearningRate * Math.Max(1e-4f, 1 - done / (float)steps);
                // Sub-sample once per text, then build the kept words' vectors.
                var n = 0;
                for (var i = 0; i < work.Count; i++)
                    if (random.NextSingle() < keep[work.Targets[i]]) work.Kept[n++] = i;
                if (n < 2) continue;
                if (vectors.Length < n * d) vectors = new float[n * d * 2];
                for (var k = 0; k < n; k++) WordConvolution.WordVector(embeddings, d, work.WordFeatures(work.Kept[k]), vectors.AsSpan(k * d, d));
                for (var k = 0; k < n; k++)
                {
                    var center = vectors.AsSpan(k * d, d);
                    gradient.AsSpan().Clear();
                    var reach = 1 + random.Next(options.Window);
                    for (var c = Math.Max(0, k - reach); c <= Math.Min(n - 1, k + reach); c++)
                    {
                        if (c == k) continue;
                        var target = work.Targets[work.Kept[c]];
                        Step(center, output.AsSpan(target * d, d), 1f, rate, gradient);
                        for (var s = 0; s < options.Negatives; s++)
                        {
                            var negative = negatives[random.Next(NegativeTableSize)];
                            if (negative == target) continue;
                            Step(center, output.AsSpan(negative * d, d), 0f, rate, gradient);
                        }
                    }
                    var wordFeatures = work.WordFeatures(work.Kept[k]);
                    if (wordFeatures.IsEmpty) continue;
                    TensorPrimitives.Multiply(gradient, 1f / MathF.Sqrt(wordFeatures.Length), gradient);
                    foreach (var feature in wordFeatures)
                    {
                        var row = embeddings.AsSpan(feature * d, d);
                        TensorPrimitives.Add(row, gradient, row);
                        trained[feature] = true;
                    }
                }
                used += n;
            }
            log.WriteLine($"pretraining epoch {epoch + 1}/{options.Epochs}: {used:N0} words ({clock.Elapsed.TotalSeconds:0.0}s)");
        }
        Rescale(embeddings, d, trained, options.TargetRms);
        return used;
    }

    /// <summary>One logistic step of "does <paramref name="context"/> stand near this word?"; moves the context row, accumulates the word's gradient.</summary>
    private static void Step(ReadOnlySpan<float> center, Span<float> context, float label, float rate, Span<float> gradient)
    {
        var score = TensorPrimitives.Dot(center, context);
        var p = score > 8 ? 1f : score < -8 ? 0f : 1f / (1f + MathF.Exp(-score));
        var g = (label - p) * rate;
        if (g == 0) return;
        TensorPrimitives.MultiplyAdd(context, g, gradient, gradient);
        TensorPrimitives.MultiplyAdd(center, g, context, context);
    }

    private static int[] NegativeTable(long[] counts)
    {
        var table = new int[NegativeTableSize];
        double norm = 0;
        foreach (var c in counts) if (c > 0) norm += Math.Pow(c, 0.75);
        var bucket = 0;
        while (counts[bucket] == 0) bucket++;
        var cumulative = Math.Pow(counts[bucket], 0.75) / norm;
        for (var i = 0; i < NegativeTableSize; i++)
        {
            table[i] = bucket;
            if ((i + 1) / (double)NegativeTableSize > cumulative && bucket < counts.Length - 1)
            {
                do bucket++; while (bucket < counts.Length - 1 && counts[bucket] == 0);
                cumulative += Math.Pow(counts[bucket], 0.75) / norm;
            }
        }
        return table;
    }

    /// <summary>Scales the rows pretraining touched to <paramref name="targetRms"/>, leaving the others as drawn.</summary>
    private static void Rescale(float[] embeddings, int d, bool[] trained, float targetRms)
    {
        double squares = 0;
        long values = 0;
        for (var b = 0; b < trained.Length; b++)
        {
            if (!trained[b]) continue;
            squares += TensorPrimitives.SumOfSquares(embeddings.AsSpan(b * d, d));
            values += d;
        }
        if (values == 0 || squares == 0) return;
        var factor = targetRms / (float)Math.Sqrt(squares / values);
        for (var b = 0; b < trained.Length; b++)
            if (trained[b]) TensorPrimitives.Multiply(embeddings.AsSpan(b * d, d), factor, embeddings.AsSpan(b * d, d));
    }

    /// <summary>The words of one text: each word's predicted row, and (when asked) its input features.</summary>
    private sealed class TextWords
    {
        public int[] Targets = new int[64];
        public int[] FeatureEnds = new int[64];
        public int[] Kept = new int[64];
        public int[] Features = new int[1024];
        public int Count;

        public void Read(FeatureHasher hasher, WordLexicon? lexicon, string normalized, bool withFeatures)
        {
            Count = 0;
            var used = 0;
            foreach (var word in new NormalizedWords(normalized))
            {
                if (word.IsEmpty) continue;
                if (Targets.Length <= Count)
                {
                    Array.Resize(ref Targets, Count * 2);
                    Array.Resize(ref FeatureEnds, Count * 2);
                    Array.Resize(ref Kept, Count * 2);
                }
                Targets[Count] = hasher.WordFeature(word);
                if (withFeatures) used = WordConvolution.AppendWordFeatures(hasher, word, lexicon, ref Features, used);
                FeatureEnds[Count++] = used;
            }
        }

        /// <summary>The input features of word <paramref name="index"/> (read with features).</summary>
        public ReadOnlySpan<int> WordFeatures(int index)
        {
            var from = index == 0 ? 0 : FeatureEnds[index - 1];
            return Features.AsSpan(from, FeatureEnds[index] - from);
        }
    }
}
