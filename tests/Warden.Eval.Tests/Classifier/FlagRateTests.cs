using Warden.Core;
using Warden.Eval.Classifier;

namespace Warden.Eval.Tests.Classifier;

public class FlagRateTests
{
    /// <summary>Flags a text when it contains "bad" (toxicity 0.9), otherwise scores 0.1.</summary>
    private static FuncScorer WordScorer() => new("word-scorer-1", "xx", text =>
    {
        var scores = new float[HarmAttributes.Count];
        scores[(int)HarmAttribute.Toxicity] = text.Contains("bad", StringComparison.Ordinal) ? 0.9f : 0.1f;
        return scores;
    });

    private static LabeledText Text(string language, string text) =>
        new("neutral", $"{language}:{text}", text, language, new AttributeLabels(), Split.Test);

    [Fact]
    public void Counts_flags_per_language_of_the_record_worst_first()
    {
        var report = FlagRateReport.Run(WordScorer(),
            [Text("en", "fine"), Text("en", "bad"), Text("de", "gut"), Text("de", "gut"), Text("ja", "bad"), Text("ja", "bad")], "test");
        Assert.Equal((6, 3), (report.Count, report.Flagged));
        Assert.Equal(0.5, report.Rate, 6);
        Assert.Equal(["ja", "en", "de"], report.ByLanguage.Select(l => l.Code));
        Assert.Equal([1.0, 0.5, 0.0], report.ByLanguage.Select(l => l.Rate));
    }

    [Fact]
    public void Markdown_lists_the_worst_languages_up_to_the_limit()
    {
        var report = FlagRateReport.Run(WordScorer(), [Text("en", "bad"), Text("de", "gut"), Text("fr", "bon")], "test");
        var markdown = report.ToMarkdown(maxLanguages: 2);
        Assert.Contains("Flagged: 1 of 3 harmless texts", markdown);
        Assert.Contains("| en | 1 | 1 | 100.0% |", markdown.Replace(" %", "%"));
        Assert.Equal(2, markdown.Split('\n').Count(l => l.StartsWith("| ") && !l.StartsWith("| language") && !l.StartsWith("| ---")));
    }
}
