using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Warden.Server.Http;

/// <summary>Writes hand-shaped JSON (field names exactly as the imitated APIs spell them) without reflection.</summary>
public static class JsonResponse
{
    // Responses are JSON for programs, never embedded in HTML, so non-ASCII text is written as is.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    public static byte[] Serialize(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Scores are written rounded to 6 decimals: float noise past that means nothing and costs bytes.</summary>
    public static void WriteScore(this Utf8JsonWriter writer, string name, float value) =>
        writer.WriteNumber(name, Math.Round((double)value, 6));
}
