using System.Runtime.CompilerServices;

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
        // Character n-grams of the padded word; the lone padding space is not a feature.
        for (int end = 1; end <= w.Length; end++)
        {
            for (int n = 1; n <= MaxNgram && n <= end; n++)
            {
                if (n == 1 && w[end - 1] == ' ') continue;
                uint h = seed ^ (uint)n * 0x9E3779B9u;
                for (int p = end - n; p < end; p++) h = (h ^ w[p]) * 16777619u;
                sink.Add(Bucket(h, shift));
            }
        }
        if (w.Length - 2 > 1)
        {
            // The whole word: separates languages that share n-grams but not vocabulary (id/ms, no/da).
            uint h = seed ^ 0x5BD1E995u;
            foreach (char c in w) h = (h ^ c) * 16777619u;
            sink.Add(Bucket(h, shift));
        }
    }

    /// <summary>Counts letters per script; used for the script shortcuts and to pick candidate languages.</summary>
    public static int ScriptCensus(ReadOnlySpan<char> text, Span<int> counts)
    {
        int letters = 0;
        for (int i = 0; i < text.Length; i++)
        {
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
        return letters;
    }
}
