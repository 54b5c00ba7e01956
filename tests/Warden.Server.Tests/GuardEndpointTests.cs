using System.Text.Json;
using Warden.Guard.Configuration;

namespace Warden.Server.Tests;

public class GuardEndpointTests : IAsyncLifetime
{
    private const string BoundKey = "bound-key-456";
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync(TestHost.Config(
        keys: $$""", { "id": "bound", "sha256": "{{ApiKeyEntry.Hash(BoundKey)}}", "policy": "strict" }"""));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Verdict_names_message_categories_scores_spans_and_policy()
    {
        var (status, body, _) = await _host.PostAsync("/v1/guard", """
            {"messages":[{"role":"system","content":"be kind"},{"role":"user","content":"hello"},
                         {"role":"assistant","content":"hi"},{"role":"user","content":"you idiot"}]}
            """);
        Assert.Equal(200, status);
        Assert.Equal("unsafe", body.GetProperty("verdict").GetString());
        Assert.False(body.GetProperty("safe").GetBoolean());
        Assert.Equal("default", body.GetProperty("policy").GetString());
        Assert.Equal("block", body.GetProperty("action").GetString());
        Assert.Equal(3, body.GetProperty("message_index").GetInt32());
        var insult = body.GetProperty("violations").EnumerateArray().Single(v => v.GetProperty("category").GetString() == "insult");
        Assert.Equal(0.95, insult.GetProperty("score").GetDouble(), 4);
        Assert.Equal("idiot", insult.GetProperty("spans")[0].GetProperty("text").GetString());
        Assert.Equal(4, insult.GetProperty("spans")[0].GetProperty("start").GetInt32());
        // System messages are not checked; the three others are, with all scores.
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], messages.Select(m => m.GetProperty("index").GetInt32()));
        Assert.Equal(8, messages[0].GetProperty("scores").EnumerateObject().Count());
    }

    [Fact]
    public async Task Safe_conversation_and_content_parts()
    {
        var (status, body, _) = await _host.PostAsync("/v1/guard", """{"messages":[{"role":"user","content":[{"type":"text","text":"hello"},{"type":"image_url","image_url":{"url":"x"}}]}]}""");
        Assert.Equal(200, status);
        Assert.Equal("safe", body.GetProperty("verdict").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("message_index").ValueKind);
    }

    [Fact]
    public async Task Policy_is_chosen_per_request_and_redact_returns_redacted_text()
    {
        var (status, body, _) = await _host.PostAsync("/v1/guard", """{"policy":"scrub","messages":[{"role":"user","content":"hello idiot"}]}""");
        Assert.Equal(200, status);
        Assert.Equal("redact", body.GetProperty("action").GetString());
        Assert.Equal("hello [redacted]", body.GetProperty("messages")[0].GetProperty("redacted").GetString());
    }

    [Fact]
    public async Task A_key_bound_to_a_policy_gets_it_and_cannot_choose_another()
    {
        var request = _host.Request(HttpMethod.Post, "/v1/guard", """{"messages":[{"role":"user","content":"about project x"}]}""", withKey: false);
        request.Headers.Authorization = new("Bearer", BoundKey);
        var response = await _host.Client.SendAsync(request);
        var body = await TestHost.ReadJson(response);
        Assert.Equal("strict", body.GetProperty("policy").GetString());
        Assert.Equal("deny_term", body.GetProperty("violations")[0].GetProperty("category").GetString());

        request = _host.Request(HttpMethod.Post, "/v1/guard", """{"policy":"flag","messages":[{"role":"user","content":"x"}]}""", withKey: false);
        request.Headers.Authorization = new("Bearer", BoundKey);
        response = await _host.Client.SendAsync(request);
        ModerationTests.AssertError((int)response.StatusCode, await TestHost.ReadJson(response), 403, "policy_not_allowed", "policy");
    }

    [Theory]
    [InlineData("""{}""", "missing_field", "messages")]
    [InlineData("""{"messages":"hi"}""", "invalid_type", "messages")]
    [InlineData("""{"messages":[]}""", "empty_messages", "messages")]
    [InlineData("""{"messages":[1]}""", "invalid_type", "messages[0]")]
    [InlineData("""{"messages":[{"content":"hi"}]}""", "missing_field", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user"}]}""", "missing_field", "messages[0].content")]
    [InlineData("""{"messages":[{"role":"user","content":5}]}""", "invalid_type", "messages[0].content")]
    [InlineData("""{"messages":[{"role":"user","content":""}]}""", "empty_text", "messages")]
    [InlineData("""{"messages":[{"role":"user","content":"a"},{"role":"user","content":"a"},{"role":"user","content":"a"},{"role":"user","content":"a"},{"role":"user","content":"a"},{"role":"user","content":"a"}]}""", "too_many_messages", "messages")]
    public async Task Client_mistakes_get_a_precise_400(string json, string code, string param)
    {
        var (status, body, _) = await _host.PostAsync("/v1/guard", json);
        ModerationTests.AssertError(status, body, 400, code, param);
    }
}
