using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Warden.Guard;
using Warden.Guard.Configuration;
using Warden.Server.Http;

namespace Warden.Server.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>: a guardrail in front of an OpenAI-compatible server. The user's messages are
/// checked before anything is sent upstream; the answer is checked before the client sees it. A streamed answer
/// is checked at every chunk (the scorer takes microseconds) and cut at the first chunk that crosses the policy:
/// that chunk is not relayed, a final chunk with <c>finish_reason: "content_filter"</c> and a <c>warden</c> object
/// says why, <c>data: [DONE]</c> follows, and the upstream request is cancelled.
/// </summary>
public sealed class ChatProxy(WardenApi api, HttpClient http, ILogger<ChatProxy> logger)
{
    public const string Route = "/v1/chat/completions";

    /// <summary>A long streamed answer is checked over its last characters: earlier text was already checked when it arrived.</summary>
    public const int StreamWindowChars = 2000;

    private static readonly IReadOnlySet<string> UserRole = new HashSet<string>(["user"]);
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        var upstream = api.Config.Upstream
            ?? throw new ApiException(501, "no_upstream", "this Warden server has no upstream LLM configured (set upstream.baseUrl in warden.json)");
        using var body = await JsonBody.ReadAsync(context.Request, api.Limits.MaxBodyBytes, context.RequestAborted);
        var root = body.RootElement;
        var messages = GuardEndpoint.ReadMessages(root, api, "messages");
        var stream = JsonBody.OptionalBool(root, "stream", "stream");
        var model = JsonBody.OptionalString(root, "model", "model") ?? "unknown";
        var policy = api.ResolvePolicy(context, JsonBody.OptionalString(root, "policy", "policy"));

        var input = api.Guard.Evaluate(messages, policy, UserRole);
        await api.RecordAsync(context, Route + "#input", input, input.Messages.Select(m => messages[m.MessageIndex].Content).ToList());
        if (input.Blocks)
        {
            await RefuseAsync(context, stream, model, policy, input);
            return;
        }

        var forward = JsonNode.Parse(root.GetRawText())!.AsObject();
        forward.Remove("policy");
        if (policy.Action == PolicyAction.Redact)
            foreach (var m in input.Messages.Where(m => m.Redacted is not null))
                forward["messages"]![m.MessageIndex]!["content"] = m.Redacted;

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(upstream.BaseUrl.ToString().TrimEnd('/') + "/chat/completions"))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(forward.ToJsonString())) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (upstream.ApiKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", upstream.ApiKey);

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        cancel.CancelAfter(TimeSpan.FromSeconds(upstream.TimeoutSeconds));
        using var response = await SendAsync(context, request, cancel.Token, upstream);
        if (!response.IsSuccessStatusCode)
        {
            await RelayUpstreamErrorAsync(context, response, cancel.Token, upstream);
            return;
        }
        if (stream) await StreamAsync(context, response, cancel, upstream, policy, input);
        else await CompleteAsync(context, response, cancel.Token, upstream, policy, input);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpContext context, HttpRequestMessage request, CancellationToken token, UpstreamSettings upstream)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw UpstreamTimeout(upstream);
        }
        catch (HttpRequestException e)
        {
            logger.LogWarning("upstream {Url} unreachable: {Error}", upstream.BaseUrl, e.Message);
            throw new ApiException(502, "upstream_unavailable", $"the upstream LLM server could not be reached: {e.Message}");
        }
    }

    private static ApiException UpstreamTimeout(UpstreamSettings upstream) =>
        new(504, "upstream_timeout", $"the upstream LLM server did not answer within {upstream.TimeoutSeconds:0.###} s");

    private static async Task<byte[]> ReadBodyAsync(HttpContext context, HttpResponseMessage response, CancellationToken token, UpstreamSettings upstream)
    {
        try
        {
            return await response.Content.ReadAsByteArrayAsync(token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            throw UpstreamTimeout(upstream);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            throw new ApiException(502, "upstream_error", $"the upstream connection failed while reading the answer: {e.Message}");
        }
    }

    /// <summary>
    /// An upstream 4xx is the client's mistake in the upstream's own (OpenAI) schema: relayed as is. A 5xx is
    /// Warden's upstream failing: a 502 that names the upstream status.
    /// </summary>
    private static async Task RelayUpstreamErrorAsync(HttpContext context, HttpResponseMessage response, CancellationToken token, UpstreamSettings upstream)
    {
        var status = (int)response.StatusCode;
        var bytes = await ReadBodyAsync(context, response, token, upstream);
        if (status is >= 400 and < 500 && IsJson(bytes))
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json; charset=utf-8";
            if (response.Headers.RetryAfter is { } retry) context.Response.Headers.RetryAfter = retry.ToString();
            await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
            return;
        }
        throw new ApiException(502, "upstream_error", $"the upstream LLM server answered {status} {response.ReasonPhrase}");
    }

    private async Task CompleteAsync(HttpContext context, HttpResponseMessage response, CancellationToken token, UpstreamSettings upstream, GuardPolicy policy, GuardVerdict input)
    {
        var bytes = await ReadBodyAsync(context, response, token, upstream);
        JsonObject answer;
        try
        {
            answer = JsonNode.Parse(bytes)?.AsObject() ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ApiException(502, "upstream_invalid_response", "the upstream LLM server answered with invalid JSON");
        }

        GuardVerdict? output = null;
        foreach (var choice in (answer["choices"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (choice["message"] is not JsonObject message || message["content"] is not JsonValue c || !c.TryGetValue<string>(out var text)) continue;
            var verdict = api.Guard.EvaluateText(text, policy, "assistant");
            await api.RecordAsync(context, Route + "#output", verdict, [text]);
            if (output is null || (output.Safe && !verdict.Safe)) output = verdict;
            if (verdict.Safe) continue;
            if (verdict.Blocks)
            {
                message["content"] = policy.RefusalMessage;
                message["refusal"] = policy.RefusalMessage;
                choice["finish_reason"] = "content_filter";
            }
            else if (policy.Action == PolicyAction.Redact)
            {
                message["content"] = verdict.Messages[0].Redacted;
            }
        }
        answer["warden"] = WardenNode(input, output);
        await JsonResponse.WriteAsync(context, 200, w => answer.WriteTo(w));
    }

    private async Task StreamAsync(HttpContext context, HttpResponseMessage response, CancellationTokenSource cancel, UpstreamSettings upstream, GuardPolicy policy, GuardVerdict input)
    {
        StartEventStream(context);
        Stream source;
        try
        {
            source = await response.Content.ReadAsStreamAsync(cancel.Token);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            await WriteStreamErrorAsync(context, "upstream_error", "the upstream stream could not be opened");
            return;
        }
        using var reader = new StreamReader(source, Encoding.UTF8);
        var answers = new Dictionary<int, StringBuilder>();
        var flagged = false;
        var idle = TimeSpan.FromSeconds(upstream.StreamIdleTimeoutSeconds);
        while (true)
        {
            string? line;
            cancel.CancelAfter(idle);
            try
            {
                line = await reader.ReadLineAsync(cancel.Token);
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                await WriteStreamErrorAsync(context, "upstream_timeout", $"the upstream stream sent nothing for {upstream.StreamIdleTimeoutSeconds:0.###} s");
                return;
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                await WriteStreamErrorAsync(context, "upstream_error", "the upstream stream broke off");
                return;
            }
            if (line is null) break;
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue; // blank separators, comments, event: and id: lines
            var payload = line.AsSpan(5).Trim();
            if (payload.SequenceEqual("[DONE]")) break;

            JsonObject chunk;
            try
            {
                chunk = JsonNode.Parse(payload.ToString())?.AsObject() ?? throw new JsonException("null");
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException)
            {
                // Fail closed: text that cannot be read cannot be checked, so it is not relayed.
                logger.LogWarning("dropped an unreadable chunk from the upstream stream");
                continue;
            }

            if (!flagged && Check(chunk, answers, policy) is { } verdict)
            {
                await api.RecordAsync(context, Route + "#output", verdict, [string.Join("\n", answers.Values)]);
                if (policy.Action == PolicyAction.Flag)
                {
                    flagged = true;
                    chunk["warden"] = WardenNode(input, verdict);
                }
                else
                {
                    // Stop at once: cancel upstream, then tell the client why (the crossing chunk is not relayed).
                    await cancel.CancelAsync();
                    await WriteEventAsync(context, JsonResponse.Serialize(w => StopChunk(chunk, verdict, input).WriteTo(w)));
                    await context.Response.Body.WriteAsync(Done);
                    return;
                }
            }
            await WriteEventAsync(context, JsonResponse.Serialize(w => chunk.WriteTo(w)));
        }
        if (!flagged)
        {
            var final = api.Guard.EvaluateText(string.Join("\n", answers.Values), policy, "assistant");
            await api.RecordAsync(context, Route + "#output", final, [string.Join("\n", answers.Values)]);
        }
        await context.Response.Body.WriteAsync(Done);
    }

    /// <summary>Appends a chunk's text to its choice's answer and returns the verdict when that answer now crosses the policy.</summary>
    private GuardVerdict? Check(JsonObject chunk, Dictionary<int, StringBuilder> answers, GuardPolicy policy)
    {
        if (chunk["choices"] is not JsonArray choices) return null;
        foreach (var choice in choices.OfType<JsonObject>())
        {
            if (choice["delta"] is not JsonObject delta || delta["content"] is not JsonValue c || !c.TryGetValue<string>(out var text) || text.Length == 0) continue;
            var index = choice["index"] is JsonValue i && i.TryGetValue<int>(out var n) ? n : 0;
            if (!answers.TryGetValue(index, out var answer)) answers[index] = answer = new StringBuilder();
            answer.Append(text);
            var window = answer.Length <= StreamWindowChars ? answer.ToString() : answer.ToString(answer.Length - StreamWindowChars, StreamWindowChars);
            var verdict = api.Guard.EvaluateText(window, policy, "assistant");
            if (!verdict.Safe) return verdict;
        }
        return null;
    }

    private static JsonObject StopChunk(JsonObject crossing, GuardVerdict verdict, GuardVerdict input)
    {
        var index = crossing["choices"]?[0]?["index"]?.GetValue<int>() ?? 0;
        return new JsonObject
        {
            ["id"] = crossing["id"]?.DeepClone(),
            ["object"] = "chat.completion.chunk",
            ["created"] = crossing["created"]?.DeepClone() ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = crossing["model"]?.DeepClone(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = index,
                ["delta"] = new JsonObject(),
                ["finish_reason"] = "content_filter",
            }),
            ["warden"] = WardenNode(input, verdict),
        };
    }

    private async Task RefuseAsync(HttpContext context, bool stream, string model, GuardPolicy policy, GuardVerdict input)
    {
        var id = "chatcmpl-warden-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (stream)
        {
            StartEventStream(context);
            var chunk = new JsonObject
            {
                ["id"] = id, ["object"] = "chat.completion.chunk", ["created"] = created, ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["delta"] = new JsonObject { ["role"] = "assistant", ["content"] = policy.RefusalMessage, ["refusal"] = policy.RefusalMessage },
                    ["finish_reason"] = "content_filter",
                }),
                ["warden"] = WardenNode(input, null),
            };
            await WriteEventAsync(context, JsonResponse.Serialize(w => chunk.WriteTo(w)));
            await context.Response.Body.WriteAsync(Done);
            return;
        }
        var completion = new JsonObject
        {
            ["id"] = id, ["object"] = "chat.completion", ["created"] = created, ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = policy.RefusalMessage, ["refusal"] = policy.RefusalMessage },
                ["finish_reason"] = "content_filter",
                ["logprobs"] = null,
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 0, ["completion_tokens"] = 0, ["total_tokens"] = 0 },
            ["warden"] = WardenNode(input, null),
        };
        await JsonResponse.WriteAsync(context, 200, w => completion.WriteTo(w));
    }

    /// <summary>The documented <c>warden</c> field: the verdict on the request and on the answer.</summary>
    private static JsonObject WardenNode(GuardVerdict input, GuardVerdict? output) => new()
    {
        ["input"] = JsonNode.Parse(JsonResponse.Serialize(w => VerdictJson.Write(w, input, includeMessages: false))),
        ["output"] = output is null ? null : JsonNode.Parse(JsonResponse.Serialize(w => VerdictJson.Write(w, output, includeMessages: false))),
    };

    private static void StartEventStream(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
    }

    private static async Task WriteEventAsync(HttpContext context, byte[] json)
    {
        await context.Response.Body.WriteAsync("data: "u8.ToArray());
        await context.Response.Body.WriteAsync(json);
        await context.Response.Body.WriteAsync("\n\n"u8.ToArray());
        await context.Response.Body.FlushAsync();
    }

    /// <summary>Once a stream has started its status cannot change: an error travels as an OpenAI error event, then [DONE].</summary>
    private static async Task WriteStreamErrorAsync(HttpContext context, string code, string message)
    {
        var json = JsonResponse.Serialize(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", message);
            w.WriteString("type", "server_error");
            w.WriteNull("param");
            w.WriteString("code", code);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        await WriteEventAsync(context, json);
        await context.Response.Body.WriteAsync(Done);
    }

    private static bool IsJson(byte[] bytes)
    {
        try
        {
            using var _ = JsonDocument.Parse(bytes);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
