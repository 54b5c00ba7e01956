namespace Warden.Eval.Classifier;

/// <summary>One score bin of a reliability curve: how many examples fell in it, their mean score and the share labelled positive.</summary>
public sealed record ReliabilityBin(double From, double To, int Count, double MeanScore, double PositiveRate);

/// <summary>
/// Reliability (calibration) curve: examples binned by score in equal-width bins, each bin's mean score against the
/// share of positives in it. A calibrated scorer has the two equal in every bin; the expected calibration error is
/// their count-weighted mean distance (the same binning as <see cref="Metric.Ece"/>).
/// </summary>
public static class ReliabilityCurve
{
    public static IReadOnlyList<ReliabilityBin> Compute(IEnumerable<EvalExample> examples, int bins = 10)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        var count = new int[bins];
        var scoreSum = new double[bins];
        var positives = new double[bins];
        foreach (var e in examples)
        {
            var bin = Math.Clamp((int)(e.Score * bins), 0, bins - 1);
            count[bin]++;
            scoreSum[bin] += e.Score;
            if (e.Label >= 0.5) positives[bin]++;
        }
        return [.. Enumerable.Range(0, bins).Select(b => new ReliabilityBin((double)b / bins, (double)(b + 1) / bins, count[b],
            count[b] == 0 ? double.NaN : scoreSum[b] / count[b], count[b] == 0 ? double.NaN : positives[b] / count[b]))];
    }

    /// <summary>Count-weighted mean |mean score − positive rate| over the bins that hold examples.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> curve)
    {
        var total = curve.Sum(b => b.Count);
        return total == 0 ? double.NaN : curve.Where(b => b.Count > 0).Sum(b => b.Count * Math.Abs(b.MeanScore - b.PositiveRate)) / total;
    }
}
