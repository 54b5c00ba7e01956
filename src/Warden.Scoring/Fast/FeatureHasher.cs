using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

using Warden.Text;

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
        // Character n-grams over " text ", so word starts and ends are their own n-grams.
        var count = CharNgrams(text, features);

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

    /// <summary>
    /// The salted (not yet finished) hashes of the character n-grams of " text ", position by position, shortest first;
    /// n-grams of nothing but spaces are left out when <see cref="SkipBlankCharNgrams"/>. Blocks of eight positions
    /// whose n-grams all lie inside the padded text are hashed eight lanes at a time; the rest one by one. Both give the
    /// same values in the same order, so the scores are those of the plain loop bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CharNgrams(ReadOnlySpan<char> text, Span<int> features)
    {
        var padded = text.Length + 2;
        var count = 0;
        var i = 0;
        // The blocks store eight lanes past the last kept n-gram, so they need that much room beyond the n-grams
        // (MaxFeatures leaves it); a smaller buffer takes the plain loop, which fails on a write out of range instead.
        if (Avx2.IsSupported && padded >= Vector256<uint>.Count + MaxCharN - 1
            && features.Length >= padded * (MaxCharN - MinCharN + 1) + Vector256<uint>.Count)
        {
            var rented = padded > 1024 ? ArrayPool<char>.Shared.Rent(padded) : null;
            var chars = rented is null ? stackalloc char[padded] : rented.AsSpan(0, padded);
            chars[0] = ' ';
            text.CopyTo(chars[1..]);
            chars[padded - 1] = ' ';
            var blocks = (padded - MaxCharN + 1) / Vector256<uint>.Count; // every lane's longest n-gram fits
            count = CharNgramBlocks(chars, blocks, features);
            i = blocks * Vector256<uint>.Count;
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
        for (; i < padded; i++)
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
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int CharNgramBlocks(ReadOnlySpan<char> padded, int blocks, Span<int> features)
    {
        const int Lanes = 8;
        ref var chars = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(padded));
        ref var output = ref Unsafe.As<int, uint>(ref MemoryMarshal.GetReference(features));
        var space = Vector256.Create((uint)' ');
        var skipBlank = SkipBlankCharNgrams ? Vector256<uint>.AllBitsSet : Vector256<uint>.Zero;
        int min = MinCharN, max = MaxCharN;
        var lengths = (ulong)(((1 << max) - 1) & ~((1 << (min - 1)) - 1)) * 0x0101010101010101UL; // per lane, bit n-1: n in [min, max]
        var count = 0;
        Span<Vector256<uint>> rows = stackalloc Vector256<uint>[Lanes]; // [n - 1] = the n-grams of the eight positions
        for (var b = 0; b < blocks; b++)
        {
            var start = (nuint)(b * Lanes);
            var h = Vector256.Create(2166136261u);
            var blank = skipBlank;
            ulong blanks = 0; // byte n - 1, bit = lane
            for (var n = 1; n <= max; n++)
            {
                var c = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref chars, start + (nuint)(n - 1))).AsUInt32();
                h = (h ^ c) * 16777619u;
                blank &= Vector256.Equals(c, space);
                rows[n - 1] = h ^ Vector256.Create((uint)n * 0x85EBCA6Bu);
                blanks |= (ulong)blank.ExtractMostSignificantBits() << ((n - 1) * 8);
            }
            for (var n = max; n < Lanes; n++) rows[n] = Vector256<uint>.Zero;
            // Position-major order, like the plain loop: transpose to one vector per position (element n - 1 = its
            // n-gram), then keep the wanted lengths that are not blank, packed to the front by a table of permutations.
            var keep = ~TransposeBits(blanks) & lengths; // byte = position, bit n - 1 = keep
            Transpose(rows);
            for (var lane = 0; lane < Lanes; lane++)
            {
                var bits = (int)(keep >> (lane * 8)) & 0xFF;
                Avx2.PermuteVar8x32(rows[lane], Compaction.Permutation(bits).AsUInt32()).StoreUnsafe(ref output, (nuint)count);
                count += BitOperations.PopCount((uint)bits);
            }
        }
        return count;
    }

    /// <summary>Transposes an 8×8 bit matrix held as eight bytes (Hacker's Delight, transpose8).</summary>
    private static ulong TransposeBits(ulong x)
    {
        var t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAUL; x ^= t ^ (t << 7);
        t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCUL; x ^= t ^ (t << 14);
        t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0UL; x ^= t ^ (t << 28);
        return x;
    }

    /// <summary>Transposes eight vectors of eight lanes in place: afterwards rows[p][n] is what rows[n][p] was.</summary>
    private static void Transpose(Span<Vector256<uint>> rows)
    {
        var t0 = Avx2.UnpackLow(rows[0], rows[1]); var t1 = Avx2.UnpackHigh(rows[0], rows[1]);
        var t2 = Avx2.UnpackLow(rows[2], rows[3]); var t3 = Avx2.UnpackHigh(rows[2], rows[3]);
        var t4 = Avx2.UnpackLow(rows[4], rows[5]); var t5 = Avx2.UnpackHigh(rows[4], rows[5]);
        var t6 = Avx2.UnpackLow(rows[6], rows[7]); var t7 = Avx2.UnpackHigh(rows[6], rows[7]);
        var u0 = Avx2.UnpackLow(t0.AsUInt64(), t2.AsUInt64()).AsUInt32(); var u1 = Avx2.UnpackHigh(t0.AsUInt64(), t2.AsUInt64()).AsUInt32();
        var u2 = Avx2.UnpackLow(t1.AsUInt64(), t3.AsUInt64()).AsUInt32(); var u3 = Avx2.UnpackHigh(t1.AsUInt64(), t3.AsUInt64()).AsUInt32();
        var u4 = Avx2.UnpackLow(t4.AsUInt64(), t6.AsUInt64()).AsUInt32(); var u5 = Avx2.UnpackHigh(t4.AsUInt64(), t6.AsUInt64()).AsUInt32();
        var u6 = Avx2.UnpackLow(t5.AsUInt64(), t7.AsUInt64()).AsUInt32(); var u7 = Avx2.UnpackHigh(t5.AsUInt64(), t7.AsUInt64()).AsUInt32();
        rows[0] = Avx2.Permute2x128(u0, u4, 0x20); rows[4] = Avx2.Permute2x128(u0, u4, 0x31);
        rows[1] = Avx2.Permute2x128(u1, u5, 0x20); rows[5] = Avx2.Permute2x128(u1, u5, 0x31);
        rows[2] = Avx2.Permute2x128(u2, u6, 0x20); rows[6] = Avx2.Permute2x128(u2, u6, 0x31);
        rows[3] = Avx2.Permute2x128(u3, u7, 0x20); rows[7] = Avx2.Permute2x128(u3, u7, 0x31);
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
    public static bool IsWordChar(char c) => c < 0x80 ? (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9 : char.IsLetterOrDigit(c) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c)
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
