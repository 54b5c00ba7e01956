using Warden.Guard;
using Warden.Guard.Configuration;
using Warden.Server.Audit;
using Warden.Server.Http;
using Warden.Server.Observability;

namespace Warden.Server;

/// <summary>What every endpoint shares: the configuration, the guard, the audit log and the metrics.</summary>
public sealed class WardenApi(WardenConfig config, Guard.Guard guard, AuditLog audit, WardenMetrics metrics)
{
    public WardenConfig Config { get; } = config;
    public Guard.Guard Guard { get; } = guard;
    public AuditLog Audit { get; } = audit;
    public WardenMetrics Metrics { get; } = metrics;
    public LimitSettings Limits => Config.Limits;

    /// <summary>
    /// The policy for a request: a key bound to a policy always gets it (asking for another one is refused, so a
    /// client cannot weaken its own guard); other callers may name one; otherwise the default.
    /// </summary>
    public GuardPolicy ResolvePolicy(HttpContext context, string? requested)
    {
        var identity = ApiKeyMiddleware.Identity(context);
        if (identity.Policy is not null)
        {
            if (requested is not null && requested != identity.Policy)
                throw new ApiException(403, "policy_not_allowed", $"this API key is bound to policy '{identity.Policy}'", "policy");
            return Config.Policies[identity.Policy];
        }
        if (!Config.TryGetPolicy(requested, out var policy))
            throw ApiException.BadRequest("unknown_policy", $"unknown policy '{requested}'; configured: {string.Join(", ", Config.Policies.Keys)}", "policy");
        return policy;
    }

    public void CheckText(string text, string param)
    {
        if (text.Length == 0) throw ApiException.BadRequest("empty_text", $"'{param}' must not be empty", param);
        if (text.Length > Limits.MaxTextChars)
            throw ApiException.BadRequest("text_too_long", $"'{param}' has {text.Length} characters; the limit is {Limits.MaxTextChars}", param);
    }

    /// <summary>Counts flagged categories and queues the audit record of a decision.</summary>
    public ValueTask RecordAsync(HttpContext context, string route, GuardVerdict verdict, IReadOnlyList<string> texts, bool doNotStore = false)
    {
        foreach (var category in verdict.Violations.Select(v => v.Category).Distinct()) Metrics.Flagged(category);
        Metrics.Texts(route, verdict.Messages.Count);
        var policy = Config.Policies.TryGetValue(verdict.Policy, out var p) ? p : null;
        return Audit.RecordAsync(ApiKeyMiddleware.Identity(context).KeyId, route, verdict, texts,
            mayStoreText: policy?.StoreText == true && !doNotStore, context.RequestAborted);
    }
}
