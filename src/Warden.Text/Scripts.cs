using System.Runtime.CompilerServices;

namespace Warden.Text;

/// <summary>Writing systems the normaliser and the language identifier need to tell apart.</summary>
public enum Script : byte
{
    Other = 0,
    Latin,
    Cyrillic,
    Greek,
    Armenian,
    Hebrew,
    Arabic,
    Devanagari,
    Bengali,
    Gurmukhi,
    Gujarati,
    Tamil,
    Telugu,
    Thai,
    Georgian,
    Hangul,
    Kana,
    Han,
}

/// <summary>
/// Cheap code-point classification by block ranges. Deliberately not using the full Unicode
/// Script property (not exposed by .NET): block ranges are exact enough for the letters we see
/// in practice and a range check costs a few nanoseconds.
/// </summary>
public static class Scripts
{
    /// <summary>Script of a BMP letter (or Han for surrogate halves of the CJK extension planes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Script Of(char c)
    {
        if (c < 0x80)
            return (uint)((c | 0x20) - 'a') <= 'z' - 'a' ? Script.Latin : Script.Other;
        return OfNonAscii(c);
    }

    private static Script OfNonAscii(char c)
    {
        // Ordered by expected frequency in our traffic.
        if (c <= 0x024F) return c >= 0xC0 && c != 0xD7 && c != 0xF7 ? Script.Latin : (c == 0xAA || c == 0xBA || c == 0xB5 ? Script.Latin : Script.Other);
        if (c >= 0x0400 && c <= 0x052F) return Script.Cyrillic;
        if (c >= 0x0370 && c <= 0x03FF) return c is '\u037E' or '\u0387' ? Script.Other : Script.Greek;
        if (c >= 0x0250 && c <= 0x02AF) return Script.Latin; // IPA extensions (ɡ, ɑ ...), used as homoglyphs
        if (c >= 0x0300 && c <= 0x036F) return Script.Other;  // combining diacritics: script of their base
        if (c >= 0x1E00 && c <= 0x1EFF) return Script.Latin;  // Latin extended additional (Vietnamese)
        if (c >= 0x0600 && c <= 0x06FF || c >= 0x0750 && c <= 0x077F || c >= 0xFB50 && c <= 0xFDFF || c >= 0xFE70 && c <= 0xFEFF) return Script.Arabic;
        if (c >= 0x0590 && c <= 0x05FF) return Script.Hebrew;
        if (c >= 0x0530 && c <= 0x058F) return Script.Armenian;
        if (c >= 0x0900 && c <= 0x097F) return Script.Devanagari;
        if (c >= 0x0980 && c <= 0x09FF) return Script.Bengali;
        if (c >= 0x0A00 && c <= 0x0A7F) return Script.Gurmukhi;
        if (c >= 0x0A80 && c <= 0x0AFF) return Script.Gujarati;
        if (c >= 0x0B80 && c <= 0x0BFF) return Script.Tamil;
        if (c >= 0x0C00 && c <= 0x0C7F) return Script.Telugu;
        if (c >= 0x0E00 && c <= 0x0E7F) return Script.Thai;
        if (c >= 0x10A0 && c <= 0x10FF || c >= 0x1C90 && c <= 0x1CBF) return Script.Georgian;
        if (c >= 0x1F00 && c <= 0x1FFF) return Script.Greek;
        if (c >= 0xAC00 && c <= 0xD7AF || c >= 0x1100 && c <= 0x11FF || c >= 0x3130 && c <= 0x318F) return Script.Hangul;
        if (c >= 0x3040 && c <= 0x30FF || c >= 0x31F0 && c <= 0x31FF || c >= 0xFF66 && c <= 0xFF9F) return c == 0x30FB ? Script.Other : Script.Kana;
        if (c >= 0x4E00 && c <= 0x9FFF || c >= 0x3400 && c <= 0x4DBF || c >= 0xF900 && c <= 0xFAFF || c == 0x3005 || c == 0x3007) return Script.Han;
        if (c >= 0xD840 && c <= 0xD87F) return Script.Han; // high surrogates of CJK extension B..F (planes 2-3)
        if (c >= 0x2C60 && c <= 0x2C7F || c >= 0xA720 && c <= 0xA7FF || c >= 0xAB30 && c <= 0xAB6F) return Script.Latin;
        if (c >= 0x2DE0 && c <= 0x2DFF || c >= 0xA640 && c <= 0xA69F) return Script.Cyrillic;
        if (c >= 0x0C80 && c <= 0x0CFF) return Script.Other; // Kannada etc.: not needed separately
        return Script.Other;
    }

    /// <summary>Alphabetic scripts whose words are separated by spaces and where leetspeak, homoglyphs and spacing tricks happen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsLcg(Script s) => s is Script.Latin or Script.Cyrillic or Script.Greek;

    /// <summary>Scripts written without spaces between words, where each run of characters is one token.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsUnspaced(Script s) => s is Script.Han or Script.Kana or Script.Thai;

    /// <summary>True for characters that are part of a word: letters, combining marks and digits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsWordChar(char c)
    {
        if (c < 0x80)
            return (uint)((c | 0x20) - 'a') <= 'z' - 'a' || (uint)(c - '0') <= 9;
        return CharInfo.Is(c, CharInfo.WordChar); // false for surrogates: callers decide on pairs
    }

    /// <summary>Emoji and pictographs (code point), including regional indicators and skin-tone modifiers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsEmoji(int cp) =>
        cp >= 0x1F000 && cp <= 0x1FAFF
        || cp >= 0x2600 && cp <= 0x27BF
        || cp >= 0x2B00 && cp <= 0x2BFF
        || cp >= 0x2300 && cp <= 0x23FF
        || cp is 0x3030 or 0x303D or 0x3297 or 0x3299;
}
