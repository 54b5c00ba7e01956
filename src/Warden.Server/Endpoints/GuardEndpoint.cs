using System.Text;
using System.Text.Json;
using Warden.Guard;
using Warden.Server.Http;

namespace Warden.Server.Endpoints;

/// <summary>
/// <c>POST /v1/guard</c>: <c>{"messages":[{"role","content"}], "policy"?}</c> in, a verdict out (see docs/server.md).
/// Content is a string or an array of OpenAI content parts, whose text parts are joined.
/// </summary>
public static class GuardEndpoint
{
    public const string Route = "/v1/guard";

    public static async Task HandleAsync(HttpContext context, WardenApi api)
    {
        using var body = await JsonBody.ReadAsync(context.Request, api.Limits.MaxBodyBytes, context.RequestAborted);
        var root = body.RootElement;
        var messages = ReadMessages(root, api, "messages");
        var policy = api.ResolvePolicy(context, JsonBody.OptionalString(root, "policy", "policy"));

        var verdict = api.Guard.Evaluate(messages, policy);
        await api.RecordAsync(context, Route, verdict, verdict.Messages.Select(m => messages[m.MessageIndex].Content).ToList());
        await JsonResponse.WriteAsync(context, 200, w => VerdictJson.Write(w, verdict, includeMessages: true));
    }

    /// <summary>Reads an OpenAI-style messages array, checking types, count and text limits.</summary>
    public static List<GuardMessage> ReadMessages(JsonElement root, WardenApi api, string name)
    {
        if (!root.TryGetProperty(name, out var array) || array.ValueKind == JsonValueKind.Null)
            throw ApiException.BadRequest("missing_field", $"'{name}' is required", name);
        if (array.ValueKind != JsonValueKind.Array) throw JsonBody.WrongType(name, "an array of messages", array);
        var count = array.GetArrayLength();
        if (count == 0) throw ApiException.BadRequest("empty_messages", $"'{name}' must contain at least one message", name);
        if (count > api.Limits.MaxMessages)
            throw ApiException.BadRequest("too_many_messages", $"'{name}' has {count} messages; the limit is {api.Limits.MaxMessages}", name);

        var messages = new List<GuardMessage>(count);
        var i = 0;
        foreach (var m in array.EnumerateArray())
        {
            var path = $"{name}[{i++}]";
            if (m.ValueKind != JsonValueKind.Object) throw JsonBody.WrongType(path, "an object with 'role' and 'content'", m);
            var role = JsonBody.RequiredString(m, "role", $"{path}.role");
            var content = ContentText(m, $"{path}.content", required: role is "user" or "system");
            if (content.Length > api.Limits.MaxTextChars)
                throw ApiException.BadRequest("text_too_long", $"'{path}.content' has {content.Length} characters; the limit is {api.Limits.MaxTextChars}", $"{path}.content");
            messages.Add(new GuardMessage(role, content));
        }
        if (messages.All(m => m.Content.Length == 0))
            throw ApiException.BadRequest("empty_text", $"every message in '{name}' is empty", name);
        return messages;
    }

    /// <summary>The text of a message's content: a string, or the text parts of a content array; null/absent only where allowed.</summary>
    public static string ContentText(JsonElement message, string path, bool required)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            if (required) throw ApiException.BadRequest("missing_field", $"'{path}' is required", path);
            return "";
        }
        if (content.ValueKind == JsonValueKind.String) return JsonBody.StringValue(content, path);
        if (content.ValueKind != JsonValueKind.Array) throw JsonBody.WrongType(path, "a string or an array of content parts", content);
        var sb = new StringBuilder();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{i++}]";
            if (part.ValueKind != JsonValueKind.Object) throw JsonBody.WrongType(partPath, "a content part object", part);
            // Non-text parts (images, audio) cannot be judged by Warden and are passed over, as documented.
            if (JsonBody.OptionalString(part, "type", $"{partPath}.type") != "text") continue;
            if (sb.Length > 0) sb.Append('\n');
            sb.Append(JsonBody.RequiredString(part, "text", $"{partPath}.text"));
        }
        return sb.ToString();
    }
}
