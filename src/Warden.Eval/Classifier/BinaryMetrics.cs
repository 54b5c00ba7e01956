namespace Warden.Eval.Classifier;

/// <summary>
/// Binary-classification metrics of probability scores at one threshold (flagged when score ≥ threshold).
/// <para>Labels may be soft (in [0, 1]); every metric binarises them at ≥ 0.5, calibration metrics
/// included, so ECE and Brier measure calibration against the majority label, not the annotator fraction.</para>
/// <para>Definitions: F1 of a class is 2TP / (2TP + FP + FN) for that class; macro-F1 is the mean of the
/// positive and negative F1 (OffensEval/GermEval). AUROC is the Mann–Whitney statistic with tied pairs
/// counted ½. AUPRC is average precision as sklearn's average_precision_score: Σ (Rₖ − Rₖ₋₁)·Pₖ over
/// distinct score thresholds, no interpolation. ECE uses 10 equal-width bins [k/10, (k+1)/10) (1.0 goes in
/// the last) and is Σ_b (n_b/n)·|mean score_b − positive rate_b|. Brier is mean (score − label)².</para>
/// <para>Undefined values are NaN (rendered "n/a"): AUROC without both classes, AUPRC and recall without
/// positives, precision with nothing flagged.</para>
/// </summary>
public sealed record BinaryMetrics
{
    public required int Count { get; init; }
    public required int Positives { get; init; }
    public required double Threshold { get; init; }
    public required int TruePositives { get; init; }
    public required int FalsePositives { get; init; }
    public required int TrueNegatives { get; init; }
    public required int FalseNegatives { get; init; }

    public double Accuracy => Values[(int)Metric.Accuracy];
    public double Precision => Values[(int)Metric.Precision];
    public double Recall => Values[(int)Metric.Recall];
    public double F1 => Values[(int)Metric.F1];
    public double F1Negative => Values[(int)Metric.F1Negative];
    public double MacroF1 => Values[(int)Metric.MacroF1];
    public double Auroc => Values[(int)Metric.Auroc];
    public double Auprc => Values[(int)Metric.Auprc];
    public double Ece => Values[(int)Metric.Ece];
    public double Brier => Values[(int)Metric.Brier];

    /// <summary>The metric values indexed by <see cref="Metric"/>.</summary>
    public required IReadOnlyList<double> Values { get; init; }

    public double this[Metric metric] => Values[(int)metric];

    /// <summary>Computes every metric of scores against labels (hard or soft) at <paramref name="threshold"/>.</summary>
    public static BinaryMetrics Compute(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, double threshold = 0.5) =>
        From(new SortedSample(scores, labels), threshold);

    internal static BinaryMetrics From(SortedSample sample, double threshold)
    {
        var tally = sample.Accumulate(threshold, null);
        var values = new double[Metrics.Count];
        tally.Write(values);
        return new BinaryMetrics
        {
            Count = sample.Count,
            Positives = (int)tally.Positives,
            Threshold = threshold,
            TruePositives = (int)tally.Tp,
            FalsePositives = (int)tally.Fp,
            TrueNegatives = (int)tally.Tn,
            FalseNegatives = (int)tally.Fn,
            Values = values,
        };
    }
}

/// <summary>A threshold chosen on the evaluated data and the metrics there. Optimistic by construction:
/// the threshold is fitted to the very examples it is scored on, so use it to tune, not to report.</summary>
public sealed record ThresholdChoice(double Threshold, BinaryMetrics Metrics);

/// <summary>The thresholds maximising macro-F1 and positive-class F1.</summary>
public sealed record BestThresholds(ThresholdChoice MacroF1, ThresholdChoice F1)
{
    /// <summary>Searches every distinct score as a threshold; null for an empty input.</summary>
    public static BestThresholds? Find(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels) =>
        Find(new SortedSample(scores, labels));

    internal static BestThresholds? Find(SortedSample sample)
    {
        if (sample.BestThresholds() is not var (macroT, f1T)) return null;
        return new BestThresholds(
            new ThresholdChoice(macroT, BinaryMetrics.From(sample, macroT)),
            new ThresholdChoice(f1T, BinaryMetrics.From(sample, f1T)));
    }
}
