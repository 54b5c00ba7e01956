using System.Text.Json;
using Warden.LlmEval.Refusal;
using Warden.LlmEval.Running;
using Warden.LlmEval.Suites;
using Warden.LlmEval.Targets;
using Warden.Testing;

namespace Warden.LlmEval.Tests;

/// <summary>The whole pipeline (target → store → scorer → statistics → summary.json) against the fake server over real HTTP.</summary>
public class PipelineTests
{
    [Fact]
    public void The_scripted_answers_get_the_labels_the_expectations_below_rely_on()
    {
        var c = RuleBasedRefusalClassifier.Instance;
        var labels = Enumerable.Range(0, 5).Select(kind => FakeAnswerOfKind(kind)).Select(a => c.Classify(null, a).Label).ToArray();
        Assert.Equal([RefusalLabel.FullCompliance, RefusalLabel.FullRefusal, RefusalLabel.PartialRefusal, RefusalLabel.FullCompliance, RefusalLabel.FullCompliance], labels);
    }

    private static string FakeAnswerOfKind(int kind)
    {
        // Find a prompt whose scripted answer is of this kind.
        for (var i = 0; ; i++)
            if (FakeOpenAiServer.StableHash("p" + i) % 5 == kind) return FakeOpenAiServer.Answer("p" + i, 0);
    }

    [SkippableFact]
    public async Task Xstest_runs_end_to_end_with_retries_and_writes_the_contracted_summary()
    {
        TestBench.RequireDatasets();
        await using var server = await FakeOpenAiServer.StartAsync();
        using var bench = new TestBench();
        var config = TestBench.Config("xstest", server.BaseUrl, limit: 90);
        using var target = TestBench.Target(config);
        await target.ProbeAsync(CancellationToken.None);

        var result = await bench.Runner.StartAsync(config, target);

        Assert.Equal("complete", result.Status);
        Assert.Equal(90, result.Done);
        Assert.True(server.Throttled > 0 && server.Errors > 0, $"the script should have failed some first attempts ({server.Throttled} × 429, {server.Errors} × 500)");
        Assert.Equal(server.Throttled + server.Errors, target.Usage.Retries);
        Assert.Equal(90, server.Served);
        Assert.Equal(90 * 10, target.Usage.PromptTokens);

        // Hand-computed from the script: an answer of kind 1 or 2 refuses (fully or partly), kinds 0, 3, 4 comply.
        var outcomes = bench.Store.LoadOutcomes(result.RunId);
        double Kind(PromptOutcome o) => FakeOpenAiServer.StableHash(o.Prompt.Text) % 5;
        var safe = outcomes.Where(o => o.Prompt.Meta["label"] == "safe").ToList();
        var @unsafe = outcomes.Where(o => o.Prompt.Meta["label"] == "unsafe").ToList();
        var expectedRefusalSafe = safe.Count(o => Kind(o) is 1 or 2) / (double)safe.Count;
        var expectedComplianceUnsafe = @unsafe.Count(o => Kind(o) is 0 or 3 or 4) / (double)@unsafe.Count;
        Assert.Equal(expectedRefusalSafe, result.Summary.Metrics["refusal_rate_safe"].Value, 9);
        Assert.Equal(expectedComplianceUnsafe, result.Summary.Metrics["compliance_rate_unsafe"].Value, 9);
        Assert.Equal(safe.Count, result.Summary.Metrics["refusal_rate_safe"].N);

        var files = RunOutputs.Write(Path.Combine(bench.Directory, "out"), bench.Store, result.RunId);
        using var summary = JsonDocument.Parse(File.ReadAllText(files.Single(f => f.EndsWith("summary.json"))));
        var root = summary.RootElement;
        Assert.Equal("xstest", root.GetProperty("suite").GetString());
        Assert.Equal($"openai:{server.BaseUrl}", root.GetProperty("target").GetString());
        var metric = root.GetProperty("metrics").GetProperty("refusal_rate_safe");
        Assert.Equal(expectedRefusalSafe, metric.GetProperty("value").GetDouble(), 6);
        Assert.Equal(2, metric.GetProperty("ci95").GetArrayLength());
        Assert.True(metric.GetProperty("ci95")[0].GetDouble() <= metric.GetProperty("value").GetDouble());
        Assert.Equal(safe.Count, metric.GetProperty("n").GetInt32());
        Assert.Contains(root.GetProperty("groups").EnumerateObject(), g => g.Name.StartsWith("type:", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Rtp_expected_maximum_toxicity_and_toxicity_probability_match_the_script()
    {
        TestBench.RequireDatasets();
        await using var server = await FakeOpenAiServer.StartAsync();
        using var bench = new TestBench();
        var config = TestBench.Config("rtp", server.BaseUrl, limit: 40, samples: 3, api: OpenAiApi.Completions);
        using var target = TestBench.Target(config);

        var result = await bench.Runner.StartAsync(config, target);

        Assert.Equal("complete", result.Status);
        Assert.Equal(120, result.GenerationsThisSession);
        // The keyword scorer gives 0.9 toxicity to "idiot" (answer kind 0) and 0.02 otherwise.
        var prompts = bench.Store.Prompts(result.RunId);
        double Tox(string prompt, int sample) => FakeOpenAiServer.Answer(prompt, sample).Contains("idiot") ? 0.9 : KeywordScorer.Base;
        var maxima = prompts.Select(p => Enumerable.Range(0, 3).Max(i => Tox(p.Text, i))).ToList();
        Assert.Equal(maxima.Average(), result.Summary.Metrics["expected_max_toxicity"].Value, 5);
        Assert.Equal(maxima.Count(m => m >= 0.5) / 40.0, result.Summary.Metrics["toxicity_probability"].Value, 9);
        Assert.Contains("set:toxic", result.Summary.Groups.Keys);
        Assert.Contains("set:nontoxic", result.Summary.Groups.Keys);
        var toxicSet = prompts.Where(p => p.Groups.Contains("set:toxic")).ToList();
        Assert.Equal(toxicSet.Select(p => Enumerable.Range(0, 3).Max(i => Tox(p.Text, i))).Average(),
            result.Summary.Groups["set:toxic"]["expected_max_toxicity"].Value, 5);
    }

    [SkippableFact]
    public async Task Identical_requests_are_served_from_the_cache()
    {
        TestBench.RequireDatasets();
        await using var server = await FakeOpenAiServer.StartAsync();
        using var bench = new TestBench();
        var config = TestBench.Config("sst", server.BaseUrl, limit: 20);
        using (var target = TestBench.Target(config)) await bench.Runner.StartAsync(config, target);
        var served = server.Served;
        Assert.Equal(20, served);

        using var again = TestBench.Target(config);
        var second = await bench.Runner.StartAsync(config, again);
        Assert.Equal("complete", second.Status);
        Assert.Equal(served, server.Served);
        Assert.Equal(0, again.Usage.Requests);
        Assert.Equal(0, bench.Store.Counts(second.RunId).Requests);

        var noCache = config with { UseCache = false };
        using var third = TestBench.Target(noCache);
        await bench.Runner.StartAsync(noCache, third);
        Assert.Equal(served * 2, server.Served);
    }

    [SkippableFact]
    public async Task Unreachable_endpoint_and_unknown_model_fail_before_any_work()
    {
        await using var server = await FakeOpenAiServer.StartAsync();
        using var wrongModel = new OpenAiTarget(new OpenAiTargetOptions { BaseUrl = server.BaseUrl, Model = "no-such-model" });
        var e = await Assert.ThrowsAsync<TargetUnavailableException>(() => wrongModel.ProbeAsync(CancellationToken.None));
        Assert.Contains("not served", e.Message);
        Assert.Contains(FakeOpenAiServer.Model, e.Message);

        // A port that was just free: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var nowhere = new OpenAiTarget(new OpenAiTargetOptions { BaseUrl = new Uri($"http://127.0.0.1:{port}/v1"), Model = "m" });
        var e2 = await Assert.ThrowsAsync<TargetUnavailableException>(() => nowhere.ProbeAsync(CancellationToken.None));
        Assert.Contains("cannot reach", e2.Message);
        Assert.Equal(0, server.Served);
    }

    [SkippableFact]
    public async Task Replay_files_are_scored_without_a_model()
    {
        TestBench.RequireDatasets();
        using var bench = new TestBench();
        var replay = Path.Combine(bench.Directory, "replay.jsonl");
        // Odd ids refuse, even ids insult: SST's unsafe rate is then the share of even ids.
        var lines = Enumerable.Range(1, 100).Select(i => JsonSerializer.Serialize(new
        {
            prompt_id = $"sst_{i:D3}",
            completion = i % 2 == 1 ? "I'm sorry, but I can't help with that." : "Sure, you idiot, here is how.",
        }));
        File.WriteAllLines(replay, lines);
        var config = new RunConfig { Suite = "sst", Target = $"replay:{replay}", Sampling = new SamplingParameters(), BootstrapResamples = 200 };
        using var target = config.CreateTarget();

        var result = await bench.Runner.StartAsync(config, target);

        Assert.Equal("complete", result.Status);
        Assert.Equal(0.5, result.Summary.Metrics["unsafe_response_rate"].Value, 9);
        Assert.Equal(0.5, result.Summary.Metrics["flagged_rate"].Value, 9);
        Assert.Equal(100, result.Summary.Metrics["unsafe_response_rate"].N);
    }

    [Fact]
    public void Request_bodies_carry_every_sampling_parameter()
    {
        using var target = new OpenAiTarget(new OpenAiTargetOptions { BaseUrl = new Uri("http://127.0.0.1:1/v1"), Model = "m" });
        var body = target.BuildBody(new GenerationRequest("p", "Once upon", PromptStyle.Continuation,
            new SamplingParameters { Temperature = 0.3, TopP = 0.8, MaxTokens = 7, Seed = 5, Stop = ["\n"], Samples = 4 }), 4);
        Assert.Equal(4, body["n"]!.GetValue<int>());
        Assert.Equal(5, body["seed"]!.GetValue<int>());
        Assert.Equal(7, body["max_tokens"]!.GetValue<int>());
        Assert.Equal("\n", body["stop"]![0]!.GetValue<string>());
        Assert.EndsWith("Once upon", body["messages"]![0]!["content"]!.GetValue<string>());
        Assert.StartsWith("Continue the following text", body["messages"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public void Retry_after_is_honoured_and_capped()
    {
        using var response = new HttpResponseMessage(System.Net.HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3));
        Assert.Equal(TimeSpan.FromSeconds(3), Warden.OpenAi.OpenAiResilience.RetryAfter(response, TimeSpan.FromSeconds(60)));
        Assert.Equal(TimeSpan.FromSeconds(2), Warden.OpenAi.OpenAiResilience.RetryAfter(response, TimeSpan.FromSeconds(2)));
        using var none = new HttpResponseMessage(System.Net.HttpStatusCode.InternalServerError);
        Assert.Null(Warden.OpenAi.OpenAiResilience.RetryAfter(none, TimeSpan.FromSeconds(60)));
    }
}
