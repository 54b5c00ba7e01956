using Warden.Eval.Classifier;

namespace Warden.Eval.Tests.Classifier;

public class ReliabilityCurveTests
{
    private static EvalExample E(double score, double label) => new("x", score, label, "en");

    [Fact]
    public void Bins_hold_counts_mean_scores_and_positive_rates()
    {
        var curve = ReliabilityCurve.Compute([E(0.05, 0), E(0.08, 1), E(0.91, 1), E(1.0, 1), E(0.95, 0)]);
        Assert.Equal(10, curve.Count);
        Assert.Equal(2, curve[0].Count);
        Assert.Equal(0.065, curve[0].MeanScore, 12);
        Assert.Equal(0.5, curve[0].PositiveRate, 12);
        Assert.Equal(3, curve[9].Count); // a score of exactly 1 falls in the last bin
        Assert.Equal(2.0 / 3, curve[9].PositiveRate, 12);
        Assert.All(curve.Skip(1).Take(8), b => Assert.Equal(0, b.Count));
        Assert.True(double.IsNaN(curve[5].MeanScore));
        Assert.Equal((0.9, 1.0), (curve[9].From, curve[9].To));
    }

    [Fact]
    public void Its_calibration_error_is_the_evaluators_ECE()
    {
        double[] scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1, 0.55, 0.05];
        double[] labels = [1, 1, 0, 0, 1, 0, 0, 0, 1, 0];
        var curve = ReliabilityCurve.Compute(scores.Zip(labels, E));
        Assert.Equal(BinaryMetrics.Compute(scores, labels, 0.5).Ece, ReliabilityCurve.ExpectedCalibrationError(curve), 12);
    }

    [Fact]
    public void A_calibrated_bin_has_no_error_a_miscalibrated_one_its_gap_and_an_empty_curve_none_defined()
    {
        Assert.True(double.IsNaN(ReliabilityCurve.ExpectedCalibrationError(ReliabilityCurve.Compute([]))));
        var calibrated = ReliabilityCurve.Compute([E(0.25, 1), E(0.25, 0), E(0.25, 0), E(0.25, 0)]);
        Assert.Equal(0, ReliabilityCurve.ExpectedCalibrationError(calibrated), 12);
        var overconfident = ReliabilityCurve.Compute([E(0.75, 1), E(0.75, 0), E(0.75, 0), E(0.75, 0)]);
        Assert.Equal(0.5, ReliabilityCurve.ExpectedCalibrationError(overconfident), 12);
    }
}
