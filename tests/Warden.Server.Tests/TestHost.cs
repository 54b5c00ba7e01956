using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Warden.Core;
using Warden.Guard.Configuration;
using Warden.Testing;

namespace Warden.Server.Tests;

/// <summary>A Warden server on a free loopback port, over real HTTP; disposing it stops it (draining the audit queue).</summary>
public sealed class TestHost : IAsyncDisposable
{
    public const string Key = "test-key-123";

    private readonly WebApplication _app;

    private TestHost(WebApplication app, Uri baseAddress, string? auditPath)
    {
        _app = app;
        BaseAddress = baseAddress;
        AuditPath = auditPath;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; }
    public HttpClient Client { get; }
    public string? AuditPath { get; }
    public IServiceProvider Services => _app.Services;

    /// <summary>A config with one key (<see cref="Key"/>, id "tester"), a few policies, and the given extra JSON sections.</summary>
    public static WardenConfig Config(string extra = "", string keys = "") => WardenConfig.Parse($$"""
        {
          "policies": [
            { "name": "default", "action": "block" },
            { "name": "keep-text", "action": "flag", "storeText": true },
            { "name": "scrub", "action": "redact" },
            { "name": "flag", "action": "flag" },
            { "name": "strict", "action": "block", "thresholds": { "profanity": 0.5 }, "denyTerms": ["project x"] }
          ],
          "apiKeys": [
            { "id": "tester", "sha256": "{{ApiKeyEntry.Hash(Key)}}" }
            {{keys}}
          ],
          "limits": { "maxBodyBytes": 4096, "maxTextChars": 500, "maxBatchSize": 4, "maxMessages": 5 }
          {{extra}}
        }
        """);

    public static async Task<TestHost> StartAsync(WardenConfig? config = null, bool dev = false, string? store = null, IScorer? scorer = null)
    {
        var auditPath = store is null ? Path.Combine(Path.GetTempPath(), $"warden-audit-{Guid.NewGuid():N}.db") : null;
        var app = WardenServer.Build(new ServerOptions
        {
            Urls = ["http://127.0.0.1:0"],
            Config = config ?? Config(),
            Dev = dev,
            Store = store ?? "sqlite:" + auditPath,
            Scorer = scorer ?? new KeywordScorer(),
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        return new TestHost(app, address, auditPath);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, string? json = null, bool withKey = true)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (withKey) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return request;
    }

    public async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string path, string json, bool withKey = true)
    {
        var response = await Client.SendAsync(Request(HttpMethod.Post, path, json, withKey));
        return (((int)response.StatusCode), await ReadJson(response), response);
    }

    public async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostBytesAsync(string path, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, await ReadJson(response), response);
    }

    public static async Task<JsonElement> ReadJson(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(text.Length > 0, $"empty body with status {(int)response.StatusCode}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
