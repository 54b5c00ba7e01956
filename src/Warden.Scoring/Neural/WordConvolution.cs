using System.Numerics.Tensors;
using Warden.Scoring.Fast;

namespace Warden.Scoring.Neural;

/// <summary>
/// Scratch space of the convolution branch for one text; reused across texts by one thread (never shared between threads).
/// </summary>
internal sealed class ConvolutionWorkspace
{
    public int[] Features = new int[256];
    /// <summary>End offset in <see cref="Features"/> of each word's features.</summary>
    public int[] WordEnds = new int[32];
    /// <summary>Word vectors with zero rows before and after, row-major, so each window is one contiguous slice.</summary>
    public float[] Padded = new float[64];
    public int[] ArgMax = new int[16];
    public int Words;

    public void EnsureFilters(int filters)
    {
        if (ArgMax.Length < filters) ArgMax = new int[filters];
    }
}

/// <summary>
/// The convolution branch of a neural model: each word of the normalised text becomes a vector (the scaled sum of the
/// embeddings of its character n-grams and of the word itself, so a misspelt or unseen word still has one), filters of
/// <see cref="NeuralShape.ConvWidth"/> consecutive words run over the sequence, and each filter keeps its maximum (ReLU).
/// Unlike the embedding bag it sees which words stand next to which beyond bigrams ("not a single one of them is",
/// "should all be sent back"), and a word's vector is the same wherever in the text it stands.
/// </summary>
internal static class WordConvolution
{
    /// <summary>Words past this many are left to the embedding bag (bounded memory and time on very long texts).</summary>
    public const int MaxWords = 1024;

    /// <summary>Hashes the words of an already-normalised text into <paramref name="work"/>; returns the word count.</summary>
    /// <param name="lexicon">With it, each word also gets one feature per harm-lexicon category it belongs to
    /// (<see cref="HarmLexicon.WordCategories"/>), so the filters see where in the sentence a group name, an insult or a
    /// negator stands, also in languages whose words the labelled data never showed.</param>
    /// <param name="maskWords">Mask in the words what the embedding bag masks in its n-grams (<see cref="HarmLexicon.MaskedWords"/>):
    /// a harm word inside a negation's scope becomes one "negated" feature per category it belongs to, and a group name
    /// keeps its categories but loses its n-grams, so neither branch learns "idiot" from "not an idiot" or "muslims"
    /// from texts that attack them.</param>
    public static int ExtractWords(FeatureHasher hasher, ReadOnlySpan<char> normalized, ConvolutionWorkspace work, WordLexicon? lexicon = null, bool maskWords = false)
    {
        var words = 0;
        var used = 0;
        Span<int> masks = stackalloc int[maskWords && lexicon is not null ? HarmLexicon.MaxMasks * 2 : 0];
        var maskCount = masks.IsEmpty ? 0 : lexicon!.Lexicon.MaskedWords(normalized, masks);
        var next = 0; // masks are in text order
        // A manual loop, not foreach: foreach would walk a copy of the enumerator, whose Start this loop reads.
        var enumerator = new NormalizedWords(normalized);
        while (enumerator.MoveNext())
        {
            var word = enumerator.Current;
            var masked = false;
            if (maskCount > 0)
            {
                var start = enumerator.Start;
                while (next < maskCount && masks[next * 2 + 1] <= start) next++;
                masked = next < maskCount && (masks[next * 2] < 0 ? ~masks[next * 2] : masks[next * 2]) < start + word.Length;
            }
            used = masked
                ? lexicon!.AppendMasked(word, negated: masks[next * 2] >= 0, ref work.Features, used)
                : AppendWordFeatures(hasher, word, lexicon, ref work.Features, used);
            if (work.WordEnds.Length <= words) Array.Resize(ref work.WordEnds, work.WordEnds.Length * 2);
            work.WordEnds[words++] = used;
        }
        work.Words = words;
        return words;
    }

    /// <summary>Appends one word's features (its n-grams and word, then its lexicon categories) at <paramref name="used"/>, growing the buffer as needed; returns the new end.</summary>
    public static int AppendWordFeatures(FeatureHasher hasher, ReadOnlySpan<char> word, WordLexicon? lexicon, ref int[] features, int used)
    {
        var needed = hasher.MaxFeatures(word.Length) + (lexicon?.MaxFeatures ?? 0);
        if (features.Length < used + needed) Array.Resize(ref features, Math.Max(features.Length * 2, used + needed));
        used += hasher.Extract(word, features.AsSpan(used));
        if (lexicon is not null) used += lexicon.Extract(word, features.AsSpan(used));
        return used;
    }

    /// <summary>A word's vector: the sum of its features' embedding rows, scaled by 1/√n (zero for a word without features).</summary>
    public static void WordVector(ReadOnlySpan<float> table, int d, ReadOnlySpan<int> wordFeatures, Span<float> vector)
    {
        NeuralScorer.SumRows(table, d, wordFeatures, vector);
        if (wordFeatures.Length > 0) TensorPrimitives.Multiply(vector, 1f / MathF.Sqrt(wordFeatures.Length), vector);
    }

    /// <summary>Rows of zeros before the first word (the rest of the window's padding follows the last word).</summary>
    public static int LeadingPad(NeuralShape shape) => shape.ConvWidth / 2;

    /// <summary>
    /// Fills the padded word matrix and max-pools every filter into <paramref name="pooled"/> (ReLU applied);
    /// <see cref="ConvolutionWorkspace.ArgMax"/> keeps each filter's winning position, or -1 when it is not active.
    /// </summary>
    public static void Forward(NeuralModel model, ConvolutionWorkspace work, Span<float> pooled)
    {
        var shape = model.Shape;
        int d = shape.EmbeddingSize, filters = shape.ConvFilters, width = shape.ConvWidth, words = work.Words;
        work.EnsureFilters(filters);
        pooled.Clear();
        if (words == 0)
        {
            Array.Fill(work.ArgMax, -1, 0, filters);
            return;
        }
        var rows = words + width - 1;
        if (work.Padded.Length < rows * d) work.Padded = new float[Math.Max(rows * d, work.Padded.Length * 2)];
        var padded = work.Padded.AsSpan(0, rows * d);
        padded.Clear();
        var lead = LeadingPad(shape);
        var table = model.Embeddings.AsSpan();
        var from = 0;
        for (var t = 0; t < words; t++)
        {
            var to = work.WordEnds[t];
            WordVector(table, d, work.Features.AsSpan(from, to - from), padded.Slice((t + lead) * d, d));
            from = to;
        }
        var windowLength = width * d;
        var kernels = model.Convolution.AsSpan();
        for (var k = 0; k < filters; k++)
        {
            var kernel = kernels.Slice(k * windowLength, windowLength);
            var best = float.NegativeInfinity;
            var at = 0;
            for (var p = 0; p < words; p++)
            {
                var value = TensorPrimitives.Dot(kernel, padded.Slice(p * d, windowLength));
                if (value > best) { best = value; at = p; }
            }
            best += model.ConvolutionBias[k];
            if (best > 0) { pooled[k] = best; work.ArgMax[k] = at; }
            else work.ArgMax[k] = -1;
        }
    }
}

/// <summary>
/// The words of a normalised text as the convolution sees them: space-separated tokens with punctuation trimmed from
/// their edges (a token of punctuation alone is an empty word), at most <see cref="WordConvolution.MaxWords"/>.
/// </summary>
internal ref struct NormalizedWords
{
    private readonly ReadOnlySpan<char> _text;
    private int _position;
    private int _count;

    public NormalizedWords(ReadOnlySpan<char> text)
    {
        _text = text;
        Current = default;
    }

    public ReadOnlySpan<char> Current { get; private set; }

    /// <summary>Offset of <see cref="Current"/> in the text.</summary>
    public int Start { get; private set; }

    public readonly NormalizedWords GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_count >= WordConvolution.MaxWords) return false;
        while (_position < _text.Length && _text[_position] == ' ') _position++;
        if (_position >= _text.Length) return false;
        var start = _position;
        while (_position < _text.Length && _text[_position] != ' ') _position++;
        var token = _text[start.._position];
        Current = FeatureHasher.TrimEdges(token);
        Start = token.Overlaps(Current, out var offset) ? start + offset : start;
        _count++;
        return true;
    }
}

/// <summary>
/// One hashed feature per harm-lexicon category of a word ("\u0001word:insult") and one for a negator, for the
/// convolution's word vectors.
/// </summary>
internal sealed class WordLexicon
{
    private readonly HarmLexicon _lexicon;
    private readonly int[] _features;
    private readonly int[] _negatedFeatures;
    private readonly int _negator;
    private readonly int _negatedWord;

    /// <summary>The word lexicon of a model whose shape asks for one, or null (no categories, or no harm lexicon).</summary>
    public static WordLexicon? For(NeuralShape shape, FeaturePipeline pipeline) =>
        shape.WordCategories && !pipeline.Harm.IsEmpty ? new WordLexicon(pipeline.Harm, pipeline.Hasher) : null;

    public WordLexicon(HarmLexicon lexicon, FeatureHasher hasher)
    {
        _lexicon = lexicon;
        _features = [.. lexicon.Categories.Select(c => hasher.WordFeature("\u0001word:" + c))];
        _negatedFeatures = [.. lexicon.Categories.Select(c => hasher.WordFeature("\u0001word:" + c + "@negated"))];
        _negator = hasher.WordFeature("\u0001word:negator");
        _negatedWord = hasher.WordFeature("\u0001word:negated");
    }

    public HarmLexicon Lexicon => _lexicon;

    public int MaxFeatures => _features.Length + 1;

    /// <summary>
    /// A masked word's features at <paramref name="used"/>: no n-grams; a negated harm word gets "negated" and its
    /// categories marked as negated, a group word its plain categories. Returns the new end.
    /// </summary>
    public int AppendMasked(ReadOnlySpan<char> word, bool negated, ref int[] features, int used)
    {
        if (features.Length < used + MaxFeatures + 1) Array.Resize(ref features, Math.Max(features.Length * 2, used + MaxFeatures + 1));
        if (!negated) return used + Extract(word, features.AsSpan(used));
        features[used++] = _negatedWord;
        var mask = _lexicon.WordCategories(word);
        for (var c = 0; mask != 0 && c < _negatedFeatures.Length; c++, mask >>= 1)
            if ((mask & 1) != 0) features[used++] = _negatedFeatures[c];
        return used;
    }

    public int Extract(ReadOnlySpan<char> word, Span<int> features)
    {
        var mask = _lexicon.WordCategories(word);
        var count = 0;
        for (var c = 0; mask != 0 && c < _features.Length; c++, mask >>= 1)
            if ((mask & 1) != 0) features[count++] = _features[c];
        if (_lexicon.IsNegator(word)) features[count++] = _negator;
        return count;
    }
}
