using System.Data.Common;
using Npgsql;
using Warden.Storage;

namespace Warden.Server.Audit;

/// <summary>The audit store for shared deployments (<c>--store postgres://user:pass@host:5432/db</c>).</summary>
public sealed class PostgresAuditStore : SqlAuditStore
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresAuditStore(string connection)
    {
        _dataSource = NpgsqlDataSource.Create(ToConnectionString(connection));
    }

    /// <summary>See <see cref="PostgresConnection.ToConnectionString"/>: the one place Warden's stores parse a PostgreSQL spec.</summary>
    public static string ToConnectionString(string connection) => PostgresConnection.ToConnectionString(connection);

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override object TimeValue(DateTimeOffset time) => time.UtcDateTime;

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
