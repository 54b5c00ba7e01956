using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Polly;
using Polly.Timeout;
using Warden.OpenAi;

namespace Warden.Backends.Judges;

/// <summary>Where and how a judge reaches its model: any OpenAI-compatible server (vLLM, llama.cpp, TGI, Ollama, OpenAI).</summary>
public sealed record JudgeEndpoint
{
    /// <summary>The API base including the version segment, e.g. <c>http://localhost:8000/v1</c>.</summary>
    public required Uri BaseUrl { get; init; }

    public required string Model { get; init; }

    /// <summary>Bearer token; default the WARDEN_JUDGE_API_KEY environment variable (none for local servers).</summary>
    public string? ApiKey { get; init; } = Environment.GetEnvironmentVariable("WARDEN_JUDGE_API_KEY");

    /// <summary>Time allowed for one attempt; a timed-out attempt is retried like a 5xx.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public int MaxRetries { get; init; } = 3;

    /// <summary>First back-off delay (exponential with jitter); a server's Retry-After wins when present.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests in flight at once from one judge (a batch is spread over them).</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Alternatives asked per generated token; the judge reads the first token's.</summary>
    public int TopLogprobs { get; init; } = 5;

    /// <summary>Parses <c>URL#model</c> (the CLI's form).</summary>
    public static JudgeEndpoint Parse(string spec)
    {
        var hash = spec.LastIndexOf('#');
        if (hash <= 0 || hash == spec.Length - 1) throw new FormatException($"'{spec}': expected URL#model, e.g. http://localhost:8000/v1#meta-llama/Llama-Guard-3-8B");
        if (!Uri.TryCreate(spec[..hash], UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw new FormatException($"'{spec[..hash]}' is not an http(s) URL");
        return new JudgeEndpoint { BaseUrl = url, Model = spec[(hash + 1)..] };
    }
}

public enum ChatRole { User, Agent }

/// <summary>One turn of a conversation given to a judge.</summary>
public sealed record ChatTurn(ChatRole Role, string Content);

/// <summary>A generated token with its log-probability and the server's top alternatives at that position.</summary>
public sealed record TokenLogprobs(string Token, double Logprob, IReadOnlyList<(string Token, double Logprob)> Top);

/// <summary>A model's answer: its text and, when the server returned them, per-token log-probabilities.</summary>
public sealed record JudgeCompletion(string Text, IReadOnlyList<TokenLogprobs> Tokens)
{
    /// <summary>The first token that is not whitespace (servers differ on whether a leading newline is a token).</summary>
    public TokenLogprobs? FirstContentToken => Tokens.FirstOrDefault(t => t.Token.Trim().Length > 0);
}

/// <summary>The judge's model could not be reached or answered something unusable.</summary>
public sealed class JudgeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A small OpenAI-compatible client for judges: raw-prompt completions (for guard models whose exact prompt
/// format matters) and chat completions, both at temperature 0 with log-probabilities. Retries 429, 5xx,
/// connection errors and per-attempt timeouts with a Polly pipeline. Thread-safe.
/// </summary>
public sealed class JudgeClient : IDisposable
{
    private readonly JudgeEndpoint _endpoint;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private long _requests;
    private long _retries;

    public JudgeClient(JudgeEndpoint endpoint, HttpMessageHandler? handler = null)
    {
        _endpoint = endpoint;
        // Per-attempt timeouts belong to the pipeline, so HttpClient's own timer is off.
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _gate = new SemaphoreSlim(Math.Max(1, endpoint.MaxConcurrency));
        _pipeline = OpenAiResilience.Build(endpoint.MaxRetries, endpoint.BaseDelay, endpoint.MaxRetryAfter, endpoint.AttemptTimeout,
            () => Interlocked.Increment(ref _retries));
    }

    public JudgeEndpoint Endpoint => _endpoint;
    public long Requests => Interlocked.Read(ref _requests);
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>POST /completions with a raw prompt (the server adds only its BOS token).</summary>
    public Task<JudgeCompletion> CompleteAsync(string prompt, int maxTokens, CancellationToken cancellationToken = default) =>
        PostAsync("completions", new JsonObject
        {
            ["model"] = _endpoint.Model,
            ["prompt"] = prompt,
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0,
            ["logprobs"] = _endpoint.TopLogprobs,
        }, cancellationToken);

    /// <summary>POST /chat/completions; <paramref name="messages"/> are (OpenAI role, content) pairs.</summary>
    public Task<JudgeCompletion> ChatAsync(IEnumerable<(string Role, string Content)> messages, int maxTokens, CancellationToken cancellationToken = default) =>
        PostAsync("chat/completions", new JsonObject
        {
            ["model"] = _endpoint.Model,
            ["messages"] = new JsonArray(messages.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content }).ToArray()),
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0,
            ["logprobs"] = true,
            ["top_logprobs"] = _endpoint.TopLogprobs,
        }, cancellationToken);

    private async Task<JudgeCompletion> PostAsync(string path, JsonObject body, CancellationToken cancellationToken)
    {
        var url = new Uri(_endpoint.BaseUrl.AbsoluteUri.TrimEnd('/') + "/" + path);
        var payload = body.ToJsonString();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            HttpResponseMessage response;
            try
            {
                response = await _pipeline.ExecuteAsync(async token =>
                {
                    Interlocked.Increment(ref _requests);
                    using var request = new HttpRequestMessage(HttpMethod.Post, url)
                    {
                        Content = new StringContent(payload, Encoding.UTF8, "application/json"),
                    };
                    if (!string.IsNullOrEmpty(_endpoint.ApiKey))
                        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _endpoint.ApiKey);
                    return await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutRejectedException e)
            {
                throw new JudgeException($"{url}: no answer within {_endpoint.AttemptTimeout.TotalSeconds:0.#} s, {_endpoint.MaxRetries + 1} attempts", e);
            }
            catch (HttpRequestException e)
            {
                throw new JudgeException($"{url}: {e.Message}", e);
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                    throw new JudgeException($"{url}: HTTP {(int)response.StatusCode} after retries: {Snippet(text)}");
                return ParseCompletion(text) ?? throw new JudgeException($"{url}: not an OpenAI completion response: {Snippet(text)}");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Reads both response shapes: completions (<c>text</c>, <c>logprobs.top_logprobs</c> as maps) and chat (<c>message.content</c>, <c>logprobs.content[]</c>).</summary>
    internal static JudgeCompletion? ParseCompletion(string json)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (System.Text.Json.JsonException) { return null; }
        if (root?["choices"] is not JsonArray { Count: > 0 } choices || choices[0] is not JsonObject choice) return null;
        var text = choice["text"]?.GetValue<string>() ?? choice["message"]?["content"]?.GetValue<string>();
        if (text is null) return null;

        var tokens = new List<TokenLogprobs>();
        if (choice["logprobs"] is JsonObject logprobs)
        {
            if (logprobs["content"] is JsonArray content)
            {
                foreach (var t in content.OfType<JsonObject>())
                    tokens.Add(new TokenLogprobs(
                        t["token"]?.GetValue<string>() ?? "",
                        t["logprob"]?.GetValue<double>() ?? double.NegativeInfinity,
                        (t["top_logprobs"] as JsonArray)?.OfType<JsonObject>()
                            .Select(a => (a["token"]?.GetValue<string>() ?? "", a["logprob"]?.GetValue<double>() ?? double.NegativeInfinity)).ToArray() ?? []));
            }
            else if (logprobs["tokens"] is JsonArray names)
            {
                var values = logprobs["token_logprobs"] as JsonArray;
                var tops = logprobs["top_logprobs"] as JsonArray;
                for (var i = 0; i < names.Count; i++)
                    tokens.Add(new TokenLogprobs(
                        names[i]?.GetValue<string>() ?? "",
                        values?[i]?.GetValue<double>() ?? double.NegativeInfinity,
                        (tops?[i] as JsonObject)?.Select(kv => (kv.Key, kv.Value?.GetValue<double>() ?? double.NegativeInfinity)).ToArray() ?? []));
            }
        }
        return new JudgeCompletion(text, tokens);
    }

    /// <summary>
    /// P(positive) between two answers from one token's alternatives: the probability mass of tokens that
    /// spell the start of <paramref name="positive"/>, over that of both answers (so mass on unrelated
    /// tokens does not dilute the score). Null when neither answer is among the alternatives.
    /// </summary>
    public static double? BinaryProbability(TokenLogprobs? token, string positive, string negative)
    {
        if (token is null) return null;
        var alternatives = token.Top.Count > 0 ? token.Top : [(token.Token, token.Logprob)];
        double pos = 0, neg = 0;
        foreach (var (t, lp) in alternatives)
        {
            var s = t.Trim().TrimStart('▁', 'Ġ').Trim(); // SentencePiece and byte-level BPE word markers
            if (s.Length == 0) continue;
            // Longest match wins: "unsafe" starts neither with "safe" nor vice versa, and a split token ("un") still counts.
            if (positive.StartsWith(s, StringComparison.OrdinalIgnoreCase) && !negative.StartsWith(s, StringComparison.OrdinalIgnoreCase)) pos += Math.Exp(lp);
            else if (negative.StartsWith(s, StringComparison.OrdinalIgnoreCase) && !positive.StartsWith(s, StringComparison.OrdinalIgnoreCase)) neg += Math.Exp(lp);
        }
        return pos + neg > 0 ? pos / (pos + neg) : null;
    }


    private static string Snippet(string s) => s.Length <= 200 ? s : s[..200] + "…";

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }
}
