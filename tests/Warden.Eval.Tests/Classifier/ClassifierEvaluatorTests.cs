using System.Text.Json;
using Warden.Core;
using Warden.Eval.Classifier;

namespace Warden.Eval.Tests.Classifier;

public class ClassifierEvaluatorTests
{
    private static readonly EvalOptions Fast = EvalOptions.Default with { BootstrapResamples = 200 };

    /// <summary>count examples of one language; scores rise with i and the upper part is positive.</summary>
    private static IEnumerable<EvalExample> Language(string lang, int count, string? group = null, string? detected = null) =>
        Enumerable.Range(0, count).Select(i => new EvalExample(
            $"{lang}-{i}", Math.Round((i + 0.5) / count, 4), (i * 7 % count) >= count / 2 ? 1 : 0, lang, group, detected));

    [Fact]
    public void PerLanguage_MatchesMetricsOfTheSubset_AndFlagsSmallLanguages()
    {
        var examples = Language("en", 40).Concat(Language("de", 25)).Concat(Language("fr", 5)).ToList();
        var report = ClassifierEvaluator.Evaluate(examples, Fast);

        Assert.Equal(70, report.Overall.Count);
        Assert.Equal(["de", "en", "fr"], report.ByLanguage.Select(g => g.Name));
        var en = report.ByLanguage.Single(g => g.Name == "en");
        var expected = BinaryMetrics.Compute(
            examples.Where(e => e.Language == "en").Select(e => e.Score).ToArray(),
            examples.Where(e => e.Language == "en").Select(e => e.Label).ToArray(), 0.5);
        Assert.Equal(expected.Values, en.Rows.Select(r => r.Value.Value));
        Assert.Equal(expected.Positives, en.Positives);
        Assert.False(en.TooFew);
        Assert.True(en[Metric.Auroc].Ci95.IsDefined);

        var fr = report.ByLanguage.Single(g => g.Name == "fr");
        Assert.True(fr.TooFew);
        Assert.Equal(5, fr.Count);
        Assert.Empty(fr.Rows);
        Assert.Null(fr.Metrics);
        Assert.False(fr[Metric.Accuracy].IsDefined);
    }

    [Fact]
    public void SmallGroups_CanBeSkipped()
    {
        var examples = Language("en", 40).Concat(Language("fr", 5)).ToList();
        var report = ClassifierEvaluator.Evaluate(examples, Fast with { SmallGroups = SmallGroupPolicy.Skip });
        Assert.Equal(["en"], report.ByLanguage.Select(g => g.Name));
        Assert.Equal(45, report.Overall.Count); // skipped slices still count overall
    }

    [Fact]
    public void Groups_ComeFromTheExamples_AndMissingGroupsAreOnlyOverall()
    {
        var examples = Language("en", 30, "women").Concat(Language("en", 30, "muslims")).Concat(Language("en", 30)).ToList();
        var report = ClassifierEvaluator.Evaluate(examples, Fast);
        Assert.Equal(["muslims", "women"], report.ByGroup.Select(g => g.Name));
        Assert.All(report.ByGroup, g => Assert.Equal(30, g.Count));
        Assert.Equal(90, report.Overall.Count);
    }

    [Fact]
    public void DetectedLanguage_CanBeTheGroupingKey()
    {
        var examples = Language("en", 30, detected: "en").Concat(Language("de", 30, detected: null)).ToList();
        var report = ClassifierEvaluator.Evaluate(examples, Fast with { LanguageSource = LanguageSource.Detected });
        Assert.Equal(["en", "und"], report.ByLanguage.Select(g => g.Name));
    }

    [Fact]
    public void Report_IsIdenticalAcrossRuns()
    {
        var examples = Language("en", 60, "women").Concat(Language("de", 60)).ToList();
        var a = ClassifierReportJson.ToJson(ClassifierEvaluator.Evaluate(examples, Fast));
        var b = ClassifierReportJson.ToJson(ClassifierEvaluator.Evaluate(examples, Fast));
        Assert.Equal(a, b);
        var c = ClassifierReportJson.ToJson(ClassifierEvaluator.Evaluate(examples, Fast with { Seed = 7 }));
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void SingleClassInput_ReportsNa_WithoutCrashing()
    {
        var examples = Enumerable.Range(0, 30).Select(i => new EvalExample($"x{i}", i / 30.0, 0, "en")).ToList();
        var report = ClassifierEvaluator.Evaluate(examples, Fast);
        Assert.False(report.Overall[Metric.Auroc].IsDefined);
        Assert.Equal("n/a", report.Overall[Metric.Auroc].Format());

        var markdown = ClassifierReportMarkdown.Render(report);
        Assert.Contains("| AUROC | n/a |", markdown);
        using var json = JsonDocument.Parse(ClassifierReportJson.ToJson(report));
        var auroc = json.RootElement.GetProperty("overall").GetProperty("metrics").GetProperty("auroc");
        Assert.Equal(JsonValueKind.Null, auroc.GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, auroc.GetProperty("ci95")[0].ValueKind);
    }

    [Fact]
    public void EmptyInput_GivesAnEmptyReport()
    {
        var report = ClassifierEvaluator.Evaluate([], Fast);
        Assert.Equal(0, report.Overall.Count);
        Assert.Null(report.Overall.BestThresholds);
        Assert.Empty(report.ByLanguage);
        ClassifierReportMarkdown.Render(report);
        ClassifierReportJson.ToJson(report);
    }

    [Fact]
    public void InvalidExample_IsNamedInTheError()
    {
        var examples = Language("en", 5).Append(new EvalExample("bad-one", 1.5, 1, "en")).ToList();
        var ex = Assert.Throws<ArgumentException>(() => ClassifierEvaluator.Evaluate(examples, Fast));
        Assert.Contains("bad-one", ex.Message);
    }

    [Fact]
    public void Json_UsesSnakeCaseAndTheDocumentedShape()
    {
        var report = ClassifierEvaluator.Evaluate(Language("en", 40).ToList(), Fast) with { Model = "m1", Score = "toxicity" };
        using var json = JsonDocument.Parse(ClassifierReportJson.ToJson(report));
        var root = json.RootElement;
        Assert.Equal("m1", root.GetProperty("model").GetString());
        Assert.Equal(0.5, root.GetProperty("threshold").GetDouble());
        Assert.Equal(200, root.GetProperty("bootstrap").GetProperty("resamples").GetInt32());
        var overall = root.GetProperty("overall");
        Assert.Equal(40, overall.GetProperty("n").GetInt32());
        var metrics = overall.GetProperty("metrics");
        Assert.Equal(
            ["accuracy", "precision", "recall", "f1", "f1_negative", "macro_f1", "auroc", "auprc", "ece", "brier"],
            metrics.EnumerateObject().Select(p => p.Name));
        var macro = metrics.GetProperty("macro_f1");
        Assert.Equal(Math.Round(report.Overall[Metric.MacroF1].Value, 6), macro.GetProperty("value").GetDouble());
        Assert.Equal(2, macro.GetProperty("ci95").GetArrayLength());
        Assert.True(overall.GetProperty("best_threshold").GetProperty("macro_f1").TryGetProperty("threshold", out _));
        Assert.Equal("en", root.GetProperty("by_language")[0].GetProperty("name").GetString());
    }

    [Fact]
    public void Markdown_HasTheThreeTables_WithThreeDecimalsAndCis()
    {
        var examples = Language("en", 40, "women").Concat(Language("fr", 5)).ToList();
        var report = ClassifierEvaluator.Evaluate(examples, Fast);
        var md = ClassifierReportMarkdown.Render(report);
        Assert.Contains("## Overall (n = 45", md);
        Assert.Contains("## Per language", md);
        Assert.Contains("## Per target group", md);
        var acc = report.Overall[Metric.Accuracy];
        Assert.Contains($"| accuracy | {acc.Value:F3} | [{acc.Ci95.Low:F3}, {acc.Ci95.High:F3}] |", md);
        Assert.Contains("| fr | 5 |", md);
        Assert.Contains("too few (< 20)", md);
        Assert.Matches(@"\| en \| 40 \| \d+ \| \d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\] \|", md);
    }

    [Fact]
    public void MetricValue_Formats()
    {
        Assert.Equal("0.912 [0.900, 0.925]", new MetricValue(0.91234, new Interval(0.9, 0.925)).Format());
        Assert.Equal("0.500", new MetricValue(0.5, Interval.None).Format());
        Assert.Equal("n/a", new MetricValue(double.NaN, Interval.None).Format());
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierEvaluator.Evaluate([], Fast with { Threshold = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ClassifierEvaluator.Evaluate([], Fast with { BootstrapResamples = -1 }));
    }
}

public class EvalExampleBuilderTests
{
    /// <summary>Scores are read off the text ("0.7|0.2" → toxicity 0.7, insult 0.2); language "xx".</summary>
    private sealed class TextScorer : IScorer
    {
        public int Batches;
        public string ModelName => "text-scorer-1";
        public IReadOnlyList<float> Thresholds { get; } = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray();

        public ScoreResult Score(string text, ScoreOptions? options = null)
        {
            var parts = text.Split('|');
            var scores = new float[HarmAttributes.Count];
            scores[(int)HarmAttribute.Toxicity] = float.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            scores[(int)HarmAttribute.Insult] = float.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            return new ScoreResult("xx", scores);
        }

        public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null)
        {
            Interlocked.Increment(ref Batches);
            return texts.Select(t => Score(t, options)).ToList();
        }
    }

    private static LabeledText Record(int i, string text, float? toxicity, string? group = null)
    {
        var labels = new AttributeLabels();
        if (toxicity is { } t) labels.Set(HarmAttribute.Toxicity, t);
        return new LabeledText("ds", i.ToString(), text, "en", labels, Split.Test, group);
    }

    [Fact]
    public void Score_SkipsUnannotatedRecords_KeepsOrder_AndBatches()
    {
        var records = new List<LabeledText>();
        for (var i = 0; i < 10; i++)
            records.Add(Record(i, $"0.{i}|0.9", i % 3 == 0 ? null : i % 2));
        var scorer = new TextScorer();
        var set = EvalExampleBuilder.Score(scorer, records, HarmAttribute.Toxicity, batchSize: 3);

        Assert.Equal(4, set.SkippedUnlabeled); // i = 0, 3, 6, 9
        Assert.Equal(["ds/1", "ds/2", "ds/4", "ds/5", "ds/7", "ds/8"], set.Examples.Select(e => e.Id));
        Assert.Equal(2, scorer.Batches); // 6 annotated records in batches of 3
        Assert.Equal(0.4, set.Examples[2].Score, 6);
        Assert.Equal(0.0, set.Examples[2].Label);
        Assert.All(set.Examples, e => Assert.Equal(("en", "xx"), (e.Language, e.DetectedLanguage)));
        Assert.Equal("text-scorer-1", set.ModelName);

        var report = ClassifierEvaluator.Evaluate(set, EvalOptions.Default with { BootstrapResamples = 0 }, "ds");
        Assert.Equal(("toxicity", "toxicity", "text-scorer-1", "ds", 4),
            (report.Score, report.Label, report.Model, report.Dataset, report.SkippedUnlabeled));
        Assert.False(report.Overall[Metric.Accuracy].Ci95.IsDefined);
    }

    [Fact]
    public void Score_WithMaxSelector_UsesTheLargestScore()
    {
        var records = new[] { Record(1, "0.1|0.8", 1), Record(2, "0.6|0.3", 0) };
        var set = EvalExampleBuilder.Score(new TextScorer(), records, HarmAttribute.Toxicity,
            ScoreSelector.MaxOf(HarmAttribute.Toxicity, HarmAttribute.Insult));
        Assert.Equal([0.8, 0.6], set.Examples.Select(e => Math.Round(e.Score, 6)));
        Assert.Equal("max(toxicity,insult)", set.Score.Name);
    }

    [Theory]
    [InlineData("toxicity", "toxicity")]
    [InlineData("max(toxicity, insult, identity_attack)", "max(toxicity,insult,identity_attack)")]
    [InlineData("toxicity,insult,toxicity", "max(toxicity,insult)")]
    [InlineData("max(toxicity)", "toxicity")]
    public void ScoreSelector_ParsesAndRoundTrips(string text, string name)
    {
        var selector = ScoreSelector.Parse(text);
        Assert.Equal(name, selector.Name);
        Assert.Equal(name, ScoreSelector.Parse(selector.Name).Name);
    }

    [Fact]
    public void ScoreSelector_RejectsUnknownAttributes() =>
        Assert.Throws<ArgumentException>(() => ScoreSelector.Parse("max(toxicity,rudeness)"));
}
