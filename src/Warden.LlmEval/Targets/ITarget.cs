namespace Warden.LlmEval.Targets;

/// <summary>How a prompt is meant to be read by the model under test.</summary>
public enum PromptStyle
{
    /// <summary>The prompt is the beginning of a text the model should continue (RTP, BOLD, HolisticBias, ToxiGen).</summary>
    Continuation,

    /// <summary>The prompt is a request a user makes to an assistant (XSTest, SimpleSafetyTests).</summary>
    Instruction,
}

/// <summary>
/// Sampling parameters, explicit and recorded with every run, so that a result can be reproduced.
/// <see cref="Samples"/> is the number of completions wanted per prompt (k).
/// </summary>
public sealed record SamplingParameters
{
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 1.0;
    public int MaxTokens { get; init; } = 64;
    public IReadOnlyList<string> Stop { get; init; } = [];
    public int? Seed { get; init; }
    public int Samples { get; init; } = 1;
}

/// <summary>One prompt to send, with the parameters to sample it with.</summary>
public sealed record GenerationRequest(string PromptId, string Prompt, PromptStyle Style, SamplingParameters Parameters);

/// <summary>One completion of a prompt.</summary>
public sealed record Completion(string Text, string? FinishReason = null);

/// <summary>The k completions of one request and the tokens they cost (0 when the target does not report usage).</summary>
public sealed record GenerationResult(IReadOnlyList<Completion> Completions, int PromptTokens = 0, int CompletionTokens = 0);

/// <summary>
/// The model under test. <see cref="GenerateAsync"/> returns exactly <c>Parameters.Samples</c> completions or throws;
/// implementations are thread-safe (the runner calls them concurrently) and bound their own concurrency.
/// </summary>
public interface ITarget : IDisposable
{
    /// <summary>What is evaluated, as recorded in the run (e.g. <c>openai:http://host/v1</c> or <c>replay:file.jsonl</c>).</summary>
    string Description { get; }

    /// <summary>
    /// Checks, before any work starts, that the target can answer (endpoint reachable, model known).
    /// Throws <see cref="TargetUnavailableException"/> with a one-line reason when it cannot.
    /// </summary>
    Task ProbeAsync(CancellationToken cancellationToken);

    Task<GenerationResult> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken);

    /// <summary>Tokens and requests used so far (for the run record and the progress display).</summary>
    TargetUsage Usage { get; }
}

public sealed record TargetUsage(long Requests, long Retries, long Failures, long PromptTokens, long CompletionTokens);

/// <summary>The target cannot be used at all (unreachable, unauthorised, unknown model): a user-facing, one-line reason.</summary>
public sealed class TargetUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>One request failed for good (after retries); the runner records it and goes on with other prompts.</summary>
public sealed class GenerationFailedException(string message, Exception? inner = null) : Exception(message, inner);
