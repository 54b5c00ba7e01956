namespace Warden.Core;

public enum Split { Train, Validation, Test }

/// <summary>
/// Per-attribute labels of one text. A label is a probability in [0, 1] (hard labels are 0 or 1,
/// soft labels come from annotator agreement or Perspective scores); NaN means the dataset does
/// not annotate that attribute, so training must mask it rather than treat it as 0.
/// </summary>
public sealed class AttributeLabels
{
    private readonly float[] _values;

    public AttributeLabels()
    {
        _values = new float[HarmAttributes.Count];
        Array.Fill(_values, float.NaN);
    }

    public float this[HarmAttribute attribute]
    {
        get => _values[(int)attribute];
        set => _values[(int)attribute] = value;
    }

    public bool IsAnnotated(HarmAttribute attribute) => !float.IsNaN(_values[(int)attribute]);

    public ReadOnlySpan<float> Values => _values;

    public AttributeLabels Set(HarmAttribute attribute, float value)
    {
        if (!(value >= 0f && value <= 1f)) throw new ArgumentOutOfRangeException(nameof(value), value, "labels are probabilities in [0, 1]");
        _values[(int)attribute] = value;
        return this;
    }

    public override string ToString() => string.Join(", ",
        HarmAttributes.All.Where(IsAnnotated).Select(a => $"{a.WireName()}={this[a]:0.##}"));
}

/// <summary>One labelled text from a registered dataset, in Warden's common shape.</summary>
/// <param name="Dataset">registry name of the dataset</param>
/// <param name="Id">stable id inside the dataset (the source's id where it has one)</param>
/// <param name="Language">ISO 639-1 code where one exists (en, de, zh, ...), else ISO 639-3</param>
/// <param name="TargetGroup">the targeted group where the dataset says (lower-case, e.g. "women", "muslims"), else null</param>
public sealed record LabeledText(
    string Dataset,
    string Id,
    string Text,
    string Language,
    AttributeLabels Labels,
    Split Split,
    string? TargetGroup = null);
