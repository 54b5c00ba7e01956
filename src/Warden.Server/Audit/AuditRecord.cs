namespace Warden.Server.Audit;

/// <summary>
/// One decision as the audit log keeps it. <see cref="TextHash"/> is a salted SHA-256 of the checked text, so a
/// text can be matched later without being stored; <see cref="Text"/> is set only when the policy says so.
/// </summary>
public sealed record AuditRecord(
    DateTimeOffset Time,
    string KeyId,
    string Route,
    string Policy,
    string Verdict,
    int? MessageIndex,
    string Categories,
    string ScoresJson,
    string TextHash,
    string? Text,
    string Model);

/// <summary>Durable storage of audit records. Implementations are called from one background writer at a time.</summary>
public interface IAuditStore : IAsyncDisposable
{
    /// <summary>Creates the schema if needed and returns the store's hashing salt (created once, then kept).</summary>
    Task<string> InitializeAsync(string? configuredSalt, CancellationToken cancellationToken);

    Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>Deletes records older than <paramref name="cutoff"/>; returns how many.</summary>
    Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken);
}
