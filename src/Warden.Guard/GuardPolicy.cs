using Warden.Core;

namespace Warden.Guard;

/// <summary>What happens to a text that crosses a policy.</summary>
public enum PolicyAction
{
    /// <summary>Refuse: the message is not passed on (the server answers with a refusal).</summary>
    Block,

    /// <summary>Pass it on, but mark the verdict as unsafe so the caller can review it.</summary>
    Flag,

    /// <summary>Pass it on with the offending spans replaced by <see cref="GuardPolicy.RedactionMark"/>.</summary>
    Redact,
}

/// <summary>
/// A named, immutable set of rules a guard applies to a conversation. Thresholds not given here fall back
/// to the scorer's own calibrated thresholds, so an empty policy means "the model's defaults".
/// </summary>
public sealed record GuardPolicy
{
    public const string DefaultName = "default";

    public static readonly GuardPolicy Default = new();

    public string Name { get; init; } = DefaultName;

    public PolicyAction Action { get; init; } = PolicyAction.Block;

    /// <summary>Per-attribute thresholds; a score at or above its threshold is a violation.</summary>
    public IReadOnlyDictionary<HarmAttribute, float> Thresholds { get; init; } = new Dictionary<HarmAttribute, float>();

    /// <summary>Per-language overrides (ISO 639-1 code → attribute → threshold), applied over <see cref="Thresholds"/>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<HarmAttribute, float>> LanguageThresholds { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<HarmAttribute, float>>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Attributes this policy never acts on (e.g. profanity on a gaming forum).</summary>
    public IReadOnlySet<HarmAttribute> Ignore { get; init; } = new HashSet<HarmAttribute>();

    /// <summary>Terms that are masked before scoring, so that they alone never make a text unsafe (case-insensitive, whole words).</summary>
    public IReadOnlyList<string> AllowTerms { get; init; } = [];

    /// <summary>Terms that always make a text unsafe (case-insensitive, whole words), reported as category <c>deny_term</c>.</summary>
    public IReadOnlyList<string> DenyTerms { get; init; } = [];

    /// <summary>Roles whose messages are checked; system prompts are written by the operator and are not checked by default.</summary>
    public IReadOnlySet<string> Roles { get; init; } = new HashSet<string>(["user", "assistant", "tool"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether the audit log may keep the checked text itself (by default only a salted hash is kept).</summary>
    public bool StoreText { get; init; }

    /// <summary>The text that replaces a redacted span.</summary>
    public string RedactionMark { get; init; } = "[redacted]";

    /// <summary>The message a blocked conversation gets instead of the model's answer.</summary>
    public string RefusalMessage { get; init; } = "This content was blocked by the Warden content policy.";

    /// <summary>The threshold this policy applies to <paramref name="attribute"/> for text in <paramref name="language"/>.</summary>
    public float ThresholdFor(HarmAttribute attribute, string language, IReadOnlyList<float> scorerThresholds)
    {
        if (LanguageThresholds.TryGetValue(language, out var perLanguage) && perLanguage.TryGetValue(attribute, out var lt)) return lt;
        return Thresholds.TryGetValue(attribute, out var t) ? t : scorerThresholds[(int)attribute];
    }

    public bool Checks(string role) => Roles.Contains(role);
}
