using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Warden.Core;
using Warden.Guard;
using Warden.Guard.Configuration;

namespace Warden.Server.Audit;

/// <summary>
/// Records decisions without slowing requests: records go into a bounded queue that one background writer
/// drains in batches. When the queue is full a request waits rather than dropping its record, because the
/// audit log must hold every decision. Stopping the server drains the queue first.
/// </summary>
public sealed class AuditLog : BackgroundService
{
    private const int Capacity = 100_000;
    private const int BatchSize = 512;

    private readonly IAuditStore? _store;
    private readonly AuditSettings _settings;
    private readonly ILogger<AuditLog> _logger;
    private readonly Channel<AuditRecord> _queue =
        Channel.CreateBounded<AuditRecord>(new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly TaskCompletionSource<byte[]> _salt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AuditLog(IAuditStore? store, AuditSettings settings, ILogger<AuditLog> logger)
    {
        _store = store;
        _settings = settings;
        _logger = logger;
        if (store is null) _salt.SetResult([]);
    }

    public bool Enabled => _store is not null;

    /// <summary>Creates the schema and loads the salt before the server takes requests.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_store is not null)
        {
            var salt = await _store.InitializeAsync(_settings.Salt, cancellationToken);
            _salt.SetResult(Encoding.UTF8.GetBytes(salt));
            var purged = await _store.PurgeAsync(DateTimeOffset.UtcNow.AddDays(-_settings.RetentionDays), cancellationToken);
            if (purged > 0) _logger.LogInformation("audit retention: removed {Count} records older than {Days} days", purged, _settings.RetentionDays);
        }
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Salted SHA-256 of a text, lower-case hex.</summary>
    public string Hash(string text)
    {
        var salt = _salt.Task.IsCompletedSuccessfully ? _salt.Task.Result : [];
        var bytes = new byte[salt.Length + Encoding.UTF8.GetMaxByteCount(text.Length)];
        salt.CopyTo(bytes, 0);
        var length = salt.Length + Encoding.UTF8.GetBytes(text, bytes.AsSpan(salt.Length));
        return Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(0, length)));
    }

    /// <summary>Queues one record per checked text of a verdict (one for a conversation with no checked message).</summary>
    public ValueTask RecordAsync(string keyId, string route, GuardVerdict verdict, IReadOnlyList<string> texts, bool mayStoreText, CancellationToken cancellationToken)
    {
        if (_store is null) return ValueTask.CompletedTask;
        var storeText = mayStoreText && verdict.Messages.Count > 0;
        var text = string.Join("\n", texts);
        var record = new AuditRecord(
            DateTimeOffset.UtcNow, keyId, route, verdict.Policy, verdict.Label, verdict.MessageIndex,
            string.Join(",", verdict.Violations.Select(v => v.Category).Distinct()),
            ScoresJson(verdict), Hash(text), storeText ? text : null, verdict.Model);
        return _queue.Writer.TryWrite(record) ? ValueTask.CompletedTask : _queue.Writer.WriteAsync(record, cancellationToken);
    }

    private static string ScoresJson(GuardVerdict verdict)
    {
        // Highest score per attribute over the checked messages: what decided, without the text.
        var max = new float[HarmAttributes.Count];
        foreach (var m in verdict.Messages)
            for (var i = 0; i < max.Length; i++) max[i] = Math.Max(max[i], m.Scores.Scores[i]);
        return JsonSerializer.Serialize(HarmAttributes.All.ToDictionary(a => a.WireName(), a => MathF.Round(max[(int)a], 4)));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_store is null) return;
        var batch = new List<AuditRecord>(BatchSize);
        var nextPurge = DateTimeOffset.UtcNow.AddHours(1);
        // Reads until the writer completes in StopAsync, so records queued before shutdown are kept.
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var record)) batch.Add(record);
            try
            {
                await _store.WriteAsync(batch, CancellationToken.None);
            }
            catch (Exception e)
            {
                // A failing store must not take the API down; the loss is logged (without any text).
                _logger.LogError(e, "audit store write failed; {Count} records lost", batch.Count);
            }
            batch.Clear();
            if (DateTimeOffset.UtcNow > nextPurge)
            {
                nextPurge = DateTimeOffset.UtcNow.AddHours(1);
                try
                {
                    await _store.PurgeAsync(DateTimeOffset.UtcNow.AddDays(-_settings.RetentionDays), CancellationToken.None);
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "audit retention purge failed");
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is not null) await ExecuteTask.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (_store is not null) await _store.DisposeAsync();
    }

    /// <summary>Opens the store named by a setting: <c>sqlite:PATH</c>, a <c>.db</c> path, <c>postgres://...</c>, <c>postgres:CONNSTRING</c>, or <c>none</c>.</summary>
    public static IAuditStore? OpenStore(string store)
    {
        if (store.Equals("none", StringComparison.OrdinalIgnoreCase)) return null;
        if (store.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || store.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return new PostgresAuditStore(store);
        if (store.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase)) return new PostgresAuditStore(store["postgres:".Length..]);
        if (store.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)) return new SqliteAuditStore(store["sqlite:".Length..]);
        return new SqliteAuditStore(store);
    }
}
