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
    // Measured on warden-fast when the floors were set (functional suites as embedded in Warden.Eval):
    //   benign 14/17 = 82.4%, counter_speech 5/13 = 38.5%, explicit 15/15 = 100%, identity_mentions 18/24 = 75.0%,
    //   implicit_hate 10/14 = 71.4%, negation 8/16 = 50.0%, obfuscation 14/14 = 100%, quoted_slurs 5/8 = 62.5%.
    // Product target: 85% per category. Below it today: benign, counter_speech, identity_mentions, implicit_hate,
    // negation, quoted_slurs (only explicit and obfuscation meet it).
    // Floors = measured - 10 points. Small categories are coarse: in quoted_slurs (8 cases) one more failure is
    // -12.5 points and trips the floor. When a retrained model improves a category, raise its floor.
    private static readonly Dictionary<string, double> Floors = new(StringComparer.Ordinal)
    {
        ["benign"] = 0.72,
        ["counter_speech"] = 0.28,
        ["explicit"] = 0.90,
        ["identity_mentions"] = 0.65,
        ["implicit_hate"] = 0.61,
        ["negation"] = 0.40,
        ["obfuscation"] = 0.90,
        ["quoted_slurs"] = 0.52,
    };

    [Fact]
    public void Pass_rates_per_category_stay_above_the_floors()
    {
        var report = FunctionalSuites.Run(DefaultModel.Scorer);
        foreach (var c in report.ByCategory)
            output.WriteLine($"{c.Category}: {c.Passed}/{c.Cases} = {c.PassRate:P1}{(c.PassRate < 0.85 ? "  (below the 85% target)" : "")}");
        output.WriteLine(report.ToMarkdown());

        var categories = report.ByCategory.ToDictionary(c => c.Category);
        Assert.Equal(Floors.Keys.Order(StringComparer.Ordinal), categories.Keys.Order(StringComparer.Ordinal));
        var failures = Floors
            .Where(f => categories[f.Key].PassRate < f.Value)
            .Select(f => $"{f.Key}: {categories[f.Key].PassRate:P1} < floor {f.Value:P0}")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("; ", failures));
    }
}
