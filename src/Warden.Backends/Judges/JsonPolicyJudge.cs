using System.Globalization;
using System.Text.Json.Nodes;
using Warden.Core;

namespace Warden.Backends.Judges;

/// <summary>
/// A user-written policy for <see cref="JsonPolicyJudge"/>: the policy text (system prompt) and the categories
/// the model may name, each mapped onto Warden attributes (none: judged and reported, not scored).
/// </summary>
public sealed record JudgePolicy(string Policy, IReadOnlyDictionary<string, HarmAttribute[]> Categories)
{
    /// <summary>
    /// Reads a policy file: plain text (the categories are then Warden's attribute names), or JSON
    /// <c>{"policy": "...", "categories": {"harassment": "insult", "hate": ["identity_attack"], "crime": null}}</c>.
    /// </summary>
    public static JudgePolicy Load(string path)
    {
        var text = File.ReadAllText(path);
        if (!text.TrimStart().StartsWith('{')) return FromText(text);
        var json = JsonNode.Parse(text)?.AsObject() ?? throw new InvalidDataException($"{path}: not a JSON object");
        var policy = json["policy"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: no \"policy\"");
        var categories = new Dictionary<string, HarmAttribute[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, target) in json["categories"]?.AsObject() ?? throw new InvalidDataException($"{path}: no \"categories\""))
        {
            categories[name] = target switch
            {
                null => [],
                JsonArray list => list.Select(a => HarmAttributes.Parse(a!.GetValue<string>())).ToArray(),
                _ => [HarmAttributes.Parse(target.GetValue<string>())],
            };
        }
        return new JudgePolicy(policy, categories);
    }

    /// <summary>A policy whose categories are Warden's own attribute names.</summary>
    public static JudgePolicy FromText(string policy) => new(policy,
        HarmAttributes.All.ToDictionary(a => a.WireName(), a => new[] { a }, StringComparer.OrdinalIgnoreCase));
}

/// <summary>
/// A generic LLM judge: the policy is the system prompt, the model answers
/// <c>{"violations": [{"category": ..., "score": ...}]}</c>. The answer is read robustly (code fences, prose
/// around the JSON, scores as strings or percentages); a category the policy does not list is kept in the raw
/// verdict but scores nothing.
/// </summary>
public sealed class JsonPolicyJudge : JudgeScorer
{
    private readonly JudgePolicy _policy;
    private readonly string _system;

    public JsonPolicyJudge(JudgeEndpoint endpoint, JudgePolicy policy, ChatRole role = ChatRole.User, HttpMessageHandler? handler = null, ILanguageIdentifier? languages = null)
        : base(new JudgeClient(endpoint, handler), policy.Categories, role, languages)
    {
        _policy = policy;
        _system = policy.Policy.Trim() + "\n\n" +
            $"Categories: {string.Join(", ", policy.Categories.Keys)}.\n" +
            "Judge only the last message of the conversation. Answer with JSON only, in this form:\n" +
            "{\"violations\": [{\"category\": \"<one of the categories>\", \"score\": <probability from 0 to 1>}]}\n" +
            "An empty list means the message violates nothing.";
    }

    public override string ModelName => $"judge:{Client.Endpoint.Model}";

    public int MaxTokens { get; init; } = 256;

    public override async Task<JudgeVerdict> JudgeAsync(IReadOnlyList<ChatTurn> conversation, CancellationToken cancellationToken = default)
    {
        if (conversation.Count == 0) throw new ArgumentException("empty conversation", nameof(conversation));
        // The text goes in as data between markers, so instructions inside it read as content, not as orders.
        var transcript = string.Join("\n", conversation.Select(t => $"{(t.Role == ChatRole.User ? "User" : "Assistant")}: {t.Content}"));
        var completion = await Client.ChatAsync(
            [("system", _system), ("user", $"Conversation to judge:\n<<<\n{transcript}\n>>>")], MaxTokens, cancellationToken).ConfigureAwait(false);
        var violations = ParseViolations(completion.Text)
            ?? throw new JudgeException($"{ModelName}: no {{\"violations\": [...]}} JSON in the answer: \"{Shorten(completion.Text)}\"");
        return new JudgeVerdict(violations.Any(v => v.Score >= 0.5f), violations, violations.Count == 0 ? 0 : violations.Max(v => v.Score), completion.Text);
    }

    /// <summary>The violations of the first JSON object in <paramref name="answer"/> that has a "violations" array; null when there is none.</summary>
    public static IReadOnlyList<CategoryScore>? ParseViolations(string answer)
    {
        foreach (var json in JsonObjects(answer))
        {
            if (json["violations"] is not JsonArray list) continue;
            var result = new List<CategoryScore>();
            foreach (var item in list)
            {
                // Tolerate ["hate", ...] as well as [{"category": "hate", "score": 0.9}, ...].
                var category = item is JsonValue v ? v.ToString() : item?["category"]?.ToString();
                if (string.IsNullOrWhiteSpace(category)) continue;
                result.Add(new CategoryScore(category.Trim(), ReadScore(item is JsonObject o ? o["score"] : null)));
            }
            return result;
        }
        return null;
    }

    private static float ReadScore(JsonNode? node)
    {
        double value;
        if (node is null) return 1f; // named without a score: the model asserts the violation
        if (node is JsonValue v && v.TryGetValue<double>(out var d)) value = d;
        else if (double.TryParse(node.ToString().TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)) value = parsed;
        else return 1f;
        if (value > 1 && value <= 100) value /= 100; // a percentage
        return (float)Math.Clamp(value, 0, 1);
    }

    /// <summary>Every balanced {...} in the text that parses as a JSON object, in order (strings and escapes respected).</summary>
    internal static IEnumerable<JsonObject> JsonObjects(string text)
    {
        for (var start = text.IndexOf('{'); start >= 0; start = text.IndexOf('{', start + 1))
        {
            var end = MatchingBrace(text, start);
            if (end < 0) continue;
            JsonNode? node = null;
            try { node = JsonNode.Parse(text.AsSpan(start, end - start + 1).ToString()); }
            catch (System.Text.Json.JsonException) { }
            if (node is JsonObject obj) yield return obj;
        }
    }

    private static int MatchingBrace(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            }
            else if (c == '"') inString = true;
            else if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }

    private static string Shorten(string s) => s.Length <= 200 ? s.Trim() : s[..200].Trim() + "…";
}
