using Warden.Eval.Functional;
using Xunit.Abstractions;
using Warden.Testing;

namespace Warden.Scoring.Tests;

/// <summary>
/// Regression floors for the functional suites on the default model. The product target is 85% per category;
/// the floors sit 10 percentage points below what the model achieved when they were set, so a real regression
/// fails the test while retraining noise does not.
/// </summary>
public class FunctionalRegressionTests(ITestOutputHelper output)
{
    // Measured on warden-fast 1.0.0 (harm lexicon, negation masking, contrast sets in 69 languages with threat templates,
    // direct lexicon features, group-word masking, everyday web sentences, lexicon insertions) when the floors were last set
    // (fifth round, docs/models.md):
    //   main:      benign 16/17 = 94%, counter_speech 10/13 = 77%, explicit 14/15 = 93%, identity_mentions 23/24 = 96%,
    //              implicit_hate 7/14 = 50%, negation 15/16 = 94%, obfuscation 14/14 = 100%, quoted_slurs 6/8 = 75%.
    //   holdout:   benign 22/24 = 92%, counter_speech 20/24 = 83%, explicit 21/24 = 88%, identity_mentions 24/24 = 100%,
    //              implicit_hate 10/24 = 42%, negation 21/24 = 88%, obfuscation 23/24 = 96%, quoted_slurs 22/24 = 92%,
    //              threat 16/24 = 67%.
    //   languages: benign 51/53 = 96%, counter_speech 51/53 = 96%, explicit 84/106 = 79%, group_hate 46/53 = 87%,
    //              identity 52/53 = 98%, negation 50/53 = 94%, obfuscation 37/53 = 70%, threat 44/53 = 83%,
    //              violent_benign 53/53 = 100% (53 languages, all with contrast sets since the fifth round).
    // Product target: 85% per category; below it today: counter_speech, implicit_hate, quoted_slurs (main), counter_speech,
    // implicit_hate, threat (holdout), and explicit, obfuscation, threat (languages).
    // Floors = measured - 10 points (the model is deterministic; the margin is for deliberate retraining: models
    // trained with other seeds differ by up to 8 held-out cases in total, docs/models.md). Small categories are
    // coarse: in quoted_slurs (8 cases) one more failure is -12.5 points. When a retrained model improves a category,
    // raise its floor.
    private static readonly Dictionary<string, double> Floors = new(StringComparer.Ordinal)
    {
        ["benign"] = 0.84,
        ["counter_speech"] = 0.67,
        ["explicit"] = 0.83,
        ["identity_mentions"] = 0.90,
        ["implicit_hate"] = 0.40,
        ["negation"] = 0.80, // twentieth round: 13/16 with the implicit-hate templates on (held-out +4.7 cases over three seeds, docs/models.md)
        ["obfuscation"] = 0.90,
        ["quoted_slurs"] = 0.62,
    };

    private static readonly Dictionary<string, double> HoldoutFloors = new(StringComparer.Ordinal)
    {
        ["benign"] = 0.82,
        ["counter_speech"] = 0.73,
        ["explicit"] = 0.78,
        ["identity_mentions"] = 0.90,
        ["implicit_hate"] = 0.32,
        ["negation"] = 0.77,
        ["obfuscation"] = 0.90,
        ["quoted_slurs"] = 0.82,
        ["threat"] = 0.57,
    };

    private static readonly Dictionary<string, double> LanguagesFloors = new(StringComparer.Ordinal)
    {
        ["benign"] = 0.86,
        ["counter_speech"] = 0.85,
        ["explicit"] = 0.69,
        ["group_hate"] = 0.77,
        ["identity"] = 0.86,
        ["negation"] = 0.84,
        ["obfuscation"] = 0.60,
        ["threat"] = 0.73,
        ["violent_benign"] = 0.90,
    };

    // Tenth round: 745 harmless everyday messages in 25 languages, 720 passed (96.6%); one category, so the floor sits
    // 5 points below (37 more false positives).
    private static readonly Dictionary<string, double> EverydayFloors = new(StringComparer.Ordinal) { ["everyday"] = 0.91 };

    // Fifteenth round: 624 harmless sentences about real pests, animals and kitchens in 39 languages, 575 passed (92.1%);
    // the floor sits 5 points below, as the everyday suite's.
    private static readonly Dictionary<string, double> LiteralFloors = new(StringComparer.Ordinal) { ["literal"] = 0.87 };

    // Fifteenth round: 132 abusive and 132 harmless messages with a stretched letter in 22 languages; 88 and 128 passed
    // (66.7% and 97.0%; 68 and 128 before the stretched-letter look-ups). Floors 5 points below.
    private static readonly Dictionary<string, double> StretchedFloors = new(StringComparer.Ordinal)
    {
        ["stretched_abuse"] = 0.61,
        ["stretched_harmless"] = 0.92,
    };

    [Theory]
    [InlineData(FunctionalSuites.Holdout)]
    [InlineData(FunctionalSuites.Languages)]
    [InlineData(FunctionalSuites.Everyday)]
    [InlineData(FunctionalSuites.Literal)]
    [InlineData(FunctionalSuites.Stretched)]
    public void Held_out_pass_rates_per_category_stay_above_the_floors(string suite)
    {
        var report = FunctionalSuites.Run(DefaultModel.Scorer, FunctionalSuites.Load(suite));
        // Only totals: the held-out cases are not read case by case (see FunctionalSuites.Holdout).
        var floors = suite switch { FunctionalSuites.Holdout => HoldoutFloors, FunctionalSuites.Everyday => EverydayFloors, FunctionalSuites.Literal => LiteralFloors, FunctionalSuites.Stretched => StretchedFloors, _ => LanguagesFloors };
        AssertAboveFloors(report, floors, showFailures: false);
    }

    // Twentieth round: the development probe bench/probes/implicit-hate (12 languages), 136 of 254 implicitly hateful
    // sentences flagged (53.5%, 90 before the round) and 237 of 255 harmless ones passed (92.9%). Floors 10 points below.
    private static readonly Dictionary<string, double> ImplicitHateProbeFloors = new(StringComparer.Ordinal) { ["implicit"] = 0.43, ["harmless"] = 0.82 };

    [Fact]
    public void The_implicit_hate_probe_stays_above_its_floors()
    {
        var probe = Path.Combine(RepositoryRoot.Path, "bench", "probes", "implicit-hate");
        AssertAboveFloors(FunctionalSuites.Run(DefaultModel.Scorer, FunctionalSuites.Load(probe)), ImplicitHateProbeFloors, showFailures: false);
    }


    // Twenty-second round: the development probe bench/probes/insults-in-context (12 languages, one abusive sentence
    // among everyday ones, or abusive words used harmlessly across sentences): 82 of 96 abusive texts flagged (68 before
    // the sentence maximum for insults, slurs and dehumanising words) and 83 of 96 harmless ones passed (86 before).
    // Floors 10 points below.
    private static readonly Dictionary<string, double> InsultsInContextProbeFloors = new(StringComparer.Ordinal) { ["abusive"] = 0.75, ["harmless"] = 0.75 };

    [Fact]
    public void The_insults_in_context_probe_stays_above_its_floors()
    {
        var probe = Path.Combine(RepositoryRoot.Path, "bench", "probes", "insults-in-context");
        AssertAboveFloors(FunctionalSuites.Run(DefaultModel.Scorer, FunctionalSuites.Load(probe)), InsultsInContextProbeFloors, showFailures: true);
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
