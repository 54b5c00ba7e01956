using System.Globalization;
using Warden.Core;

namespace Warden.Scoring.Fast;

/// <summary>
/// Adds a share of the toxicity logit to the logits of the finer attributes before calibration:
/// z'[a] = z[a] + λ[a]·z[toxicity].
/// </summary>
/// <remarks>
/// A linear model cannot express "hostile and about a group". Its identity_attack weights learn which words name
/// groups, because most texts that annotators marked as identity attacks name one. A text that merely names a group
/// then ranks above a hostile one, and in text collected by keyword, where every text names the group, the score
/// ranks hardly better than chance. Adding the toxicity logit brings the hostility back. The weights are fitted on
/// validation data: per attribute, the λ on a grid that maximises the mean AUROC over the validation datasets that
/// annotate the attribute, each dataset counted once, so no single source decides. An attribute annotated by fewer
/// than <see cref="MinDatasets"/> datasets keeps λ = 0: one source cannot tell a general rule from its own
/// collection quirks. Which attributes are stacked at all is the trainer's choice (<see cref="FastTrainerOptions.ToxicityStacking"/>):
/// threat and insult gained on validation too but lost functional-suite cases (twenty-fourth round, docs/models.md).
/// </remarks>
public static class ToxicityStacking
{
    /// <summary>The fewest validation datasets (each with 10 positive and 10 negative texts) a λ is fitted on, by default.</summary>
    public const int MinDatasets = 2;

    /// <summary>The fewest positive and negative texts of one attribute in a dataset that counts towards the fit.</summary>
    public const int MinClassTexts = 10;

    /// <summary>Grid steps between 0 and the largest weight.</summary>
    public const int GridSteps = 8;

    private const int Toxicity = (int)HarmAttribute.Toxicity;

    /// <summary>The weights a model applies, or null where it applies none (older models, or every λ = 0).</summary>
    public static float[]? Of(FastModelMetadata metadata) =>
        metadata.ToxicityStacking is { Count: HarmAttributes.Count } weights && weights.Any(w => w != 0f) ? [.. weights] : null;

    /// <summary>z[a] += λ[a]·z[toxicity] for every attribute but toxicity itself.</summary>
    public static void Apply(ReadOnlySpan<float> weights, Span<float> logits)
    {
        var toxicity = logits[Toxicity];
        for (var a = 0; a < HarmAttributes.Count; a++)
            if (a != Toxicity) logits[a] += weights[a] * toxicity;
    }

    /// <summary>
    /// Fits λ for each of <paramref name="attributes"/> on unstacked validation logits (one row of 8 per text, in the order
    /// of <paramref name="validation"/>), on the grid 0, maxWeight/<see cref="GridSteps"/>, ..., maxWeight; the other
    /// attributes get 0.
    /// </summary>
    public static float[] Fit(IReadOnlyList<float[]> logits, IReadOnlyList<LabeledText> validation, IReadOnlyCollection<HarmAttribute> attributes, float maxWeight, TextWriter log,
        int minDatasets = MinDatasets)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxWeight);
        if (logits.Count != validation.Count) throw new ArgumentException($"{logits.Count} logit rows for {validation.Count} texts", nameof(logits));
        var weights = new float[HarmAttributes.Count];
        for (var a = 0; a < HarmAttributes.Count; a++)
        {
            if (a == Toxicity || !attributes.Contains(HarmAttributes.All[a])) continue;
            var name = HarmAttributes.All[a].WireName();
            var datasets = new List<(string Name, float[] Own, float[] Toxicity, bool[] Positive)>();
            foreach (var dataset in Enumerable.Range(0, validation.Count)
                         .Where(i => !float.IsNaN(validation[i].Labels.Values[a]))
                         .GroupBy(i => validation[i].Dataset)
                         .OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var rows = dataset.ToArray();
                var positive = rows.Select(i => validation[i].Labels.Values[a] >= 0.5f).ToArray();
                var positives = positive.Count(p => p);
                if (positives < MinClassTexts || rows.Length - positives < MinClassTexts) continue;
                datasets.Add((dataset.Key, [.. rows.Select(i => logits[i][a])], [.. rows.Select(i => logits[i][Toxicity])], positive));
            }
            if (datasets.Count < minDatasets || maxWeight == 0f)
            {
                log.WriteLine($"toxicity stacking {name}: λ = 0 ({datasets.Count} validation datasets annotate it with {MinClassTexts} texts of each class; {minDatasets} needed)");
                continue;
            }
            double MeanAuroc(float lambda) => datasets.Average(d => Auroc([.. d.Own.Select((z, i) => z + lambda * d.Toxicity[i])], d.Positive));
            var (best, bestAuroc) = (0f, MeanAuroc(0f));
            var baseline = bestAuroc;
            for (var step = 1; step <= GridSteps; step++)
            {
                var lambda = maxWeight * step / GridSteps;
                var auroc = MeanAuroc(lambda);
                if (auroc > bestAuroc + 1e-4) (best, bestAuroc) = (lambda, auroc);
            }
            weights[a] = best;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"toxicity stacking {name}: λ = {best:0.###} (mean validation AUROC over {datasets.Count} datasets {baseline:0.000} → {bestAuroc:0.000}: {string.Join(", ", datasets.Select(d => d.Name))})"));
        }
        return weights;
    }

    /// <summary>Area under the ROC curve with ties counted half (the Mann–Whitney statistic); 0.5 without both classes.</summary>
    public static double Auroc(IReadOnlyList<float> scores, IReadOnlyList<bool> positive)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        long positives = 0;
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                if (positive[order[k]]) { positiveRankSum += rank; positives++; }
            start = end + 1;
        }
        long negatives = order.Length - positives;
        if (positives == 0 || negatives == 0) return 0.5;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / (positives * (double)negatives);
    }
}
