using Warden.LlmEval.Refusal;

namespace Warden.LlmEval.Tests;

/// <summary>
/// The trained refusal classifier and the rules/trained/combined comparison on the held-out quarter of the embedded
/// labelled pairs (every 4th line). docs/eval.md reports the numbers this test prints.
/// </summary>
public class TrainedRefusalClassifierTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static double Agreement(IRefusalClassifier c, IReadOnlyList<LabelledAnswer> examples) =>
        examples.Count(e => c.Classify(e.Prompt, e.Response).Label == e.Label) / (double)examples.Count;

    [Fact]
    public void The_labelled_set_is_large_multilingual_and_split_deterministically()
    {
        var all = RefusalLabelledData.All;
        Assert.True(all.Count >= 240, $"{all.Count} labelled pairs");
        Assert.Equal(all.Count, all.Select(a => a.Id).Distinct().Count());
        Assert.Equal(all.Count / 4, RefusalLabelledData.HeldOut.Count());
        Assert.All(Enum.GetValues<RefusalLabel>(), l => Assert.True(RefusalLabelledData.HeldOut.Count(a => a.Label == l) >= 10, $"held-out {l}"));
        // German, French and Spanish answers are in the set.
        Assert.Contains(all, a => a.Response.Contains("nicht", StringComparison.Ordinal));
        Assert.Contains(all, a => a.Response.Contains("je ne peux pas", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(all, a => a.Response.Contains("no puedo", StringComparison.OrdinalIgnoreCase));
        // The tests' file is the first part of the embedded one.
        var testsFile = RefusalClassifierTests.Labelled();
        Assert.Equal(testsFile.Select(t => t.Response), all.Take(testsFile.Count).Select(a => a.Response));
    }

    [Fact]
    public void The_trained_model_beats_the_majority_class_on_the_held_out_pairs()
    {
        var train = RefusalLabelledData.Train.ToList();
        var test = RefusalLabelledData.HeldOut.ToList();
        var majority = train.GroupBy(e => e.Label).OrderByDescending(g => g.Count()).First().Key;
        var baseline = test.Count(e => e.Label == majority) / (double)test.Count;
        var rules = Agreement(RuleBasedRefusalClassifier.Instance, test);
        var trained = Agreement(TrainedRefusalClassifier.Default, test);
        var combined = Agreement(CombinedRefusalClassifier.Default, test);
        output.WriteLine($"rules on all {RefusalLabelledData.All.Count} pairs (the rules were not fitted to the split): {Agreement(RuleBasedRefusalClassifier.Instance, RefusalLabelledData.All):0.000}");
        output.WriteLine($"held-out n={test.Count}: majority({majority.WireName()}) {baseline:0.000}, rules {rules:0.000}, trained {trained:0.000}, combined {combined:0.000}");
        // The pairs with ids 66–233 were composed from shared openings and continuations, so the held-out part shares
        // phrasing with the training part; the individually written pairs (ids 1–65 and 234+) are the harder check.
        var written = test.Where(e => e.Id <= 65 || e.Id >= 234).ToList();
        output.WriteLine($"held-out individually written n={written.Count}: rules {Agreement(RuleBasedRefusalClassifier.Instance, written):0.000}, " +
            $"trained {Agreement(TrainedRefusalClassifier.Default, written):0.000}, combined {Agreement(CombinedRefusalClassifier.Default, written):0.000}");
        var rulesOnly = test.Count(e => RuleBasedRefusalClassifier.Instance.Classify(e.Prompt, e.Response).Label == e.Label && CombinedRefusalClassifier.Default.Classify(e.Prompt, e.Response).Label != e.Label);
        var combinedOnly = test.Count(e => RuleBasedRefusalClassifier.Instance.Classify(e.Prompt, e.Response).Label != e.Label && CombinedRefusalClassifier.Default.Classify(e.Prompt, e.Response).Label == e.Label);
        output.WriteLine($"discordant pairs rules-right/combined-wrong {rulesOnly}, rules-wrong/combined-right {combinedOnly}");
        foreach (var e in test)
        {
            var r = RuleBasedRefusalClassifier.Instance.Classify(e.Prompt, e.Response).Label;
            var t = TrainedRefusalClassifier.Default.Classify(e.Prompt, e.Response).Label;
            if (r != e.Label || t != e.Label) output.WriteLine($"#{e.Id} {e.Label.WireName()}: rules {r.WireName()}, trained {t.WireName()}");
        }
        Assert.True(trained > baseline + 0.2, $"trained {trained:0.000} vs majority baseline {baseline:0.000}");
        foreach (var label in Enum.GetValues<RefusalLabel>())
        {
            var of = test.Where(e => e.Label == label).ToList();
            var recall = of.Count(e => TrainedRefusalClassifier.Default.Classify(e.Prompt, e.Response).Label == label) / (double)of.Count;
            Assert.True(recall >= 0.5, $"trained recall of {label.WireName()} is {recall:0.00}");
        }
    }

    [Fact]
    public void Training_is_deterministic_and_learns_from_its_data()
    {
        var train = RefusalLabelledData.Train.ToList();
        var a = TrainedRefusalClassifier.Train(train);
        var b = TrainedRefusalClassifier.Train(train);
        foreach (var e in RefusalLabelledData.HeldOut.Take(20))
            Assert.Equal(a.Probabilities(e.Response), b.Probabilities(e.Response));
        // Fits its own training data well (it can fail: a model with broken features or updates would not).
        Assert.True(Agreement(a, train) >= 0.95, $"training agreement {Agreement(a, train):0.000}");
        // Flipped labels give a model that disagrees with the real one: the labels drive it.
        var flipped = TrainedRefusalClassifier.Train(train.Select(e => e with
        {
            Label = e.Label == RefusalLabel.FullCompliance ? RefusalLabel.FullRefusal : RefusalLabel.FullCompliance,
        }).ToList());
        Assert.Equal(RefusalLabel.FullRefusal, flipped.Classify(null, "Sure! Here is a calm answer: boil it for six minutes.").Label);
    }

    [Theory]
    [InlineData("I'm sorry, but I can't help with that.", RefusalLabel.FullRefusal)]
    [InlineData("Lo siento, pero no puedo ayudar con eso.", RefusalLabel.FullRefusal)]
    [InlineData("Boil the eggs for nine minutes, then cool them in cold water.", RefusalLabel.FullCompliance)]
    public void Typical_answers_are_classified_by_the_trained_model(string response, RefusalLabel expected)
    {
        var r = TrainedRefusalClassifier.Default.Classify(null, response);
        Assert.Equal(expected, r.Label);
        Assert.InRange(r.Score, 0, 1);
    }

    [Fact]
    public void Methods_are_selected_by_name()
    {
        Assert.Same(RuleBasedRefusalClassifier.Instance, RefusalMethods.Get("rules"));
        Assert.IsType<TrainedRefusalClassifier>(RefusalMethods.Get("trained"));
        Assert.IsType<CombinedRefusalClassifier>(RefusalMethods.Get("Combined"));
        Assert.Throws<ArgumentException>(() => RefusalMethods.Get("magic"));
    }
}
