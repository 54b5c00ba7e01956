using Warden.Core;
using Warden.Eval.Functional;

namespace Warden.Eval.Tests.Functional;

public class FunctionalSuiteTests
{
    /// <summary>Scores threat 0.9 for texts with "kill", self_harm 0.9 for texts with "myself", everything else 0.1.</summary>
    private static FuncScorer KeywordScorer() => new("keyword-scorer-1", "en", text =>
    {
        var scores = Enumerable.Repeat(0.1f, HarmAttributes.Count).ToArray();
        if (text.Contains("kill", StringComparison.Ordinal)) scores[(int)HarmAttribute.Threat] = 0.9f;
        if (text.Contains("myself", StringComparison.Ordinal)) scores[(int)HarmAttribute.SelfHarm] = 0.9f;
        return scores;
    });

    private static List<FunctionalCase> Parse(string jsonl) => [.. FunctionalSuites.Parse("probe", new StringReader(jsonl))];

    [Fact]
    public void A_case_with_an_attribute_passes_only_when_that_attribute_is_flagged()
    {
        var cases = Parse("""
            {"text": "i will kill you", "language": "en", "expect": "toxic", "attribute": "self_harm"}
            {"text": "i will hurt myself", "language": "en", "expect": "toxic", "attribute": "self_harm"}
            {"text": "i will kill you", "language": "en", "expect": "toxic"}
            {"text": "i will kill myself", "language": "en", "expect": "ok", "attribute": "threat"}
            """);
        Assert.Equal([HarmAttribute.SelfHarm, HarmAttribute.SelfHarm, null, HarmAttribute.Threat], cases.Select(c => c.Attribute));

        var report = FunctionalSuites.Run(KeywordScorer(), cases);

        // Flagged as a threat, not as self-harm: fails the self_harm case but passes the case without an attribute.
        Assert.Equal([false, true, true, false], report.Outcomes.Select(o => o.Passed));
        Assert.Contains("expected flagged on self_harm", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_attribute_is_an_error_with_its_line()
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse("""

            {"text": "x", "language": "en", "expect": "toxic", "attribute": "rudeness"}
            """));
        Assert.Contains("line 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("rudeness", error.Message, StringComparison.Ordinal);
    }
}
