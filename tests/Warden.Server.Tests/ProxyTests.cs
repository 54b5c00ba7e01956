using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Warden.Server.Tests;

public class ProxyTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestHost _host = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        // Timeouts short enough that the hang tests end quickly, long enough that a cold first request on a busy 2-core
        // CI machine is not mistaken for a hang (with 1 s, a 503 answer once arrived as a 504).
        _host = await TestHost.StartAsync(TestHost.Config(extra: $$"""
            , "upstream": { "baseUrl": "{{_upstream.BaseUrl}}", "timeoutSeconds": 4, "streamIdleTimeoutSeconds": 4, "apiKey": "upstream-secret" }
            """));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private static string Chat(string userText, bool stream = false, string? policy = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["model"] = "fake",
        ["stream"] = stream,
        ["messages"] = new object[] { new { role = "system", content = "you are helpful" }, new { role = "user", content = userText } },
        ["policy"] = policy,
    });

    /// <summary>Reads a whole SSE answer as its data payloads.</summary>
    private async Task<(HttpResponseMessage Response, List<string> Events)> StreamAsync(string body)
    {
        var request = _host.Request(HttpMethod.Post, "/v1/chat/completions", body);
        var response = await _host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(line[6..]);
        return (response, events);
    }

    private static string Content(IEnumerable<string> events) => string.Concat(events.Where(e => e != "[DONE]")
        .Select(e => JsonDocument.Parse(e).RootElement)
        .Where(e => e.TryGetProperty("choices", out _))
        .Select(e => e.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) ? c.GetString() : ""));

    [Fact]
    public async Task Safe_exchange_is_forwarded_and_answered_with_verdicts()
    {
        _upstream.Chunks = ["Paris is ", "the capital."];
        var (status, body, _) = await _host.PostAsync("/v1/chat/completions", Chat("capital of France?", policy: "default"));
        Assert.Equal(200, status);
        Assert.Equal("Paris is the capital.", body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(5, body.GetProperty("usage").GetProperty("total_tokens").GetInt32());
        Assert.Equal("safe", body.GetProperty("warden").GetProperty("input").GetProperty("verdict").GetString());
        Assert.Equal("safe", body.GetProperty("warden").GetProperty("output").GetProperty("verdict").GetString());
        // Upstream gets the request without Warden's own field, and Warden's upstream key, never the client's.
        var sent = Assert.Single(_upstream.Received);
        Assert.False(sent.TryGetProperty("policy", out _));
        Assert.Equal("fake", sent.GetProperty("model").GetString());
        Assert.Equal("Bearer upstream-secret", Assert.Single(_upstream.Authorizations));
    }

    [Fact]
    public async Task Unsafe_request_is_refused_without_reaching_upstream()
    {
        var (status, body, _) = await _host.PostAsync("/v1/chat/completions", Chat("you idiot"));
        Assert.Equal(200, status);
        Assert.Empty(_upstream.Received);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("content_filter", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.False(string.IsNullOrEmpty(choice.GetProperty("message").GetProperty("refusal").GetString()));
        var input = body.GetProperty("warden").GetProperty("input");
        Assert.Equal("unsafe", input.GetProperty("verdict").GetString());
        Assert.Equal(1, input.GetProperty("message_index").GetInt32());
    }

    [Fact]
    public async Task Unsafe_answer_is_replaced_by_a_refusal()
    {
        _upstream.Chunks = ["I will ", "kill you"];
        var (status, body, _) = await _host.PostAsync("/v1/chat/completions", Chat("hello"));
        Assert.Equal(200, status);
        var choice = body.GetProperty("choices")[0];
        Assert.Equal("content_filter", choice.GetProperty("finish_reason").GetString());
        Assert.DoesNotContain("kill", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Contains(body.GetProperty("warden").GetProperty("output").GetProperty("violations").EnumerateArray(),
            v => v.GetProperty("category").GetString() == "threat");
    }

    [Fact]
    public async Task Redact_policy_redacts_the_request_before_forwarding()
    {
        _upstream.Chunks = ["ok"];
        var (status, _, _) = await _host.PostAsync("/v1/chat/completions", Chat("hello idiot", policy: "scrub"));
        Assert.Equal(200, status);
        Assert.Equal("hello [redacted]", Assert.Single(_upstream.Received).GetProperty("messages")[1].GetProperty("content").GetString());
    }

    [Fact]
    public async Task Safe_stream_is_relayed_chunk_by_chunk_and_ends_with_DONE()
    {
        _upstream.Behaviour = FakeUpstream.Mode.Stream;
        _upstream.Chunks = ["One ", "two ", "three."];
        var (response, events) = await StreamAsync(Chat("count", stream: true));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal("One two three.", Content(events));
        Assert.Equal("stop", JsonDocument.Parse(events[^2]).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Harmful_stream_is_cut_at_the_crossing_chunk_and_upstream_is_cancelled()
    {
        _upstream.Behaviour = FakeUpstream.Mode.Stream;
        _upstream.Chunks = ["Well, ", "you are ", "an idiot", " and", " more", " text", " that", " never", " comes", ".", ".", ".", ".", ".", ".", ".", ".", ".", ".", "."];
        var (_, events) = await StreamAsync(Chat("tell me", stream: true));

        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal("Well, you are ", Content(events));
        var last = JsonDocument.Parse(events[^2]).RootElement;
        Assert.Equal("content_filter", last.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var output = last.GetProperty("warden").GetProperty("output");
        Assert.Equal("unsafe", output.GetProperty("verdict").GetString());
        Assert.Contains(output.GetProperty("violations").EnumerateArray(), v => v.GetProperty("category").GetString() == "insult");
        // Upstream saw its request abandoned before it had sent everything.
        var sent = await _upstream.StreamAborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(sent < _upstream.Chunks.Length, $"upstream sent all {sent} chunks");
    }

    [Fact]
    public async Task Flag_policy_relays_the_whole_stream_and_marks_the_crossing_chunk()
    {
        _upstream.Behaviour = FakeUpstream.Mode.Stream;
        _upstream.Chunks = ["damn ", "fine"];
        var (_, events) = await StreamAsync(Chat("hi", stream: true, policy: "flag"));
        Assert.Equal("damn fine", Content(events));
        Assert.Single(events, e => e.Contains("\"warden\""));
    }

    [Fact]
    public async Task Unsafe_streamed_request_gets_a_one_chunk_refusal()
    {
        _upstream.Behaviour = FakeUpstream.Mode.Stream;
        var (_, events) = await StreamAsync(Chat("kill", stream: true));
        Assert.Empty(_upstream.Received);
        Assert.Equal(2, events.Count);
        Assert.Equal("content_filter", JsonDocument.Parse(events[0]).RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Slow_upstream_is_a_504_not_a_hang()
    {
        _upstream.Behaviour = FakeUpstream.Mode.Hang;
        var (status, body, _) = await _host.PostAsync("/v1/chat/completions", Chat("hello"));
        ModerationTests.AssertError(status, body, 504, "upstream_timeout", null);
    }

    [Fact]
    public async Task Stalled_stream_ends_with_an_error_event()
    {
        _upstream.Behaviour = FakeUpstream.Mode.StreamThenHang;
        _upstream.Chunks = ["partial "];
        var (_, events) = await StreamAsync(Chat("hello", stream: true));
        Assert.Equal("[DONE]", events[^1]);
        Assert.Equal("upstream_timeout", JsonDocument.Parse(events[^2]).RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("partial ", Content(events.Where(e => !e.Contains("\"error\""))));
    }

    [Fact]
    public async Task Upstream_server_error_is_a_502_and_client_errors_are_relayed()
    {
        _upstream.Behaviour = FakeUpstream.Mode.Status;
        _upstream.StatusCode = 503;
        var (status, body, _) = await _host.PostAsync("/v1/chat/completions", Chat("hello"));
        ModerationTests.AssertError(status, body, 502, "upstream_error", null);

        _upstream.StatusCode = 404;
        (status, body, _) = await _host.PostAsync("/v1/chat/completions", Chat("hello"));
        ModerationTests.AssertError(status, body, 404, "model_not_found", "model");
    }

    [Fact]
    public async Task Unreachable_upstream_is_a_502()
    {
        var port = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        port.Start();
        var closed = ((System.Net.IPEndPoint)port.LocalEndpoint).Port;
        port.Stop();
        await using var host = await TestHost.StartAsync(TestHost.Config(extra: $$""", "upstream": { "baseUrl": "http://127.0.0.1:{{closed}}/v1" }"""));
        var (status, body, _) = await host.PostAsync("/v1/chat/completions", Chat("hello"));
        ModerationTests.AssertError(status, body, 502, "upstream_unavailable", null);
    }

    [Fact]
    public async Task Without_an_upstream_the_route_says_so()
    {
        await using var host = await TestHost.StartAsync();
        var (status, body, _) = await host.PostAsync("/v1/chat/completions", Chat("hello"));
        ModerationTests.AssertError(status, body, 501, "no_upstream", null);
    }
}
