using System.Globalization;
using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets;

/// <summary>
/// Label patterns shared by several adapters (see docs/label-mapping.md). Every value goes through
/// <see cref="AttributeLabels.Set"/>, which rejects anything outside [0, 1]; unset attributes stay NaN (masked).
/// </summary>
public static class LabelSets
{
    /// <summary>
    /// Soft label for an unsafe-request category that matches an attribute (XSafety, MultiJail, harmful-behaviour
    /// benchmarks): such a request often, not always, carries the harm in its own words.
    /// </summary>
    public const float HarmfulRequestCategory = 0.5f;

    /// <summary>The attributes an exhaustive "not offensive / not abusive" class rules out (OffensEval-style NOT, GermEval OTHER).</summary>
    public static readonly HarmAttribute[] OffenceAttributes = [Toxicity, SevereToxicity, IdentityAttack, Insult, Profanity, Threat];

    /// <summary>
    /// Neutral identity mentions (HolisticBias templates without the negative ones, BOLD Wikipedia sentence openings):
    /// every attribute 0. They state who someone is; no rudeness, attack, swearing, threat, lewdness or self-harm intent.
    /// </summary>
    public static AttributeLabels NeutralMention() => Zero(HarmAttributes.All);

    /// <summary>An "offensive / not offensive" label in the OffensEval / OLID sense: OFF is toxicity only; NOT rules out every offence attribute.</summary>
    public static AttributeLabels Offensive(bool offensive) =>
        offensive ? new AttributeLabels().Set(Toxicity, 1f) : Zero(OffenceAttributes);

    /// <summary>A hate-speech yes/no label: hate is identity attack and toxicity; "no hate" rules out identity attack only (it may still be offensive).</summary>
    public static AttributeLabels HateSpeech(bool hate) =>
        hate ? new AttributeLabels().Set(Toxicity, 1f).Set(IdentityAttack, 1f) : new AttributeLabels().Set(IdentityAttack, 0f);

    /// <summary>Labels with the given attributes at 0 and the rest masked.</summary>
    public static AttributeLabels Zero(params ReadOnlySpan<HarmAttribute> attributes)
    {
        var labels = new AttributeLabels();
        foreach (var a in attributes) labels.Set(a, 0f);
        return labels;
    }

    /// <summary>Share of annotators, clamped to [0, 1]; NaN when nobody annotated.</summary>
    public static float Fraction(double count, double total) =>
        total > 0 ? (float)Math.Clamp(count / total, 0, 1) : float.NaN;

    /// <summary>Sets <paramref name="value"/> when it is a number (NaN leaves the attribute masked), raising an existing value to the max.</summary>
    public static AttributeLabels SetMax(this AttributeLabels labels, HarmAttribute attribute, float value)
    {
        if (float.IsNaN(value)) return labels;
        var current = labels[attribute];
        return labels.Set(attribute, float.IsNaN(current) ? value : Math.Max(current, value));
    }

    /// <summary>A copy, for records that must not share one mutable label object.</summary>
    public static AttributeLabels Clone(this AttributeLabels source)
    {
        var copy = new AttributeLabels();
        foreach (var a in HarmAttributes.All) if (source.IsAnnotated(a)) copy.Set(a, source[a]);
        return copy;
    }

    /// <summary>True when at least one attribute is annotated (a record without any label teaches nothing and is left out).</summary>
    public static bool Any(this AttributeLabels labels)
    {
        foreach (var v in labels.Values) if (!float.IsNaN(v)) return true;
        return false;
    }
}

/// <summary>Invariant-culture number parsing for source fields ("3", "3.0", "0.25", "1e-3").</summary>
public static class SourceNumbers
{
    public static bool TryFloat(string text, out float value) =>
        float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    /// <summary>Integers that some exports write as floats ("278.0").</summary>
    public static bool TryInt(string text, out int value)
    {
        value = 0;
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d != Math.Floor(d) || Math.Abs(d) > int.MaxValue) return false;
        value = (int)d;
        return true;
    }

    /// <summary>An id written as a float by pandas ("278.0" → "278"); other ids unchanged.</summary>
    public static string CleanId(string text)
    {
        var t = text.Trim();
        return t.EndsWith(".0", StringComparison.Ordinal) && long.TryParse(t.AsSpan(0, t.Length - 2), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? n.ToString(CultureInfo.InvariantCulture) : t;
    }
}
