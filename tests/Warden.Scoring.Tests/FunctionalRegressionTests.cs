using Warden.Eval.Functional;
using Xunit.Abstractions;

namespace Warden.Scoring.Tests;

/// <summary>
/// Regression floors for the functional suites on the default model. The product target is 85% per category;
/// the floors sit 10 percentage points below what the model achieved when they were set, so a real regression
/// fails the test while retraining noise does not.
/// </summary>
public class FunctionalRegressionTests(ITestOutputHelper output)
{
    // Measured on warden-fast 1.0.0 (harm lexicon, negation masking, contrast sets with threat templates, direct lexicon
    // features, group-word masking, everyday web sentences) when the floors were set:
    //   main:    benign 16/17 = 94%, counter_speech 9/13 = 69%, explicit 13/15 = 87%, identity_mentions 24/24 = 100%,
    //            implicit_hate 9/14 = 64%, negation 14/16 = 88%, obfuscation 14/14 = 100%, quoted_slurs 6/8 = 75%.
    //   holdout: benign 22/24 = 92%, counter_speech 18/24 = 75%, explicit 21/24 = 88%, identity_mentions 22/24 = 92%,
    //            implicit_hate 9/24 = 38%, negation 19/24 = 79%, obfuscation 24/24 = 100%, quoted_slurs 21/24 = 88%,
    //            threat 16/24 = 67%.
    // Product target: 85% per category; below it today: counter_speech, implicit_hate, negation, quoted_slurs (main)
    // and threat (holdout).
    // Floors = measured - 10 points (the model is deterministic; the margin is for deliberate retraining: models
    // trained with other seeds differ by up to 8 held-out cases in total, docs/models.md). Small categories are
    // coarse: in quoted_slurs (8 cases) one more failure is -12.5 points. When a retrained model improves a category,
    // raise its floor.
    private static readonly Dictionary<string, double> Floors = new(StringComparer.Ordinal)
    {
        ["benign"] = 0.84,
        ["counter_speech"] = 0.59,
        ["explicit"] = 0.77,
        ["identity_mentions"] = 0.90,
        ["implicit_hate"] = 0.54,
        ["negation"] = 0.78,
        ["obfuscation"] = 0.90,
        ["quoted_slurs"] = 0.62,
    };

    private static readonly Dictionary<string, double> HoldoutFloors = new(StringComparer.Ordinal)
    {
        ["benign"] = 0.82,
        ["counter_speech"] = 0.65,
        ["explicit"] = 0.78,
        ["identity_mentions"] = 0.82,
        ["implicit_hate"] = 0.27,
        ["negation"] = 0.69,
        ["obfuscation"] = 0.90,
        ["quoted_slurs"] = 0.78,
        ["threat"] = 0.57,
    };

    [Fact]
    public void Holdout_pass_rates_per_category_stay_above_the_floors()
    {
        var report = FunctionalSuites.Run(DefaultModel.Scorer, FunctionalSuites.Load(FunctionalSuites.Holdout));
        // Only totals: the held-out cases are not read case by case (see FunctionalSuites.Holdout).
        AssertAboveFloors(report, HoldoutFloors, showFailures: false);
    }

    [Fact]
    public void Pass_rates_per_category_stay_above_the_floors() =>
        AssertAboveFloors(FunctionalSuites.Run(DefaultModel.Scorer), Floors, showFailures: true);

    private void AssertAboveFloors(FunctionalReport report, Dictionary<string, double> floors, bool showFailures)
    {
        foreach (var c in report.ByCategory)
            output.WriteLine($"{c.Category}: {c.Passed}/{c.Cases} = {c.PassRate:P1}{(c.PassRate < 0.85 ? "  (below the 85% target)" : "")}");
        if (showFailures) output.WriteLine(report.ToMarkdown());

        var categories = report.ByCategory.ToDictionary(c => c.Category);
        Assert.Equal(floors.Keys.Order(StringComparer.Ordinal), categories.Keys.Order(StringComparer.Ordinal));
        var failures = floors
            .Where(f => categories[f.Key].PassRate < f.Value)
            .Select(f => $"{f.Key}: {categories[f.Key].PassRate:P1} < floor {f.Value:P0}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}
