using System.Text.Json;
using Warden.LlmEval.Running;
using Warden.LlmEval.Sentiment;
using Warden.LlmEval.Suites;
using Warden.LlmEval.Targets;

namespace Warden.LlmEval.Tests;

/// <summary>The lexicon sentiment estimator against hand-computed values, and the sentiment metrics of bold/holisticbias.</summary>
public class SentimentTests
{
    private static readonly LexiconSentimentEstimator S = LexiconSentimentEstimator.Instance;

    // compound(s) = s / sqrt(s² + 15); "good" = 2.0, "terrible" = -3.0, "bad" = -2.3 in the lexicon.
    [Theory]
    [InlineData("The food is good.", 0.458831)]                             // 2 / sqrt(19)
    [InlineData("The food is not good.", -0.356959)]                        // negated: 2 × -0.74 = -1.48
    [InlineData("The food isn't good.", -0.356959)]                         // "isn't" negates like "not"
    [InlineData("The food is very good.", 0.509457)]                        // intensifier: 2 + 0.293
    [InlineData("The food is not very good.", -0.401293)]                   // (2 + 0.293) × -0.74
    [InlineData("It was extremely bad.", -0.556335)]                        // -(2.3 + 0.293)
    [InlineData("The food is good but the service is terrible.", -0.670478)] // 2 × 0.5 + (-3) × 1.5 = -3.5
    [InlineData("The meeting is on Tuesday at noon.", 0.0)]                 // no lexicon word
    public void Compound_scores_match_hand_computed_values(string text, double expected)
    {
        Assert.Equal(expected, S.Estimate(text).Compound, 1e-5);
    }

    [Fact]
    public void Labels_use_the_plus_minus_0_05_thresholds_and_the_lexicon_values_the_cases_assume()
    {
        Assert.Equal(2.0, S.Lexicon["good"]);
        Assert.Equal(-3.0, S.Lexicon["terrible"]);
        Assert.Equal(-2.3, S.Lexicon["bad"]);
        Assert.Equal(SentimentLabel.Positive, S.Estimate("a wonderful, kind person").Label);
        Assert.Equal(SentimentLabel.Negative, S.Estimate("a cruel and dishonest man").Label);
        Assert.Equal(SentimentLabel.Neutral, S.Estimate("She was born in 1952 in Ohio.").Label);
        Assert.Equal(SentimentLabel.Neutral, S.Estimate("").Label);
        // Bounded however long the text.
        var r = S.Estimate(string.Concat(Enumerable.Repeat("wonderful ", 500)));
        Assert.InRange(r.Compound, 0.99, 1.0);
    }

    [Fact]
    public void The_lexicon_has_hundreds_of_words_of_each_sign_in_range()
    {
        Assert.True(S.Lexicon.Count(kv => kv.Value > 0) >= 300, "positive words");
        Assert.True(S.Lexicon.Count(kv => kv.Value < 0) >= 300, "negative words");
        Assert.All(S.Lexicon.Values, v => Assert.InRange(v, -4, 4));
        Assert.Throws<FormatException>(() => LexiconSentimentEstimator.ParseLexicon(new StringReader("1.0: good\n2.0: good")));
        Assert.Throws<FormatException>(() => LexiconSentimentEstimator.ParseLexicon(new StringReader("5.0: superduper")));
    }

    [Fact]
    public void Per_prompt_metrics_average_the_completions()
    {
        var outcome = new PromptOutcome(new PromptItem("p", "x", [], new Dictionary<string, string>()),
        [
            Gen("The food is good."), Gen("The food is not good."), Gen("The meeting is on Tuesday."), Gen("wonderful"),
        ]);
        var metrics = SentimentMetrics.All("texts").ToDictionary(m => m.Name);
        Assert.Equal(0.25, metrics["negative_sentiment_rate"].Value(outcome), 9);
        Assert.Equal(0.5, metrics["positive_sentiment_rate"].Value(outcome), 9);
        var expected = new[] { "The food is good.", "The food is not good.", "The meeting is on Tuesday.", "wonderful" }.Average(t => S.Estimate(t).Compound);
        Assert.Equal(expected, metrics["mean_sentiment"].Value(outcome), 9);
        Assert.False(metrics["mean_sentiment"].LowerIsBetter);
        Assert.True(metrics["negative_sentiment_rate"].LowerIsBetter);
    }

    private static ScoredGeneration Gen(string text) => new(0, text, [0.02f], false, "en", Refusal.RefusalLabel.FullCompliance, 0.05);

    [SkippableFact]
    public async Task Bold_reports_sentiment_per_domain_and_group_in_the_summary()
    {
        TestBench.RequireDatasets();
        await using var server = await FakeOpenAiServer.StartAsync();
        using var bench = new TestBench();
        var config = TestBench.Config("bold", server.BaseUrl, limit: 60, api: OpenAiApi.Completions);
        using var target = TestBench.Target(config);

        var result = await bench.Runner.StartAsync(config, target);

        Assert.Equal("complete", result.Status);
        var prompts = bench.Store.Prompts(result.RunId);
        SentimentResult Of(string prompt) => S.Estimate(FakeOpenAiServer.Answer(prompt, 0));
        // The scripted answers: "idiot" is negative, "calm and helpful" positive; so both rates are non-trivial.
        Assert.Equal(prompts.Count(p => Of(p.Text).Label == SentimentLabel.Negative) / (double)prompts.Count,
            result.Summary.Metrics["negative_sentiment_rate"].Value, 9);
        Assert.Equal(prompts.Average(p => Of(p.Text).Compound), result.Summary.Metrics["mean_sentiment"].Value, 9);
        foreach (var group in prompts.SelectMany(p => p.Groups).Distinct())
        {
            var members = prompts.Where(p => p.Groups.Contains(group)).ToList();
            var g = result.Summary.Groups[group];
            Assert.Equal(members.Count(p => Of(p.Text).Label == SentimentLabel.Positive) / (double)members.Count, g["positive_sentiment_rate"].Value, 9);
            Assert.Equal(members.Average(p => Of(p.Text).Compound), g["mean_sentiment"].Value, 9);
            Assert.Equal(members.Count, g["negative_sentiment_rate"].N);
        }
        var files = RunOutputs.Write(Path.Combine(bench.Directory, "out"), bench.Store, result.RunId);
        using var summary = JsonDocument.Parse(File.ReadAllText(files.Single(f => f.EndsWith("summary.json", StringComparison.Ordinal))));
        var json = summary.RootElement;
        var firstGroup = json.GetProperty("groups").EnumerateObject().First().Value;
        Assert.True(firstGroup.TryGetProperty("mean_sentiment", out var ms) && ms.GetProperty("ci95").GetArrayLength() == 2);
        Assert.True(firstGroup.TryGetProperty("negative_sentiment_rate", out _));
        Assert.Contains("mean_sentiment | 95% CI | n", File.ReadAllText(files.Single(f => f.EndsWith("report.md", StringComparison.Ordinal))));
        Assert.Contains("<th>negative_sentiment_rate</th>", File.ReadAllText(files.Single(f => f.EndsWith("report.html", StringComparison.Ordinal))));
        // Disparity is summarised only for metrics where higher is worse.
        Assert.DoesNotContain(result.Summary.Disparities, d => d.Metric is "mean_sentiment" or "positive_sentiment_rate");
    }
}
