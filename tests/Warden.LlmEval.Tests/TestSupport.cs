using Npgsql;
using Warden.Core;
using Warden.Data.Datasets;
using Warden.LlmEval.Refusal;
using Warden.LlmEval.Running;
using Warden.LlmEval.Store;
using Warden.LlmEval.Targets;
using Warden.Testing;

namespace Warden.LlmEval.Tests;

/// <summary>A temporary store, a runner on the keyword scorer, and the shared datasets (tests skip without them).</summary>
public sealed class TestBench : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "warden-llmeval-" + Guid.NewGuid().ToString("N")[..8]);
    public DbRunStore Store { get; private set; }
    public EvalRunner Runner { get; private set; }
    public string DatasetsRoot { get; }

    /// <summary>The <c>--store</c> value the bench's store was opened with.</summary>
    public string StoreSpec { get; }

    /// <summary>The PostgreSQL schema the bench created (dropped on dispose), when it runs on PostgreSQL.</summary>
    public string? PostgresSchema { get; }

    /// <param name="postgres">true: a fresh schema in the PostgreSQL named by WARDEN_TEST_POSTGRES (call <see cref="RequirePostgres"/> first).</param>
    public TestBench(string? datasetsRoot = null, bool postgres = false, IScorer? judge = null)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (postgres)
        {
            PostgresSchema = "llmeval_test_" + Guid.NewGuid().ToString("N")[..12];
            using (var c = new NpgsqlConnection(PostgresConnectionString!))
            {
                c.Open();
                using var cmd = c.CreateCommand();
                cmd.CommandText = $"CREATE SCHEMA {PostgresSchema}";
                cmd.ExecuteNonQuery();
            }
            StoreSpec = "postgres:" + new NpgsqlConnectionStringBuilder(PostgresConnectionString) { SearchPath = PostgresSchema }.ConnectionString;
        }
        else StoreSpec = Path.Combine(Directory, "warden.db");
        Store = (DbRunStore)RunStore.Open(StoreSpec);
        DatasetsRoot = datasetsRoot ?? Datasets!;
        Runner = new EvalRunner(Store, new KeywordScorer(), RuleBasedRefusalClassifier.Instance, DatasetsRoot, judge);
    }

    /// <summary>Closes the store and opens it again (as a new process would).</summary>
    public void Reopen(IScorer? judge = null)
    {
        Store.Dispose();
        Store = (DbRunStore)RunStore.Open(StoreSpec);
        Runner = new EvalRunner(Store, new KeywordScorer(), RuleBasedRefusalClassifier.Instance, DatasetsRoot, judge);
    }

    /// <summary>A PostgreSQL connection string for tests (CI's .ci/run starts a throw-away cluster and sets it).</summary>
    public static string? PostgresConnectionString => Environment.GetEnvironmentVariable("WARDEN_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public static void RequirePostgres() => Skip.If(PostgresConnectionString is null,
        "set WARDEN_TEST_POSTGRES to a PostgreSQL connection string (e.g. Host=127.0.0.1;Port=55433;Username=postgres;Database=postgres) to run the PostgreSQL run-store tests (.ci/run does)");

    public static string? Datasets => DatasetRegistry.TryFindDatasetsRoot();

    public static void RequireDatasets() => Skip.If(Datasets is null, "shared/datasets not found (set WARDEN_DATASETS)");

    public static RunConfig Config(string suite, Uri baseUrl, int limit, int samples = 1, OpenAiApi api = OpenAiApi.Chat, int concurrency = 8) => new()
    {
        Suite = suite,
        Target = $"openai:{baseUrl}",
        Model = FakeOpenAiServer.Model,
        Api = api,
        Sampling = new SamplingParameters { Samples = samples, Temperature = 0.7, TopP = 0.9, MaxTokens = 16, Seed = 1 },
        Limit = limit,
        Concurrency = concurrency,
        BootstrapResamples = 200,
    };

    /// <summary>The target a config names, with a short back-off so retried 500s do not slow the tests down.</summary>
    public static ITarget Target(RunConfig config) => new OpenAiTarget(new OpenAiTargetOptions
    {
        BaseUrl = new Uri(config.Target["openai:".Length..]),
        Model = config.Model,
        Api = config.Api,
        MaxConcurrency = config.Concurrency,
        BaseDelay = TimeSpan.FromMilliseconds(20),
        ApiKeyVariable = "WARDEN_TEST_NO_KEY",
    });

    public void Dispose()
    {
        Store.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (PostgresSchema is not null)
        {
            using var c = new NpgsqlConnection(PostgresConnectionString!);
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = $"DROP SCHEMA IF EXISTS {PostgresSchema} CASCADE";
            cmd.ExecuteNonQuery();
        }
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
