using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace Warden.Server.Tests;

/// <summary>
/// A real OpenAI-compatible server on a loopback port that answers /v1/chat/completions from a script:
/// a full answer, an SSE stream of chunks, an error status, or silence. It records what it received.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    public enum Mode { Answer, Stream, Status, Hang, StreamThenHang }

    public Mode Behaviour { get; set; } = Mode.Answer;
    public string[] Chunks { get; set; } = ["Hello", " world"];
    public int StatusCode { get; set; } = 500;
    public string StatusBody { get; set; } = """{"error":{"message":"model not found","type":"invalid_request_error","param":"model","code":"model_not_found"}}""";
    public List<JsonElement> Received { get; } = [];
    public List<string?> Authorizations { get; } = [];

    /// <summary>Completes when a streamed answer was abandoned by Warden before its last chunk (the request was aborted).</summary>
    public TaskCompletionSource<int> StreamAborted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri BaseUrl { get; }

    private FakeUpstream(WebApplication app)
    {
        _app = app;
        BaseUrl = new Uri(app.Urls.First() + "/v1");
    }

    public static async Task<FakeUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeUpstream? self = null;
        app.MapPost("/v1/chat/completions", (HttpContext c) => self!.HandleAsync(c));
        await app.StartAsync();
        self = new FakeUpstream(app);
        return self;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using (var doc = await JsonDocument.ParseAsync(context.Request.Body))
        lock (Received)
        {
            Received.Add(doc.RootElement.Clone());
            Authorizations.Add(context.Request.Headers.Authorization.FirstOrDefault());
        }
        var aborted = context.RequestAborted;
        switch (Behaviour)
        {
            case Mode.Status:
                context.Response.StatusCode = StatusCode;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(StatusBody);
                return;
            case Mode.Hang:
                await Task.Delay(Timeout.Infinite, aborted).ContinueWith(_ => { });
                return;
            case Mode.Answer:
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-1", @object = "chat.completion", created = 1700000000, model = "fake",
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = string.Concat(Chunks) }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = 3, completion_tokens = 2, total_tokens = 5 },
                }));
                return;
        }
        context.Response.ContentType = "text/event-stream";
        var sent = 0;
        try
        {
            await WriteChunk(context, new { role = "assistant", content = "" }, null, aborted);
            foreach (var chunk in Chunks)
            {
                await WriteChunk(context, new { content = chunk }, null, aborted);
                sent++;
                // Give Warden time to read the chunk, so that an abort lands between chunks, as with a real model.
                await Task.Delay(20, aborted);
            }
            if (Behaviour == Mode.StreamThenHang)
            {
                await Task.Delay(Timeout.Infinite, aborted);
                return;
            }
            await WriteChunk(context, new { }, "stop", aborted);
            await context.Response.WriteAsync("data: [DONE]\n\n", aborted);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException || aborted.IsCancellationRequested)
        {
            // Kestrel reports a peer that hung up either as cancellation or as a failed write.
            StreamAborted.TrySetResult(sent);
        }
    }

    private static async Task WriteChunk(HttpContext context, object delta, string? finish, CancellationToken token)
    {
        var json = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-s", @object = "chat.completion.chunk", created = 1700000000, model = "fake",
            choices = new[] { new { index = 0, delta, finish_reason = finish } },
        });
        await context.Response.WriteAsync("data: " + json + "\n\n", Encoding.UTF8, token);
        await context.Response.Body.FlushAsync(token);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
