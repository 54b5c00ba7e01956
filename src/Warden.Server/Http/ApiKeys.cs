using System.Net;
using Warden.Guard.Configuration;

namespace Warden.Server.Http;

/// <summary>Who is calling: the API key's id (never the key), its fixed policy if any, and its rate limit.</summary>
public sealed record ClientIdentity(string KeyId, string? Policy, RateLimitSettings RateLimit);

/// <summary>
/// Authenticates requests to the API routes. Keys are compared by SHA-256, so warden.json never holds a secret.
/// A key is read from <c>Authorization: Bearer</c>, <c>x-api-key</c>, or Perspective's <c>?key=</c>.
/// Without a key, a request is let through only in dev mode and only from a loopback address.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, WardenConfig config, ServerOptions options)
{
    public const string IdentityItem = "warden.identity";

    private readonly Dictionary<string, ApiKeyEntry> _byHash = config.ApiKeys.ToDictionary(k => k.Sha256, StringComparer.Ordinal);

    /// <summary>Routes anyone may call: the playground page, health and metrics.</summary>
    public static bool IsPublic(PathString path) =>
        path == "/" || path == "/healthz" || path == "/metrics" || path == "/favicon.ico";

    public async Task InvokeAsync(HttpContext context)
    {
        if (IsPublic(context.Request.Path))
        {
            await next(context);
            return;
        }
        var perspective = ApiError.SchemaFor(context.Request.Path) == ErrorSchema.Perspective;
        var key = PresentedKey(context.Request);
        if (key is null)
        {
            if (options.Dev && IsLoopback(context.Connection.RemoteIpAddress))
            {
                context.Items[IdentityItem] = new ClientIdentity("dev-loopback", null, config.RateLimit);
                await next(context);
                return;
            }
            await ApiError.WriteAsync(context, perspective
                ? new ApiException(403, "api_key_missing", "The request is missing a valid API key.")
                : new ApiException(401, "missing_api_key", "You didn't provide an API key. Send it as 'Authorization: Bearer KEY'."));
            return;
        }
        if (!_byHash.TryGetValue(ApiKeyEntry.Hash(key), out var entry))
        {
            await ApiError.WriteAsync(context, perspective
                ? new ApiException(400, "api_key_invalid", "API key not valid. Please pass a valid API key.")
                : new ApiException(401, "invalid_api_key", "Incorrect API key provided."));
            return;
        }
        context.Items[IdentityItem] = new ClientIdentity(entry.Id, entry.Policy, entry.RateLimit ?? config.RateLimit);
        await next(context);
    }

    public static ClientIdentity Identity(HttpContext context) =>
        context.Items[IdentityItem] as ClientIdentity ?? throw new InvalidOperationException("ApiKeyMiddleware did not run");

    private static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = authorization["Bearer ".Length..].Trim();
            if (token.Length > 0) return token;
        }
        var header = request.Headers["x-api-key"].ToString();
        if (header.Length > 0) return header;
        var query = request.Query["key"].ToString();
        return query.Length > 0 ? query : null;
    }

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);
}
