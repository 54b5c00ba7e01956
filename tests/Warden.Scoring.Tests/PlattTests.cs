using Warden.Scoring.Fast;

namespace Warden.Scoring.Tests;

public class PlattTests
{
    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static (float[] Logits, float[] Labels) Sample(int n, double scale, double offset, int seed)
    {
        var random = new Random(seed);
        var logits = new float[n];
        var labels = new float[n];
        for (var i = 0; i < n; i++)
        {
            logits[i] = (float)(Gaussian(random) * 2);
            labels[i] = random.NextDouble() < Sigmoid(scale * logits[i] + offset) ? 1f : 0f;
        }
        return (logits, labels);
    }

    [Theory]
    [InlineData(2.5, -0.7)]
    [InlineData(0.6, 1.2)]
    [InlineData(1.0, 0.0)]
    public void Fit_recovers_scale_and_offset_from_sampled_hard_labels(double scale, double offset)
    {
        const int n = 40_000;
        var (logits, labels) = Sample(n, scale, offset, 2024);
        var fit = Platt.Fit(logits, labels, Enumerable.Repeat(1f, n).ToArray());
        Assert.InRange(fit.Scale, scale * 0.9, scale * 1.1);
        Assert.InRange(fit.Offset, offset - 0.1, offset + 0.1);
    }

    [Fact]
    public void Fit_recovers_exact_parameters_from_soft_labels()
    {
        var random = new Random(5);
        var logits = Enumerable.Range(0, 2000).Select(_ => (float)(Gaussian(random) * 3)).ToArray();
        var labels = logits.Select(z => (float)Sigmoid(1.7 * z + 0.4)).ToArray();
        var fit = Platt.Fit(logits, labels, Enumerable.Repeat(1f, logits.Length).ToArray());
        // Within 3% (a fit may smooth its targets slightly, as Platt's method does).
        Assert.InRange(fit.Scale, 1.7 * 0.97, 1.7 * 1.03);
        Assert.InRange(fit.Offset, 0.4 - 0.05, 0.4 + 0.05);
    }

    [Fact]
    public void A_prior_pulls_a_small_fit_towards_it_and_barely_moves_a_large_one()
    {
        var prior = new Calibration(1.0f, -1.0f);
        // Own data: offset +0.5, far from the prior's -1.
        var (small, smallLabels) = Sample(200, 1.0, 0.5, 11);
        var ones = Enumerable.Repeat(1f, 200).ToArray();
        var alone = Platt.Fit(small, smallLabels, ones);
        var pooled = Platt.Fit(small, smallLabels, ones, prior: prior, priorRows: 1000);
        Assert.InRange(alone.Offset, 0.1, 0.9);
        Assert.InRange(pooled.Offset, prior.Offset - 0.01, alone.Offset - 0.3); // most of the way back to the prior
        Assert.True(pooled.Offset > prior.Offset, "the data still move the fit");

        var (large, largeLabels) = Sample(40_000, 1.0, 0.5, 12);
        var fit = Platt.Fit(large, largeLabels, Enumerable.Repeat(1f, large.Length).ToArray(), prior: prior, priorRows: 1000);
        Assert.InRange(fit.Offset, 0.35, 0.6);
    }

    [Fact]
    public void A_prior_of_zero_rows_changes_nothing()
    {
        var (logits, labels) = Sample(500, 1.5, -0.3, 13);
        var ones = Enumerable.Repeat(1f, logits.Length).ToArray();
        var plain = Platt.Fit(logits, labels, ones);
        var withPrior = Platt.Fit(logits, labels, ones, prior: new Calibration(0.2f, 3f), priorRows: 0);
        Assert.Equal(plain.Scale, withPrior.Scale, 4);
        Assert.Equal(plain.Offset, withPrior.Offset, 4);
    }

    [Fact]
    public void Weights_count_as_repetitions()
    {
        float[] z = [-2, -1, -0.5f, 0, 0.5f, 1, 2, 3];
        float[] y = [0, 0, 1, 0, 1, 0, 1, 1];
        float[] w = [1, 2, 1, 3, 1, 1, 2, 1];
        var weighted = Platt.Fit(z, y, w);
        var zz = new List<float>(); var yy = new List<float>();
        for (var i = 0; i < z.Length; i++) for (var k = 0; k < w[i]; k++) { zz.Add(z[i]); yy.Add(y[i]); }
        var repeated = Platt.Fit(zz, yy, Enumerable.Repeat(1f, zz.Count).ToArray());
        Assert.Equal(repeated.Scale, weighted.Scale, 3);
        Assert.Equal(repeated.Offset, weighted.Offset, 3);
    }

    [Fact]
    public void Fit_on_separable_data_stays_finite()
    {
        float[] z = [-3, -2, -1, 1, 2, 3];
        float[] y = [0, 0, 0, 1, 1, 1];
        var fit = Platt.Fit(z, y, Enumerable.Repeat(1f, z.Length).ToArray());
        Assert.True(float.IsFinite(fit.Scale) && float.IsFinite(fit.Offset), $"{fit}");
        Assert.True(fit.Scale > 0);
        Assert.True(fit.Apply(3) > 0.5f && fit.Apply(-3) < 0.5f);
    }

    [Fact]
    public void Calibration_apply_is_the_sigmoid_of_the_affine_logit()
    {
        var c = new Calibration(2f, -1f);
        Assert.Equal(Sigmoid(2 * 0.3 - 1), c.Apply(0.3f), 5);
        Assert.Equal(0.5f, Calibration.Identity.Apply(0f));
    }

    [Fact]
    public void Best_threshold_separates_separable_data()
    {
        float[] p = [0.1f, 0.2f, 0.3f, 0.7f, 0.8f, 0.9f];
        float[] y = [0, 0, 0, 1, 1, 1];
        var t = Platt.BestMacroF1Threshold(p, y, Enumerable.Repeat(1f, p.Length).ToArray());
        Assert.InRange(t, 0.3001f, 0.7f);
    }
}
