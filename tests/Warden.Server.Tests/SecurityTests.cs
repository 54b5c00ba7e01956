using System.Net;
using Warden.Guard.Configuration;

namespace Warden.Server.Tests;

public class SecurityTests
{
    private const string Body = """{"input":"hello"}""";

    [Fact]
    public async Task Keys_are_required_by_default_even_on_loopback()
    {
        await using var host = await TestHost.StartAsync();
        var (status, body, _) = await host.PostAsync("/v1/moderations", Body, withKey: false);
        ModerationTests.AssertError(status, body, 401, "missing_api_key", null);
        Assert.Equal("authentication_error", body.GetProperty("error").GetProperty("type").GetString());

        var request = host.Request(HttpMethod.Post, "/v1/moderations", Body, withKey: false);
        request.Headers.Authorization = new("Bearer", "not-the-key");
        var response = await host.Client.SendAsync(request);
        ModerationTests.AssertError((int)response.StatusCode, await TestHost.ReadJson(response), 401, "invalid_api_key", null);

        (status, _, _) = await host.PostAsync("/v1/moderations", Body);
        Assert.Equal(200, status);

        request = host.Request(HttpMethod.Post, "/v1/moderations", Body, withKey: false);
        request.Headers.Add("x-api-key", TestHost.Key);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Dev_mode_lets_loopback_callers_in_without_a_key()
    {
        await using var host = await TestHost.StartAsync(dev: true);
        var (status, _, _) = await host.PostAsync("/v1/moderations", Body, withKey: false);
        Assert.Equal(200, status);
        // A wrong key is still refused: dev mode only waives a missing key.
        var request = host.Request(HttpMethod.Post, "/v1/moderations", Body, withKey: false);
        request.Headers.Authorization = new("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Public_routes_need_no_key()
    {
        await using var host = await TestHost.StartAsync();
        var health = await host.Client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", (await TestHost.ReadJson(health)).GetProperty("status").GetString());
        var page = await host.Client.GetAsync("/");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Warden playground", await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Rate_limit_answers_429_with_Retry_After_per_key()
    {
        const string slowKey = "slow-key";
        var config = TestHost.Config(keys: $$""", { "id": "slow", "sha256": "{{ApiKeyEntry.Hash(slowKey)}}", "rateLimit": { "requestsPerSecond": 1, "burst": 1 } }""");
        await using var host = await TestHost.StartAsync(config);
        var statuses = new List<HttpResponseMessage>();
        for (var i = 0; i < 20; i++)
        {
            var request = host.Request(HttpMethod.Post, "/v1/moderations", Body, withKey: false);
            request.Headers.Authorization = new("Bearer", slowKey);
            statuses.Add(await host.Client.SendAsync(request));
        }
        var limited = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        ModerationTests.AssertError(429, await TestHost.ReadJson(limited), 429, "rate_limit_exceeded", null);
        // Another key has its own bucket.
        var (status, _, _) = await host.PostAsync("/v1/moderations", Body);
        Assert.Equal(200, status);

        var request2 = host.Request(HttpMethod.Post, "/v1alpha1/comments:analyze?key=" + slowKey, """{"comment":{"text":"x"},"requestedAttributes":{"TOXICITY":{}}}""", withKey: false);
        var perspective = await host.Client.SendAsync(request2);
        if (perspective.StatusCode == HttpStatusCode.TooManyRequests)
            PerspectiveTests.AssertGoogleError(429, await TestHost.ReadJson(perspective), 429, "RESOURCE_EXHAUSTED", "rate_limited");
    }
}

/// <summary>
/// OpenTelemetry's meter listener is process-wide: a MeterProvider sees every "Warden.Server" meter in the process,
/// including those of test hosts running in parallel, so the exact counts below hold only when no other host runs.
/// </summary>
[CollectionDefinition(nameof(MetricsTests), DisableParallelization = true)]
public class MetricsCollection;

[Collection(nameof(MetricsTests))]
public class MetricsTests
{
    [Fact]
    public async Task Metrics_export_request_counts_latency_and_flagged_categories()
    {
        await using var host = await TestHost.StartAsync();
        await host.PostAsync("/v1/moderations", """{"input":"you idiot"}""");
        await host.PostAsync("/v1/moderations", """{"input":"""); // a 400 is counted too
        var text = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("warden_requests_total{", text);
        Assert.Contains("route=\"/v1/moderations\"", text);
        Assert.Contains("status=\"400\"", text);
        Assert.Contains("warden_request_duration_seconds_bucket{", text);
        Assert.Matches("warden_flagged_total\\{[^}]*category=\"insult\"[^}]*\\} 1", text);
        Assert.DoesNotContain("idiot", text);
    }
}
