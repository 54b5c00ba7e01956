using Warden.LlmEval.Targets;

namespace Warden.LlmEval.Tests;

/// <summary>Runs stopped mid-way continue with resume, and no finished generation is requested twice (counted at the server).</summary>
public class ResumeTests
{
    /// <summary>The bench (and so the store) these tests run on; <see cref="PostgresResumeTests"/> runs them on PostgreSQL.</summary>
    protected virtual TestBench NewBench() => new();

    [SkippableFact]
    public async Task A_stopped_run_resumes_without_repeating_any_request()
    {
        TestBench.RequireDatasets();
        await using var server = await FakeOpenAiServer.StartAsync();
        using var bench = NewBench();
        var config = TestBench.Config("rtp", server.BaseUrl, limit: 60, samples: 2, concurrency: 4);
        using var stop = new CancellationTokenSource();
        server.OnServed = served => { if (served >= 20) stop.Cancel(); };

        using (var target = TestBench.Target(config))
        {
            var first = await bench.Runner.StartAsync(config, target, stop: stop.Token);
            Assert.Equal("interrupted", first.Status);
            Assert.True(first.Pending > 0, "the stop should have left work for resume");
            // A graceful stop lets requests in flight finish and be stored: everything served is stored.
            Assert.Equal(server.Served, first.Done);
        }
        var runId = bench.Store.RunIds().Single();
        server.OnServed = null;

        using (var target = TestBench.Target(config))
        {
            var resumed = await bench.Runner.ResumeAsync(runId, target);
            Assert.Equal("complete", resumed.Status);
            Assert.Equal(60, resumed.Done);
        }

        Assert.Equal(60, server.ServedByPrompt.Count);
        Assert.All(server.ServedByPrompt.Values, count => Assert.Equal(1, count));
        Assert.Equal(120, bench.Store.Counts(runId).Generations);
        Assert.Equal(60, bench.Store.LoadOutcomes(runId).Count(o => o.Generations.Count == 2));
    }

    [SkippableFact]
    public async Task An_aborted_run_loses_only_requests_in_flight()
    {
        TestBench.RequireDatasets();
        await using var server = await FakeOpenAiServer.StartAsync();
        using var bench = NewBench();
        var config = TestBench.Config("rtp", server.BaseUrl, limit: 50, samples: 3, concurrency: 4);
        using var abort = new CancellationTokenSource();
        server.OnServed = served => { if (served >= 15) abort.Cancel(); };

        int storedAfterAbort;
        using (var target = TestBench.Target(config))
        {
            var first = await bench.Runner.StartAsync(config, target, abort: abort.Token);
            Assert.Equal("interrupted", first.Status);
            storedAfterAbort = first.Done;
        }
        var runId = bench.Store.RunIds().Single();
        server.OnServed = null;
        using (var target = TestBench.Target(config))
            Assert.Equal("complete", (await bench.Runner.ResumeAsync(runId, target)).Status);

        // Stored prompts are never asked again; only answers cut off in flight (at most the concurrency) may be.
        var repeated = server.ServedByPrompt.Values.Count(v => v > 1);
        Assert.True(repeated <= config.Concurrency, $"{repeated} prompts were served twice");
        Assert.Equal(50, server.ServedByPrompt.Count);
        Assert.Equal(150, bench.Store.Counts(runId).Generations);
        Assert.True(storedAfterAbort >= 1);

        // No sample is stored twice.
        Assert.Equal(0L, Convert.ToInt64(bench.Store.QueryScalar(
            "SELECT COUNT(*) FROM (SELECT prompt_id, sample FROM generations GROUP BY prompt_id, sample HAVING COUNT(*) > 1) d")));
    }

    [SkippableFact]
    public async Task Resume_recreates_the_target_from_the_stored_configuration()
    {
        TestBench.RequireDatasets();
        await using var server = await FakeOpenAiServer.StartAsync();
        using var bench = NewBench();
        var config = TestBench.Config("sst", server.BaseUrl, limit: 10);
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        using (var target = TestBench.Target(config)) await bench.Runner.StartAsync(config, target, stop: stop.Token);
        var run = bench.Store.GetRun(bench.Store.RunIds().Single());
        Assert.Equal(10, bench.Store.Counts(run.Id).Pending);

        var stored = Running.RunConfig.FromJson(run.ConfigJson);
        Assert.Equal(config.Sampling.Temperature, stored.Sampling.Temperature);
        Assert.Equal(config.Sampling.Seed, stored.Sampling.Seed);
        using var again = stored.CreateTarget();
        Assert.IsType<OpenAiTarget>(again);
        Assert.Equal("complete", (await bench.Runner.ResumeAsync(run.Id, again)).Status);
    }
}

/// <summary>The same stop/abort/resume tests on the PostgreSQL run store (skipped unless WARDEN_TEST_POSTGRES is set).</summary>
public sealed class PostgresResumeTests : ResumeTests
{
    protected override TestBench NewBench()
    {
        TestBench.RequirePostgres();
        return new TestBench(postgres: true);
    }
}
