using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Warden.Backends.Tests;

/// <summary>A scripted reply: status, JSON body, optional delay before answering and Retry-After.</summary>
internal sealed record FakeReply(int Status, string Body, TimeSpan Delay = default, int? RetryAfterSeconds = null)
{
    public static FakeReply Json(JsonNode body) => new(200, body.ToJsonString());

    /// <summary>A /completions answer; <paramref name="top"/> are the first token's alternatives (token → logprob).</summary>
    public static FakeReply Completion(string text, params (string Token, double Logprob)[] top)
    {
        var choice = new JsonObject { ["index"] = 0, ["text"] = text, ["finish_reason"] = "stop" };
        if (top.Length > 0)
        {
            var topMap = new JsonObject();
            foreach (var (t, lp) in top) topMap[t] = lp;
            choice["logprobs"] = new JsonObject
            {
                ["tokens"] = new JsonArray(top[0].Token),
                ["token_logprobs"] = new JsonArray(top[0].Logprob),
                ["top_logprobs"] = new JsonArray(topMap),
            };
        }
        return Json(new JsonObject { ["object"] = "text_completion", ["choices"] = new JsonArray(choice) });
    }

    /// <summary>A /chat/completions answer, with chat-style logprobs when <paramref name="top"/> is given.</summary>
    public static FakeReply Chat(string content, params (string Token, double Logprob)[] top)
    {
        var choice = new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = content },
            ["finish_reason"] = "stop",
        };
        if (top.Length > 0)
            choice["logprobs"] = new JsonObject
            {
                ["content"] = new JsonArray(new JsonObject
                {
                    ["token"] = top[0].Token,
                    ["logprob"] = top[0].Logprob,
                    ["top_logprobs"] = new JsonArray(top.Select(t => (JsonNode)new JsonObject { ["token"] = t.Token, ["logprob"] = t.Logprob }).ToArray()),
                }),
            };
        return Json(new JsonObject { ["object"] = "chat.completion", ["choices"] = new JsonArray(choice) });
    }
}

internal sealed record FakeRequest(string Method, string Path, JsonObject Body);

/// <summary>
/// A minimal OpenAI-compatible HTTP/1.1 server on 127.0.0.1 with an OS-chosen port (TcpListener, port 0), so
/// tests need no network and no ASP.NET test host. Each request is answered by the script function and logged.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeRequest, int, FakeReply> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _count;

    /// <param name="script">(request, 0-based request number) → reply</param>
    public FakeOpenAiServer(Func<FakeRequest, int, FakeReply> script)
    {
        _script = script;
        _listener.Start();
        _loop = Task.Run(AcceptLoop);
    }

    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/v1");

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n"))
            {
                if (await stream.ReadAsync(buffer, _stop.Token) == 0) return;
                head.Append((char)buffer[0]);
            }
            var lines = head.ToString().Split("\r\n");
            var requestLine = lines[0].Split(' ');
            var length = lines.Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                .Select(p => int.Parse(p[1].Trim())).FirstOrDefault();
            var body = new byte[length];
            for (var read = 0; read < length;) read += await stream.ReadAsync(body.AsMemory(read), _stop.Token);
            var request = new FakeRequest(requestLine[0], requestLine[1], JsonNode.Parse(body)?.AsObject() ?? []);
            Requests.Enqueue(request);

            var reply = _script(request, Interlocked.Increment(ref _count) - 1);
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, _stop.Token);
            var payload = Encoding.UTF8.GetBytes(reply.Body);
            var response = new StringBuilder($"HTTP/1.1 {reply.Status} {(reply.Status == 200 ? "OK" : "Error")}\r\n")
                .Append("Content-Type: application/json\r\n")
                .Append($"Content-Length: {payload.Length}\r\n")
                .Append("Connection: close\r\n");
            if (reply.RetryAfterSeconds is { } s) response.Append($"Retry-After: {s}\r\n");
            response.Append("\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response.ToString()), _stop.Token);
            await stream.WriteAsync(payload, _stop.Token);
        }
        catch (Exception)
        {
            // A client that gave up (timeout test) closes the socket under us: nothing to answer.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try { await _loop; } catch (Exception) { }
        _stop.Dispose();
    }
}
