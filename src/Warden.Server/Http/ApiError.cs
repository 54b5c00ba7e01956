using System.Text.Json;

namespace Warden.Server.Http;

/// <summary>Which public API's error schema a route answers in.</summary>
public enum ErrorSchema
{
    /// <summary><c>{"error":{"message","type","param","code"}}</c> — OpenAI's, also used by Warden's own routes.</summary>
    OpenAI,

    /// <summary><c>{"error":{"code":400,"message","status":"INVALID_ARGUMENT"}}</c> — Google APIs', as Perspective answers.</summary>
    Perspective,
}

/// <summary>A client mistake (or an upstream failure) with everything needed to answer it precisely.</summary>
public sealed class ApiException(int status, string code, string message, string? param = null) : Exception(message)
{
    public int Status { get; } = status;

    /// <summary>Machine-readable code, e.g. <c>invalid_json</c>, <c>text_too_long</c>.</summary>
    public string Code { get; } = code;

    /// <summary>The request field at fault, when there is one.</summary>
    public string? Param { get; } = param;

    public static ApiException BadRequest(string code, string message, string? param = null) => new(400, code, message, param);
}

public static class ApiError
{
    public static ErrorSchema SchemaFor(PathString path) =>
        path.StartsWithSegments("/v1alpha1") ? ErrorSchema.Perspective : ErrorSchema.OpenAI;

    public static Task WriteAsync(HttpContext context, ApiException error) =>
        WriteAsync(context, SchemaFor(context.Request.Path), error);

    public static async Task WriteAsync(HttpContext context, ErrorSchema schema, ApiException error)
    {
        if (context.Response.HasStarted) return;
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        if (schema == ErrorSchema.Perspective)
        {
            writer.WriteNumber("code", error.Status);
            writer.WriteString("message", error.Message);
            writer.WriteString("status", GoogleStatus(error.Status));
            // Google APIs carry the fine-grained reason in details; Warden puts its code there too.
            writer.WriteStartArray("details");
            writer.WriteStartObject();
            writer.WriteString("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            writer.WriteString("reason", error.Code);
            writer.WriteString("domain", "warden");
            writer.WriteEndObject();
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("message", error.Message);
            writer.WriteString("type", OpenAIType(error.Status));
            if (error.Param is null) writer.WriteNull("param");
            else writer.WriteString("param", error.Param);
            writer.WriteString("code", error.Code);
        }
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync();
    }

    private static string GoogleStatus(int status) => status switch
    {
        400 or 413 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        405 => "UNIMPLEMENTED",
        429 => "RESOURCE_EXHAUSTED",
        502 or 503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION",
    };

    private static string OpenAIType(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };
}
