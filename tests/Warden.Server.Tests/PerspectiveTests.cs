using System.Text.Json;

namespace Warden.Server.Tests;

public class PerspectiveTests : IAsyncLifetime
{
    private TestHost _host = null!;

    public async Task InitializeAsync() => _host = await TestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<(int, JsonElement, HttpResponseMessage)> Analyze(string json, string key = TestHost.Key) =>
        _host.PostAsync($"/v1alpha1/comments:analyze?key={key}", json, withKey: false);

    [Fact]
    public async Task Documentation_request_shape_gets_the_documented_response_shape()
    {
        // The request as Perspective's documentation writes it, sent the way its clients send it (key in the query).
        var (status, body, _) = await Analyze("""
            {"comment": {"text": "what kind of idiot name is foo?"},
             "languages": ["en"],
             "requestedAttributes": {"TOXICITY": {}, "INSULT": {}, "THREAT": {}},
             "doNotStore": true, "clientToken": "abc"}
            """);
        Assert.Equal(200, status);
        var scores = body.GetProperty("attributeScores");
        Assert.Equal(["INSULT", "THREAT", "TOXICITY"], scores.EnumerateObject().Select(p => p.Name).Order());
        var toxicity = scores.GetProperty("TOXICITY");
        Assert.Equal(0.9, toxicity.GetProperty("summaryScore").GetProperty("value").GetDouble(), 4);
        Assert.Equal("PROBABILITY", toxicity.GetProperty("summaryScore").GetProperty("type").GetString());
        var span = Assert.Single(toxicity.GetProperty("spanScores").EnumerateArray());
        Assert.Equal(0, span.GetProperty("begin").GetInt32());
        Assert.Equal(31, span.GetProperty("end").GetInt32());
        Assert.Equal("PROBABILITY", span.GetProperty("score").GetProperty("type").GetString());
        Assert.Equal(["en"], body.GetProperty("languages").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["en"], body.GetProperty("detectedLanguages").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("abc", body.GetProperty("clientToken").GetString());
    }

    [Fact]
    public async Task Span_annotations_give_code_point_offsets_of_the_driving_words()
    {
        // The emoji is two UTF-16 units but one code point, as Perspective counts.
        var (status, body, _) = await Analyze("""{"comment":{"text":"😀 du bist ein idiot"},"requestedAttributes":{"INSULT":{}},"spanAnnotations":true}""");
        Assert.Equal(200, status);
        var span = Assert.Single(body.GetProperty("attributeScores").GetProperty("INSULT").GetProperty("spanScores").EnumerateArray());
        Assert.Equal(14, span.GetProperty("begin").GetInt32());
        Assert.Equal(19, span.GetProperty("end").GetInt32());
        Assert.Equal(["de"], body.GetProperty("detectedLanguages").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Requested_language_is_scored_in_and_echoed_while_detection_still_reports_its_own()
    {
        var (status, body, _) = await Analyze("""{"comment":{"text":"du bist ein idiot"},"requestedAttributes":{"INSULT":{}},"languages":["pt-BR","en"]}""");
        Assert.Equal(200, status);
        Assert.Equal(["pt", "en"], body.GetProperty("languages").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["de"], body.GetProperty("detectedLanguages").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Score_threshold_leaves_out_attributes_below_it_and_SELF_HARM_is_served()
    {
        var (status, body, _) = await Analyze("""{"comment":{"text":"you idiot"},"requestedAttributes":{"INSULT":{"scoreThreshold":0.5},"THREAT":{"scoreThreshold":0.5},"SELF_HARM":{}}}""");
        Assert.Equal(200, status);
        Assert.Equal(["INSULT", "SELF_HARM"], body.GetProperty("attributeScores").EnumerateObject().Select(p => p.Name).Order());
    }

    [Theory]
    [InlineData("""{"comment":{"text":"hi"},"requestedAttributes":{"FLIRTATION":{}}}""", "unknown_attribute")]
    [InlineData("""{"comment":{"text":"hi"},"requestedAttributes":{"toxicity":{}}}""", "unknown_attribute")]
    [InlineData("""{"comment":{"text":"hi"},"requestedAttributes":{}}""", "empty_requested_attributes")]
    [InlineData("""{"comment":{"text":"hi"}}""", "missing_field")]
    [InlineData("""{"requestedAttributes":{"TOXICITY":{}}}""", "missing_field")]
    [InlineData("""{"comment":{"text":""},"requestedAttributes":{"TOXICITY":{}}}""", "empty_comment")]
    [InlineData("""{"comment":"hi","requestedAttributes":{"TOXICITY":{}}}""", "invalid_type")]
    [InlineData("""{"comment":{"text":"hi","type":"HTML"},"requestedAttributes":{"TOXICITY":{}}}""", "unsupported_comment_type")]
    [InlineData("""{"comment":{"text":"hi"},"requestedAttributes":{"TOXICITY":{"scoreType":"STD_DEV_SCORE"}}}""", "unsupported_score_type")]
    [InlineData("""{"comment":{"text":"hi"},"requestedAttributes":{"TOXICITY":{"scoreThreshold":"high"}}}""", "invalid_type")]
    [InlineData("""{"comment":{"text":"hi"},"requestedAttributes":{"TOXICITY":{}},"languages":"en"}""", "invalid_type")]
    [InlineData("""{"comment":{"text":"hi"},"requestedAttributes":{"TOXICITY":{}},"languages":["e1"]}""", "invalid_language")]
    [InlineData("""{"comment":{"text":"hi"},"requestedAttributes":{"TOXICITY":{}},"doNotStore":"yes"}""", "invalid_type")]
    [InlineData("""{"comment":{"text":"hi"}, """, "invalid_json")]
    public async Task Client_mistakes_get_a_400_in_Google_error_schema(string json, string reason)
    {
        var (status, body, _) = await Analyze(json);
        AssertGoogleError(status, body, 400, "INVALID_ARGUMENT", reason);
    }

    [Fact]
    public async Task Keys_are_checked_as_Google_APIs_do()
    {
        var (status, body, _) = await _host.PostAsync("/v1alpha1/comments:analyze", """{"comment":{"text":"hi"},"requestedAttributes":{"TOXICITY":{}}}""", withKey: false);
        AssertGoogleError(status, body, 403, "PERMISSION_DENIED", "api_key_missing");
        (status, body, _) = await Analyze("""{"comment":{"text":"hi"},"requestedAttributes":{"TOXICITY":{}}}""", key: "wrong");
        AssertGoogleError(status, body, 400, "INVALID_ARGUMENT", "api_key_invalid");
    }

    internal static void AssertGoogleError(int status, JsonElement body, int expectedStatus, string googleStatus, string reason)
    {
        Assert.True(expectedStatus == status, $"expected {expectedStatus}, got {status}: {body}");
        var error = body.GetProperty("error");
        Assert.Equal(expectedStatus, error.GetProperty("code").GetInt32());
        Assert.Equal(googleStatus, error.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("message").GetString()));
        Assert.Equal(reason, error.GetProperty("details")[0].GetProperty("reason").GetString());
    }
}
