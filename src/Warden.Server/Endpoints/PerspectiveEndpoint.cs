using System.Text.Json;
using Warden.Core;
using Warden.Guard;
using Warden.Server.Http;

namespace Warden.Server.Endpoints;

/// <summary>
/// <c>POST /v1alpha1/comments:analyze</c> in Perspective API's schema, so a Perspective client only changes its
/// base URL. Span offsets are in Unicode code points, as Perspective's are. Summary scores always come back;
/// with <c>spanAnnotations</c> the span scores are the words that drive the attribute (Perspective uses
/// sentences), else one span covering the comment, as Perspective answers.
/// </summary>
public static class PerspectiveEndpoint
{
    public const string Route = "/v1alpha1/comments:analyze";

    private sealed record Requested(HarmAttribute Attribute, string Name, float? ScoreThreshold);

    public static async Task HandleAsync(HttpContext context, WardenApi api)
    {
        using var body = await JsonBody.ReadAsync(context.Request, api.Limits.MaxBodyBytes, context.RequestAborted);
        var root = body.RootElement;

        if (!root.TryGetProperty("comment", out var comment) || comment.ValueKind == JsonValueKind.Null)
            throw ApiException.BadRequest("missing_field", "comment is required", "comment");
        if (comment.ValueKind != JsonValueKind.Object) throw JsonBody.WrongType("comment", "an object", comment);
        var text = JsonBody.OptionalString(comment, "text", "comment.text") ?? "";
        if (text.Length == 0) throw ApiException.BadRequest("empty_comment", "Comment must be non-empty.", "comment.text");
        if (text.Length > api.Limits.MaxTextChars)
            throw ApiException.BadRequest("text_too_long", $"Comment text too long: {text.Length} characters; the limit is {api.Limits.MaxTextChars}.", "comment.text");
        var type = JsonBody.OptionalString(comment, "type", "comment.type");
        if (type is not null and not "PLAIN_TEXT")
            throw ApiException.BadRequest("unsupported_comment_type", $"comment.type '{type}' is not supported; use PLAIN_TEXT", "comment.type");

        var requested = ReadRequestedAttributes(root);
        var languages = ReadLanguages(root);
        var spanAnnotations = JsonBody.OptionalBool(root, "spanAnnotations", "spanAnnotations");
        var doNotStore = JsonBody.OptionalBool(root, "doNotStore", "doNotStore");
        var clientToken = JsonBody.OptionalString(root, "clientToken", "clientToken");

        var policy = api.ResolvePolicy(context, null);
        // Perspective scores in the first requested language; Warden's scorers take one language per text.
        var assessment = api.Guard.Assess(text, policy, 0, "user", languages.Count > 0 ? languages[0] : null);
        var detected = languages.Count > 0 ? DetectedLanguage(text) ?? assessment.Scores.Language : assessment.Scores.Language;
        var verdict = new GuardVerdict(policy.Name, policy.Action, [assessment], assessment.Violations, api.Guard.Scorer.ModelName);
        await api.RecordAsync(context, Route, verdict, [text], doNotStore);

        await JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("attributeScores");
            foreach (var r in requested)
            {
                var score = assessment.Scores[r.Attribute];
                // Perspective leaves out an attribute whose score is below the requested scoreThreshold.
                if (r.ScoreThreshold is { } threshold && score < threshold) continue;
                w.WriteStartObject(r.Name);
                w.WriteStartArray("spanScores");
                var spans = spanAnnotations ? assessment.Scores.Spans.Where(s => s.Attribute == r.Attribute).ToList() : [];
                if (spans.Count == 0) WriteSpan(w, text, 0, text.Length, score);
                foreach (var s in spans) WriteSpan(w, text, s.Start, s.Start + s.Length, s.Score);
                w.WriteEndArray();
                w.WriteStartObject("summaryScore");
                w.WriteScore("value", score);
                w.WriteString("type", "PROBABILITY");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("languages");
            foreach (var l in languages.Count > 0 ? languages : [assessment.Scores.Language]) w.WriteStringValue(l);
            w.WriteEndArray();
            w.WriteStartArray("detectedLanguages");
            w.WriteStringValue(detected);
            w.WriteEndArray();
            if (clientToken is not null) w.WriteString("clientToken", clientToken);
            w.WriteEndObject();
        });
    }

    private static List<Requested> ReadRequestedAttributes(JsonElement root)
    {
        if (!root.TryGetProperty("requestedAttributes", out var attributes) || attributes.ValueKind == JsonValueKind.Null)
            throw ApiException.BadRequest("missing_field", "requestedAttributes is required: e.g. {\"TOXICITY\": {}}", "requestedAttributes");
        if (attributes.ValueKind != JsonValueKind.Object) throw JsonBody.WrongType("requestedAttributes", "an object", attributes);
        var result = new List<Requested>();
        foreach (var property in attributes.EnumerateObject())
        {
            if (!Taxonomy.TryParsePerspective(property.Name, out var attribute))
                throw ApiException.BadRequest("unknown_attribute",
                    $"Unknown attribute: {property.Name}. Supported: {string.Join(", ", HarmAttributes.All.Select(Taxonomy.PerspectiveName))}.",
                    $"requestedAttributes.{property.Name}");
            var path = $"requestedAttributes.{property.Name}";
            float? threshold = null;
            var config = property.Value;
            if (config.ValueKind == JsonValueKind.Object)
            {
                var scoreType = JsonBody.OptionalString(config, "scoreType", $"{path}.scoreType");
                if (scoreType is not null and not "PROBABILITY")
                    throw ApiException.BadRequest("unsupported_score_type", $"{path}.scoreType '{scoreType}' is not supported; use PROBABILITY", $"{path}.scoreType");
                if (config.TryGetProperty("scoreThreshold", out var t) && t.ValueKind != JsonValueKind.Null)
                {
                    if (t.ValueKind != JsonValueKind.Number || !t.TryGetDouble(out var value)) throw JsonBody.WrongType($"{path}.scoreThreshold", "a number", t);
                    if (value is < 0 or > 1) throw ApiException.BadRequest("invalid_value", $"{path}.scoreThreshold must be in [0, 1]", $"{path}.scoreThreshold");
                    threshold = (float)value;
                }
            }
            else if (config.ValueKind != JsonValueKind.Null)
            {
                throw JsonBody.WrongType(path, "an object", config);
            }
            result.Add(new Requested(attribute, property.Name, threshold));
        }
        if (result.Count == 0) throw ApiException.BadRequest("empty_requested_attributes", "requestedAttributes must name at least one attribute", "requestedAttributes");
        return result;
    }

    private static List<string> ReadLanguages(JsonElement root)
    {
        if (!root.TryGetProperty("languages", out var languages) || languages.ValueKind == JsonValueKind.Null) return [];
        if (languages.ValueKind != JsonValueKind.Array) throw JsonBody.WrongType("languages", "an array of language codes", languages);
        var result = new List<string>();
        var i = 0;
        foreach (var l in languages.EnumerateArray())
        {
            var code = JsonBody.StringValue(l, $"languages[{i++}]");
            if (code.Length > 12 || !LanguageTags.TryNormalize(code, out var language))
                throw ApiException.BadRequest("invalid_language", $"'{code}' is not a language code", "languages");
            if (language is not null) result.Add(language);
        }
        return result;
    }

    /// <summary>What language identification says, for <c>detectedLanguages</c> when the caller named the language.</summary>
    private static string? DetectedLanguage(string text)
    {
        try { return Warden.Text.LanguageId.LanguageIdentifier.LoadDefault().Identify(text); }
        catch (FileNotFoundException) { return null; }
    }

    private static void WriteSpan(Utf8JsonWriter w, string text, int start, int end, float score)
    {
        w.WriteStartObject();
        w.WriteNumber("begin", CodePoints(text, start));
        w.WriteNumber("end", CodePoints(text, end));
        w.WriteStartObject("score");
        w.WriteScore("value", score);
        w.WriteString("type", "PROBABILITY");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>UTF-16 offset → code-point offset (Perspective counts code points; .NET strings count UTF-16 units).</summary>
    internal static int CodePoints(string text, int utf16Offset)
    {
        var count = 0;
        for (var i = 0; i < utf16Offset; i++)
            if (!(char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1]))) count++;
        return count;
    }
}
