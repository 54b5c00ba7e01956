using System.Buffers;
using Warden.Text;

namespace Warden.Scoring.Fast;

/// <summary>
/// Text → feature indices, shared by training and inference so they can never disagree:
/// adversarial normalisation, hashed n-grams, and one lexicon feature per profane word, which lets
/// the model carry what it learnt about profanity to the 28 languages of the lexicon.
/// </summary>
public sealed class FeaturePipeline
{
    // Open-addressing tables, not HashSet<uint>: two lookups per word of every text, and HashSet's were 7% of scoring.
    private readonly KeyTable _lexiconWords = new();
    private readonly KeyTable _lexiconBigrams = new();
    private readonly ObfuscatedLexicon _obfuscatedWords = new(); // "sh*t"
    private readonly int _lexiconFeature;

    public FeaturePipeline(FeatureHasher hasher, IEnumerable<string> profanityLexicon, IReadOnlyDictionary<string, List<string>>? harmLexicon = null,
        bool maskGroupWords = false, bool groupConjunctions = true, bool groupContempt = false, bool selfHarmBlocksThreatConjunction = false)
    {
        Hasher = hasher;
        Harm = new HarmLexicon(hasher, harmLexicon ?? new Dictionary<string, List<string>>(), maskGroupWords, groupConjunctions, groupContempt,
            selfHarmBlocksThreatConjunction);
        foreach (var entry in profanityLexicon)
        {
            var words = ForFeatures(entry).Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 1)
            {
                _lexiconWords.Add(FeatureHasher.WordHash(words[0]), 1);
                _obfuscatedWords.Add(words[0], stem: false, 1);
            }
            else if (words.Length == 2) _lexiconBigrams.Add(BigramHash(FeatureHasher.WordHash(words[0]), FeatureHasher.WordHash(words[1])), 1);
        }
        _lexiconFeature = hasher.WordFeature("\u0001lexicon:profanity");
    }

    public FeatureHasher Hasher { get; }

    /// <summary>The pipeline a trained model was trained with, as its metadata records it.</summary>
    public static FeaturePipeline ForModel(FastModelMetadata metadata, int bucketBits) => new(
        new FeatureHasher(bucketBits, metadata.MinCharN, metadata.MaxCharN) { TrimWordPunctuation = metadata.TrimWordPunctuation, SkipBlankCharNgrams = metadata.SkipBlankCharNgrams },
        metadata.ProfanityLexicon, metadata.HarmLexicon, metadata.MaskGroupWords, metadata.GroupConjunctionFeatures, metadata.GroupContemptFeature,
        metadata.SelfHarmBlocksThreatConjunction)
    {
        DirectLexicon = metadata.DirectLexiconFeatures,
        LanguageWords = metadata.LanguageWordFeatures,
    };

    /// <summary>
    /// Each word also gets a feature in the text's language (<see cref="FeatureHasher.Extract"/>), when the language is
    /// given and known; off in older models.
    /// </summary>
    public bool LanguageWords { get; init; }

    /// <summary>Emit lexicon features as ~index, which <see cref="FastScorer.SumRows"/> adds unscaled.</summary>
    public bool DirectLexicon { get; init; }

    /// <summary>The category lexicons (insult, threat, ...); empty for models trained before they existed.</summary>
    public HarmLexicon Harm { get; }

    /// <summary>The feature of a word or two-word phrase of the profanity lexicon.</summary>
    public int ProfanityFeature => _lexiconFeature;

    /// <summary>Buffer size <see cref="ExtractNormalized"/> needs for a normalised text of this length.</summary>
    public int BufferSize(int normalizedLength) => Hasher.MaxFeatures(normalizedLength) + normalizedLength / 2 + 2 + Harm.MaxFeatures;

    /// <summary>The normalised form features are computed on.</summary>
    public static string ForFeatures(string text) => TextForm.Normalize(text);

    /// <summary>
    /// The normalised text a model scores: <see cref="ForFeatures"/>, except that punctuation alone is scored as an empty
    /// text (the model's prior, not whatever "!" co-occurred with).
    /// </summary>
    public static string ForScoring(string text)
    {
        var normalized = ForFeatures(text);
        return TextNormalizer.HasContent(normalized) ? normalized : "";
    }

    /// <summary>Whether a normalised word is in the profanity lexicon.</summary>
    public bool IsProfane(ReadOnlySpan<char> normalizedWord) => IsProfane(normalizedWord, FeatureHasher.WordHash(normalizedWord));

    /// <summary>The same, with the word's hash already computed: as spelt, with a stretched letter cut back, or without an
    /// elided article or pronoun ("dell'idiota").</summary>
    private bool IsProfane(ReadOnlySpan<char> word, uint hash) =>
        _lexiconWords.Get(hash) != 0 || TextNormalizer.HasElongation(word) && IsElongatedProfanity(word)
        || TextNormalizer.ElidedWordStart(word) is > 0 and var rest && IsProfane(word[rest..], FeatureHasher.WordHash(word[rest..]));

    public bool IsProfaneBigram(ReadOnlySpan<char> first, ReadOnlySpan<char> second) =>
        _lexiconBigrams.Get(BigramHash(FeatureHasher.WordHash(first), FeatureHasher.WordHash(second))) != 0;

    /// <summary>Features of a raw text into a rented buffer (return it to ArrayPool&lt;int&gt;.Shared); returns the count.</summary>
    /// <param name="maskPlainHits">Training only: lexicon dropout (see <see cref="HarmLexicon.Extract"/>).</param>
    /// <param name="language">The text's detected language, for <see cref="LanguageWords"/>.</param>
    public int Extract(string text, out int[] buffer, bool maskPlainHits = false, string? language = null) =>
        Extract(text, out buffer, out _, maskPlainHits, language);

    /// <param name="reporting">Whether the text holds a reporting word (<see cref="HarmLexicon.ReportingCategory"/>).</param>
    public int Extract(string text, out int[] buffer, out bool reporting, bool maskPlainHits = false, string? language = null)
    {
        var normalized = ForScoring(text);
        buffer = ArrayPool<int>.Shared.Rent(BufferSize(normalized.Length));
        return ExtractNormalized(normalized, buffer, out reporting, maskPlainHits, language);
    }

    /// <summary>Features of an already-normalised text; <paramref name="buffer"/> must hold <see cref="BufferSize"/> items.</summary>
    public int ExtractNormalized(ReadOnlySpan<char> normalized, Span<int> buffer, bool maskPlainHits = false, string? language = null) =>
        ExtractNormalized(normalized, buffer, out _, maskPlainHits, language);

    /// <param name="reporting">Whether the text holds a reporting word (<see cref="HarmLexicon.ReportingCategory"/>).</param>
    public int ExtractNormalized(ReadOnlySpan<char> normalized, Span<int> buffer, out bool reporting, bool maskPlainHits = false, string? language = null)
    {
        var salt = LanguageWords ? FeatureHasher.LanguageSalt(language) : 0;
        var count = Harm.Extract(Hasher, normalized, buffer, out reporting, DirectLexicon, maskPlainHits, salt);
        var lexiconFeature = DirectLexicon ? ~_lexiconFeature : _lexiconFeature;
        if (_lexiconWords.Count == 0 && _lexiconBigrams.Count == 0) return count;
        uint previous = 0;
        var start = -1;
        for (var i = 0; i <= normalized.Length; i++)
        {
            if (i < normalized.Length && normalized[i] != ' ') { if (start < 0) start = i; continue; }
            if (start < 0) continue;
            var trimmed = FeatureHasher.TrimEdges(normalized[start..i]); // "shit!" is still "shit"
            var word = FeatureHasher.WordHash(trimmed);
            if (IsProfane(trimmed, word) || (previous != 0 && _lexiconBigrams.Get(BigramHash(previous, word)) != 0)
                || ObfuscatedLexicon.IsCandidate(trimmed) && _obfuscatedWords.Match(trimmed) != 0)
                buffer[count++] = lexiconFeature;
            previous = word;
            start = -1;
        }
        return count;
    }

    private static uint BigramHash(uint first, uint second) => first * 0x9E3779B1u ^ second;

    /// <summary>Whether a word with a stretched letter ("fuuuck", "shiiit") is profane with the letter cut to one or two
    /// (<see cref="TextNormalizer.CollapseElongation"/>).</summary>
    private bool IsElongatedProfanity(ReadOnlySpan<char> word)
    {
        if (word.Length > TextNormalizer.MaxElongatedWordLength) return false;
        Span<char> collapsed = stackalloc char[word.Length];
        for (var keep = 1; keep <= 2; keep++)
            if (_lexiconWords.Get(FeatureHasher.WordHash(collapsed[..TextNormalizer.CollapseElongation(word, keep, collapsed)])) != 0) return true;
        return false;
    }
}
