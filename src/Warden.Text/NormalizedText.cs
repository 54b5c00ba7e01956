using System.Globalization;

namespace Warden.Text;

/// <summary>
/// The result of <see cref="TextNormalizer.Normalize(string, NormalizerFeatures)"/>: the normalised
/// text plus, for every normalised character, the index of the original character it came from, so
/// that a span found in <see cref="Text"/> can be highlighted in <see cref="Original"/>.
/// </summary>
public sealed class NormalizedText
{
    // null means identity (the normaliser changed nothing): saves an allocation on clean input.
    private readonly int[]? _map;

    internal NormalizedText(string original, string text, int[]? map)
    {
        Original = original;
        Text = text;
        _map = map;
    }

    public string Original { get; }

    public string Text { get; }

    public int Length => Text.Length;

    /// <summary>Index in <see cref="Original"/> of the character that produced <c>Text[normalizedIndex]</c>;
    /// <c>Text.Length</c> maps to <c>Original.Length</c>. The map is monotonic (non-decreasing).</summary>
    public int OriginalIndex(int normalizedIndex)
    {
        if ((uint)normalizedIndex >= (uint)Text.Length)
        {
            if (normalizedIndex == Text.Length) return Original.Length;
            throw new ArgumentOutOfRangeException(nameof(normalizedIndex));
        }
        return _map is null ? normalizedIndex : _map[normalizedIndex];
    }

    /// <summary>
    /// The original [start, end) range covered by the normalised range [start, end). The end is
    /// extended over the whole original unit of the last character: a surrogate pair, and the
    /// combining marks / invisible characters that were folded into or dropped after it.
    /// </summary>
    public (int Start, int End) OriginalRange(int start, int end)
    {
        if (start < 0 || end > Text.Length || start > end) throw new ArgumentOutOfRangeException(nameof(start));
        if (start == end)
        {
            int p = OriginalIndex(start);
            return (p, p);
        }
        int s = OriginalIndex(start);
        int e = OriginalIndex(end - 1);
        string o = Original;
        e += char.IsHighSurrogate(o[e]) && e + 1 < o.Length && char.IsLowSurrogate(o[e + 1]) ? 2 : 1;
        // The next normalised character starts a new original unit; never run past it.
        int limit = end < Text.Length ? Math.Max(OriginalIndex(end), e) : o.Length;
        while (e < limit && IsTrailingPart(o[e])) e++;
        return (s, e);
    }

    /// <summary>A copy of the full offset map (one original index per normalised character).</summary>
    public int[] GetOffsetMap()
    {
        if (_map is not null) return (int[])_map.Clone();
        var identity = new int[Text.Length];
        for (int i = 0; i < identity.Length; i++) identity[i] = i;
        return identity;
    }

    public override string ToString() => Text;

    private static bool IsTrailingPart(char c)
    {
        if (c < 0x300) return c == 0xAD;
        if (TextNormalizer.IsInvisible(c)) return true;
        var cat = CharUnicodeInfo.GetUnicodeCategory(c);
        return cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.SpacingCombiningMark;
    }
}

/// <summary>Kinds of tokens produced by <see cref="TextNormalizer.Words(NormalizedText)"/>.</summary>
public enum WordKind : byte
{
    /// <summary>A word of letters (any script written with spaces).</summary>
    Word,
    /// <summary>A word with a wildcard '*' (masked profanity such as "f*ck"); match with <see cref="TextNormalizer.IsMaskedMatch"/>.</summary>
    Masked,
    /// <summary>Digits only.</summary>
    Number,
    /// <summary>A run of Han / Kana / Thai characters (scripts written without spaces).</summary>
    Cjk,
    /// <summary>A placeholder: <c>_url_</c>, <c>_user_</c> or <c>_email_</c>.</summary>
    Special,
    /// <summary>One emoji (with its skin-tone modifier, if any).</summary>
    Emoji,
}

/// <summary>A normalised token with its [Start, End) range in the original text and in the normalised text.</summary>
public readonly record struct WordToken(string Text, int Start, int End, int NormalizedStart, int NormalizedEnd, WordKind Kind)
{
    public int Length => End - Start;
}
