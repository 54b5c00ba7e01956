using System.Text.Json;
using Warden.Core;
using Warden.Guard;
using Warden.Server.Http;

namespace Warden.Server.Endpoints;

/// <summary>
/// <c>POST /v1/moderations</c> in OpenAI's schema. <c>input</c> is a string, an array of strings (one result
/// each), or an array of content parts (<c>{"type":"text","text":...}</c>, one result for all of them).
/// Categories come from <see cref="Taxonomy.OpenAI"/>; those Warden cannot judge are listed under
/// <c>warden.unsupported_categories</c> and reported as 0 / false, never guessed.
/// </summary>
public static class ModerationEndpoint
{
    public const string Route = "/v1/moderations";

    public static async Task HandleAsync(HttpContext context, WardenApi api)
    {
        using var body = await JsonBody.ReadAsync(context.Request, api.Limits.MaxBodyBytes, context.RequestAborted);
        var root = body.RootElement;
        var inputs = ReadInputs(root, api);
        JsonBody.OptionalString(root, "model", "model");
        var policy = api.ResolvePolicy(context, JsonBody.OptionalString(root, "policy", "policy"));

        var assessments = new TextAssessment[inputs.Count];
        for (var i = 0; i < inputs.Count; i++)
        {
            assessments[i] = api.Guard.Assess(inputs[i], policy, i, "user");
            var verdict = new GuardVerdict(policy.Name, policy.Action, [assessments[i]], assessments[i].Violations, api.Guard.Scorer.ModelName);
            await api.RecordAsync(context, Route, verdict, [inputs[i]]);
        }

        await JsonResponse.WriteAsync(context, 200, w => Write(w, assessments, policy, api.Guard.Scorer.ModelName));
    }

    private static List<string> ReadInputs(JsonElement root, WardenApi api)
    {
        if (!root.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
            throw ApiException.BadRequest("missing_field", "'input' is required", "input");
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                var single = JsonBody.StringValue(input, "input");
                api.CheckText(single, "input");
                return [single];
            case JsonValueKind.Array:
                var count = input.GetArrayLength();
                if (count == 0) throw ApiException.BadRequest("empty_input", "'input' must not be an empty array", "input");
                if (count > api.Limits.MaxBatchSize)
                    throw ApiException.BadRequest("batch_too_large", $"'input' has {count} items; the limit is {api.Limits.MaxBatchSize}", "input");
                if (input[0].ValueKind == JsonValueKind.Object) return [ReadParts(input, api)];
                var texts = new List<string>(count);
                var index = 0;
                foreach (var item in input.EnumerateArray())
                {
                    var text = JsonBody.StringValue(item, $"input[{index}]");
                    api.CheckText(text, $"input[{index}]");
                    texts.Add(text);
                    index++;
                }
                return texts;
            default:
                throw JsonBody.WrongType("input", "a string or an array", input);
        }
    }

    // Multi-modal form: text parts are moderated together as one input; images cannot be judged by Warden.
    private static string ReadParts(JsonElement parts, WardenApi api)
    {
        var texts = new List<string>();
        var index = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var path = $"input[{index++}]";
            if (part.ValueKind != JsonValueKind.Object) throw JsonBody.WrongType(path, "an object like {\"type\":\"text\",\"text\":\"...\"}", part);
            var type = JsonBody.RequiredString(part, "type", $"{path}.type");
            if (type != "text")
                throw ApiException.BadRequest("unsupported_input_type", $"'{path}.type' is '{type}'; Warden moderates text only", $"{path}.type");
            texts.Add(JsonBody.RequiredString(part, "text", $"{path}.text"));
        }
        var joined = string.Join("\n", texts);
        api.CheckText(joined, "input");
        return joined;
    }

    private static void Write(Utf8JsonWriter w, IReadOnlyList<TextAssessment> assessments, GuardPolicy policy, string model)
    {
        w.WriteStartObject();
        w.WriteString("id", "modr-" + Guid.NewGuid().ToString("N"));
        w.WriteString("model", model);
        w.WriteStartArray("results");
        foreach (var a in assessments) WriteResult(w, a, policy);
        w.WriteEndArray();
        w.WriteStartObject("warden");
        w.WriteString("policy", policy.Name);
        w.WriteStartArray("unsupported_categories");
        foreach (var c in Taxonomy.UnsupportedOpenAICategories) w.WriteStringValue(c);
        w.WriteEndArray();
        w.WriteString("taxonomy", "docs/taxonomy-mapping.md");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter w, TextAssessment a, GuardPolicy policy)
    {
        var crossed = a.Violations.Select(v => v.Category).ToHashSet();
        bool AttributeFlagged(HarmAttribute attribute) => crossed.Contains(attribute.WireName());

        w.WriteStartObject();
        w.WriteBoolean("flagged", !a.Safe);
        w.WriteStartObject("categories");
        foreach (var c in Taxonomy.OpenAI) w.WriteBoolean(c.Category, c.Flagged(AttributeFlagged));
        w.WriteEndObject();
        w.WriteStartObject("category_scores");
        foreach (var c in Taxonomy.OpenAI) w.WriteScore(c.Category, c.Score(a.Scores.Scores) ?? 0f);
        w.WriteEndObject();
        w.WriteStartObject("category_applied_input_types");
        foreach (var c in Taxonomy.OpenAI)
        {
            w.WriteStartArray(c.Category);
            if (c.Supported) w.WriteStringValue("text");
            w.WriteEndArray();
        }
        w.WriteEndObject();
        w.WriteStartObject("warden");
        w.WriteString("language", a.Scores.Language);
        w.WriteStartObject("scores");
        foreach (var attribute in HarmAttributes.All) w.WriteScore(attribute.WireName(), a.Scores[attribute]);
        w.WriteEndObject();
        w.WriteStartArray("violations");
        foreach (var v in a.Violations) w.WriteStringValue(v.Category);
        w.WriteEndArray();
        w.WriteString("action", policy.Action.ToString().ToLowerInvariant());
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
