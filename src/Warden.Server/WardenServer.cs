using System.Reflection;
using System.Text.Json;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using OpenTelemetry.Metrics;
using Warden.Core;
using Warden.Guard.Configuration;
using Warden.Server.Audit;
using Warden.Server.Endpoints;
using Warden.Server.Http;
using Warden.Server.Observability;

namespace Warden.Server;

/// <summary>
/// The entry point of <c>warden serve</c>: <c>await WardenServer.RunAsync(options, ct)</c>, or <see cref="Build"/>
/// to get the <see cref="WebApplication"/> (start it, read <c>app.Urls</c>, stop it) when hosting it yourself.
/// </summary>
public static class WardenServer
{
    /// <summary>Builds the app without starting it. Throws <see cref="WardenConfigException"/> for a bad config file.</summary>
    public static WebApplication Build(ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = options.Config ?? (options.ConfigPath is null ? WardenConfig.Default : WardenConfig.Load(options.ConfigPath));
        if (options.Store is not null) config = config.With(audit: config.Audit with { Store = options.Store, Enabled = true });
        var scorer = options.Scorer ?? (options.Model is null ? Scoring.Scorer.LoadDefault() : Scoring.Scorer.Load(options.Model));

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Warden.Server", Args = [] });
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = config.Limits.MaxBodyBytes;
        });
        builder.Logging.AddFilter("Microsoft", options.FrameworkLogLevel).AddFilter("System.Net.Http", options.FrameworkLogLevel);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(config);
        services.AddSingleton(scorer);
        services.AddSingleton(new Guard.Guard(scorer));
        services.AddSingleton<WardenMetrics>();
        services.AddSingleton(sp => new AuditLog(
            config.Audit.Enabled ? AuditLog.OpenStore(config.Audit.Store) : null, config.Audit, sp.GetRequiredService<ILogger<AuditLog>>()));
        services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        services.AddSingleton<WardenApi>();
        services.AddSingleton(_ => new HttpClient(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
            // Never drain an abandoned answer to reuse the connection: closing it is what stops the model generating.
            MaxResponseDrainSize = 0,
        })
        {
            // Each call sets its own deadline from the upstream settings.
            Timeout = Timeout.InfiniteTimeSpan,
        });
        services.AddSingleton<ChatProxy>();
        services.AddOpenTelemetry().WithMetrics(m => m
            .AddMeter(WardenMetrics.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddView("warden.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = WardenMetrics.LatencyBuckets })
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        services.AddRateLimiter(ConfigureRateLimits);

        var app = builder.Build();
        if (!options.Dev && config.ApiKeys.Count == 0)
            app.Logger.LogWarning("no API keys configured: every API request will be refused (401). Add apiKeys to warden.json, or start with --dev for keyless loopback access");

        app.UseMiddleware<ErrorMiddleware>();
        app.UseMiddleware<ApiKeyMiddleware>();
        app.UseRateLimiter();

        app.MapGet("/", Playground);
        app.MapGet("/healthz", (IScorer s, AuditLog audit) => Results.Json(new { status = "ok", model = s.ModelName, audit = audit.Enabled }));
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapGet("/v1/policies", Policies);
        app.MapPost(ModerationEndpoint.Route, ModerationEndpoint.HandleAsync);
        app.MapPost(PerspectiveEndpoint.Route, PerspectiveEndpoint.HandleAsync);
        app.MapPost(GuardEndpoint.Route, GuardEndpoint.HandleAsync);
        app.MapPost(ChatProxy.Route, (HttpContext c, ChatProxy proxy) => proxy.HandleAsync(c));
        return app;
    }

    /// <summary>Builds and runs the server until <paramref name="cancellationToken"/> fires (or Ctrl+C).</summary>
    public static async Task RunAsync(ServerOptions options, CancellationToken cancellationToken = default)
    {
        await using var app = Build(options);
        await app.StartAsync(cancellationToken);
        // Returns on Ctrl+C / SIGTERM or when the token fires, after a graceful stop (the audit queue is drained).
        await app.WaitForShutdownAsync(cancellationToken);
    }

    private static void ConfigureRateLimits(RateLimiterOptions o)
    {
        o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            if (context.Items[ApiKeyMiddleware.IdentityItem] is not ClientIdentity identity) return RateLimitPartition.GetNoLimiter("public");
            // Keyless dev callers share nothing with each other: partition them by address.
            var partition = identity.KeyId == "dev-loopback" ? "dev:" + context.Connection.RemoteIpAddress : "key:" + identity.KeyId;
            return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = identity.RateLimit.Burst,
                TokensPerPeriod = identity.RateLimit.RequestsPerSecond,
                ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 0,
                AutoReplenishment = true,
            });
        });
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = async (rejected, _) =>
        {
            var seconds = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? Math.Max(1, (int)Math.Ceiling(retry.TotalSeconds)) : 1;
            rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await ApiError.WriteAsync(rejected.HttpContext, ApiError.SchemaFor(rejected.HttpContext.Request.Path) == ErrorSchema.Perspective
                ? new ApiException(429, "rate_limited", $"Quota exceeded for this API key; retry after {seconds} s.")
                : new ApiException(429, "rate_limit_exceeded", $"Rate limit reached for this API key; retry after {seconds} s."));
        };
    }

    private static readonly Lazy<byte[]> PlaygroundHtml = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Warden.Server.playground.html")
            ?? throw new InvalidOperationException("playground.html is not embedded");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    });

    private static IResult Playground() => Results.Bytes(PlaygroundHtml.Value, "text/html; charset=utf-8");

    /// <summary>GET /v1/policies: what the playground (and an operator) needs to know about the configured policies.</summary>
    private static IResult Policies(HttpContext context, WardenConfig config, IScorer scorer)
    {
        var identity = ApiKeyMiddleware.Identity(context);
        var policies = config.Policies.Values
            .Where(p => identity.Policy is null || p.Name == identity.Policy)
            .Select(p => new
            {
                name = p.Name,
                action = p.Action.ToString().ToLowerInvariant(),
                thresholds = HarmAttributes.All.ToDictionary(a => a.WireName(), a => p.ThresholdFor(a, "und", scorer.Thresholds)),
                ignore = p.Ignore.Select(a => a.WireName()),
            });
        return Results.Json(new
        {
            @default = identity.Policy ?? config.DefaultPolicy,
            attributes = HarmAttributes.All.Select(a => a.WireName()),
            model = scorer.ModelName,
            policies,
        }, JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
