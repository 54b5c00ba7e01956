using System.Diagnostics.Metrics;
using Warden.Core;

namespace Warden.Server.Observability;

/// <summary>
/// The server's own instruments (exported at /metrics by OpenTelemetry's Prometheus exporter as
/// <c>warden_requests_total</c>, <c>warden_request_duration_seconds</c>, <c>warden_flagged_total</c>, <c>warden_texts_total</c>).
/// </summary>
public sealed class WardenMetrics : IDisposable
{
    public const string MeterName = "Warden.Server";

    private readonly Meter _meter;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _flagged;
    private readonly Counter<long> _texts;

    public WardenMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _requests = _meter.CreateCounter<long>("warden.requests", description: "API requests by route and status code");
        _duration = _meter.CreateHistogram<double>("warden.request.duration", unit: "s", description: "API request latency by route");
        _flagged = _meter.CreateCounter<long>("warden.flagged", description: "texts that crossed a policy, by category");
        _texts = _meter.CreateCounter<long>("warden.texts", description: "texts scored, by route");
    }

    public static readonly double[] LatencyBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    public void Request(string route, int status, double seconds)
    {
        var routeTag = new KeyValuePair<string, object?>("route", route);
        _requests.Add(1, routeTag, new KeyValuePair<string, object?>("status", status));
        _duration.Record(seconds, routeTag);
    }

    public void Texts(string route, int count) => _texts.Add(count, new KeyValuePair<string, object?>("route", route));

    public void Flagged(string category) => _flagged.Add(1, new KeyValuePair<string, object?>("category", category));

    public void Dispose() => _meter.Dispose();
}
