using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Warden.Text.LanguageId;

/// <summary>Receives hashed feature buckets; a struct implementation lets the JIT inline the call.</summary>
internal interface IFeatureSink
{
    void Add(int bucket);
}

/// <summary>
/// Feature extraction shared by training and inference (they must agree bit for bit): every word
/// (letters and combining marks, lower-cased, padded with a space on each side) contributes its
/// character 1- to 4-grams and the whole word, each hashed into 2^hashBits buckets. Digits,
/// punctuation, emoji, URLs, @mentions and e-mail addresses carry no language and are skipped.
/// </summary>
internal static class LangIdFeatures
{
    public const int MaxNgram = 4;
    private const int MaxWord = 48; // longer "words" (hashes, base64) are truncated: still language-neutral

    /// <summary>Extracts features; returns the number of words seen (0 = nothing language-bearing).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int Extract<TSink>(ReadOnlySpan<char> text, uint seed, int hashBits, ref TSink sink)
        where TSink : struct, IFeatureSink, allows ref struct
    {
        scoped Span<char> word = stackalloc char[MaxWord + 2];
        int words = 0;
        int i = 0;
        int shift = 32 - hashBits;
        while (i < text.Length)
        {
            // Whitespace-delimited chunk first, to drop URLs, mentions and e-mails as a whole.
            while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
            int s = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i])) i++;
            var chunk = text[s..i];
            if (chunk.IsEmpty || IsNonLinguistic(chunk)) continue;
            int k = 0;
            while (k < chunk.Length)
            {
                int n = 0;
                word[n++] = ' ';
                while (k < chunk.Length)
                {
                    char c = chunk[k];
                    if (!IsLetterOrMark(c)) break;
                    if (n <= MaxWord) word[n++] = CharInfo.Lower(c);
                    k++;
                }
                if (n > 1)
                {
                    word[n++] = ' ';
                    AddWord(word[..n], seed, shift, ref sink);
                    words++;
                }
                else
                {
                    k++;
                }
            }
        }
        return words;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsLetterOrMark(char c) =>
        c < 0x80 ? (uint)((c | 0x20) - 'a') <= 'z' - 'a' : (CharInfo.Get(c) & (CharInfo.Letter | CharInfo.Mark)) != 0;

    private static bool IsNonLinguistic(ReadOnlySpan<char> chunk) =>
        chunk[0] == '@'
        || chunk.Contains("://", StringComparison.Ordinal)
        || chunk.StartsWith("www.", StringComparison.OrdinalIgnoreCase)
        || chunk.IndexOf('@') > 0 && chunk.IndexOf('.') > 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Bucket(uint h, int shift) => (int)((h * 0x9E3779B1u) >> shift);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddWord<TSink>(scoped ReadOnlySpan<char> w, uint seed, int shift, ref TSink sink)
        where TSink : struct, IFeatureSink, allows ref struct
    {
        // Character n-grams of the padded word, each hashed from its first character (FNV-1a with a seed per length);
        // the lone padding space is not a feature. The three characters before the current one are kept in locals so
        // each n-gram costs its n multiply-xors without re-reading the span (the hashes are those of the plain loop).
        uint s1 = seed ^ unchecked(1u * 0x9E3779B9u), s2 = seed ^ unchecked(2u * 0x9E3779B9u);
        uint s3 = seed ^ unchecked(3u * 0x9E3779B9u), s4 = seed ^ unchecked(4u * 0x9E3779B9u);
        uint c1 = 0, c2 = 0, c3 = 0; // the characters 1, 2 and 3 places before c
        for (int end = 1; end <= w.Length; end++)
        {
            uint c = w[end - 1];
            if (c != ' ') sink.Add(Bucket((s1 ^ c) * 16777619u, shift));
            if (end >= 2) sink.Add(Bucket((((s2 ^ c1) * 16777619u) ^ c) * 16777619u, shift));
            if (end >= 3) sink.Add(Bucket((((((s3 ^ c2) * 16777619u) ^ c1) * 16777619u) ^ c) * 16777619u, shift));
            if (end >= 4) sink.Add(Bucket((((((((s4 ^ c3) * 16777619u) ^ c2) * 16777619u) ^ c1) * 16777619u) ^ c) * 16777619u, shift));
            c3 = c2;
            c2 = c1;
            c1 = c;
        }
        if (w.Length - 2 > 1)
        {
            // The whole word: separates languages that share n-grams but not vocabulary (id/ms, no/da).
            uint h = seed ^ 0x5BD1E995u;
            foreach (char ch in w) h = (h ^ ch) * 16777619u;
            sink.Add(Bucket(h, shift));
        }
    }

    /// <summary>Counts letters per script; used for the script shortcuts and to pick candidate languages.</summary>
    public static int ScriptCensus(ReadOnlySpan<char> text, Span<int> counts)
    {
        int letters = 0;
        int latin = 0;
        ref var origin = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(text));
        for (int i = 0; i < text.Length; i++)
        {
            // Sixteen ASCII characters at a time: only their Latin letters count.
            while (Vector256.IsHardwareAccelerated && i + Vector256<ushort>.Count <= text.Length)
            {
                var block = Vector256.LoadUnsafe(ref origin, (nuint)i);
                if ((block & Vector256.Create((ushort)0xFF80)) != Vector256<ushort>.Zero) break;
                var isLetter = Vector256.LessThanOrEqual((block | Vector256.Create((ushort)0x20)) - Vector256.Create((ushort)'a'), Vector256.Create((ushort)('z' - 'a')));
                latin += BitOperations.PopCount(isLetter.ExtractMostSignificantBits());
                i += Vector256<ushort>.Count;
            }
            if (i >= text.Length) break;
            char c = text[i];
            if (c < 0x80)
            {
                if ((uint)((c | 0x20) - 'a') <= 'z' - 'a') { counts[(int)Script.Latin]++; letters++; }
                continue;
            }
            if (char.IsHighSurrogate(c))
            {
                // Supplementary planes: only CJK extensions matter for language.
                if (c >= 0xD840 && c <= 0xD87F) { counts[(int)Script.Han]++; letters++; }
                i++;
                continue;
            }
            if (!CharInfo.Is(c, CharInfo.Letter)) continue;
            var s = Scripts.Of(c);
            if (s == Script.Other) continue;
            counts[(int)s]++;
            letters++;
        }
        counts[(int)Script.Latin] += latin;
        return letters + latin;
    }
}
