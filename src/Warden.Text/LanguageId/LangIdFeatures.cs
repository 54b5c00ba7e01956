using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Warden.Text.LanguageId;

/// <summary>Receives hashed feature buckets; a struct implementation lets the JIT inline the call.</summary>
internal interface IFeatureSink
{
    void Add(int bucket);
}

/// <summary>
/// A sink that also takes up to eight buckets at once, packed at the front of a vector: the vectorised extraction
/// (<see cref="LangIdFeatures.ExtractPadded"/>) adds its n-grams that way. Sums are integers, so the order in which the
/// buckets arrive changes nothing.
/// </summary>
internal interface IVectorFeatureSink : IFeatureSink
{
    /// <summary>Adds the first <paramref name="count"/> lanes of <paramref name="buckets"/>.</summary>
    void Add(Vector256<int> buckets, int count);
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
        var words = new WordFeatures(seed, 32 - hashBits);
        return ScanWords(text, ref words, ref sink);
    }

    /// <summary>
    /// The same features as <see cref="Extract"/>, in another order, into a sink that also takes packed vectors of
    /// buckets: the padded words are laid end to end in one buffer first, and the character n-grams ending at eight
    /// places are hashed at a time (AVX2). Without AVX2, or for texts over 32K characters, this is <see cref="Extract"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ExtractPadded<TSink>(ReadOnlySpan<char> text, uint seed, int hashBits, ref TSink sink)
        where TSink : struct, IVectorFeatureSink, allows ref struct
    {
        // Very long texts take the plain path rather than grow a per-thread buffer for good.
        if (!Avx2.IsSupported || text.Length > MaxPaddedText) return Extract(text, seed, hashBits, ref sink);
        // A word of k letters takes k + 2 places (at most 50); the worst case is one-letter words ("a.b.c": 3 places per
        // 2 characters). Three places before the first word and eight after it let every lane read its window.
        var capacity = Lead + text.Length * 2 + 2 + Vector256<int>.Count;
        var scratch = t_scratch ??= new Scratch();
        scratch.Ensure(capacity);
        var chars = scratch.Chars.AsSpan(0, capacity);
        var segments = scratch.Segments.AsSpan(0, capacity);
        var layout = new PaddedWords(seed, 32 - hashBits, chars, segments);
        var words = ScanWords(text, ref layout, ref sink);
        var end = layout.Length;
        chars[end..(end + Vector256<int>.Count)].Fill(' ');
        segments[end..(end + Vector256<int>.Count)].Fill(-1);
        HashPadded(chars[..(end + Vector256<int>.Count)], segments[..(end + Vector256<int>.Count)], end, seed, 32 - hashBits, ref sink);
        return words;
    }

    private const int Lead = 3;
    private const int MaxPaddedText = 1 << 15;

    /// <summary>Per-thread buffers for the laid-out words (the identifier is shared by all threads).</summary>
    private sealed class Scratch
    {
        public char[] Chars = new char[256];
        public int[] Segments = new int[256];

        public void Ensure(int capacity)
        {
            if (Chars.Length >= capacity) return;
            var size = Math.Max(capacity, Chars.Length * 2);
            Chars = new char[size];
            Segments = new int[size];
        }
    }

    [ThreadStatic] private static Scratch? t_scratch;

    /// <summary>Receives each word, lower-cased and padded with a space on each side.</summary>
    private interface IWordSink
    {
        void Word<TSink>(scoped ReadOnlySpan<char> padded, ref TSink sink) where TSink : struct, IFeatureSink, allows ref struct;
    }

    private readonly struct WordFeatures(uint seed, int shift) : IWordSink
    {
        public void Word<TSink>(scoped ReadOnlySpan<char> padded, ref TSink sink) where TSink : struct, IFeatureSink, allows ref struct =>
            AddWord(padded, seed, shift, ref sink);
    }

    /// <summary>Lays the padded words end to end, each place tagged with its word's number (-1 before the first), and
    /// adds each word's whole-word feature at once.</summary>
    private ref struct PaddedWords : IWordSink
    {
        private readonly uint _seed;
        private readonly int _shift;
        private readonly Span<char> _chars;
        private readonly Span<int> _segments;
        private int _count;

        public PaddedWords(uint seed, int shift, Span<char> chars, Span<int> segments)
        {
            _seed = seed;
            _shift = shift;
            _chars = chars;
            _segments = segments;
            _chars[..Lead].Fill(' ');
            _segments[..Lead].Fill(-1);
            Length = Lead;
        }

        public int Length { get; private set; }

        public void Word<TSink>(scoped ReadOnlySpan<char> padded, ref TSink sink) where TSink : struct, IFeatureSink, allows ref struct
        {
            padded.CopyTo(_chars[Length..]);
            _segments.Slice(Length, padded.Length).Fill(_count++);
            Length += padded.Length;
            AddWholeWord(padded, _seed, _shift, ref sink);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScanWords<TWords, TSink>(ReadOnlySpan<char> text, scoped ref TWords layout, ref TSink sink)
        where TWords : struct, IWordSink, allows ref struct
        where TSink : struct, IFeatureSink, allows ref struct
    {
        scoped Span<char> word = stackalloc char[MaxWord + 2];
        int words = 0;
        int i = 0;
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
                    layout.Word(word[..n], ref sink);
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

    /// <summary>
    /// The character n-grams (1 to 4) ending at each place of the laid-out words, eight places at a time: an n-gram
    /// counts when its first place belongs to the same word as its last (and a 1-gram when it is not the padding), as
    /// in <see cref="AddWord"/>; the kept ones are packed together before they go to the sink.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HashPadded<TSink>(scoped ReadOnlySpan<char> chars, scoped ReadOnlySpan<int> segments, int end, uint seed, int shift, ref TSink sink)
        where TSink : struct, IVectorFeatureSink, allows ref struct
    {
        ref var c0 = ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(chars));
        ref var g0 = ref MemoryMarshal.GetReference(segments);
        var prime = Vector256.Create(16777619u);
        var golden = Vector256.Create(0x9E3779B1u);
        var s1 = Vector256.Create(seed ^ unchecked(1u * 0x9E3779B9u));
        var s2 = Vector256.Create(seed ^ unchecked(2u * 0x9E3779B9u));
        var s3 = Vector256.Create(seed ^ unchecked(3u * 0x9E3779B9u));
        var s4 = Vector256.Create(seed ^ unchecked(4u * 0x9E3779B9u));
        var space = Vector256.Create((uint)' ');
        for (var p = Lead; p < end; p += Vector256<int>.Count)
        {
            var at = (nuint)p;
            var c = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref c0, at)).AsUInt32();
            var b1 = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref c0, at - 1)).AsUInt32();
            var b2 = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref c0, at - 2)).AsUInt32();
            var b3 = Avx2.ConvertToVector256Int32(Vector128.LoadUnsafe(ref c0, at - 3)).AsUInt32();
            var g = Vector256.LoadUnsafe(ref g0, at);
            var inWord = ~Vector256.LessThan(g, Vector256<int>.Zero);
            var h1 = (s1 ^ c) * prime;
            var h2 = (((s2 ^ b1) * prime) ^ c) * prime;
            var h3 = (((((s3 ^ b2) * prime) ^ b1) * prime) ^ c) * prime;
            var h4 = (((((((s4 ^ b3) * prime) ^ b2) * prime) ^ b1) * prime) ^ c) * prime;
            AddKept(Bucket(h1, golden, shift), inWord & ~Vector256.Equals(c, space).AsInt32(), ref sink);
            AddKept(Bucket(h2, golden, shift), inWord & Vector256.Equals(Vector256.LoadUnsafe(ref g0, at - 1), g), ref sink);
            AddKept(Bucket(h3, golden, shift), inWord & Vector256.Equals(Vector256.LoadUnsafe(ref g0, at - 2), g), ref sink);
            AddKept(Bucket(h4, golden, shift), inWord & Vector256.Equals(Vector256.LoadUnsafe(ref g0, at - 3), g), ref sink);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddKept<TSink>(Vector256<int> buckets, Vector256<int> keep, ref TSink sink)
        where TSink : struct, IVectorFeatureSink, allows ref struct
    {
        var mask = (int)keep.ExtractMostSignificantBits();
        sink.Add(Avx2.PermuteVar8x32(buckets, Compaction.Permutation(mask)), BitOperations.PopCount((uint)mask));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Bucket(Vector256<uint> h, Vector256<uint> golden, int shift) =>
        Vector256.ShiftRightLogical(h * golden, shift).AsInt32();

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
        AddWholeWord(w, seed, shift, ref sink);
    }

    /// <summary>The whole word (two letters or more): separates languages that share n-grams but not vocabulary (id/ms, no/da).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWholeWord<TSink>(scoped ReadOnlySpan<char> w, uint seed, int shift, ref TSink sink)
        where TSink : struct, IFeatureSink, allows ref struct
    {
        if (w.Length - 2 <= 1) return;
        uint h = seed ^ 0x5BD1E995u;
        foreach (char ch in w) h = (h ^ ch) * 16777619u;
        sink.Add(Bucket(h, shift));
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
