using System.Data.Common;
using Npgsql;

namespace Warden.Server.Audit;

/// <summary>The audit store for shared deployments (<c>--store postgres://user:pass@host:5432/db</c>).</summary>
public sealed class PostgresAuditStore : SqlAuditStore
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresAuditStore(string connection)
    {
        _dataSource = NpgsqlDataSource.Create(ToConnectionString(connection));
    }

    /// <summary>Accepts a <c>postgres://</c> / <c>postgresql://</c> URL or a Npgsql key=value connection string.</summary>
    public static string ToConnectionString(string connection)
    {
        if (!connection.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) &&
            !connection.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return connection;
        var uri = new Uri(connection);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } db ? db : "postgres",
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2) builder[Uri.UnescapeDataString(kv[0]).Replace('_', ' ')] = Uri.UnescapeDataString(kv[1]);
        }
        return builder.ConnectionString;
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override object TimeValue(DateTimeOffset time) => time.UtcDateTime;

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }
}
