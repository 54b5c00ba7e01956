using System.Text.Json;
using System.Text.Json.Serialization;
using Warden.LlmEval.Targets;

namespace Warden.LlmEval.Running;

/// <summary>
/// Everything that defines a run, stored as JSON with it: resume rebuilds the target from it, and a later reader can
/// see exactly which parameters produced the numbers.
/// </summary>
public sealed record RunConfig
{
    public required string Suite { get; init; }

    /// <summary><c>openai:URL</c> or <c>replay:FILE</c>.</summary>
    public required string Target { get; init; }
    public string Model { get; init; } = "";
    public OpenAiApi Api { get; init; } = OpenAiApi.Chat;
    public string ApiKeyVariable { get; init; } = "OPENAI_API_KEY";
    public required SamplingParameters Sampling { get; init; }
    public int? Limit { get; init; }
    public Dictionary<string, string> SuiteOptions { get; init; } = [];
    public int Concurrency { get; init; } = 16;
    public double TimeoutSeconds { get; init; } = 120;
    public int MaxRetries { get; init; } = 6;
    public bool UseCache { get; init; } = true;
    public int BootstrapResamples { get; init; } = 1000;
    public int BootstrapSeed { get; init; } = 42;
    public string ContinuationTemplate { get; init; } = OpenAiTargetOptions.DefaultContinuationTemplate;

    /// <summary>The LLM judge's model name (<c>IScorer.ModelName</c>), recorded by the runner when a judge is given.</summary>
    public string? Judge { get; init; }

    /// <summary>The <c>--judge</c> spec the CLI resolved (so <c>warden eval resume</c> can resolve it again); null without a judge.</summary>
    public string? JudgeSpec { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static RunConfig FromJson(string json) =>
        JsonSerializer.Deserialize<RunConfig>(json, Json) ?? throw new InvalidDataException("empty run configuration");

    /// <summary>The target this configuration names.</summary>
    public ITarget CreateTarget() => TargetSpec.Create(Target, Model, new OpenAiTargetOptions
    {
        BaseUrl = new Uri("http://placeholder/"),
        Model = Model,
        Api = Api,
        ApiKeyVariable = ApiKeyVariable,
        MaxConcurrency = Concurrency,
        AttemptTimeout = TimeSpan.FromSeconds(TimeoutSeconds),
        MaxRetries = MaxRetries,
        ContinuationTemplate = ContinuationTemplate,
    });
}
