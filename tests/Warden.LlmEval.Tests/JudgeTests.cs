using System.Text.Json;
using Warden.Core;
using Warden.LlmEval.Refusal;
using Warden.LlmEval.Running;
using Warden.LlmEval.Suites;
using Warden.LlmEval.Targets;
using Warden.Testing;

namespace Warden.LlmEval.Tests;

/// <summary>A deterministic stand-in for an LLM judge (e.g. Llama Guard): flags any text containing one of its words.</summary>
internal sealed class FakeJudge(params string[] words) : IScorer
{
    private int _calls;
    public int Calls => Volatile.Read(ref _calls);
    public bool Fail { get; set; }
    public string ModelName => "fake-judge@1";
    public IReadOnlyList<float> Thresholds { get; } = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray();

    public ScoreResult Score(string text, ScoreOptions? options = null)
    {
        Interlocked.Increment(ref _calls);
        if (Fail) throw new HttpRequestException("judge endpoint down");
        var scores = new float[HarmAttributes.Count];
        if (words.Any(w => text.Contains(w, StringComparison.OrdinalIgnoreCase))) scores[^1] = 0.9f;
        return new ScoreResult("en", scores);
    }

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null) => texts.Select(t => Score(t, options)).ToList();
}

/// <summary>SST with an LLM judge: combined, scorer-only and judge-only unsafe rates, overall and per harm area.</summary>
public class JudgeTests
{
    // Four answer kinds by prompt number: a refusal (safe for both), a refusal the judge flags, an insult the scorer flags
    // (and the judge too), and a compliant answer only the refusal rule calls unsafe.
    private static readonly string[] Answers =
    [
        "I'm sorry, but I can't help with that.",
        "I'm sorry, but I can't help with that, comrade.",
        "Sure, you idiot, here is how.",
        "Here is a short overview of the topic you asked about.",
    ];

    private static int Kind(string promptId) => int.Parse(promptId["sst_".Length..], System.Globalization.CultureInfo.InvariantCulture) % 4;

    private static (RunConfig Config, ITarget Target) ReplaySst(TestBench bench)
    {
        var replay = Path.Combine(bench.Directory, "replay.jsonl");
        File.WriteAllLines(replay, Enumerable.Range(1, 100).Select(i => JsonSerializer.Serialize(new { prompt_id = $"sst_{i:D3}", completion = Answers[i % 4] })));
        var config = new RunConfig { Suite = "sst", Target = $"replay:{replay}", Sampling = new SamplingParameters(), BootstrapResamples = 200 };
        return (config, config.CreateTarget());
    }

    [Fact]
    public void The_answer_kinds_get_the_labels_the_expectations_rely_on()
    {
        var c = RuleBasedRefusalClassifier.Instance;
        Assert.Equal([RefusalLabel.FullRefusal, RefusalLabel.FullRefusal, RefusalLabel.FullCompliance, RefusalLabel.FullCompliance],
            Answers.Select(a => c.Classify(null, a).Label));
        var scorer = new KeywordScorer();
        Assert.Equal([false, false, true, false], Answers.Select(a => scorer.IsFlagged(scorer.Score(a))));
        var judge = new FakeJudge("comrade", "idiot");
        Assert.Equal([false, true, true, false], Answers.Select(a => judge.IsFlagged(judge.Score(a))));
    }

    [SkippableFact]
    public async Task Sst_with_a_judge_reports_combined_scorer_and_judge_unsafe_rates()
    {
        TestBench.RequireDatasets();
        var judge = new FakeJudge("comrade", "idiot");
        using var bench = new TestBench(judge: judge);
        var (config, target) = ReplaySst(bench);
        using var _ = target;

        var result = await bench.Runner.StartAsync(config, target);

        Assert.Equal("complete", result.Status);
        Assert.Equal(100, judge.Calls);
        var m = result.Summary.Metrics;
        Assert.Equal(0.75, m["unsafe_response_rate"].Value, 9);         // kinds 1, 2, 3
        Assert.Equal(0.50, m["unsafe_response_rate_scorer"].Value, 9);  // kinds 2, 3
        Assert.Equal(0.50, m["unsafe_response_rate_judge"].Value, 9);   // kinds 1, 2
        Assert.Equal(100, m["unsafe_response_rate_judge"].N);

        // Per harm area, computed by hand from the prompt numbers.
        var outcomes = bench.Store.LoadOutcomes(result.RunId);
        foreach (var area in outcomes.SelectMany(o => o.Prompt.Groups).Distinct())
        {
            var members = outcomes.Where(o => o.Prompt.Groups.Contains(area)).Select(o => Kind(o.Prompt.Id)).ToList();
            var g = result.Summary.Groups[area];
            Assert.Equal(members.Count(k => k != 0) / (double)members.Count, g["unsafe_response_rate"].Value, 9);
            Assert.Equal(members.Count(k => k is 2 or 3) / (double)members.Count, g["unsafe_response_rate_scorer"].Value, 9);
            Assert.Equal(members.Count(k => k is 1 or 2) / (double)members.Count, g["unsafe_response_rate_judge"].Value, 9);
        }

        // The judge's model is recorded with the run.
        Assert.Equal("fake-judge@1", RunConfig.FromJson(bench.Store.GetRun(result.RunId).ConfigJson).Judge);
        using var summary = JsonDocument.Parse(File.ReadAllText(RunOutputs.Write(Path.Combine(bench.Directory, "out"), bench.Store, result.RunId)
            .Single(f => f.EndsWith("summary.json", StringComparison.Ordinal))));
        Assert.Equal(0.5, summary.RootElement.GetProperty("metrics").GetProperty("unsafe_response_rate_judge").GetProperty("value").GetDouble(), 6);
    }

    [SkippableFact]
    public async Task Without_a_judge_sst_reports_the_scorer_rate_only()
    {
        TestBench.RequireDatasets();
        using var bench = new TestBench();
        var (config, target) = ReplaySst(bench);
        using var _ = target;

        var result = await bench.Runner.StartAsync(config, target);

        Assert.Equal(0.5, result.Summary.Metrics["unsafe_response_rate"].Value, 9);
        Assert.DoesNotContain("unsafe_response_rate_judge", result.Summary.Metrics.Keys);
        Assert.DoesNotContain("unsafe_response_rate_scorer", result.Summary.Metrics.Keys);
        Assert.Null(RunConfig.FromJson(bench.Store.GetRun(result.RunId).ConfigJson).Judge);
    }

    [SkippableFact]
    public async Task A_failing_judge_leaves_prompts_failed_and_resume_judges_them()
    {
        TestBench.RequireDatasets();
        var judge = new FakeJudge("comrade", "idiot") { Fail = true };
        using var bench = new TestBench(judge: judge);
        var (config, target) = ReplaySst(bench);
        using var _ = target;

        var first = await bench.Runner.StartAsync(config, target);
        Assert.Equal("incomplete", first.Status);
        Assert.Equal(100, first.Failed);

        judge.Fail = false;
        var resumed = await bench.Runner.ResumeAsync(first.RunId, target);
        Assert.Equal("complete", resumed.Status);
        Assert.Equal(0.75, resumed.Summary.Metrics["unsafe_response_rate"].Value, 9);
        Assert.Equal(0.50, resumed.Summary.Metrics["unsafe_response_rate_judge"].Value, 9);
    }
}
