using Npgsql;

namespace Warden.Storage;

/// <summary>How every Warden store (audit log, LLM-evaluation runs) names a PostgreSQL database on the command line.</summary>
public static class PostgresConnection
{
    /// <summary>
    /// <c>postgres://user:pass@host:port/db?key=value</c> or <c>postgresql://...</c> (query keys are Npgsql keywords,
    /// <c>_</c> for spaces, e.g. <c>sslmode=require</c>, <c>search_path=eval</c>), <c>postgres:KEY=VALUE;...</c>, or a
    /// plain Npgsql connection string → an Npgsql connection string.
    /// </summary>
    public static string ToConnectionString(string spec)
    {
        if (!spec.Contains("://", StringComparison.Ordinal))
        {
            foreach (var prefix in new[] { "postgresql:", "postgres:" })
                if (spec.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return spec[prefix.Length..];
            return spec;
        }
        var uri = new Uri(spec);
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
}
