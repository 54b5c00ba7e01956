using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Warden.Server.Http;

/// <summary>
/// Reads a request body as JSON under the configured limits, turning each way it can be wrong into a precise
/// <see cref="ApiException"/>: too large (413), not UTF-8, not JSON, nested too deep (400).
/// </summary>
public static class JsonBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32 };

    public static async Task<JsonDocument> ReadAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        var bytes = await ReadBytesAsync(request, maxBytes, cancellationToken);
        if (bytes.Length == 0) throw ApiException.BadRequest("empty_body", "the request body is empty; send a JSON object");
        if (!Utf8.IsValid(bytes)) throw ApiException.BadRequest("invalid_utf8", "the request body is not valid UTF-8");
        try
        {
            var document = JsonDocument.Parse(bytes, Options);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                document.Dispose();
                throw ApiException.BadRequest("invalid_json", "the request body must be a JSON object");
            }
            return document;
        }
        catch (JsonException e)
        {
            // The parser's message gives the position, not the content, so it is safe to echo.
            throw ApiException.BadRequest("invalid_json", $"the request body is not valid JSON: {e.Message}");
        }
    }

    private static async Task<byte[]> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and < 1 << 20 ? (int)request.ContentLength.Value : 4096);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(8192);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0) break;
                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes) throw TooLarge(maxBytes);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(maxBytes);
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static ApiException TooLarge(long maxBytes) =>
        new(StatusCodes.Status413PayloadTooLarge, "body_too_large", $"the request body is larger than the limit of {maxBytes} bytes");

    // ---- typed field access with precise messages ----

    public static string RequiredString(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            throw ApiException.BadRequest("missing_field", $"'{path}' is required", path);
        return StringValue(value, path);
    }

    public static string? OptionalString(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        return StringValue(value, path);
    }

    public static bool OptionalBool(JsonElement obj, string name, string path)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return false;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(path, "a boolean", value),
        };
    }

    public static string StringValue(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String) throw WrongType(path, "a string", value);
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // A \uD800-style escape of a lone surrogate: valid JSON syntax, but not text.
            throw ApiException.BadRequest("invalid_utf8", $"'{path}' contains an invalid Unicode escape (lone surrogate)", path);
        }
    }

    public static ApiException WrongType(string path, string expected, JsonElement actual) =>
        ApiException.BadRequest("invalid_type", $"'{path}' must be {expected}, not {Describe(actual.ValueKind)}", path);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
