namespace Warden.Core;

/// <summary>A character range [Start, Start+Length) in the original text that drives an attribute.</summary>
public sealed record TextSpan(int Start, int Length, HarmAttribute Attribute, float Score, string Text);

/// <summary>The scores of one text: a calibrated probability per attribute, the detected language and, on request, spans.</summary>
public sealed class ScoreResult
{
    public ScoreResult(string language, float[] scores, IReadOnlyList<TextSpan>? spans = null, IReadOnlyList<HarmAttribute>? lowEvidence = null)
    {
        if (scores.Length != HarmAttributes.Count) throw new ArgumentException("one score per attribute", nameof(scores));
        Language = language;
        Scores = scores;
        Spans = spans ?? [];
        LowEvidence = lowEvidence ?? [];
    }

    /// <summary>Detected language (ISO 639-1 where one exists) or "und" when the identifier is unsure.</summary>
    public string Language { get; }

    /// <summary>One calibrated probability per attribute, indexed by <see cref="HarmAttribute"/>.</summary>
    public float[] Scores { get; }

    public IReadOnlyList<TextSpan> Spans { get; }

    /// <summary>
    /// Attributes whose model had too little labelled training evidence in <see cref="Language"/>: their scores
    /// rest on transfer from other languages and should be read with care (the scorer says so rather than guess quietly).
    /// </summary>
    public IReadOnlyList<HarmAttribute> LowEvidence { get; }

    public float this[HarmAttribute attribute] => Scores[(int)attribute];

    public IEnumerable<KeyValuePair<string, float>> Named =>
        HarmAttributes.All.Select(a => new KeyValuePair<string, float>(a.WireName(), Scores[(int)a]));
}

public sealed record ScoreOptions
{
    public static readonly ScoreOptions Default = new();

    /// <summary>Compute character spans for attributes at or above their threshold.</summary>
    public bool Spans { get; init; }

    /// <summary>
    /// The language of the texts when the caller knows it, as Perspective API's <c>languages</c> field: an ISO 639
    /// code ("de") or a BCP 47 tag ("pt-BR", "zh-Hans"; only the language part counts). It replaces language
    /// identification, which errs on short texts ("I want to die" reads as Afrikaans). Null, empty or "und": identify
    /// each text's language. Throws <see cref="ArgumentException"/> for anything that is not a language tag.
    /// </summary>
    public string? Language
    {
        get => _language;
        init => _language = LanguageTags.Normalize(value);
    }

    private readonly string? _language;
}

/// <summary>Language tags as callers write them, reduced to the codes the language identifier reports.</summary>
public static class LanguageTags
{
    // Deprecated ISO 639-1 codes and the one ISO 639-2 code with a 639-1 equivalent that callers commonly send.
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["iw"] = "he", ["in"] = "id", ["ji"] = "yi", ["fil"] = "tl",
    };

    /// <summary>The lower-case language subtag of a BCP 47 tag ("pt-BR" → "pt", "EN" → "en", "iw" → "he"); null for
    /// null, blank or "und". Throws <see cref="ArgumentException"/> for anything else that is not a language tag.</summary>
    public static string? Normalize(string? tag) =>
        TryNormalize(tag, out var language) ? language
            : throw new ArgumentException($"'{tag}' is not a language tag (expected an ISO 639 code such as \"en\" or a BCP 47 tag such as \"pt-BR\")", nameof(tag));

    /// <summary><see cref="Normalize"/> without throwing: false when <paramref name="tag"/> is not a language tag.</summary>
    public static bool TryNormalize(string? tag, out string? language)
    {
        language = null;
        if (string.IsNullOrWhiteSpace(tag)) return true;
        var trimmed = tag.Trim();
        var end = trimmed.IndexOfAny(['-', '_']);
        var primary = (end < 0 ? trimmed : trimmed[..end]).ToLowerInvariant();
        if (primary.Length is < 2 or > 3 || !primary.All(char.IsAsciiLetterLower) || end == trimmed.Length - 1
            || end >= 0 && !trimmed[(end + 1)..].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        if (primary != "und") language = Aliases.TryGetValue(primary, out var alias) ? alias : primary;
        return true;
    }
}

/// <summary>
/// Scores texts for the harm attributes. Implementations are thread-safe: one instance is meant to be
/// shared by all threads of an app, and a text's scores never depend on the other texts of the batch.
/// The scorer owns its model; dispose it if it holds native resources.
/// </summary>
public interface IScorer
{
    /// <summary>A short name and version of the model, recorded with every evaluation.</summary>
    string ModelName { get; }

    /// <summary>Per-attribute decision thresholds (a text is flagged when any score reaches its threshold).</summary>
    IReadOnlyList<float> Thresholds { get; }

    ScoreResult Score(string text, ScoreOptions? options = null);

    /// <summary>Scores a batch; result i belongs to text i.</summary>
    IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null);
}

public static class ScorerExtensions
{
    /// <summary>The language a scorer reports for a text: the caller's <see cref="ScoreOptions.Language"/> when given,
    /// else the identifier's answer.</summary>
    public static string LanguageOf(this ILanguageIdentifier identifier, string text, ScoreOptions? options) =>
        options?.Language ?? identifier.Identify(text);

    public static bool IsFlagged(this IScorer scorer, ScoreResult result)
    {
        for (var i = 0; i < HarmAttributes.Count; i++)
            if (scorer.IsFlagged(result, (HarmAttribute)i)) return true;
        return false;
    }

    /// <summary>Whether one attribute's score reaches its threshold.</summary>
    public static bool IsFlagged(this IScorer scorer, ScoreResult result, HarmAttribute attribute) =>
        result.Scores[(int)attribute] >= scorer.Thresholds[(int)attribute];
}
