using System.Data.Common;
using System.Security.Cryptography;

namespace Warden.Server.Audit;

/// <summary>
/// The SQL both stores share: one table of decisions and one key/value table for the salt. Only parameter
/// syntax and connection set-up differ between SQLite and PostgreSQL.
/// </summary>
public abstract class SqlAuditStore : IAuditStore
{
    protected const string CreateSchema = """
        CREATE TABLE IF NOT EXISTS warden_audit (
            time_utc TIMESTAMPTZ NOT NULL,
            key_id TEXT NOT NULL,
            route TEXT NOT NULL,
            policy TEXT NOT NULL,
            verdict TEXT NOT NULL,
            message_index INTEGER NULL,
            categories TEXT NOT NULL,
            scores TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            text TEXT NULL,
            model TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS warden_audit_time ON warden_audit (time_utc);
        CREATE TABLE IF NOT EXISTS warden_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        """;

    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Converts a time to what the provider stores (SQLite: ISO text; PostgreSQL: UTC timestamp).</summary>
    protected abstract object TimeValue(DateTimeOffset time);

    public async Task<string> InitializeAsync(string? configuredSalt, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = CreateSchema;
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        if (configuredSalt is not null) return configuredSalt;

        // A generated salt is stored once, so hashes stay comparable across restarts; ON CONFLICT keeps the first.
        var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO warden_meta (name, value) VALUES ('salt', @v) ON CONFLICT (name) DO NOTHING";
            AddParameter(insert, "@v", fresh);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT value FROM warden_meta WHERE name = 'salt'";
        return (string)(await select.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task WriteAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO warden_audit (time_utc, key_id, route, policy, verdict, message_index, categories, scores, text_hash, text, model)
            VALUES (@time, @key, @route, @policy, @verdict, @index, @categories, @scores, @hash, @text, @model)
            """;
        var time = AddParameter(command, "@time", null);
        var key = AddParameter(command, "@key", null);
        var route = AddParameter(command, "@route", null);
        var policy = AddParameter(command, "@policy", null);
        var verdict = AddParameter(command, "@verdict", null);
        var index = AddParameter(command, "@index", null);
        var categories = AddParameter(command, "@categories", null);
        var scores = AddParameter(command, "@scores", null);
        var hash = AddParameter(command, "@hash", null);
        var text = AddParameter(command, "@text", null);
        var model = AddParameter(command, "@model", null);
        foreach (var r in records)
        {
            time.Value = TimeValue(r.Time);
            key.Value = r.KeyId;
            route.Value = r.Route;
            policy.Value = r.Policy;
            verdict.Value = r.Verdict;
            index.Value = r.MessageIndex is { } i ? i : DBNull.Value;
            categories.Value = r.Categories;
            scores.Value = r.ScoresJson;
            hash.Value = r.TextHash;
            text.Value = (object?)r.Text ?? DBNull.Value;
            model.Value = r.Model;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM warden_audit WHERE time_utc < @cutoff";
        AddParameter(command, "@cutoff", TimeValue(cutoff));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    private static DbParameter AddParameter(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
        return p;
    }
}
