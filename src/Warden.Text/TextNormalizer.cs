using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Warden.Text;

/// <summary>Individual tricks of <see cref="TextNormalizer"/>; all on by default.</summary>
[Flags]
public enum NormalizerFeatures
{
    None = 0,
    /// <summary>1→i, 0→o, 3→e, 4→a, 5→s, 7→t inside words; @→a, $→s, !→i, |→i next to letters.</summary>
    Leet = 1,
    /// <summary>Cyrillic/Greek look-alikes inside Latin words (and Latin ones inside Cyrillic/Greek words).</summary>
    Homoglyphs = 2,
    /// <summary>"f u c k", "b.i.t.c.h", "f-u-c-k" → one word (runs of ≥3 single letters).</summary>
    SpacedOut = 4,
    /// <summary>Runs of identical characters squeezed: letters of spaced scripts to 3 ("fuuuuuck" → "fuuuck"), so a
    /// lexicon can tell a stretched letter from a natural double one (<see cref="TextNormalizer.CollapseElongation"/>);
    /// everything else to 2 ("!!!!" → "!!", "哈哈哈哈" → "哈哈").</summary>
    Elongation = 8,
    /// <summary>URLs → <c>_url_</c>, e-mail addresses → <c>_email_</c>.</summary>
    Urls = 16,
    /// <summary>@mentions → <c>_user_</c>.</summary>
    Mentions = 32,
    /// <summary>#hashtags → their words, CamelCase split ("#StopTheHate" → "stop the hate").</summary>
    Hashtags = 64,
    /// <summary>Masking characters '*' and '#' inside words become the wildcard '*'.</summary>
    Masks = 128,
    /// <summary>Arabic tatweel (elongation) and harakat (vowel marks) are removed.</summary>
    ArabicDiacritics = 256,
    All = Leet | Homoglyphs | SpacedOut | Elongation | Urls | Mentions | Hashtags | Masks | ArabicDiacritics,
}

/// <summary>
/// Normaliser for adversarial user text, run before feature extraction (toxicity classifier) and
/// span finding (lexicon matching). Single pass over the input in two stages, no Regex, scratch
/// buffers reused per thread; the only allocations are the result string and its offset map.
/// <para>Stage 1, per character: NFKC (only for non-ASCII segments that are not already stable),
/// culture-invariant case folding with Turkish dotted/dotless i folded to 'i', ß→ss, word-final σ→ς,
/// removal of invisible/control/bidi/variation-selector characters, Arabic tatweel/harakat, zalgo marks.</para>
/// <para>Stage 2, per whitespace-delimited chunk: URLs/mentions/e-mails/hashtags, spaced-out letters,
/// leetspeak, masks, homoglyphs, elongation, emoji separated from words, whitespace collapsed.</para>
/// </summary>
public static class TextNormalizer
{
    private const byte FUpper = 1;
    private const byte FEmoji = 2;

    /// <summary>Normalises <paramref name="text"/> and keeps the offset map back to it.</summary>
    public static NormalizedText Normalize(string text, NormalizerFeatures features = NormalizerFeatures.All)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return new NormalizedText(text, text, null);
        var s = Scratch.Get(text.Length);
        int n = s.Run(text, features);
        if (n == text.Length && s.IsIdentity(text, n)) return new NormalizedText(text, text, null);
        return new NormalizedText(text, new string(s.C2, 0, n), s.M2.AsSpan(0, n).ToArray());
    }

    /// <summary>Normalised text only, without the offset map (the classifier's hot path).</summary>
    public static string NormalizeToString(string text, NormalizerFeatures features = NormalizerFeatures.All)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return text;
        var s = Scratch.Get(text.Length);
        int n = s.Run(text, features);
        return n == text.Length && text.AsSpan().SequenceEqual(s.C2.AsSpan(0, n)) ? text : new string(s.C2, 0, n);
    }

    /// <summary>
    /// Whether a text has anything to judge: a letter, digit, symbol or emoji. Text of nothing but punctuation and
    /// white space ("!", "...", "?!") carries no meaning of its own, and a model that scores its n-grams scores what
    /// the punctuation happened to accompany in the training data ("!" alone scored toxicity 0.63).
    /// </summary>
    public static bool HasContent(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (char.IsSurrogate(c)) return true;
            if (CharInfo.Is(c, CharInfo.WordChar | CharInfo.Emoji)) return true;
            if (CharInfo.Is(c, CharInfo.Space | CharInfo.Invisible)) continue;
            var category = char.GetUnicodeCategory(c);
            if (category is >= UnicodeCategory.ConnectorPunctuation and <= UnicodeCategory.OtherPunctuation // all of P*
                or UnicodeCategory.Control or UnicodeCategory.Format) continue;
            return true;
        }
        return false;
    }

    /// <summary>
    /// Normalises into a caller-provided buffer (no allocation at all). Returns the number of chars
    /// written, or -1 when <paramref name="destination"/> is too small (3 × input length always suffices).
    /// </summary>
    public static int NormalizeInto(ReadOnlySpan<char> text, Span<char> destination, NormalizerFeatures features = NormalizerFeatures.All)
    {
        if (text.IsEmpty) return 0;
        var s = Scratch.Get(text.Length);
        int n = s.Run(text, features);
        if (n > destination.Length) return -1;
        s.C2.AsSpan(0, n).CopyTo(destination);
        return n;
    }

    /// <summary>Normalised tokens of <paramref name="text"/> with their ranges in the original text.</summary>
    public static IEnumerable<WordToken> Words(string text, NormalizerFeatures features = NormalizerFeatures.All) =>
        Words(Normalize(text, features));

    /// <summary>
    /// Tokens of an already normalised text: words (letters/digits, '*' wildcards inside), runs of
    /// Han/Kana/Thai characters (scripts without spaces — the classifier uses char n-grams on them),
    /// placeholders (<c>_url_</c> ...) and single emoji. Punctuation is skipped.
    /// </summary>
    public static IEnumerable<WordToken> Words(NormalizedText normalized)
    {
        ArgumentNullException.ThrowIfNull(normalized);
        string t = normalized.Text;
        int i = 0;
        while (i < t.Length)
        {
            char c = t[i];
            int cp = c;
            int width = 1;
            if (char.IsHighSurrogate(c) && i + 1 < t.Length && char.IsLowSurrogate(t[i + 1]))
            {
                cp = char.ConvertToUtf32(c, t[i + 1]);
                width = 2;
            }
            if (Scripts.IsEmoji(cp))
            {
                int e = i + width;
                // Keep skin-tone modifiers (U+1F3FB..1F3FF) with their base emoji.
                while (e + 1 < t.Length && t[e] == '\uD83C' && t[e + 1] >= '\uDFFB' && t[e + 1] <= '\uDFFF') e += 2;
                yield return Make(normalized, i, e, WordKind.Emoji);
                i = e;
                continue;
            }
            if (c == '_' && TryPlaceholder(t, i, out int pe))
            {
                yield return Make(normalized, i, pe, WordKind.Special);
                i = pe;
                continue;
            }
            if (!IsTokenChar(t, i, out bool unspaced))
            {
                i += width;
                continue;
            }
            int start = i;
            bool hasLetter = false, hasStar = false, allDigits = true;
            while (i < t.Length && IsTokenChar(t, i, out bool u2) && u2 == unspaced)
            {
                char d = t[i];
                if (d == '*') hasStar = true;
                else if (!char.IsAsciiDigit(d)) { allDigits = false; if (d != '\'') hasLetter = true; }
                i += char.IsHighSurrogate(d) && i + 1 < t.Length ? 2 : 1;
            }
            int end = i;
            // Apostrophes belong inside a word only ("don't"); stars only next to letters ("f***").
            while (end > start && t[end - 1] == '\'') end--;
            while (start < end && t[start] == '\'') start++;
            if (start >= end || !hasLetter && !allDigits) continue;
            if (hasStar && !hasLetter) continue;
            var kind = unspaced ? WordKind.Cjk : allDigits && !hasStar ? WordKind.Number : hasStar ? WordKind.Masked : WordKind.Word;
            yield return Make(normalized, start, end, kind);
        }
    }

    private static WordToken Make(NormalizedText n, int s, int e, WordKind kind)
    {
        var (os, oe) = n.OriginalRange(s, e);
        return new WordToken(n.Text.Substring(s, e - s), os, oe, s, e, kind);
    }

    private static bool TryPlaceholder(string t, int i, out int end)
    {
        foreach (var p in Placeholders)
        {
            if (string.CompareOrdinal(t, i, p, 0, p.Length) == 0)
            {
                end = i + p.Length;
                return true;
            }
        }
        end = i;
        return false;
    }

    private static readonly string[] Placeholders = ["_url_", "_user_", "_email_"];

    private static bool IsTokenChar(string t, int i, out bool unspaced)
    {
        char c = t[i];
        unspaced = false;
        if (c == '\'') return IsPlainWordChar(t, i - 1) && IsPlainWordChar(t, i + 1); // "don't"
        if (c == '*')
        {
            // A wildcard belongs to a word when its run of stars touches a letter ("f***", "**ck").
            int a = i, b = i;
            while (a > 0 && t[a - 1] == '*') a--;
            while (b + 1 < t.Length && t[b + 1] == '*') b++;
            return IsPlainWordChar(t, a - 1) || IsPlainWordChar(t, b + 1);
        }
        if (char.IsHighSurrogate(c))
        {
            if (i + 1 >= t.Length) return false;
            int cp = char.ConvertToUtf32(c, t[i + 1]);
            if (Scripts.IsEmoji(cp)) return false;
            var uc = CharUnicodeInfo.GetUnicodeCategory(cp);
            if (uc > UnicodeCategory.OtherLetter) return false;
            unspaced = cp >= 0x20000 && cp <= 0x3FFFF; // CJK extension planes
            return true;
        }
        if (!Scripts.IsWordChar(c)) return false;
        unspaced = Scripts.IsUnspaced(Scripts.Of(c));
        return true;
    }

    private static bool IsPlainWordChar(string t, int i) => (uint)i < (uint)t.Length && Scripts.IsWordChar(t[i]);

    /// <summary>
    /// True when a masked word (with '*' wildcards, as produced by the normaliser for "f*ck",
    /// "f**k", "f#ck") can stand for <paramref name="lexiconWord"/>. A run of k stars matches
    /// between max(1, k-1) and k+1 characters, so "f*k" and "f***" both match "fuck". At least one
    /// literal character must match and the word must not be all wildcards.
    /// </summary>
    public static bool IsMaskedMatch(ReadOnlySpan<char> word, ReadOnlySpan<char> lexiconWord)
    {
        int literals = 0;
        foreach (char c in word) if (c != '*') literals++;
        if (literals == 0 || lexiconWord.IsEmpty) return false;
        if (literals == word.Length) return word.SequenceEqual(lexiconWord);
        // Do not let a mostly-star word match long lexicon entries ("f*" must not match "fantastic").
        if (lexiconWord.Length > word.Length + 2 || literals * 4 < lexiconWord.Length) return false;
        return GlobMatch(word, lexiconWord);
    }

    private static bool GlobMatch(ReadOnlySpan<char> w, ReadOnlySpan<char> l)
    {
        while (!w.IsEmpty)
        {
            if (w[0] == '*')
            {
                int k = 1;
                while (k < w.Length && w[k] == '*') k++;
                var rest = w[k..];
                for (int take = Math.Max(1, k - 1); take <= k + 1 && take <= l.Length; take++)
                    if (GlobMatch(rest, l[take..])) return true;
                return false;
            }
            if (l.IsEmpty || l[0] != w[0]) return false;
            w = w[1..];
            l = l[1..];
        }
        return l.IsEmpty;
    }

    /// <summary>
    /// Letters whose runs the normaliser keeps at three rather than two: those of scripts written with spaces, whose words
    /// a lexicon looks up whole. Three in a row is then a stretched letter ("idiooot"), never a natural double one
    /// ("kuunda"), so a look-up may undo it. Scripts without spaces (CJK, kana, Thai) and Hangul are matched by
    /// substring or not at all, and keep two.
    /// </summary>
    /// <summary>
    /// Whether the last character of <paramref name="prefix"/> would make its run longer than the normaliser keeps: three
    /// for letters of spaced scripts (<see cref="KeepsThree"/>), two for any other character but digits, which are never
    /// squeezed.
    /// </summary>
    private static bool ExtendsFullRun(ReadOnlySpan<char> prefix)
    {
        if (prefix.Length < 3) return false;
        var c = prefix[^1];
        if (prefix[^2] != c || prefix[^3] != c || char.IsAsciiDigit(c)) return false;
        return !KeepsThree(c) || prefix.Length >= 4 && prefix[^4] == c;
    }

    private static bool KeepsThree(char c) => char.IsLetter(c) && (c < '\u0E00' || c is > '\u0E7F' and < '\u1100' || c is >= '\u1E00' and < '\u2E80');

    /// <summary>Longest word whose stretched letters a lexicon looks up again; longer tokens are not words.</summary>
    public const int MaxElongatedWordLength = 64;

    /// <summary>Whether a normalised word has a run of three identical non-digit characters: a stretched letter
    /// ("idiooot") or a long mask ("f*******", which the look-up then also tries as "f*" and "f**").</summary>
    public static bool HasElongation(ReadOnlySpan<char> word)
    {
        for (int i = 2; i < word.Length; i++)
            if (word[i] == word[i - 1] && word[i] == word[i - 2] && !char.IsAsciiDigit(word[i])) return true;
        return false;
    }

    /// <summary>
    /// Where the word after an elided article, preposition or pronoun starts (French, Italian, Catalan: "l'", "d'",
    /// "qu'", "un'", "dell'", "quell'"), or -1. Written with the apostrophe, the two are one word for the lexicons.
    /// </summary>
    public static int ElidedWordStart(ReadOnlySpan<char> word)
    {
        var apostrophe = word.IndexOf('\'');
        if (apostrophe is < 1 or > 6 || word.Length - apostrophe < 3) return -1;
        return word[..apostrophe] is "l" or "d" or "j" or "m" or "t" or "s" or "n" or "c" or "qu" or "jusqu" or "lorsqu" or "puisqu"
            or "un" or "dell" or "all" or "dall" or "nell" or "sull" or "coll" or "quell" or "quest" or "nessun" or "bell" or "sant"
            ? apostrophe + 1 : -1;
    }

    /// <summary>
    /// Writes <paramref name="word"/> to <paramref name="destination"/> with every stretched letter (a run of three or
    /// more, digits excepted) cut to <paramref name="keep"/> characters, doubled letters left alone; returns the length. A stretched
    /// word is looked up both ways: "idiooot" as "idiot" (keep 1) and "puttttana" as "puttana" (keep 2).
    /// </summary>
    public static int CollapseElongation(ReadOnlySpan<char> word, int keep, Span<char> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keep, 1);
        var length = 0;
        for (int i = 0; i < word.Length;)
        {
            var end = i + 1;
            while (end < word.Length && word[end] == word[i]) end++;
            var run = end - i;
            var copies = run >= 3 && !char.IsAsciiDigit(word[i]) ? Math.Min(keep, run) : run;
            for (var k = 0; k < copies; k++) destination[length++] = word[i];
            i = end;
        }
        return length;
    }

    /// <summary>Squeezes every run of more than <paramref name="maxRun"/> identical characters to
    /// <paramref name="maxRun"/> ("fuuck" with 1 → "fuck"). Digits are never squeezed.</summary>
    public static string SqueezeRepeats(ReadOnlySpan<char> word, int maxRun = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRun, 1);
        var sb = new StringBuilder(word.Length);
        int run = 0;
        for (int i = 0; i < word.Length; i++)
        {
            run = i > 0 && word[i] == word[i - 1] ? run + 1 : 1;
            if (run <= maxRun || char.IsAsciiDigit(word[i])) sb.Append(word[i]);
        }
        return sb.ToString();
    }

    /// <summary>The forms of a normalised word to look up in a lexicon: the word itself and, when it
    /// has doubled letters, the variant with every run squeezed to one character. Lexicon entries
    /// should be normalised the same way (<see cref="NormalizeToString"/>).</summary>
    public static IEnumerable<string> LexiconVariants(string word)
    {
        yield return word;
        var single = SqueezeRepeats(word, 1);
        if (single != word) yield return single;
    }

    /// <summary>True when the normalised token <paramref name="word"/> matches a normalised lexicon entry:
    /// exactly, after squeezing repeats, or as a masked word.</summary>
    public static bool IsLexiconMatch(string word, string lexiconWord)
    {
        if (word == lexiconWord) return true;
        if (word.Contains('*')) return IsMaskedMatch(word, lexiconWord) || IsMaskedMatch(SqueezeRepeats(word, 1), lexiconWord);
        return SqueezeRepeats(word, 1) == SqueezeRepeats(lexiconWord, 1) && HasRepeat(word);
    }

    private static bool HasRepeat(string w)
    {
        for (int i = 1; i < w.Length; i++) if (w[i] == w[i - 1] && !char.IsAsciiDigit(w[i])) return true;
        return false;
    }

    /// <summary>Zero-width, bidi, variation-selector, soft-hyphen and BOM characters that render as
    /// nothing and are used to split words invisibly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsInvisible(char c) =>
        c == '\u00AD' || c == '\u034F' || c == '\u061C' || c == '\u115F' || c == '\u1160' || c == '\u17B4' || c == '\u17B5' || c == '\u180E'
        || c >= '\u200B' && c <= '\u200F' || c >= '\u202A' && c <= '\u202E' || c >= '\u2060' && c <= '\u206F'
        || c >= '\uFE00' && c <= '\uFE0F' || c == '\uFEFF' || c == '\u3164' || c == '\uFFA0' || c >= '\uFFF0' && c <= '\uFFF8';

    // ---------------------------------------------------------------------------------------------
    // Homoglyph and leet tables (static, built once).

    // Cyrillic/Greek lower-case letter → Latin look-alike; index c - 0x370 for c in [0x370, 0x530).
    private static readonly char[] ToLatinLower = new char[0x530 - 0x370];
    // Override when the original letter was upper case (Greek Η looks like H, η like n).
    private static readonly char[] ToLatinUpper = new char[0x530 - 0x370];
    private static readonly char[] LatinToCyrillic = new char[26];
    private static readonly char[] LatinToGreek = new char[26];
    private const char NoMap = '\uFFFF';

    static TextNormalizer()
    {
        void Lower(string pairs, char[] table)
        {
            for (int i = 0; i < pairs.Length; i += 2) table[pairs[i] - 0x370] = pairs[i + 1];
        }
        // Cyrillic lower case (after folding): а в г е и к м н о п р с т у х ь і ј ѕ ԁ һ ӏ ԛ ԝ ү
        Lower("аaвbгrеeиuкkмmнhоoпnрpсcтtуyхxьbіiјjѕsԁdһhӏlԛqԝwүy", ToLatinLower);
        // Greek lower case: α β γ ε ζ η ι κ μ ν ο ρ τ υ χ ω
        Lower("αaβbγyεeζzηnιiκkμuνvοoρpτtυuχxωw", ToLatinLower);
        Lower("ηhμmνnυyγ\uFFFF", ToLatinUpper);
        const string cyr = "a\u0430b\u0432c\u0441e\u0435h\u043Di\u0456j\u0458k\u043Am\u043Co\u043Ep\u0440t\u0442x\u0445y\u0443";
        for (int i = 0; i < cyr.Length; i += 2) LatinToCyrillic[cyr[i] - 'a'] = cyr[i + 1];
        const string gr = "a\u03B1b\u03B2e\u03B5i\u03B9k\u03BAo\u03BFp\u03C1t\u03C4u\u03C5v\u03BDx\u03C7z\u03B6";
        for (int i = 0; i < gr.Length; i += 2) LatinToGreek[gr[i] - 'a'] = gr[i + 1];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char HomoglyphToLatin(char c, bool upper)
    {
        int k = c - 0x370;
        if ((uint)k >= (uint)ToLatinLower.Length) return '\0';
        if (upper)
        {
            char u = ToLatinUpper[k];
            if (u == NoMap) return '\0';
            if (u != '\0') return u;
        }
        return ToLatinLower[k];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char LeetDigit(char c) => c switch
    {
        '0' => 'o', '1' => 'i', '3' => 'e', '4' => 'a', '5' => 's', '7' => 't', _ => '\0',
    };

    // Per-BMP-character cache of "NFKC leaves this character alone": 0 unknown, 1 stable, 2 changes.
    // Benign races: concurrent writers store the same value.
    private static readonly byte[] NfkcStable = new byte[65536];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsNfkcStable(char c)
    {
        byte v = NfkcStable[c];
        if (v != 0) return v == 1;
        // Hangul compatibility jamo (ㅋㅋ, ㅅㅂ — common in Korean chat and insults) would become
        // conjoining jamo under NFKC, which nobody types; keep them as written.
        bool stable = c is >= '\u3131' and <= '\u318E' || new ReadOnlySpan<char>(in c).IsNormalized(NormalizationForm.FormKC);
        NfkcStable[c] = stable ? (byte)1 : (byte)2;
        return stable;
    }

    /// <summary>Tatweel (kashida, used to stretch words) and harakat (optional vowel marks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsArabicDiacritic(char c) => c == '\u0640' || c >= '\u064B' && c <= '\u065F' || c == '\u0670';

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsCombiningMark(char c) => CharInfo.Is(c, CharInfo.Mark);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsLcgLetter(char c) => c < 0x80 ? (uint)((c | 0x20) - 'a') <= 'z' - 'a' : CharInfo.Is(c, CharInfo.Lcg);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    /// <summary>
    /// Whether an underscore or tilde at <paramref name="i"/> belongs to a run of one to three that opens a word (space, start
    /// or punctuation before it, a letter or digit after) or closes one (a letter or digit before, space, end or punctuation
    /// after): the italic, underline and strike-through marks of WhatsApp, Telegram, Slack and Markdown. Inside a word
    /// (snake_case, o_O) and between symbols (^_^, -_-) they stay.
    /// </summary>
    private static bool IsEmphasisMarker(ReadOnlySpan<char> text, int i)
    {
        var mark = text[i];
        int first = i, last = i;
        while (first > 0 && text[first - 1] == mark) first--;
        while (last + 1 < text.Length && text[last + 1] == mark) last++;
        if (last - first >= 3) return false;
        static bool Edge(char c) => char.IsWhiteSpace(c) || char.IsPunctuation(c) && c is not ('_' or '\'');
        bool edgeBefore = first == 0 || Edge(text[first - 1]), edgeAfter = last + 1 == text.Length || Edge(text[last + 1]);
        bool wordBefore = first > 0 && char.IsLetterOrDigit(text[first - 1]), wordAfter = last + 1 < text.Length && char.IsLetterOrDigit(text[last + 1]);
        return edgeBefore && wordAfter || wordBefore && edgeAfter;
    }

    /// <summary>Whether the text starts with a clitic written with a leading apostrophe ("n" of Afrikaans "’n", Dutch
    /// "’t" and "’s", English "’em" and "’cause"), ending at a non-letter other than a closing mark ("rock ’n’ roll" stays).</summary>
    private static bool StartsLeadingClitic(ReadOnlySpan<char> rest)
    {
        var length = 0;
        while (length < rest.Length && length < 6 && IsLetter(rest[length])) length++;
        if (length == 0 || length < rest.Length && (IsLetter(rest[length]) || rest[length] == '\'' || IsApostropheLookalike(rest[length]))) return false;
        Span<char> lower = stackalloc char[length];
        for (var k = 0; k < length; k++) lower[k] = char.ToLowerInvariant(rest[k]);
        return lower is "n" or "t" or "s" or "k" or "m" or "em" or "cause" or "cos" or "cuz" or "til" or "bout" or "round" or "tis" or "twas";
    }

    /// <summary>Characters typed for an apostrophe: right and left single quotation marks, the modifier letter apostrophe, the acute accent.</summary>
    private static bool IsApostropheLookalike(char c) => c is '\u2019' or '\u2018' or '\u02BC' or '\u00B4';

    private static bool IsLetter(char c) => c < 0x80 ? (uint)((c | 0x20) - 'a') <= 'z' - 'a' : CharInfo.Is(c, CharInfo.Letter);

    /// <summary>Per-thread scratch buffers and the two normalisation stages.</summary>
    private sealed class Scratch
    {
        [ThreadStatic] private static Scratch? t_instance;

        // Stage 1 output.
        public char[] C1 = new char[512];
        public int[] M1 = new int[512];
        public byte[] F1 = new byte[512];
        // Stage 2 output.
        public char[] C2 = new char[1024];
        public int[] M2 = new int[1024];
        // One word being rewritten.
        private char[] _wc = new char[256];
        private int[] _wm = new int[256];
        private byte[] _wf = new byte[256];
        private int _n1, _o, _wn;
        private NormalizerFeatures _f;
        private bool _afterEmoji;

        public static Scratch Get(int length)
        {
            var s = t_instance ??= new Scratch();
            // NFKC can expand (rarely, a lot); Stage 1 grows on demand, this is the common-case size.
            s.Ensure1(length * 2 + 16);
            return s;
        }

        private void Ensure1(int size)
        {
            if (C1.Length >= size) return;
            int n = Math.Max(size, C1.Length * 2);
            Array.Resize(ref C1, n);
            Array.Resize(ref M1, n);
            Array.Resize(ref F1, n);
        }

        private void Ensure2(int size)
        {
            if (C2.Length >= size) return;
            int n = Math.Max(size, C2.Length * 2);
            Array.Resize(ref C2, n);
            Array.Resize(ref M2, n);
        }

        private void EnsureWord(int size)
        {
            if (_wc.Length >= size) return;
            int n = Math.Max(size, _wc.Length * 2);
            Array.Resize(ref _wc, n);
            Array.Resize(ref _wm, n);
            Array.Resize(ref _wf, n);
        }

        public bool IsIdentity(ReadOnlySpan<char> text, int n)
        {
            if (!text.SequenceEqual(C2.AsSpan(0, n))) return false;
            for (int i = 0; i < n; i++) if (M2[i] != i) return false;
            return true;
        }

        public int Run(ReadOnlySpan<char> text, NormalizerFeatures features)
        {
            _f = features;
            Stage1(text);
            Ensure2(_n1 * 3 + 16);
            _o = 0;
            _afterEmoji = false;
            Stage2();
            while (_o > 0 && C2[_o - 1] == ' ') _o--;
            return _o;
        }

        // ----------------------------------------------------------------- Stage 1

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Put1(char c, int orig, byte flags)
        {
            if (_n1 == C1.Length) Ensure1(_n1 + 16);
            C1[_n1] = c;
            M1[_n1] = orig;
            F1[_n1] = flags;
            _n1++;
        }

        private void Stage1(ReadOnlySpan<char> text)
        {
            _n1 = 0;
            bool arabic = (_f & NormalizerFeatures.ArabicDiacritics) != 0;
            int len = text.Length;
            int i = 0;
            while (i < len)
            {
                char c = text[i];
                if (c < 0x80)
                {
                    // ASCII fast path, unless a combining mark follows (then NFKC may compose it).
                    if (i + 1 < len && text[i + 1] >= 0x300 && IsCombiningMark(text[i + 1]))
                    {
                        i = Segment(text, i, 1);
                        continue;
                    }
                    if ((uint)(c - 'A') <= 'Z' - 'A') Put1((char)(c | 0x20), i, FUpper);
                    else if (c is '_' or '~' && IsEmphasisMarker(text, i)) { } // chat and Markdown emphasis: _idiot_, __word__, ~~x~~
                    else if (c >= 0x20 && c != 0x7F) Put1(c, i, 0);
                    else if (c is '\t' or '\n' or '\r' or '\f' or '\v') Put1(' ', i, 0);
                    i++;
                    continue;
                }
                if (char.IsHighSurrogate(c))
                {
                    if (i + 1 < len && char.IsLowSurrogate(text[i + 1]))
                    {
                        int cp = char.ConvertToUtf32(c, text[i + 1]);
                        if (cp >= 0xE0000 && cp <= 0xE0FFF) { i += 2; continue; } // tag characters, variation selectors supplement
                        if (Scripts.IsEmoji(cp))
                        {
                            Put1(c, i, FEmoji);
                            Put1(text[i + 1], i + 1, FEmoji);
                            i += 2;
                            continue;
                        }
                        i = Segment(text, i, 2); // mathematical alphanumerics etc.
                        continue;
                    }
                    i++; // lone surrogate: garbage
                    continue;
                }
                if (IsApostropheLookalike(c) && (_n1 > 0 && IsLetter(C1[_n1 - 1]) && i + 1 < len && IsLetter(text[i + 1])
                    || (_n1 == 0 || !IsLetter(C1[_n1 - 1])) && StartsLeadingClitic(text[(i + 1)..])))
                {
                    // Phones and word processors type "don’t" and "l’idiota"; between two letters these are apostrophes,
                    // so negators ("aren’t") and elided words match as typed with '. Before a word-initial clitic (Afrikaans
                    // "’n", Dutch "’t", English "’em") it is one too, and left as a quotation mark it opened a quote
                    // scope that made the rest of the sentence reported speech ("Jy is ’n idioot" lost its insult).
                    Put1('\'', i, 0);
                    i++;
                    continue;
                }
                byte info = CharInfo.Get(c);
                if ((info & CharInfo.Invisible) != 0 || char.IsLowSurrogate(c)) { i++; continue; }
                if ((info & CharInfo.Emoji) != 0) { Put1(c, i, FEmoji); i++; continue; }
                if ((info & CharInfo.Space) != 0) { Put1(' ', i, 0); i++; continue; }
                if (c < 0xA0) { i++; continue; } // C1 controls
                if (arabic && IsArabicDiacritic(c)) { i++; continue; }
                if (i + 1 < len && IsCombiningMark(text[i + 1]) || !IsNfkcStable(c))
                {
                    i = Segment(text, i, 1);
                    continue;
                }
                PutFolded(c, i);
                i++;
            }
        }

        /// <summary>NFKC of one base character (1 or 2 UTF-16 units) plus its combining marks.</summary>
        private int Segment(ReadOnlySpan<char> text, int i, int baseLen)
        {
            int j = i + baseLen;
            int marks = 0;
            while (j < text.Length && IsCombiningMark(text[j])) { j++; marks++; }
            var seg = text[i..j];
            bool lcgBase = baseLen == 1 && IsLcgLetter(text[i]);
            bool arabic = (_f & NormalizerFeatures.ArabicDiacritics) != 0;
            if (marks >= 3 && lcgBase)
            {
                // "Zalgo" text: a pile of diacritics on a Latin/Greek/Cyrillic letter is decoration.
                PutFolded(text[i], i);
                return j;
            }
            scoped Span<char> buf = stackalloc char[64];
            scoped ReadOnlySpan<char> norm;
            string? heap = null;
            if (seg.IsNormalized(NormalizationForm.FormKC)) norm = seg;
            else if (seg.TryNormalize(buf, out int written, NormalizationForm.FormKC)) norm = buf[..written];
            else norm = heap = seg.ToString().Normalize(NormalizationForm.FormKC);
            _ = heap;
            for (int k = 0; k < norm.Length; k++)
            {
                char c = norm[k];
                if (CharInfo.Is(c, CharInfo.Invisible)) continue;
                if (c >= '\u0334' && c <= '\u0338') continue; // strike-through overlays: decoration in every language
                if (arabic && IsArabicDiacritic(c)) continue;
                if (char.IsHighSurrogate(c) && k + 1 < norm.Length)
                {
                    Put1(c, i, 0);
                    Put1(norm[k + 1], i, 0);
                    k++;
                    continue;
                }
                if (c < 0x80)
                {
                    if ((uint)(c - 'A') <= 'Z' - 'A') Put1((char)(c | 0x20), i, FUpper);
                    else if (c >= 0x20) Put1(c, i, 0);
                    continue;
                }
                if (CharInfo.Is(c, CharInfo.Space)) { Put1(' ', i, 0); continue; }
                PutFolded(c, i);
            }
            return j;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void PutFolded(char c, int orig)
        {
            if (c < 0x80)
            {
                if ((uint)(c - 'A') <= 'Z' - 'A') Put1((char)(c | 0x20), orig, FUpper);
                else Put1(c, orig, 0);
                return;
            }
            char l = CharInfo.Lower(c);
            byte f = l != c ? FUpper : (byte)0;
            switch (l)
            {
                case '\u0131': l = 'i'; break;           // Turkish dotless ı
                case '\u0130': l = 'i'; f = FUpper; break; // İ, in case the invariant mapping keeps it
                case '\u00DF':                            // ß (and ẞ) → ss, as in full case folding
                    Put1('s', orig, f);
                    Put1('s', orig, f);
                    return;
            }
            Put1(l, orig, f);
        }

        // ----------------------------------------------------------------- Stage 2

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Put2(char c, int orig)
        {
            if (_o == C2.Length) Ensure2(_o + 64);
            C2[_o] = c;
            M2[_o] = orig;
            _o++;
        }

        private void Stage2()
        {
            int n = _n1;
            var c1 = C1;
            int i = 0;
            int pendingSpace = -1; // original index of the whitespace that separates chunks
            while (i < n)
            {
                if (c1[i] == ' ')
                {
                    if (_o > 0 && pendingSpace < 0) pendingSpace = M1[i];
                    i++;
                    continue;
                }
                int s = i;
                while (i < n && c1[i] != ' ') i++;
                if (pendingSpace >= 0)
                {
                    Put2(' ', pendingSpace);
                    pendingSpace = -1;
                    _afterEmoji = false;
                }
                int family = 0;
                if ((_f & NormalizerFeatures.SpacedOut) != 0 && SpacingUnit(s, i, ref family, first: true) == i - s)
                {
                    int next = TrySpacedOut(s, i, family);
                    if (next > 0) { i = next; continue; }
                }
                Chunk(s, i);
            }
        }

        /// <summary>
        /// The unit starting at <paramref name="k"/> (before <paramref name="e"/>) that spacing tricks split words into;
        /// its length, or 0 when none starts there. <paramref name="family"/> keeps one run to one kind of unit (0 before
        /// the first): 1, a letter of an alphabetic script with its combining marks ("ધે", "ட்", "ד.ב.י.ל", "ი დ ი ო ტ ი");
        /// 2, a character of a script written without spaces ("バ カ 野 郎", "傻.逼"), whose spaces and dots mean nothing
        /// there. Not Hangul, where one-syllable words are ordinary ("너 뭐 해"). After the first unit, combining marks
        /// alone are a unit too: the vowel sign a writer split from its letter ("వ ె ధ వ").
        /// </summary>
        private int SpacingUnit(int k, int e, ref int family, bool first)
        {
            var c1 = C1;
            if (k >= e || (F1[k] & FEmoji) != 0) return 0;
            char c = c1[k];
            int j = k + 1;
            if (IsLetter(c))
            {
                int kind = 1;
                if (c >= 0x0E00 && Scripts.Of(c) is var script)
                {
                    if (script == Script.Hangul) return 0;
                    if (Scripts.IsUnspaced(script)) kind = 2;
                }
                if (family != 0 && family != kind) return 0;
                family = kind;
            }
            else if (first || !CharInfo.Is(c, CharInfo.Mark)) return 0;
            while (j < e && CharInfo.Is(c1[j], CharInfo.Mark)) j++;
            return j - k;
        }

        /// <summary>"f u c k" → "fuck": ≥3 letter units separated by single spaces, the first ending at
        /// <paramref name="firstEnd"/>. Returns the index after the last joined unit, or 0 when the pattern does not apply.</summary>
        private int TrySpacedOut(int s, int firstEnd, int family)
        {
            var c1 = C1;
            int n = _n1;
            int k = firstEnd; // position after the current unit
            int count = 1;
            while (k + 1 < n && c1[k] == ' ')
            {
                int unit = SpacingUnit(k + 1, n, ref family, first: false);
                if (unit == 0) break;
                int after = k + 1 + unit;
                if (after == n || c1[after] == ' ') { count++; k = after; continue; }
                // The last letter may carry trailing punctuation: "f u c k!".
                if (!Scripts.IsWordChar(c1[after]) && c1[after] is not ('*' or '@' or '$' or '#' or '|'))
                {
                    count++;
                    k = after;
                }
                break;
            }
            if (count < 3) return 0;
            LoadWordWithout(s, k, ' ');
            EmitWord();
            return k;
        }

        /// <summary>
        /// "b.i.t.c.h", "f-u-c-k", "1-d-1-o-o-t", "ગ.ધે.ડો": ≥3 letter units (or leet digits, fewer than half of them)
        /// with one repeated separator between them, filling the chunk. True when the units were joined and emitted.
        /// </summary>
        private bool TrySeparatedLetters(int s, int e)
        {
            var c1 = C1;
            bool leet = (_f & NormalizerFeatures.Leet) != 0;
            char sep = '\0';
            int units = 0, letters = 0, family = 0;
            for (int k = s; ;)
            {
                int unit = SpacingUnit(k, e, ref family, first: units == 0);
                if (unit > 0) letters++;
                else if (leet && k < e && LeetDigit(c1[k]) != '\0') unit = 1;
                else return false;
                units++;
                k += unit;
                if (k == e) break;
                if (sep == '\0') sep = c1[k];
                if (c1[k] != sep || sep is not ('.' or '-') || k + 1 == e) return false;
                k++;
            }
            if (units < 3 || letters * 2 <= units) return false;
            LoadWordWithout(s, e, sep);
            EmitWord();
            return true;
        }

        private static bool StartsWith(char[] c, int s, int e, string prefix)
        {
            if (e - s < prefix.Length) return false;
            for (int k = 0; k < prefix.Length; k++) if (c[s + k] != prefix[k]) return false;
            return true;
        }

        private void Special(string token, int s, int e)
        {
            if (_afterEmoji) { Put2(' ', M1[s]); _afterEmoji = false; }
            for (int k = 0; k < token.Length - 1; k++) Put2(token[k], M1[s]);
            Put2(token[^1], M1[e - 1]); // so OriginalRange() of the placeholder covers the whole URL
        }

        private void Chunk(int s, int e)
        {
            var c1 = C1;
            if ((_f & NormalizerFeatures.Urls) != 0)
            {
                if (StartsWith(c1, s, e, "http://") || StartsWith(c1, s, e, "https://") || StartsWith(c1, s, e, "www.") || c1.AsSpan(s, e - s).IndexOf("://") > 0)
                {
                    Special("_url_", s, e);
                    return;
                }
                int at = c1.AsSpan(s + 1, Math.Max(0, e - s - 1)).IndexOf('@');
                if (at >= 0 && IsEmail(s, e, s + 1 + at))
                {
                    Special("_email_", s, e);
                    return;
                }
            }
            if (c1[s] == '@' && (_f & NormalizerFeatures.Mentions) != 0)
            {
                int k = s + 1;
                while (k < e && (char.IsAsciiLetterOrDigit(c1[k]) || c1[k] == '_')) k++;
                int name = k - s - 1;
                // "@ss", "@sshole" are leetspeak, not mentions; real handles are rarely that short.
                if (name >= 3 && !(c1[s + 1] == 's' && c1[s + 2] == 's') || name >= 1 && c1.AsSpan(s + 1, name).Contains('_'))
                {
                    Special("_user_", s, k);
                    if (k < e) Plain(k, e);
                    return;
                }
            }
            if (c1[s] == '#' && s + 1 < e && (_f & NormalizerFeatures.Hashtags) != 0 && Scripts.IsWordChar(c1[s + 1]) && !char.IsAsciiDigit(c1[s + 1]))
            {
                int k = s + 1;
                while (k < e && (Scripts.IsWordChar(c1[k]) || c1[k] == '_')) k++;
                // "#f#ck" is a mask, not a hashtag.
                if (k == e || c1[k] != '#' && c1[k] != '*')
                {
                    Hashtag(s + 1, k);
                    if (k < e) Plain(k, e);
                    return;
                }
            }
            Plain(s, e);
        }

        private bool IsEmail(int s, int e, int at)
        {
            if (at == s || at >= e - 3) return false;
            int dot = C1.AsSpan(at + 1, e - at - 1).IndexOf('.');
            if (dot <= 0) return false;
            int tld = at + 1 + dot + 1;
            return tld < e && char.IsAsciiLetter(C1[tld]);
        }

        private void Hashtag(int s, int e)
        {
            // Split "StopTheHate", "stop_the_hate", "HTMLParser", "covid19facts" into words.
            var c1 = C1;
            var f1 = F1;
            int w = s;
            bool first = true;
            for (int k = s; k <= e; k++)
            {
                bool boundary = k == e || c1[k] == '_';
                if (!boundary && k > w)
                {
                    bool up = (f1[k] & FUpper) != 0, prevUp = (f1[k - 1] & FUpper) != 0;
                    bool dig = char.IsAsciiDigit(c1[k]), prevDig = char.IsAsciiDigit(c1[k - 1]);
                    boundary = up && !prevUp && !prevDig
                        || up && prevUp && k + 1 < e && (f1[k + 1] & FUpper) == 0 && !char.IsAsciiDigit(c1[k + 1]) && c1[k + 1] != '_'
                        || dig != prevDig;
                }
                if (!boundary) continue;
                if (k > w)
                {
                    if (!first) Put2(' ', M1[w]);
                    LoadWord(w, k);
                    EmitWord();
                    first = false;
                }
                w = k < e && c1[k] == '_' ? k + 1 : k;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool IsRunChar(char c) =>
            Scripts.IsWordChar(c) || c is '@' or '$' or '*' or '#' or '!' or '|' or '.' or '-';

        private void Plain(int s, int e)
        {
            var c1 = C1;
            var f1 = F1;
            int p = s;
            while (p < e)
            {
                if ((f1[p] & FEmoji) != 0)
                {
                    int q = p;
                    while (q < e && (f1[q] & FEmoji) != 0) q++;
                    if (_o > 0 && C2[_o - 1] != ' ' && !_afterEmoji) Put2(' ', M1[p]);
                    EmitSqueezed(p, q, emoji: true);
                    _afterEmoji = true;
                    p = q;
                    continue;
                }
                int r = p;
                if (IsRunChar(c1[p]))
                {
                    while (r < e && IsRunChar(c1[r]) && (f1[r] & FEmoji) == 0) r++;
                    Run(p, r);
                }
                else
                {
                    while (r < e && !IsRunChar(c1[r]) && (f1[r] & FEmoji) == 0) r++;
                    EmitSqueezed(p, r, emoji: false);
                }
                p = r;
            }
        }

        /// <summary>Emoji are kept but separated from the words around them.</summary>
        private void LeaveEmoji(int nextOrig)
        {
            if (_afterEmoji && _o > 0 && C2[_o - 1] != ' ') Put2(' ', nextOrig);
            _afterEmoji = false;
        }

        /// <summary>Copies [s, e) squeezing runs of identical non-digit characters: letters of spaced scripts to 3, others (and emoji) to 2.</summary>
        private void EmitSqueezed(int s, int e, bool emoji)
        {
            if (!emoji) LeaveEmoji(M1[s]);
            var c1 = C1;
            bool squeeze = (_f & NormalizerFeatures.Elongation) != 0;
            if (emoji)
            {
                // Units are code points here: a run of the same emoji ("😂😂😂😂") is squeezed to two.
                int prevStart = -1, prevLen = 0, run = 0;
                int k = s;
                while (k < e)
                {
                    int len = char.IsHighSurrogate(c1[k]) && k + 1 < e ? 2 : 1;
                    bool same = prevLen == len && c1.AsSpan(prevStart, prevLen).SequenceEqual(c1.AsSpan(k, len));
                    run = same ? run + 1 : 1;
                    if (!squeeze || run <= 2)
                        for (int x = 0; x < len; x++) Put2(c1[k + x], M1[k + x]);
                    prevStart = k;
                    prevLen = len;
                    k += len;
                }
                return;
            }
            for (int k = s; k < e; k++)
            {
                char c = c1[k];
                if (squeeze && ExtendsFullRun(c1.AsSpan(s, k - s + 1))) continue;
                Put2(c, M1[k]);
            }
        }

        private void Run(int s, int e)
        {
            var c1 = C1;
            // Characters that cannot start or end a word are punctuation: "idiot!" → "idiot" + "!".
            int a = s, b = e;
            while (a < b && c1[a] is '.' or '!' or '-') a++;
            while (b > a && c1[b - 1] is '.' or '!' or '-' or '|' or '@') b--;
            if (a > s) EmitSqueezed(s, a, emoji: false);
            if (a < b) Core(a, b);
            if (b < e) EmitSqueezed(b, e, emoji: false);
        }

        private void Core(int s, int e)
        {
            var c1 = C1;
            bool hasLetter = false, hasSep = false, asciiLetters = true;
            for (int k = s; k < e; k++)
            {
                char c = c1[k];
                if ((uint)(c - 'a') <= 'z' - 'a') { hasLetter = true; continue; }
                asciiLetters = false;
                if (c is '.' or '-') hasSep = true;
                else if (!hasLetter && IsLetter(c)) hasLetter = true;
            }
            if (asciiLetters)
            {
                // Fast path, the common case: a plain lower-case ASCII word needs only elongation squeezing.
                EmitSqueezed(s, e, emoji: false);
                return;
            }
            if (!hasLetter)
            {
                EmitSqueezed(s, e, emoji: false); // numbers ("2019", "3.14"), symbol runs
                return;
            }
            if (!hasSep)
            {
                LoadWord(s, e);
                EmitWord();
                return;
            }
            if ((_f & NormalizerFeatures.SpacedOut) != 0 && TrySeparatedLetters(s, e)) return;
            // Otherwise the separators stay, and each part is a word of its own ("well-known", "3.5kg").
            int w = s;
            for (int k = s; k <= e; k++)
            {
                if (k < e && c1[k] is not ('.' or '-')) continue;
                if (k > w)
                {
                    LoadWord(w, k);
                    EmitWord();
                }
                if (k < e) Put2(c1[k], M1[k]);
                w = k + 1;
            }
        }

        /// <summary>Loads the letters of [s, e) without their separator into the word buffer ("f u c k", "ד.ב.י.ל").</summary>
        private void LoadWordWithout(int s, int e, char separator)
        {
            EnsureWord(e - s);
            _wn = 0;
            for (int k = s; k < e; k++)
            {
                if (C1[k] == separator) continue;
                _wc[_wn] = C1[k];
                _wm[_wn] = M1[k];
                _wf[_wn] = F1[k];
                _wn++;
            }
        }

        private void LoadWord(int s, int e)
        {
            int len = e - s;
            EnsureWord(len);
            Array.Copy(C1, s, _wc, 0, len);
            Array.Copy(M1, s, _wm, 0, len);
            Array.Copy(F1, s, _wf, 0, len);
            _wn = len;
        }

        /// <summary>Rewrites the word in the word buffer (leet, masks, homoglyphs, elongation) and emits it.</summary>
        private void EmitWord()
        {
            LeaveEmoji(_wm[0]);
            var wc = _wc;
            int n = _wn;
            int firstLetter = -1, lastLetter = -1, lcg = 0, otherLetters = 0, digits = 0, symbols = 0;
            for (int k = 0; k < n; k++)
            {
                char c = wc[k];
                if (char.IsAsciiDigit(c)) { digits++; continue; }
                if (c is '@' or '$' or '!' or '|' or '*' or '#') { symbols++; continue; }
                if (!IsLetter(c)) continue;
                if (firstLetter < 0) firstLetter = k;
                lastLetter = k;
                if (IsLcgLetter(c)) lcg++; else otherLetters++;
            }
            bool alphabetic = lcg > 0 && otherLetters == 0;
            if (digits > 0 && alphabetic && (_f & NormalizerFeatures.Leet) != 0)
            {
                // Decode digits only when one sits between letters ("1d10t", "sh1t", "n00b") and all are
                // leet digits: "covid19", "mp3", "100km", "4th", "h264" stay as they are.
                bool interior = false, allLeet = true;
                for (int k = 0; k < n; k++)
                {
                    char c = wc[k];
                    if (!char.IsAsciiDigit(c)) continue;
                    if (k > firstLetter && k < lastLetter) interior = true;
                    if (LeetDigit(c) == '\0') allLeet = false;
                }
                if (interior && allLeet)
                    for (int k = 0; k < n; k++)
                        if (char.IsAsciiDigit(wc[k])) wc[k] = LeetDigit(wc[k]);
            }
            if (symbols > 0 && firstLetter >= 0)
            {
                bool leet = (_f & NormalizerFeatures.Leet) != 0 && alphabetic, mask = (_f & NormalizerFeatures.Masks) != 0;
                for (int k = 0; k < n; k++)
                {
                    char c = wc[k];
                    switch (c)
                    {
                        case '@' when leet: wc[k] = 'a'; break;
                        case '$' when leet && !(k + 1 < n && char.IsAsciiDigit(wc[k + 1])): wc[k] = 's'; break;
                        // A single '!' or '|' between letters is an i ("sh!t"); "wow!!!" stays punctuation.
                        case '!' or '|' when leet && (k == 0 && c == '|' || k > 0 && IsLetter(wc[k - 1])) && k + 1 < n && IsLetter(wc[k + 1]):
                            wc[k] = 'i';
                            break;
                        case '#' when mask: wc[k] = '*'; break;
                    }
                }
            }
            if (lcg > 0 && (_f & NormalizerFeatures.Homoglyphs) != 0) Homoglyphs();
            // Invariant lower-casing turns a final capital Σ into σ; Greek spells it ς at the end of a word.
            if (n >= 2 && wc[n - 1] == '\u03C3' && Scripts.Of(wc[n - 2]) == Script.Greek) wc[n - 1] = '\u03C2';
            bool squeeze = (_f & NormalizerFeatures.Elongation) != 0;
            for (int k = 0; k < n; k++)
            {
                char c = wc[k];
                // Stars are not squeezed: their count is what IsMaskedMatch uses ("f***" = four letters).
                if (squeeze && c != '*' && ExtendsFullRun(wc.AsSpan(0, k + 1))) continue;
                Put2(c, _wm[k]);
            }
        }

        /// <summary>
        /// Mixed-script word: map look-alike letters to the script the word is really written in.
        /// The script with letters that have no look-alike decides ("іdіоt": Cyrillic і, о all have
        /// Latin twins, Latin d does not → Latin; "дурaк" with a Latin a → Cyrillic); when both or
        /// neither do, the majority decides. Single-script words are never touched.
        /// </summary>
        private void Homoglyphs()
        {
            var wc = _wc;
            var wf = _wf;
            int n = _wn;
            int latin = 0, cyr = 0, greek = 0;
            for (int k = 0; k < n; k++)
            {
                switch (Scripts.Of(wc[k]))
                {
                    case Script.Latin: latin++; break;
                    case Script.Cyrillic: cyr++; break;
                    case Script.Greek: greek++; break;
                }
            }
            if (latin == 0 || cyr == 0 && greek == 0) return;
            Script foreign = cyr >= greek ? Script.Cyrillic : Script.Greek;
            int foreignCount = Math.Max(cyr, greek);
            var reverse = foreign == Script.Cyrillic ? LatinToCyrillic : LatinToGreek;
            bool foreignAllMap = true, latinAllMap = true;
            for (int k = 0; k < n; k++)
            {
                char c = wc[k];
                var sc = Scripts.Of(c);
                if (sc == Script.Latin)
                {
                    if (c > 'z' || c < 'a' || reverse[c - 'a'] == '\0') latinAllMap = false;
                }
                else if (sc is Script.Cyrillic or Script.Greek)
                {
                    if (HomoglyphToLatin(c, (wf[k] & FUpper) != 0) == '\0') foreignAllMap = false;
                }
            }
            bool toLatin = foreignAllMap && !latinAllMap || foreignAllMap == latinAllMap && latin >= foreignCount;
            for (int k = 0; k < n; k++)
            {
                char c = wc[k];
                var sc = Scripts.Of(c);
                if (toLatin && sc is Script.Cyrillic or Script.Greek)
                {
                    char m = HomoglyphToLatin(c, (wf[k] & FUpper) != 0);
                    if (m != '\0') wc[k] = m;
                }
                else if (!toLatin && sc == Script.Latin && c >= 'a' && c <= 'z' && reverse[c - 'a'] != '\0')
                {
                    wc[k] = reverse[c - 'a'];
                }
            }
        }
    }
}
