using Warden.Eval.Classifier;

namespace Warden.Eval.Tests.Classifier;

public class BinaryMetricsTests
{
    private const int Precision = 12;

    [Fact]
    public void ConfusionMetrics_MatchHandComputation()
    {
        // At 0.5: TP = {0.9, 0.8}, FP = {0.7, 0.6}, FN = {0.4}, TN = {0.3, 0.2, 0.1}.
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1];
        double[] labels = [1, 1, 0, 0, 1, 0, 0, 0];
        var m = BinaryMetrics.Compute(scores, labels, 0.5);

        Assert.Equal(8, m.Count);
        Assert.Equal(3, m.Positives);
        Assert.Equal((2, 2, 3, 1), (m.TruePositives, m.FalsePositives, m.TrueNegatives, m.FalseNegatives));
        Assert.Equal(5.0 / 8, m.Accuracy, Precision);
        Assert.Equal(2.0 / 4, m.Precision, Precision);
        Assert.Equal(2.0 / 3, m.Recall, Precision);
        Assert.Equal(4.0 / 7, m.F1, Precision);          // 2·2 / (2·2 + 2 + 1)
        Assert.Equal(6.0 / 9, m.F1Negative, Precision);  // 2·3 / (2·3 + 1 + 2)
        Assert.Equal(13.0 / 21, m.MacroF1, Precision);   // (4/7 + 2/3) / 2
        // Positives 0.9 and 0.8 beat all 5 negatives, 0.4 beats 3 of them: 13 of 15 pairs.
        Assert.Equal(13.0 / 15, m.Auroc, Precision);
    }

    [Fact]
    public void SoftLabels_AreBinarisedAtOneHalf()
    {
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1];
        double[] hard = [1, 1, 0, 0, 1, 0, 0, 0];
        double[] soft = [0.5, 0.9, 0.49, 0.2, 0.7, 0, 0.1, 0.3];
        Assert.Equal(BinaryMetrics.Compute(scores, hard).Values, BinaryMetrics.Compute(scores, soft).Values);
    }

    [Fact]
    public void Threshold_IsInclusive()
    {
        var m = BinaryMetrics.Compute([0.5, 0.2], [1, 0], 0.5);
        Assert.Equal(1, m.TruePositives);
        Assert.Equal(1.0, m.Accuracy);
    }

    [Fact]
    public void Auroc_WithTies_CountsTiedPairsAsHalf()
    {
        // Each positive (0.5) ties the negative at 0.5 (½) and beats the one at 0.1 (1): 3 of 4 pairs.
        var m = BinaryMetrics.Compute([0.5, 0.5, 0.5, 0.1], [1, 0, 1, 0]);
        Assert.Equal(0.75, m.Auroc, Precision);
    }

    [Fact]
    public void Auroc_AndAveragePrecision_MatchSklearnDocExample()
    {
        // sklearn docs: roc_auc_score → 0.75, average_precision_score → 0.8333 for this input.
        var m = BinaryMetrics.Compute([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
        Assert.Equal(0.75, m.Auroc, Precision);
        Assert.Equal(5.0 / 6, m.Auprc, Precision); // ½·1 (at 0.8) + ½·⅔ (at 0.35)
    }

    [Fact]
    public void AveragePrecision_TreatsATieAsOneThreshold()
    {
        // The tie at 0.5 holds both positives and one negative: recall 0 → 1 at precision ⅔.
        var m = BinaryMetrics.Compute([0.5, 0.5, 0.5, 0.1], [1, 0, 1, 0]);
        Assert.Equal(2.0 / 3, m.Auprc, Precision);
    }

    [Fact]
    public void AllTied_GivesChanceAuroc()
    {
        var m = BinaryMetrics.Compute([0.3, 0.3, 0.3, 0.3], [1, 0, 0, 1]);
        Assert.Equal(0.5, m.Auroc, Precision);
        Assert.Equal(0.5, m.Auprc, Precision);
    }

    [Fact]
    public void EceAndBrier_MatchHandComputation()
    {
        // Bin 0: {0.05 → 0}: gap 0.05. Bin 1: {0.15 → 0, 0.15 → 1}: |0.15 − 0.5| = 0.35, weight 2.
        // Bin 9: {0.95 → 1}: gap 0.05. ECE = (0.05 + 2·0.35 + 0.05) / 4 = 0.2.
        var m = BinaryMetrics.Compute([0.05, 0.15, 0.15, 0.95], [0, 0, 1, 1]);
        Assert.Equal(0.2, m.Ece, Precision);
        Assert.Equal((0.0025 + 0.0225 + 0.7225 + 0.0025) / 4, m.Brier, Precision);
    }

    [Fact]
    public void Ece_PutsOneInTheLastBin()
    {
        // Without the clamp 1.0 would index bin 10.
        var m = BinaryMetrics.Compute([1.0, 0.95], [1, 1]);
        Assert.Equal(0.025, m.Ece, Precision);
    }

    [Fact]
    public void SingleClass_ReportsUndefinedInsteadOfThrowing()
    {
        // 0.7 is flagged: one FP, two TN, no positives at all.
        var m = BinaryMetrics.Compute([0.1, 0.7, 0.3], [0, 0, 0]);
        Assert.Equal(0, m.Positives);
        Assert.True(double.IsNaN(m.Auroc));
        Assert.True(double.IsNaN(m.Auprc));
        Assert.True(double.IsNaN(m.Recall));
        Assert.Equal(0.0, m.Precision);
        Assert.Equal(0.0, m.F1);                     // 2·0 / (0 + 1 + 0)
        Assert.Equal(0.8, m.F1Negative, Precision);  // 2·2 / (4 + 0 + 1)
        Assert.Equal(0.4, m.MacroF1, Precision);
        Assert.Equal(2.0 / 3, m.Accuracy, Precision);
    }

    [Fact]
    public void SingleClass_NothingFlagged_LeavesTheAbsentClassOutOfMacroF1()
    {
        var m = BinaryMetrics.Compute([0.1, 0.2], [0, 0]);
        Assert.True(double.IsNaN(m.Precision)); // nothing flagged
        Assert.True(double.IsNaN(m.F1));        // class absent and never predicted: 0 / 0
        Assert.Equal(1.0, m.F1Negative);
        Assert.Equal(1.0, m.MacroF1);
    }

    [Fact]
    public void Empty_IsAllUndefined()
    {
        var m = BinaryMetrics.Compute([], []);
        Assert.Equal(0, m.Count);
        Assert.All(m.Values, v => Assert.True(double.IsNaN(v)));
        Assert.Null(BestThresholds.Find([], []));
    }

    [Theory]
    [InlineData(1.2, 1)]
    [InlineData(-0.1, 1)]
    [InlineData(double.NaN, 1)]
    [InlineData(0.5, double.NaN)]
    [InlineData(0.5, 2)]
    public void OutOfRangeInput_Throws(double score, double label) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryMetrics.Compute([score], [label]));

    [Fact]
    public void Auroc_AndAveragePrecision_MatchBruteForce()
    {
        var rng = new Random(7);
        for (var trial = 0; trial < 20; trial++)
        {
            var n = rng.Next(2, 60);
            // Rounded to 1 decimal so that ties are common.
            var scores = Enumerable.Range(0, n).Select(_ => Math.Round(rng.NextDouble(), 1)).ToArray();
            var labels = Enumerable.Range(0, n).Select(_ => rng.Next(2) * 1.0).ToArray();
            var m = BinaryMetrics.Compute(scores, labels);
            Assert.Equal(BruteAuroc(scores, labels), m.Auroc, 9);
            Assert.Equal(BruteAveragePrecision(scores, labels), m.Auprc, 9);
        }
    }

    private static double BruteAuroc(double[] s, double[] y)
    {
        double wins = 0, pairs = 0;
        for (var i = 0; i < s.Length; i++)
        for (var j = 0; j < s.Length; j++)
        {
            if (y[i] != 1 || y[j] != 0) continue;
            pairs++;
            wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
        }
        return pairs == 0 ? double.NaN : wins / pairs;
    }

    private static double BruteAveragePrecision(double[] s, double[] y)
    {
        // sklearn's definition read literally: Σ over distinct thresholds of ΔRecall · Precision.
        var positives = y.Count(v => v == 1);
        if (positives == 0) return double.NaN;
        double ap = 0, previousRecall = 0;
        foreach (var t in s.Distinct().OrderByDescending(v => v))
        {
            var tp = s.Where((v, i) => v >= t && y[i] == 1).Count();
            var flagged = s.Count(v => v >= t);
            var recall = (double)tp / positives;
            ap += (recall - previousRecall) * tp / flagged;
            previousRecall = recall;
        }
        return ap;
    }
}
