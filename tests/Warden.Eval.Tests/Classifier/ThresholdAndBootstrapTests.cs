using Warden.Eval.Classifier;

namespace Warden.Eval.Tests.Classifier;

public class ThresholdAndBootstrapTests
{
    [Fact]
    public void BestThreshold_OnSeparableData_ReachesPerfectF1()
    {
        var best = BestThresholds.Find([0.1, 0.35, 0.2, 0.8, 0.9, 0.75], [0, 0, 0, 1, 1, 1])!;
        // Every t in (0.35, 0.75] separates; the sweep reports the lowest positive score.
        Assert.Equal(0.75, best.F1.Threshold);
        Assert.Equal(1.0, best.F1.Metrics.F1);
        Assert.Equal(0.75, best.MacroF1.Threshold);
        Assert.Equal(1.0, best.MacroF1.Metrics.MacroF1);
        Assert.Equal(1.0, best.MacroF1.Metrics.Accuracy);
    }

    [Fact]
    public void BestThreshold_F1AndMacroF1_CanDisagree()
    {
        double[] s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
        double[] y = [0, 0, 1, 0, 1, 0];
        var best = BestThresholds.Find(s, y)!;
        // t = 0.7: TP1 FP2 TN2 FN1 → F1 2/5, F1neg 4/7, macro 17/35.
        // t = 0.5: TP2 FP3 TN1 FN0 → F1 4/7, F1neg 2/5, macro 17/35 (tie: the higher threshold wins).
        Assert.Equal(0.7, best.MacroF1.Threshold);
        Assert.Equal(17.0 / 35, best.MacroF1.Metrics.MacroF1, 12);
        Assert.Equal(0.5, best.F1.Threshold);
        Assert.Equal(4.0 / 7, best.F1.Metrics.F1, 12);
    }

    [Fact]
    public void BestThreshold_MatchesBruteForceOverAllCandidates()
    {
        var rng = new Random(3);
        for (var trial = 0; trial < 20; trial++)
        {
            var n = rng.Next(1, 50);
            var s = Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray();
            var y = Enumerable.Range(0, n).Select(i => rng.NextDouble() < 0.3 + 0.4 * s[i] ? 1.0 : 0.0).ToArray();
            var best = BestThresholds.Find(s, y)!;
            var all = s.Distinct().Select(t => BinaryMetrics.Compute(s, y, t)).ToList();
            Assert.Equal(all.Max(m => Nz(m.MacroF1)), Nz(best.MacroF1.Metrics.MacroF1), 12);
            Assert.Equal(all.Max(m => Nz(m.F1)), Nz(best.F1.Metrics.F1), 12);
        }

        static double Nz(double v) => double.IsNaN(v) ? double.NegativeInfinity : v;
    }

    private static (double[] Scores, double[] Labels) Synthetic(int n, int seed)
    {
        var rng = new Random(seed);
        var scores = new double[n];
        var labels = new double[n];
        for (var i = 0; i < n; i++)
        {
            labels[i] = rng.NextDouble() < 0.3 ? 1 : 0;
            // Informative but noisy scores, on a 0.001 grid so that ties occur.
            var s = 0.35 * labels[i] + 0.65 * rng.NextDouble();
            scores[i] = Math.Round(s, 3);
        }
        return (scores, labels);
    }

    [Fact]
    public void Bootstrap_IsDeterministic_AndSeedSensitive()
    {
        var (s, y) = Synthetic(500, 1);
        var a = Bootstrap.ConfidenceIntervals(s, y, 0.5, resamples: 200, seed: 11);
        var b = Bootstrap.ConfidenceIntervals(s, y, 0.5, resamples: 200, seed: 11);
        var c = Bootstrap.ConfidenceIntervals(s, y, 0.5, resamples: 200, seed: 12);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Bootstrap_DoesNotDependOnThreadCount()
    {
        var (s, y) = Synthetic(300, 2);
        var serial = Bootstrap.ConfidenceIntervals(s, y, 0.5, 300, seed: 5, maxDegreeOfParallelism: 1);
        var parallel = Bootstrap.ConfidenceIntervals(s, y, 0.5, 300, seed: 5, maxDegreeOfParallelism: 4);
        Assert.Equal(serial, parallel);
    }

    [Fact]
    public void Bootstrap_IntervalsContainThePointEstimate()
    {
        var (s, y) = Synthetic(1000, 3);
        var point = BinaryMetrics.Compute(s, y, 0.5);
        var ci = Bootstrap.ConfidenceIntervals(s, y, 0.5);
        foreach (var m in Metrics.All)
        {
            var interval = ci[(int)m];
            Assert.True(interval.Low <= point[m] && point[m] <= interval.High, $"{m}: {point[m]} not in [{interval.Low}, {interval.High}]");
            Assert.True(interval.High - interval.Low is > 0 and < 0.2, $"{m}: implausible width {interval.High - interval.Low}");
        }
    }

    [Fact]
    public void Bootstrap_SingleClass_LeavesAurocUndefined()
    {
        var ci = Bootstrap.ConfidenceIntervals([0.1, 0.2, 0.9], [0, 0, 0], 0.5, 100);
        Assert.False(ci[(int)Metric.Auroc].IsDefined);
        Assert.True(ci[(int)Metric.Accuracy].IsDefined);
    }
}
