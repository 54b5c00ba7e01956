namespace Warden.Core;

/// <summary>The attributes of the built-in scorer. Order is part of the model format: never reorder.</summary>
public enum HarmAttribute
{
    Toxicity = 0,
    SevereToxicity = 1,
    IdentityAttack = 2,
    Insult = 3,
    Profanity = 4,
    Threat = 5,
    SexuallyExplicit = 6,
    SelfHarm = 7,
}

public static class HarmAttributes
{
    public const int Count = 8;

    /// <summary>All attributes in model order.</summary>
    public static readonly HarmAttribute[] All = Enum.GetValues<HarmAttribute>();

    private static readonly string[] WireNames =
    [
        "toxicity", "severe_toxicity", "identity_attack", "insult",
        "profanity", "threat", "sexually_explicit", "self_harm",
    ];

    /// <summary>The snake_case name used in JSON, the CLI and the docs (Perspective-compatible for the first seven).</summary>
    public static string WireName(this HarmAttribute attribute) => WireNames[(int)attribute];

    public static bool TryParse(string name, out HarmAttribute attribute)
    {
        var normalized = name.Trim().ToLowerInvariant().Replace('-', '_');
        for (var i = 0; i < WireNames.Length; i++)
        {
            if (WireNames[i] == normalized || WireNames[i].Replace("_", "") == normalized)
            {
                attribute = (HarmAttribute)i;
                return true;
            }
        }
        attribute = default;
        return false;
    }

    public static HarmAttribute Parse(string name) =>
        TryParse(name, out var a) ? a : throw new ArgumentException(
            $"unknown attribute '{name}'; expected one of: {string.Join(", ", WireNames)}");
}
