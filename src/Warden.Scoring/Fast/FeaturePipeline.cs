using System.Buffers;

namespace Warden.Scoring.Fast;

/// <summary>
/// Text → feature indices, shared by training and inference so they can never disagree:
/// adversarial normalisation, hashed n-grams, and one lexicon feature per profane word, which lets
/// the model carry what it learnt about profanity to the 28 languages of the lexicon.
/// </summary>
public sealed class FeaturePipeline
{
    private readonly HashSet<uint> _lexiconWords = [];
    private readonly HashSet<uint> _lexiconBigrams = [];
    private readonly int _lexiconFeature;

    public FeaturePipeline(FeatureHasher hasher, IEnumerable<string> profanityLexicon)
    {
        Hasher = hasher;
        foreach (var entry in profanityLexicon)
        {
            var words = ForFeatures(entry).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 1) _lexiconWords.Add(FeatureHasher.WordHash(words[0]));
            else if (words.Length == 2) _lexiconBigrams.Add(BigramHash(FeatureHasher.WordHash(words[0]), FeatureHasher.WordHash(words[1])));
        }
        _lexiconFeature = hasher.WordFeature("\u0001lexicon:profanity");
    }

    public FeatureHasher Hasher { get; }

    /// <summary>The normalised form features are computed on.</summary>
    public static string ForFeatures(string text) => TextForm.Normalize(text);

    /// <summary>Whether a normalised word is in the profanity lexicon.</summary>
    public bool IsProfane(ReadOnlySpan<char> normalizedWord) => _lexiconWords.Contains(FeatureHasher.WordHash(normalizedWord));

    public bool IsProfaneBigram(ReadOnlySpan<char> first, ReadOnlySpan<char> second) =>
        _lexiconBigrams.Contains(BigramHash(FeatureHasher.WordHash(first), FeatureHasher.WordHash(second)));

    /// <summary>Features of a raw text into a rented buffer (return it to ArrayPool&lt;int&gt;.Shared); returns the count.</summary>
    public int Extract(string text, out int[] buffer)
    {
        var normalized = ForFeatures(text);
        buffer = ArrayPool<int>.Shared.Rent(Hasher.MaxFeatures(normalized.Length) + normalized.Length / 2 + 2);
        return ExtractNormalized(normalized, buffer);
    }

    /// <summary>Features of an already-normalised text; <paramref name="buffer"/> must hold MaxFeatures + length/2 + 2.</summary>
    public int ExtractNormalized(ReadOnlySpan<char> normalized, Span<int> buffer)
    {
        var count = Hasher.Extract(normalized, buffer);
        if (_lexiconWords.Count == 0 && _lexiconBigrams.Count == 0) return count;
        uint previous = 0;
        var start = -1;
        for (var i = 0; i <= normalized.Length; i++)
        {
            if (i < normalized.Length && normalized[i] != ' ') { if (start < 0) start = i; continue; }
            if (start < 0) continue;
            var word = FeatureHasher.WordHash(normalized[start..i]);
            if (_lexiconWords.Contains(word) || (previous != 0 && _lexiconBigrams.Contains(BigramHash(previous, word))))
                buffer[count++] = _lexiconFeature;
            previous = word;
            start = -1;
        }
        return count;
    }

    private static uint BigramHash(uint first, uint second) => first * 0x9E3779B1u ^ second;
}
