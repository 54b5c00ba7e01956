using Warden.Core;

namespace Warden.Guard;

/// <summary>How a foreign category is derived from Warden attributes.</summary>
public enum Derivation
{
    /// <summary>The category cannot be judged by Warden: it is reported as unsupported, never given a made-up score.</summary>
    Unsupported,

    /// <summary>Score = the highest of the source attributes; flagged when any source attribute is.</summary>
    AnyOf,

    /// <summary>Score = the lowest of the source attributes; flagged only when all of them are (a conjunction, e.g. hateful AND threatening).</summary>
    AllOf,
}

/// <summary>One foreign category and the Warden attributes it is computed from.</summary>
public sealed record CategoryMapping(string Category, Derivation Derivation, IReadOnlyList<HarmAttribute> Sources, string Note)
{
    public bool Supported => Derivation != Derivation.Unsupported;

    /// <summary>The category's score from Warden's scores, or null when Warden cannot judge it.</summary>
    public float? Score(IReadOnlyList<float> scores) => Derivation switch
    {
        Derivation.AnyOf => Sources.Max(a => scores[(int)a]),
        Derivation.AllOf => Sources.Min(a => scores[(int)a]),
        _ => null,
    };

    /// <summary>Whether the category is flagged, given which Warden attributes crossed their thresholds.</summary>
    public bool Flagged(Func<HarmAttribute, bool> attributeFlagged) => Derivation switch
    {
        Derivation.AnyOf => Sources.Any(attributeFlagged),
        Derivation.AllOf => Sources.All(attributeFlagged),
        _ => false,
    };
}

/// <summary>One row of the cross-taxonomy table: a Warden attribute and its nearest neighbours elsewhere.</summary>
public sealed record AttributeCorrespondence(
    HarmAttribute Attribute,
    string? Perspective,
    IReadOnlyList<string> OpenAI,
    IReadOnlyList<string> MLCommons,
    IReadOnlyList<string> Azure);

/// <summary>
/// The single mapping between Warden's attributes and the taxonomies users come from (Perspective, OpenAI
/// moderation, MLCommons hazards S1–S14 as used by Llama Guard 3, Azure AI Content Safety). docs/taxonomy-mapping.md
/// is the prose version of these tables; a test keeps the two in step.
/// </summary>
public static class Taxonomy
{
    /// <summary>The OpenAI moderation categories in the order of OpenAI's documentation, each with its derivation.</summary>
    public static readonly IReadOnlyList<CategoryMapping> OpenAI =
    [
        new("harassment", Derivation.AnyOf, [HarmAttribute.Insult, HarmAttribute.SevereToxicity], "insults and severe abuse aimed at a person"),
        new("harassment/threatening", Derivation.AnyOf, [HarmAttribute.Threat], "threats aimed at a person"),
        new("hate", Derivation.AnyOf, [HarmAttribute.IdentityAttack], "attacks on a protected identity"),
        new("hate/threatening", Derivation.AllOf, [HarmAttribute.IdentityAttack, HarmAttribute.Threat], "identity attack that is also a threat"),
        new("illicit", Derivation.Unsupported, [], "advice on committing crimes: no Warden attribute"),
        new("illicit/violent", Derivation.Unsupported, [], "weapons and violent-crime advice: no Warden attribute"),
        new("self-harm", Derivation.AnyOf, [HarmAttribute.SelfHarm], "self-harm, suicide, eating disorders"),
        new("self-harm/intent", Derivation.Unsupported, [], "Warden's self_harm does not separate intent from other self-harm content; see self-harm"),
        new("self-harm/instructions", Derivation.Unsupported, [], "Warden's self_harm does not separate instructions from other self-harm content; see self-harm"),
        new("sexual", Derivation.AnyOf, [HarmAttribute.SexuallyExplicit], "sexually explicit content"),
        new("sexual/minors", Derivation.Unsupported, [], "Warden cannot tell the age of people described; never inferred"),
        new("violence", Derivation.AnyOf, [HarmAttribute.Threat], "partial: threats of violence only, not descriptions of violence"),
        new("violence/graphic", Derivation.Unsupported, [], "graphic depictions: no Warden attribute"),
    ];

    public static IEnumerable<string> UnsupportedOpenAICategories => OpenAI.Where(c => !c.Supported).Select(c => c.Category);

    /// <summary>MLCommons AI Safety hazard categories (v0.5 / Llama Guard 3), S1–S14.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> MLCommonsHazards =
    [
        ("S1", "Violent Crimes"), ("S2", "Non-Violent Crimes"), ("S3", "Sex-Related Crimes"),
        ("S4", "Child Sexual Exploitation"), ("S5", "Defamation"), ("S6", "Specialized Advice"),
        ("S7", "Privacy"), ("S8", "Intellectual Property"), ("S9", "Indiscriminate Weapons"),
        ("S10", "Hate"), ("S11", "Suicide & Self-Harm"), ("S12", "Sexual Content"),
        ("S13", "Elections"), ("S14", "Code Interpreter Abuse"),
    ];

    /// <summary>Warden attribute → nearest categories elsewhere (empty list: no counterpart).</summary>
    public static readonly IReadOnlyList<AttributeCorrespondence> Attributes =
    [
        new(HarmAttribute.Toxicity, "TOXICITY", [], [], []),
        new(HarmAttribute.SevereToxicity, "SEVERE_TOXICITY", ["harassment"], [], []),
        new(HarmAttribute.IdentityAttack, "IDENTITY_ATTACK", ["hate", "hate/threatening"], ["S10"], ["Hate"]),
        new(HarmAttribute.Insult, "INSULT", ["harassment"], [], []),
        new(HarmAttribute.Profanity, "PROFANITY", [], [], []),
        new(HarmAttribute.Threat, "THREAT", ["harassment/threatening", "violence", "hate/threatening"], ["S1"], ["Violence"]),
        new(HarmAttribute.SexuallyExplicit, "SEXUALLY_EXPLICIT", ["sexual"], ["S12"], ["Sexual"]),
        new(HarmAttribute.SelfHarm, null, ["self-harm"], ["S11"], ["SelfHarm"]),
    ];

    /// <summary>MLCommons hazards Warden does not judge at all.</summary>
    public static IEnumerable<string> UnsupportedMLCommonsHazards =>
        MLCommonsHazards.Select(h => h.Code).Except(Attributes.SelectMany(a => a.MLCommons));

    /// <summary>Perspective's uppercase attribute name for a Warden attribute (SELF_HARM is a Warden extension).</summary>
    public static string PerspectiveName(HarmAttribute attribute) =>
        Attributes[(int)attribute].Perspective ?? attribute.WireName().ToUpperInvariant();

    /// <summary>Parses a Perspective attribute name (TOXICITY, ..., SELF_HARM); exact uppercase as Perspective requires.</summary>
    public static bool TryParsePerspective(string name, out HarmAttribute attribute)
    {
        foreach (var a in HarmAttributes.All)
        {
            if (PerspectiveName(a) == name)
            {
                attribute = a;
                return true;
            }
        }
        attribute = default;
        return false;
    }
}
