using System.Text;
using System.Text.Json;

namespace Warden.Server.Tests;

public class ModerationTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static readonly string[] OpenAICategories =
    [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
        "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ];

    [Fact]
    public async Task Single_string_gets_one_result_in_OpenAI_schema()
    {
        var (status, body, _) = await _host.PostAsync("/v1/moderations", """{"input":"you are an idiot","model":"omni-moderation-latest"}""");
        Assert.Equal(200, status);
        Assert.StartsWith("modr-", body.GetProperty("id").GetString());
        Assert.Equal("keyword-test@1", body.GetProperty("model").GetString());
        var result = Assert.Single(body.GetProperty("results").EnumerateArray());
        Assert.True(result.GetProperty("flagged").GetBoolean());
        var categories = result.GetProperty("categories");
        var scores = result.GetProperty("category_scores");
        Assert.Equal(OpenAICategories.Order(), categories.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(OpenAICategories.Order(), scores.EnumerateObject().Select(p => p.Name).Order());
        Assert.True(categories.GetProperty("harassment").GetBoolean());
        Assert.False(categories.GetProperty("hate").GetBoolean());
        Assert.Equal(0.95, scores.GetProperty("harassment").GetDouble(), 4);
        Assert.Empty(result.GetProperty("category_applied_input_types").GetProperty("sexual/minors").EnumerateArray());
        Assert.Equal("text", result.GetProperty("category_applied_input_types").GetProperty("harassment")[0].GetString());
        Assert.Equal(0.95, result.GetProperty("warden").GetProperty("scores").GetProperty("insult").GetDouble(), 4);
        var unsupported = body.GetProperty("warden").GetProperty("unsupported_categories").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("sexual/minors", unsupported);
        Assert.Contains("illicit", unsupported);
        Assert.DoesNotContain("harassment", unsupported);
    }

    [Fact]
    public async Task Array_input_gets_one_result_per_text_in_order()
    {
        var (status, body, _) = await _host.PostAsync("/v1/moderations", """{"input":["hello friend","I will kill you","nice day"]}""");
        Assert.Equal(200, status);
        var flagged = body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("flagged").GetBoolean()).ToList();
        Assert.Equal([false, true, false], flagged);
        var threat = body.GetProperty("results")[1].GetProperty("categories");
        Assert.True(threat.GetProperty("harassment/threatening").GetBoolean());
        Assert.True(threat.GetProperty("violence").GetBoolean());
        Assert.False(threat.GetProperty("hate/threatening").GetBoolean());
    }

    [Fact]
    public async Task Content_parts_are_moderated_together_and_images_are_refused()
    {
        var (status, body, _) = await _host.PostAsync("/v1/moderations", """{"input":[{"type":"text","text":"hello"},{"type":"text","text":"idiot"}]}""");
        Assert.Equal(200, status);
        Assert.True(Assert.Single(body.GetProperty("results").EnumerateArray()).GetProperty("flagged").GetBoolean());

        (status, body, _) = await _host.PostAsync("/v1/moderations", """{"input":[{"type":"image_url","image_url":{"url":"http://x/y.png"}}]}""");
        AssertError(status, body, 400, "unsupported_input_type", "input[0].type");
    }

    [Theory]
    [InlineData("""{"input": "unterminated""", "invalid_json", null)]
    [InlineData("""[1,2]""", "invalid_json", null)]
    [InlineData("""{}""", "missing_field", "input")]
    [InlineData("""{"input": null}""", "missing_field", "input")]
    [InlineData("""{"input": 42}""", "invalid_type", "input")]
    [InlineData("""{"input": ["ok", 7]}""", "invalid_type", "input[1]")]
    [InlineData("""{"input": ""}""", "empty_text", "input")]
    [InlineData("""{"input": ["fine", ""]}""", "empty_text", "input[1]")]
    [InlineData("""{"input": []}""", "empty_input", "input")]
    [InlineData("""{"input": ["a","b","c","d","e"]}""", "batch_too_large", "input")]
    [InlineData("""{"input": "a\ud800b"}""", "invalid_utf8", "input")]
    [InlineData("""{"input": "ok", "policy": "nope"}""", "unknown_policy", "policy")]
    [InlineData("""{"input": "ok", "model": 3}""", "invalid_type", "model")]
    public async Task Client_mistakes_get_a_precise_400_in_OpenAI_error_schema(string json, string code, string? param)
    {
        var (status, body, _) = await _host.PostAsync("/v1/moderations", json);
        AssertError(status, body, 400, code, param);
    }

    [Fact]
    public async Task Text_over_the_length_limit_is_a_400_naming_the_limit()
    {
        var (status, body, _) = await _host.PostAsync("/v1/moderations", JsonSerializer.Serialize(new { input = new string('a', 501) }));
        AssertError(status, body, 400, "text_too_long", "input");
        Assert.Contains("500", body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Body_over_the_size_limit_is_a_413()
    {
        var (status, body, _) = await _host.PostAsync("/v1/moderations", JsonSerializer.Serialize(new { input = new string('a', 5000) }));
        AssertError(status, body, 413, "body_too_large", null);
    }

    [Fact]
    public async Task Invalid_UTF8_is_a_400()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"input":"abc"}""");
        bytes[11] = 0xFF;
        var (status, body, _) = await _host.PostBytesAsync("/v1/moderations", bytes);
        AssertError(status, body, 400, "invalid_utf8", null);
    }

    [Fact]
    public async Task Empty_body_is_a_400()
    {
        var (status, body, _) = await _host.PostBytesAsync("/v1/moderations", []);
        AssertError(status, body, 400, "empty_body", null);
    }

    [Fact]
    public async Task Wrong_method_and_unknown_route_answer_in_JSON()
    {
        var response = await _host.Client.SendAsync(_host.Request(HttpMethod.Get, "/v1/moderations"));
        AssertError((int)response.StatusCode, await TestHost.ReadJson(response), 405, "method_not_allowed", null);
        response = await _host.Client.SendAsync(_host.Request(HttpMethod.Post, "/v1/nothing", "{}"));
        AssertError((int)response.StatusCode, await TestHost.ReadJson(response), 404, "not_found", null);
    }

    internal static void AssertError(int status, JsonElement body, int expectedStatus, string code, string? param)
    {
        Assert.True(expectedStatus == status, $"expected {expectedStatus}, got {status}: {body}");
        var error = body.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
        if (param is not null) Assert.Equal(param, error.GetProperty("param").GetString());
    }
}
