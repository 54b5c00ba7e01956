using Warden.Core;
using Warden.Guard.Configuration;

namespace Warden.Guard.Tests;

public class ConfigTests
{
    private const string Example = """
        {
          // comments are allowed
          "defaultPolicy": "standard",
          "policies": [
            { "name": "standard", "action": "block", "thresholds": { "toxicity": 0.8, "insult": 0.7 },
              "languageThresholds": { "de": { "insult": 0.6 } }, "ignore": ["profanity"],
              "allowTerms": ["scunthorpe"], "denyTerms": ["project x"], "storeText": true },
            { "name": "review", "action": "flag" },
            { "name": "scrub", "action": "redact", "roles": ["user"] }
          ],
          "apiKeys": [
            { "id": "team-a", "sha256": "2BB80D537B1DA3E38BD30361AA855686BDE0EACD7162FEF6A25FE97BF527A25B", "policy": "review",
              "rateLimit": { "requestsPerSecond": 5, "burst": 10 } }
          ],
          "rateLimit": { "requestsPerSecond": 100, "burst": 150 },
          "limits": { "maxBodyBytes": 65536, "maxTextChars": 1000, "maxBatchSize": 8, "maxMessages": 4 },
          "audit": { "store": "sqlite:/tmp/a.db", "retentionDays": 7 },
          "upstream": { "baseUrl": "http://127.0.0.1:11434/v1", "timeoutSeconds": 5 },
        }
        """;

    [Fact]
    public void Parses_every_section()
    {
        var config = WardenConfig.Parse(Example);
        Assert.Equal("standard", config.DefaultPolicy);
        var standard = config.Policies["standard"];
        Assert.Equal(0.7f, standard.Thresholds[HarmAttribute.Insult]);
        Assert.Equal(0.6f, standard.ThresholdFor(HarmAttribute.Insult, "DE", new float[8]));
        Assert.Contains(HarmAttribute.Profanity, standard.Ignore);
        Assert.True(standard.StoreText);
        Assert.Equal(PolicyAction.Flag, config.Policies["review"].Action);
        Assert.False(config.Policies["scrub"].Checks("assistant"));

        var key = Assert.Single(config.ApiKeys);
        Assert.Equal(ApiKeyEntry.Hash("secret"), key.Sha256);
        Assert.Equal(5, key.RateLimit!.RequestsPerSecond);
        Assert.Equal(8, config.Limits.MaxBatchSize);
        Assert.Equal(7, config.Audit.RetentionDays);
        Assert.Equal(5, config.Upstream!.TimeoutSeconds);
        Assert.Equal(30, config.Upstream.StreamIdleTimeoutSeconds);
    }

    [Fact]
    public void An_empty_file_means_the_defaults()
    {
        var config = WardenConfig.Parse("{}");
        Assert.Equal(GuardPolicy.DefaultName, config.DefaultPolicy);
        Assert.Empty(config.ApiKeys);
        Assert.Null(config.Upstream);
        Assert.True(config.TryGetPolicy(null, out var p));
        Assert.Same(GuardPolicy.Default, p);
        Assert.False(config.TryGetPolicy("nope", out _));
    }

    [Theory]
    [InlineData("""{"policies":[{"name":"a","thresholds":{"rudeness":0.5}}]}""", "unknown attribute 'rudeness'")]
    [InlineData("""{"policies":[{"name":"a","thresholds":{"insult":1.5}}]}""", "must be in [0, 1]")]
    [InlineData("""{"policies":[{"name":"a"}],"defaultPolicy":"b"}""", "defaultPolicy 'b'")]
    [InlineData("""{"apiKeys":[{"id":"k","sha256":"secret"}]}""", "64-hex-digit")]
    [InlineData("""{"apiKeys":[{"id":"k","sha256":"2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b","policy":"x"}]}""", "policy 'x'")]
    [InlineData("""{"upstream":{"baseUrl":"localhost:8000"}}""", "upstream.baseUrl")]
    [InlineData("""{"polices":[]}""", "polices")]
    [InlineData("""{"policies":[{"name":"a"},{"name":"a"}]}""", "defined twice")]
    [InlineData("""{"limits":{"maxTextChars":0}}""", "positive")]
    [InlineData("""{ "policies": [ """, "warden.json")]
    public void Bad_files_are_refused_with_the_field_named(string json, string expected)
    {
        var e = Assert.Throws<WardenConfigException>(() => WardenConfig.Parse(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Missing_file_is_a_config_error()
    {
        var e = Assert.Throws<WardenConfigException>(() => WardenConfig.Load("/nonexistent/warden.json"));
        Assert.Contains("/nonexistent/warden.json", e.Message);
    }
}
