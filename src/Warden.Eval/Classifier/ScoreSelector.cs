using Warden.Core;

namespace Warden.Eval.Classifier;

/// <summary>
/// Which score of a <see cref="ScoreResult"/> is evaluated: one attribute, or the max over several — e.g.
/// max(toxicity, insult, identity_attack) against a dataset's single "hateful/offensive" label, whose
/// notion of harm spans several of Warden's attributes.
/// </summary>
public sealed class ScoreSelector
{
    private readonly HarmAttribute[] _attributes;

    private ScoreSelector(HarmAttribute[] attributes) => _attributes = attributes;

    public IReadOnlyList<HarmAttribute> Attributes => _attributes;

    /// <summary>"toxicity" for one attribute, "max(toxicity,insult)" for a set; <see cref="Parse"/> reads both back.</summary>
    public string Name => _attributes.Length == 1
        ? _attributes[0].WireName()
        : $"max({string.Join(",", _attributes.Select(a => a.WireName()))})";

    public static ScoreSelector Single(HarmAttribute attribute) => new([attribute]);

    public static ScoreSelector MaxOf(params IEnumerable<HarmAttribute> attributes)
    {
        // Order is kept (it shows in the name) but duplicates are dropped.
        var distinct = attributes.Distinct().ToArray();
        if (distinct.Length == 0) throw new ArgumentException("at least one attribute", nameof(attributes));
        return new ScoreSelector(distinct);
    }

    /// <summary>Reads "toxicity", "max(toxicity,insult)" or "toxicity,insult" (the latter two mean the max).</summary>
    public static ScoreSelector Parse(string text)
    {
        var body = text.Trim();
        if (body.StartsWith("max(", StringComparison.OrdinalIgnoreCase) && body.EndsWith(')'))
            body = body[4..^1];
        var names = body.Split([',', '+'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Length == 0) throw new ArgumentException($"no attribute in score selector '{text}'", nameof(text));
        return MaxOf(names.Select(HarmAttributes.Parse));
    }

    public double Select(ScoreResult result)
    {
        var best = double.NegativeInfinity;
        foreach (var a in _attributes) best = Math.Max(best, result[a]);
        return best;
    }

    public override string ToString() => Name;
}
