using System.Text.Json;
using System.Text.Json.Nodes;
using Warden.Core;

namespace Warden.Backends.Cascade;

/// <summary>
/// The uncertainty band of one attribute: the fast scorer decides a score below <see cref="Low"/>
/// (negative) or at or above <see cref="High"/> (positive); a score in [Low, High) escalates.
/// Low == High is an empty band (never escalates on this attribute).
/// </summary>
public readonly record struct AttributeBand(float Low, float High)
{
    public static readonly AttributeBand Empty = new(1f, 1f);

    public bool Contains(float score) => score >= Low && score < High;
}

/// <summary>Per-attribute uncertainty bands of a cascade, fitted on validation data with <see cref="Fit"/>.</summary>
public sealed class CascadeBands
{
    public const double DefaultTarget = 0.95;

    private readonly AttributeBand[] _bands;

    public CascadeBands(IReadOnlyList<AttributeBand> bands)
    {
        if (bands.Count != HarmAttributes.Count) throw new ArgumentException("one band per attribute", nameof(bands));
        foreach (var b in bands)
            if (!(b.Low <= b.High)) throw new ArgumentException($"band [{b.Low}, {b.High}) has low > high", nameof(bands));
        _bands = [.. bands];
    }

    /// <summary>The same band for every attribute (e.g. [0.2, 0.8) before validation data is at hand).</summary>
    public static CascadeBands Uniform(float low, float high) =>
        new(Enumerable.Repeat(new AttributeBand(low, high), HarmAttributes.Count).ToArray());

    public AttributeBand this[HarmAttribute attribute] => _bands[(int)attribute];

    public IReadOnlyList<AttributeBand> Bands => _bands;

    /// <summary>Whether any attribute's score falls in its band.</summary>
    public bool ShouldEscalate(IReadOnlyList<float> scores)
    {
        for (var a = 0; a < _bands.Length; a++)
            if (_bands[a].Contains(scores[a])) return true;
        return false;
    }

    /// <summary>
    /// Fits each attribute's band on validation data: <c>High</c> is the lowest score such that the texts
    /// scoring at or above it are positive with precision ≥ <paramref name="target"/>; <c>Low</c> is the
    /// highest score such that the texts scoring below it are negative with NPV ≥ <paramref name="target"/>.
    /// Labels ≥ 0.5 count as positive; NaN labels (attribute not annotated) are skipped, and an attribute with
    /// no annotated text gets an empty band: with no evidence the cascade cannot know it would help.
    /// </summary>
    public static CascadeBands Fit(IReadOnlyList<IReadOnlyList<float>> fastScores, IReadOnlyList<AttributeLabels> labels, double target = DefaultTarget)
    {
        if (fastScores.Count != labels.Count) throw new ArgumentException("one label set per scored text", nameof(labels));
        var bands = new AttributeBand[HarmAttributes.Count];
        foreach (var attribute in HarmAttributes.All)
        {
            var scores = new List<float>();
            var positive = new List<bool>();
            for (var i = 0; i < labels.Count; i++)
            {
                if (!labels[i].IsAnnotated(attribute)) continue;
                scores.Add(fastScores[i][(int)attribute]);
                positive.Add(labels[i][attribute] >= 0.5f);
            }
            bands[(int)attribute] = FitAttribute(scores, positive, target);
        }
        return new CascadeBands(bands);
    }

    /// <summary>The band of one attribute from its scores and binary labels (see <see cref="Fit"/>).</summary>
    public static AttributeBand FitAttribute(IReadOnlyList<float> scores, IReadOnlyList<bool> positive, double target = DefaultTarget)
    {
        if (scores.Count != positive.Count) throw new ArgumentException("one label per score", nameof(positive));
        if (scores.Count == 0) return AttributeBand.Empty;
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        var n = order.Length;

        // High: walk down from the top; every distinct score is a candidate cut "score >= t".
        var high = float.PositiveInfinity;
        int tp = 0, count = 0;
        for (var k = n - 1; k >= 0; k--)
        {
            count++;
            if (positive[order[k]]) tp++;
            // Only cut between distinct scores: ties are decided together.
            if (k > 0 && scores[order[k - 1]] == scores[order[k]]) continue;
            if ((double)tp / count >= target) high = scores[order[k]];
        }

        // Low: walk up from the bottom; candidate cut "score < t" with t = the next distinct score.
        var low = float.NegativeInfinity;
        int tn = 0;
        count = 0;
        for (var k = 0; k < n; k++)
        {
            count++;
            if (!positive[order[k]]) tn++;
            if (k < n - 1 && scores[order[k + 1]] == scores[order[k]]) continue;
            var cut = k < n - 1 ? scores[order[k + 1]] : MathF.BitIncrement(scores[order[k]]);
            if ((double)tn / count >= target) low = cut;
        }

        // Scores are probabilities: clamp the open ends so the band stays printable and serialisable.
        high = MathF.Min(high, MathF.BitIncrement(1f));
        low = MathF.Max(low, 0f);
        // The clear regions overlap when the fast scorer is good enough on its own: nothing to escalate.
        return low >= high ? new AttributeBand(high, high) : new AttributeBand(low, high);
    }

    public void Save(string path)
    {
        var json = new JsonObject();
        foreach (var a in HarmAttributes.All)
            json[a.WireName()] = new JsonObject { ["low"] = _bands[(int)a].Low, ["high"] = _bands[(int)a].High };
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Reads bands written by <see cref="Save"/>; an attribute missing from the file gets an empty band.</summary>
    public static CascadeBands Load(string path)
    {
        var json = JsonNode.Parse(File.ReadAllText(path))?.AsObject()
            ?? throw new InvalidDataException($"{path}: not a JSON object");
        var bands = Enumerable.Repeat(AttributeBand.Empty, HarmAttributes.Count).ToArray();
        foreach (var (name, value) in json)
        {
            var attribute = HarmAttributes.Parse(name);
            bands[(int)attribute] = new AttributeBand(
                value?["low"]?.GetValue<float>() ?? throw new InvalidDataException($"{path}: {name}.low missing"),
                value["high"]?.GetValue<float>() ?? throw new InvalidDataException($"{path}: {name}.high missing"));
        }
        return new CascadeBands(bands);
    }

    public override string ToString() => string.Join(", ",
        HarmAttributes.All.Select(a => $"{a.WireName()}=[{_bands[(int)a].Low:0.###}, {_bands[(int)a].High:0.###})"));
}
