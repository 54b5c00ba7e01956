using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Warden.Scoring.Fast;

/// <summary>
/// Turns a normalised text into hashed feature indices, fastText-style: character n-grams over the
/// space-padded text (they survive spelling tricks, inflection and unseen languages) plus word
/// unigrams and bigrams (they carry phrase-level meaning such as negation). Stateless and thread-safe.
/// </summary>
public sealed class FeatureHasher
{
    public FeatureHasher(int bucketBits, int minCharN = 2, int maxCharN = 5)
    {
        if (bucketBits is < 10 or > 26) throw new ArgumentOutOfRangeException(nameof(bucketBits));
        if (minCharN < 1 || maxCharN < minCharN || maxCharN > 8) throw new ArgumentOutOfRangeException(nameof(maxCharN));
        BucketBits = bucketBits;
        MinCharN = minCharN;
        MaxCharN = maxCharN;
        _mask = (1 << bucketBits) - 1;
    }

    private readonly int _mask;

    public int BucketBits { get; }

    /// <summary>
    /// Word unigrams and bigrams use the word without the punctuation at its edges ("idiot!" and «idiot» are "idiot");
    /// off only for models trained before this existed.
    /// </summary>
    public bool TrimWordPunctuation { get; init; }

    /// <summary>
    /// Leave out character n-grams that are nothing but spaces (the padding and the gaps between words). They occur in
    /// every text, so they learn a bias that the 1/√n scaling makes large only in very short texts: a text of one masked
    /// group name or "?" scored threat 0.65. Off only for models trained before this existed.
    /// </summary>
    public bool SkipBlankCharNgrams { get; init; }

    public int MinCharN { get; }
    public int MaxCharN { get; }
    public int Buckets => 1 << BucketBits;

    /// <summary>An upper bound on the number of features of a normalised text of this length.</summary>
    public int MaxFeatures(int normalizedLength) => (normalizedLength + 2) * (MaxCharN - MinCharN + 1) + 3 * (normalizedLength + 1) + 1;

    /// <summary>
    /// The salt of a language's word features (<see cref="Extract"/>); 0, which emits none, for "und" and no language.
    /// </summary>
    public static uint LanguageSalt(string? language) =>
        string.IsNullOrEmpty(language) || language == "und" ? 0 : WordHash("\u0002language:" + language);

    /// <summary>Rents a buffer big enough for <see cref="Extract"/>; return it to ArrayPool&lt;int&gt;.Shared.</summary>
    public int[] RentBuffer(int normalizedLength) => ArrayPool<int>.Shared.Rent(MaxFeatures(normalizedLength));

    /// <summary>Writes the feature indices of <paramref name="text"/> into <paramref name="features"/> and returns how many.</summary>
    /// <param name="languageSalt">
    /// Not 0 (<see cref="LanguageSalt"/>): each word of two or more characters also gets a feature of its own in the text's language. The n-grams are
    /// shared by every language, so a word spelt like another language's insult ("retard" in French, "slut" in Swedish)
    /// carries that insult's weight; its copy in its own language can learn the correction from that language's texts.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Extract(ReadOnlySpan<char> text, Span<int> features, uint languageSalt = 0)
    {
        // Two passes: the FNV hashes (a serial chain per n-gram) first, salted by kind, then the murmur finaliser and
        // the bucket mask over the whole buffer eight at a time. Same indices as finishing each hash as it is made.
        var count = 0;
        // Character n-grams over " text ", so word starts and ends are their own n-grams.
        var padded = text.Length + 2;
        for (var i = 0; i < padded; i++)
        {
            uint h = 2166136261;
            var blank = SkipBlankCharNgrams;
            for (var n = 1; n <= MaxCharN && i + n <= padded; n++)
            {
                var c = CharAt(text, i + n - 1);
                h = (h ^ c) * 16777619;
                blank &= c == ' ';
                if (n >= MinCharN && !blank) features[count++] = (int)Salt(h, (uint)n);
            }
        }

        // Word unigrams and bigrams; words are the space-separated tokens of the normalised text.
        uint previous = 0;
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var boundary = i == text.Length || text[i] == ' ';
            if (!boundary) { if (start < 0) start = i; continue; }
            if (start < 0) continue;
            var token = TrimWordPunctuation ? TrimEdges(text[start..i]) : text[start..i];
            var word = WordHash(token);
            features[count++] = (int)Salt(word, 101);
            // Not for one character: a mask's stand-in (a group name, a negated word) must not learn a language's bias.
            if (languageSalt != 0 && token.Length > 1) features[count++] = (int)Salt((word ^ languageSalt) * 16777619, 103);
            if (previous != 0) features[count++] = (int)Salt(word * 31 + previous * 0x9E3779B1u, 102);
            previous = word;
            start = -1;
        }
        FinishAll(MemoryMarshal.Cast<int, uint>(features[..count]), (uint)_mask);
        return count;
    }

    /// <summary>Avalanche and mask every salted hash in place (SIMD where available).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FinishAll(Span<uint> hashes, uint mask)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref var origin = ref MemoryMarshal.GetReference(hashes);
            var m = Vector256.Create(mask);
            for (; i + Vector256<uint>.Count <= hashes.Length; i += Vector256<uint>.Count)
            {
                var h = Vector256.LoadUnsafe(ref origin, (nuint)i);
                h ^= Vector256.ShiftRightLogical(h, 16);
                h *= 0x85EBCA6Bu;
                h ^= Vector256.ShiftRightLogical(h, 13);
                h *= 0xC2B2AE35u;
                h ^= Vector256.ShiftRightLogical(h, 16);
                (h & m).StoreUnsafe(ref origin, (nuint)i);
            }
        }
        for (; i < hashes.Length; i++) hashes[i] = Avalanche(hashes[i]) & mask;
    }

    /// <summary>A token without leading and trailing punctuation; tokens that are nothing but punctuation stay as they are.</summary>
    public static ReadOnlySpan<char> TrimEdges(ReadOnlySpan<char> token)
    {
        int from = 0, to = token.Length;
        while (from < to && !IsWordChar(token[from])) from++;
        while (to > from && !IsWordChar(token[to - 1])) to--;
        return from == to ? token : token[from..to];
    }

    /// <summary>Letters, digits and combining marks: Devanagari and Bengali words end in vowel signs, which are marks.</summary>
    public static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c)
        is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.EnclosingMark;

    /// <summary>The hash of one normalised word; used to map word features back to words for spans.</summary>
    public static uint WordHash(ReadOnlySpan<char> word)
    {
        uint h = 2166136261;
        foreach (var c in word) h = (h ^ c) * 16777619;
        return h | 1; // never 0, which marks "no previous word"
    }

    /// <summary>The feature index of a word unigram.</summary>
    public int WordFeature(ReadOnlySpan<char> word) => Finish(WordHash(word), 101);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char CharAt(ReadOnlySpan<char> text, int paddedIndex) =>
        paddedIndex == 0 || paddedIndex == text.Length + 1 ? ' ' : text[paddedIndex - 1];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Finish(uint h, uint kind)
    {
        // The murmur3 finaliser spreads the FNV state over all bits before masking.
        return (int)(Avalanche(Salt(h, kind)) & (uint)_mask);
    }

    /// <summary>Separates the kinds of feature (n-gram length, word, bigram) before the finaliser.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Salt(uint h, uint kind) => h ^ kind * 0x85EBCA6Bu;

    /// <summary>The murmur3 32-bit finaliser: every input bit affects every output bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Avalanche(uint h)
    {
        h ^= h >> 16; h *= 0x85EBCA6Bu; h ^= h >> 13; h *= 0xC2B2AE35u; h ^= h >> 16;
        return h;
    }
}
