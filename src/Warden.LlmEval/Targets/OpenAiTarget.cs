using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;
using Polly.Timeout;
using Warden.OpenAi;

namespace Warden.LlmEval.Targets;

/// <summary>Which OpenAI-compatible endpoint a target talks to.</summary>
public enum OpenAiApi
{
    /// <summary><c>POST /chat/completions</c> with messages.</summary>
    Chat,

    /// <summary><c>POST /completions</c> with a raw prompt (base models).</summary>
    Completions,
}

public sealed record OpenAiTargetOptions
{
    /// <summary>Base URL including the version path, e.g. <c>http://127.0.0.1:8000/v1</c>.</summary>
    public required Uri BaseUrl { get; init; }
    public required string Model { get; init; }
    public OpenAiApi Api { get; init; } = OpenAiApi.Chat;

    /// <summary>Environment variable holding the API key; no key is sent when it is unset or empty.</summary>
    public string ApiKeyVariable { get; init; } = "OPENAI_API_KEY";

    /// <summary>Requests in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 16;

    /// <summary>Time limit of one attempt; a timed-out attempt is retried like a 5xx.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public int MaxRetries { get; init; } = 6;

    /// <summary>First back-off delay; doubles per attempt, with jitter. A server's Retry-After wins over it.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Upper bound on a Retry-After we are willing to honour, so a bad header cannot stall a run for hours.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// How a continuation prompt is put to a chat model (chat models do not continue raw text by themselves).
    /// Recorded with the run; <c>{prompt}</c> is replaced by the prompt.
    /// </summary>
    public string ContinuationTemplate { get; init; } = DefaultContinuationTemplate;

    public const string DefaultContinuationTemplate = "Continue the following text. Reply with the continuation only.\n\n{prompt}";
}

/// <summary>
/// Any OpenAI-compatible server (OpenAI, vLLM, llama.cpp, TGI, Ollama...). Retries 429/5xx/timeouts with exponential
/// back-off through a Polly pipeline, honouring Retry-After; bounds concurrency with a semaphore; counts tokens.
/// </summary>
public sealed class OpenAiTarget : ITarget
{
    private readonly OpenAiTargetOptions _options;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly string? _apiKey;
    private long _requests, _retries, _failures, _promptTokens, _completionTokens;

    public OpenAiTarget(OpenAiTargetOptions options, HttpMessageHandler? handler = null)
    {
        _options = options;
        _apiKey = Environment.GetEnvironmentVariable(options.ApiKeyVariable) is { Length: > 0 } key ? key : null;
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(1, options.MaxConcurrency),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            // Per-attempt timeouts belong to the pipeline, so HttpClient's own timer is off.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _gate = new SemaphoreSlim(Math.Max(1, options.MaxConcurrency));
        _pipeline = BuildPipeline(options);
    }

    public string Description => $"openai:{_options.BaseUrl}";

    public TargetUsage Usage => new(Interlocked.Read(ref _requests), Interlocked.Read(ref _retries), Interlocked.Read(ref _failures),
        Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _completionTokens));

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(OpenAiTargetOptions options) =>
        OpenAiResilience.Build(options.MaxRetries, options.BaseDelay, options.MaxRetryAfter, options.AttemptTimeout,
            () => Interlocked.Increment(ref _retries));

    public async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var url = Endpoint("models");
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            Authorize(request);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(15));
            response = await _http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new TargetUnavailableException($"cannot reach {url}: {e.Message}", e);
        }
        using (response)
        {
            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                throw new TargetUnavailableException(
                    $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}: set the API key in ${_options.ApiKeyVariable}");
            // Some servers have no model list; they still get a chance to answer generation requests.
            if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed) return;
            if (!response.IsSuccessStatusCode)
                throw new TargetUnavailableException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
            var ids = new List<string>();
            try
            {
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
                if (body?["data"] is JsonArray data)
                    foreach (var item in data)
                        if (item?["id"]?.GetValue<string>() is { } id) ids.Add(id);
            }
            catch (JsonException e)
            {
                throw new TargetUnavailableException($"{url} did not answer with an OpenAI model list: {e.Message}", e);
            }
            if (ids.Count > 0 && !ids.Contains(_options.Model, StringComparer.Ordinal))
                throw new TargetUnavailableException(
                    $"model '{_options.Model}' is not served by {_options.BaseUrl}; available: {string.Join(", ", ids.Take(10))}{(ids.Count > 10 ? ", ..." : "")}");
        }
    }

    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        var wanted = Math.Max(1, request.Parameters.Samples);
        var completions = new List<Completion>(wanted);
        int promptTokens = 0, completionTokens = 0;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Servers that ignore "n" answer with one choice: ask again for the rest.
            while (completions.Count < wanted)
            {
                var (choices, pt, ct) = await SendOnceAsync(request, wanted - completions.Count, cancellationToken).ConfigureAwait(false);
                if (choices.Count == 0) throw new GenerationFailedException($"{_options.BaseUrl} returned no choices for prompt {request.PromptId}");
                completions.AddRange(choices.Take(wanted - completions.Count));
                promptTokens += pt;
                completionTokens += ct;
            }
        }
        finally
        {
            _gate.Release();
        }
        Interlocked.Add(ref _promptTokens, promptTokens);
        Interlocked.Add(ref _completionTokens, completionTokens);
        return new GenerationResult(completions, promptTokens, completionTokens);
    }

    private async Task<(List<Completion> Choices, int PromptTokens, int CompletionTokens)> SendOnceAsync(
        GenerationRequest request, int n, CancellationToken cancellationToken)
    {
        var url = Endpoint(_options.Api == OpenAiApi.Chat ? "chat/completions" : "completions");
        var body = BuildBody(request, n).ToJsonString();
        Interlocked.Increment(ref _requests);
        HttpResponseMessage response;
        try
        {
            response = await _pipeline.ExecuteAsync(async token =>
            {
                var message = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                Authorize(message);
                return await _http.SendAsync(message, token).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutRejectedException)
        {
            Interlocked.Increment(ref _failures);
            throw new GenerationFailedException($"prompt {request.PromptId}: {e.Message}", e);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref _failures);
                throw new GenerationFailedException($"prompt {request.PromptId}: HTTP {(int)response.StatusCode} {Shorten(text)}");
            }
            return ParseResponse(text, request.PromptId);
        }
    }

    internal JsonObject BuildBody(GenerationRequest request, int n)
    {
        var p = request.Parameters;
        var body = new JsonObject { ["model"] = _options.Model };
        if (_options.Api == OpenAiApi.Chat)
        {
            var content = request.Style == PromptStyle.Continuation
                ? _options.ContinuationTemplate.Replace("{prompt}", request.Prompt, StringComparison.Ordinal)
                : request.Prompt;
            body["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content });
        }
        else
        {
            body["prompt"] = request.Prompt;
        }
        body["temperature"] = p.Temperature;
        body["top_p"] = p.TopP;
        body["max_tokens"] = p.MaxTokens;
        body["n"] = n;
        if (p.Seed is { } seed) body["seed"] = seed;
        if (p.Stop.Count > 0) body["stop"] = new JsonArray(p.Stop.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray());
        return body;
    }

    private static (List<Completion>, int, int) ParseResponse(string text, string promptId)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var choices = new List<Completion>();
            if (root.TryGetProperty("choices", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in array.EnumerateArray())
                {
                    string? content = null;
                    if (choice.TryGetProperty("message", out var message) && message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String)
                        content = c.GetString();
                    else if (choice.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
                        content = t.GetString();
                    var finish = choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
                    choices.Add(new Completion(content ?? "", finish));
                }
            }
            int pt = 0, ct = 0;
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                if (usage.TryGetProperty("prompt_tokens", out var a) && a.TryGetInt32(out var av)) pt = av;
                if (usage.TryGetProperty("completion_tokens", out var b) && b.TryGetInt32(out var bv)) ct = bv;
            }
            return (choices, pt, ct);
        }
        catch (JsonException e)
        {
            throw new GenerationFailedException($"prompt {promptId}: the answer is not JSON: {Shorten(text)}", e);
        }
    }

    private Uri Endpoint(string path) => new(_options.BaseUrl.ToString().TrimEnd('/') + "/" + path);

    private void Authorize(HttpRequestMessage request)
    {
        if (_apiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
