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
    public RunStore Store { get; }
    public EvalRunner Runner { get; }
    public string DatasetsRoot { get; }

    public TestBench(string? datasetsRoot = null)
    {
        System.IO.Directory.CreateDirectory(Directory);
        Store = RunStore.Open(Path.Combine(Directory, "warden.db"));
        DatasetsRoot = datasetsRoot ?? Datasets!;
        Runner = new EvalRunner(Store, new KeywordScorer(), RuleBasedRefusalClassifier.Instance, DatasetsRoot);
    }

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
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
