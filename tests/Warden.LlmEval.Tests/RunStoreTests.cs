using Npgsql;
using Warden.LlmEval.Refusal;
using Warden.LlmEval.Running;
using Warden.LlmEval.Store;
using Warden.LlmEval.Suites;
using Warden.LlmEval.Targets;

namespace Warden.LlmEval.Tests;

/// <summary>
/// The run store's contract (what the runner, resume, the cache and reports rely on), written once and run against
/// SQLite here and against PostgreSQL in <see cref="PostgresRunStoreTests"/>.
/// </summary>
public class RunStoreTests
{
    protected virtual TestBench NewBench() => new(datasetsRoot: Path.GetTempPath());

    private static readonly PromptItem[] Items =
    [
        new("p1", "first prompt", ["harm_area:a"], new Dictionary<string, string> { ["label"] = "safe" }),
        new("p2", "second prompt", ["harm_area:b"], new Dictionary<string, string>()),
        new("p3", "third prompt, with 'quotes' and ünïcode", ["harm_area:a", "type:x"], new Dictionary<string, string>()),
    ];

    private static ScoredGeneration Scored(int sample, string text, bool flagged, bool? judge) =>
        new(sample, text, [0.25f, 0.5f, 0, 0, 0, 0, 0, flagged ? 0.75f : 0], flagged, "en", RefusalLabel.PartialRefusal, 0.625, judge);

    [SkippableFact]
    public void Runs_prompts_generations_scores_and_the_cache_round_trip()
    {
        using var bench = NewBench();
        var store = bench.Store;
        var created = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        store.CreateRun(new RunRecord("run-1", "sst", "openai:http://x/v1", "m", "{\"suite\":\"sst\"}", "1.2.3", "scorer@1", "rules@1",
            "{\"f\":\"abc\"}", "running", created, "{}"), Items);

        Assert.Null(store.FindRun("nope"));
        Assert.Throws<ArgumentException>(() => store.GetRun("nope"));
        var run = store.GetRun("run-1");
        Assert.Equal(("sst", "openai:http://x/v1", "m", "1.2.3", "scorer@1", "rules@1", "{\"f\":\"abc\"}", created),
            (run.Suite, run.Target, run.Model, run.WardenVersion, run.ScorerModel, run.RefusalModel, run.DatasetHashesJson, run.Created));
        Assert.Equal(["p1", "p2", "p3"], store.Prompts("run-1").Select(p => p.Id));
        Assert.Equal(Items[2].Text, store.Prompts("run-1")[2].Text);
        Assert.Equal(["harm_area:a", "type:x"], store.Prompts("run-1")[2].Groups);
        Assert.Equal("safe", store.Prompts("run-1")[0].Meta["label"]);
        Assert.Equal((0, 0, 3, 0, 0), store.Counts("run-1"));

        var ok = new GenerationResult([new Completion("answer one", "stop"), new Completion("answer two")], 10, 4);
        store.WriteBatch("run-1",
        [
            new RequestResult("p1", "hash-1", false, ok, [Scored(0, "answer one", true, true), Scored(1, "answer two", false, null)], null),
            new RequestResult("p2", "hash-2", false, null, null, "HTTP 500"),
        ]);
        Assert.Equal((1, 1, 1, 2, 2), store.Counts("run-1"));
        Assert.Equal(["p2", "p3"], store.Prompts("run-1", pendingOnly: true).Select(p => p.Id));
        Assert.Contains("hash-1", store.CachedHashes());
        Assert.DoesNotContain("hash-2", store.CachedHashes());
        Assert.Equal(["answer one", "answer two"], store.FindCached("hash-1")!.Select(c => c.Text));
        Assert.Equal("stop", store.FindCached("hash-1")![0].FinishReason);
        Assert.Null(store.FindCached("hash-2"));

        // A retried prompt replaces nothing twice; a cached answer is not counted as a request sent.
        var cached = new GenerationResult([new Completion("cached answer")]);
        store.WriteBatch("run-1",
        [
            new RequestResult("p2", "hash-1", true, cached, [Scored(0, "cached answer", false, false)], null),
            new RequestResult("p3", "hash-3", false, cached, [Scored(0, "cached answer", false, null)], null),
        ]);
        Assert.Equal((3, 0, 0, 4, 3), store.Counts("run-1"));
        store.SetStatus("run-1", "complete", new TargetUsage(3, 1, 0, 30, 12));

        // Everything survives closing the store (a new process).
        bench.Reopen();
        store = bench.Store;
        Assert.Equal("complete", store.GetRun("run-1").Status);
        Assert.Contains("\"PromptTokens\":30", store.GetRun("run-1").UsageJson);
        Assert.Equal(["run-1"], store.RunIds());
        var outcomes = store.LoadOutcomes("run-1");
        Assert.Equal(["p1", "p2", "p3"], outcomes.Select(o => o.Prompt.Id));
        var p1 = outcomes[0].Generations;
        Assert.Equal(2, p1.Count);
        Assert.Equal(("answer one", true, true, RefusalLabel.PartialRefusal, 0.625, "en"), (p1[0].Text, p1[0].Flagged, p1[0].JudgeFlagged, p1[0].Refusal, p1[0].RefusalScore, p1[0].Language));
        Assert.Equal([0.25f, 0.5f, 0, 0, 0, 0, 0, 0.75f], p1[0].Scores);
        Assert.Null(p1[1].JudgeFlagged);
        Assert.False(outcomes[1].Generations.Single().JudgeFlagged);
        Assert.Equal("cached answer", outcomes[2].Generations.Single().Text);
        // The first cached completions win (an identical request later does not overwrite them).
        Assert.Equal(2, store.FindCached("hash-1")!.Count);
    }

    [SkippableFact]
    public async Task Identical_requests_are_served_from_the_cache_in_a_later_run()
    {
        TestBench.RequireDatasets();
        await using var server = await FakeOpenAiServer.StartAsync();
        using var bench = NewBenchWithDatasets();
        var config = TestBench.Config("sst", server.BaseUrl, limit: 15);
        using (var target = TestBench.Target(config)) Assert.Equal("complete", (await bench.Runner.StartAsync(config, target)).Status);
        Assert.Equal(15, server.Served);

        bench.Reopen();
        using var again = TestBench.Target(config);
        var second = await bench.Runner.StartAsync(config, again);
        Assert.Equal("complete", second.Status);
        Assert.Equal(15, server.Served);
        Assert.Equal(0, bench.Store.Counts(second.RunId).Requests);
        Assert.Equal(15, bench.Store.Counts(second.RunId).Generations);
        Assert.Equal(2, bench.Store.RunIds().Count);
    }

    protected virtual TestBench NewBenchWithDatasets() => new();

    [Fact]
    public void Postgres_URLs_and_connection_strings_are_recognised()
    {
        var cs = new NpgsqlConnectionStringBuilder(PostgresRunStore.ToConnectionString("postgres://warden:p%40ss@db.local:5433/evals?sslmode=disable&search_path=runs"));
        Assert.Equal(("db.local", 5433, "evals", "warden", "p@ss", SslMode.Disable, "runs"), (cs.Host, cs.Port, cs.Database, cs.Username, cs.Password, cs.SslMode, cs.SearchPath));
        Assert.Equal(5432, new NpgsqlConnectionStringBuilder(PostgresRunStore.ToConnectionString("postgresql://h/db")).Port);
        Assert.Equal("Host=x;Port=1", PostgresRunStore.ToConnectionString("postgres:Host=x;Port=1"));
        Assert.True(RunStore.IsPostgres("postgres://h/db"));
        Assert.True(RunStore.IsPostgres("postgres:Host=x"));
        Assert.False(RunStore.IsPostgres("runs/warden.db"));
        Assert.False(RunStore.IsPostgres("postgres.db"));
    }
}

/// <summary>The run-store contract on PostgreSQL (skipped unless WARDEN_TEST_POSTGRES is set), each test in its own schema.</summary>
public sealed class PostgresRunStoreTests : RunStoreTests
{
    protected override TestBench NewBench()
    {
        TestBench.RequirePostgres();
        return new TestBench(datasetsRoot: Path.GetTempPath(), postgres: true);
    }

    protected override TestBench NewBenchWithDatasets()
    {
        TestBench.RequirePostgres();
        return new TestBench(postgres: true);
    }

    [SkippableFact]
    public void A_postgres_URL_opens_the_same_store()
    {
        using var bench = NewBench();
        Assert.IsType<PostgresRunStore>(bench.Store);
        bench.Store.CreateRun(new RunRecord("r", "sst", "t", "m", "{}", "v", "s", "r", "{}", "running", DateTimeOffset.UtcNow, "{}"), []);
        var cs = new NpgsqlConnectionStringBuilder(TestBench.PostgresConnectionString);
        var user = Uri.EscapeDataString(cs.Username ?? "postgres") + (cs.Password is { Length: > 0 } pw ? ":" + Uri.EscapeDataString(pw) : "");
        using var viaUrl = RunStore.Open($"postgres://{user}@{cs.Host}:{cs.Port}/{cs.Database}?search_path={bench.PostgresSchema}");
        Assert.Equal(["r"], viaUrl.RunIds());
        if (cs.Password is { Length: > 0 } secret) Assert.DoesNotContain(secret, viaUrl.Location, StringComparison.Ordinal);
        Assert.StartsWith("postgres://", viaUrl.Location);
    }
}
