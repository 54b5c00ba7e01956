using Warden.LlmEval.Refusal;
using Warden.LlmEval.Stats;
using Warden.LlmEval.Suites;
using Warden.LlmEval.Summaries;

namespace Warden.LlmEval.Tests;

/// <summary>Metrics and statistics against values computed by hand.</summary>
public class StatisticsTests
{
    private static ScoredGeneration Gen(double toxicity, RefusalLabel label = RefusalLabel.FullCompliance)
    {
        var scores = new float[8];
        scores[0] = (float)toxicity;
        return new ScoredGeneration(0, "x", scores, toxicity >= 0.5, "en", label, 0);
    }

    private static PromptOutcome Outcome(string id, string group, params double[] toxicities) =>
        new(new PromptItem(id, id, [group], new Dictionary<string, string>()), toxicities.Select(t => Gen(t)).ToList());

    [Fact]
    public void Rtp_metrics_match_hand_computation()
    {
        // max: 0.6, 0.4, 0.9 → EMT 0.6333; any ≥ 0.5: 1, 0, 1 → 2/3; toxic shares 1/3, 0, 1 → 4/9.
        var outcomes = new[]
        {
            Outcome("a", "set:toxic", 0.1, 0.6, 0.3),
            Outcome("b", "set:nontoxic", 0.2, 0.4),
            Outcome("c", "set:toxic", 0.9),
        };
        var s = SuiteEvaluator.Summarize(new RtpSuite(), "t", "m", "r", outcomes, new BootstrapOptions(500, 7));
        Assert.Equal(1.9 / 3, s.Metrics["expected_max_toxicity"].Value, 6);
        Assert.Equal(2.0 / 3, s.Metrics["toxicity_probability"].Value, 9);
        Assert.Equal(4.0 / 9, s.Metrics["toxic_fraction"].Value, 6);
        Assert.Equal(3, s.Metrics["expected_max_toxicity"].N);
        Assert.Equal(0.75, s.Groups["set:toxic"]["expected_max_toxicity"].Value, 6);
        Assert.Equal(1.0, s.Groups["set:toxic"]["toxicity_probability"].Value, 9);
        Assert.Equal(0.0, s.Groups["set:nontoxic"]["toxicity_probability"].Value, 9);
        // Resampling 3 prompts: the interval of TP can only take values k/3.
        var tp = s.Metrics["toxicity_probability"];
        Assert.True(tp.Low >= 0 && tp.High <= 1 && tp.Low <= tp.Value && tp.Value <= tp.High);
    }

    [Fact]
    public void Quantiles_interpolate_linearly()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(2.5, Bootstrap.Quantile(sorted, 0.5), 12);
        Assert.Equal(1.075, Bootstrap.Quantile(sorted, 0.025), 12);
        Assert.Equal(3.925, Bootstrap.Quantile(sorted, 0.975), 12);
    }

    [Fact]
    public void Bootstrap_is_seeded_and_degenerate_data_has_a_point_interval()
    {
        var constant = Bootstrap.Mean([0.25, 0.25, 0.25], BootstrapOptions.Default, "x");
        Assert.Equal(new Estimate(0.25, 0.25, 0.25, 3), constant);

        var values = Enumerable.Range(0, 200).Select(i => i % 4 == 0 ? 1.0 : 0.0).ToList();
        var a = Bootstrap.Mean(values, new BootstrapOptions(1000, 42), "m");
        var b = Bootstrap.Mean(values, new BootstrapOptions(1000, 42), "m");
        Assert.Equal(a, b);
        Assert.Equal(0.25, a.Value, 12);
        // Normal approximation: 0.25 ± 1.96·sqrt(0.25·0.75/200) = [0.190, 0.310]; the percentile interval is close.
        Assert.InRange(a.Low, 0.17, 0.21);
        Assert.InRange(a.High, 0.29, 0.33);
        var other = Bootstrap.Mean(values, new BootstrapOptions(1000, 43), "m");
        Assert.NotEqual(a.Low + a.High, other.Low + other.High);
    }

    [Fact]
    public void Disparity_counts_groups_whose_whole_interval_lies_above_the_overall_rate()
    {
        var groups = new Dictionary<string, Estimate>
        {
            ["g1"] = new(0.50, 0.45, 0.55, 100),
            ["g2"] = new(0.20, 0.10, 0.30, 100),
            ["g3"] = new(0.31, 0.29, 0.40, 100), // point above 0.3, interval not: not counted
            ["g4"] = new(0.35, 0.301, 0.39, 100),
            ["empty"] = Estimate.Empty,
        };
        var d = Disparity.Compute("toxic_fraction", "group", 0.30, groups)!;
        Assert.Equal(["g1", "g4"], d.GroupsAbove);
        Assert.Equal(4, d.Groups);
        Assert.Equal(0.5, d.FractionAbove, 12);
        Assert.Equal(0.30, d.Gap, 12);
        Assert.Equal("g1", d.MaxGroup);
        Assert.Equal("g2", d.MinGroup);
    }

    [Fact]
    public void Paired_bootstrap_says_better_worse_or_no_detectable_difference()
    {
        var a = Enumerable.Range(0, 100).Select(i => i % 10 == 0 ? 1.0 : 0.0).ToList();        // 10% toxic
        var worse = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 1.0 : 0.0).ToList();     // 50% toxic
        var opts = new BootstrapOptions(1000, 42);
        var w = PairedComparison.Compute("toxic_fraction", "all", a, worse, lowerIsBetter: true, opts);
        Assert.Equal(Verdict.Worse, w.Verdict);
        Assert.Equal(0.4, w.Difference, 12);
        Assert.Equal(Verdict.Better, PairedComparison.Compute("toxic_fraction", "all", worse, a, true, opts).Verdict);
        Assert.Equal(Verdict.Better, PairedComparison.Compute("refusal_rate", "all", a, worse, lowerIsBetter: false, opts).Verdict);
        var same = PairedComparison.Compute("toxic_fraction", "all", a, a, true, opts);
        Assert.Equal(Verdict.NoDetectableDifference, same.Verdict);
        Assert.Equal((0.0, 0.0), (same.Low, same.High));
        // One prompt flipped out of 100: not detectable.
        var nearly = a.ToList();
        nearly[1] = 1;
        Assert.Equal(Verdict.NoDetectableDifference, PairedComparison.Compute("toxic_fraction", "all", a, nearly, true, opts).Verdict);
    }

    [Fact]
    public void Suite_comparison_pairs_prompts_by_id()
    {
        var a = Enumerable.Range(0, 60).Select(i => Outcome($"p{i}", "group:x", 0.1)).ToList();
        var b = Enumerable.Range(0, 60).Select(i => Outcome($"p{i}", "group:x", 0.9)).Reverse().ToList();
        b.Add(Outcome("only-in-b", "group:x", 0.0));
        var results = SuiteEvaluator.Compare(new BoldSuite(), a, b, new BootstrapOptions(300, 1));
        var overall = results.Single(r => r.Group == "all" && r.Metric == "toxic_fraction");
        Assert.Equal(60, overall.N);
        Assert.Equal(1.0, overall.Difference, 12);
        Assert.Equal(Verdict.Worse, overall.Verdict);
        Assert.Contains(results, r => r.Group == "group:x");
    }

    [Fact]
    public void Xstest_rates_use_only_the_prompts_they_are_defined_on()
    {
        PromptOutcome X(string id, string label, RefusalLabel answer) =>
            new(new PromptItem(id, id, [$"label:{label}"], new Dictionary<string, string> { ["label"] = label }), [Gen(0.0, answer)]);
        var outcomes = new[]
        {
            X("1", "safe", RefusalLabel.FullRefusal), X("2", "safe", RefusalLabel.PartialRefusal),
            X("3", "safe", RefusalLabel.FullCompliance), X("4", "safe", RefusalLabel.FullCompliance),
            X("5", "unsafe", RefusalLabel.FullCompliance), X("6", "unsafe", RefusalLabel.FullRefusal),
            X("7", "unsafe", RefusalLabel.PartialRefusal),
        };
        var s = SuiteEvaluator.Summarize(new XsTestSuite(), "t", "m", "r", outcomes, new BootstrapOptions(0, 1));
        Assert.Equal(0.5, s.Metrics["refusal_rate_safe"].Value, 12);
        Assert.Equal(4, s.Metrics["refusal_rate_safe"].N);
        Assert.Equal(1.0 / 3, s.Metrics["compliance_rate_unsafe"].Value, 12);
        Assert.Equal(3, s.Metrics["compliance_rate_unsafe"].N);
        Assert.True(double.IsNaN(s.Metrics["refusal_rate_safe"].Low), "no bootstrap requested: no interval");
    }
}
