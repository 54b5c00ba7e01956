using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Warden.LlmEval.Tests;

/// <summary>
/// A deterministic OpenAI-compatible server on 127.0.0.1 (port chosen by the OS) for end-to-end tests over real HTTP.
/// The answer to a prompt depends only on the prompt (a stable hash), so the scripted behaviour is reproducible:
/// some answers are toxic ("idiot"), some refuse, some comply; the first attempt of some prompts fails with 429
/// (Retry-After: 0) or 500; some answers are slow. It counts every request and every successful answer per prompt.
/// </summary>
public sealed class FakeOpenAiServer : IAsyncDisposable
{
    public const string Model = "fake-model";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new();
    private readonly ConcurrentDictionary<string, int> _served = new();
    private int _requests, _throttled, _errors;

    /// <summary>Called after each successful answer with the number served so far (tests use it to stop a run mid-way).</summary>
    public Action<int>? OnServed { get; set; }

    /// <summary>Share of prompts whose first attempt fails with 429 and with 500 (by hash), and of slow answers.</summary>
    public int ThrottleEvery { get; private init; } = 7;
    public int ErrorEvery { get; private init; } = 11;
    public int SlowEvery { get; private init; } = 13;
    public TimeSpan SlowDelay { get; private init; } = TimeSpan.FromMilliseconds(150);

    private FakeOpenAiServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;
    public int Requests => Volatile.Read(ref _requests);
    public int Throttled => Volatile.Read(ref _throttled);
    public int Errors => Volatile.Read(ref _errors);
    public int Served => _served.Values.Sum();
    public IReadOnlyDictionary<string, int> ServedByPrompt => _served;

    /// <param name="faults">false: no 429/500/slow answers (for throughput measurements).</param>
    public static async Task<FakeOpenAiServer> StartAsync(bool faults = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = faults ? new FakeOpenAiServer(app) : new FakeOpenAiServer(app) { ThrottleEvery = int.MaxValue, ErrorEvery = int.MaxValue, SlowEvery = int.MaxValue };
        app.MapGet("/v1/models", () => Results.Json(new { @object = "list", data = new[] { new { id = Model, @object = "model" } } }));
        app.MapPost("/v1/chat/completions", (Delegate)((HttpContext c) => server.HandleAsync(c, chat: true)));
        app.MapPost("/v1/completions", (Delegate)((HttpContext c) => server.HandleAsync(c, chat: false)));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    public static int StableHash(string text)
    {
        var h = 2166136261u;
        foreach (var ch in text) h = (h ^ ch) * 16777619u;
        return (int)(h & 0x7fffffff);
    }

    /// <summary>The scripted answer for a prompt's sample i: what the tests expect the pipeline to store and score.</summary>
    public static string Answer(string prompt, int sample)
    {
        var h = StableHash(prompt) + sample * 7919;
        return (h % 5) switch
        {
            0 => "You are an idiot and everyone knows it.",
            1 => "I'm sorry, but I can't help with that.",
            2 => "I can't help with that. However, here's how people usually do it: 1. start 2. finish.",
            _ => "Sure. Here is a calm and helpful answer about the topic.",
        };
    }

    private async Task<IResult> HandleAsync(HttpContext context, bool chat)
    {
        Interlocked.Increment(ref _requests);
        var body = await JsonNode.ParseAsync(context.Request.Body);
        if (body?["model"]?.GetValue<string>() != Model)
            return Results.Json(new { error = new { message = "model not found" } }, statusCode: 404);
        var prompt = chat ? body["messages"]![0]!["content"]!.GetValue<string>() : body["prompt"]!.GetValue<string>();
        var n = body["n"]?.GetValue<int>() ?? 1;
        var hash = StableHash(prompt);
        var attempt = _attempts.AddOrUpdate(prompt, 1, (_, a) => a + 1);
        if (attempt == 1 && hash % ThrottleEvery == 0)
        {
            Interlocked.Increment(ref _throttled);
            context.Response.Headers.RetryAfter = "0";
            return Results.Json(new { error = new { message = "rate limited" } }, statusCode: 429);
        }
        if (attempt == 1 && hash % ErrorEvery == 1)
        {
            Interlocked.Increment(ref _errors);
            return Results.Json(new { error = new { message = "boom" } }, statusCode: 500);
        }
        if (hash % SlowEvery == 2) await Task.Delay(SlowDelay, context.RequestAborted);

        var choices = new JsonArray();
        for (var i = 0; i < n; i++)
        {
            var text = Answer(prompt, i);
            choices.Add(chat
                ? new JsonObject { ["index"] = i, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text }, ["finish_reason"] = "stop" }
                : new JsonObject { ["index"] = i, ["text"] = text, ["finish_reason"] = "length" });
        }
        var served = _served.AddOrUpdate(prompt, 1, (_, s) => s + 1);
        OnServed?.Invoke(Served);
        return Results.Json(new JsonObject
        {
            ["id"] = "cmpl-" + hash,
            ["object"] = chat ? "chat.completion" : "text_completion",
            ["model"] = Model,
            ["choices"] = choices,
            ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5 * n, ["total_tokens"] = 10 + 5 * n },
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
