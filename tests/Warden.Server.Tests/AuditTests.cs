using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Warden.Core;
using Warden.Guard;
using Warden.Server.Audit;

namespace Warden.Server.Tests;

public class AuditTests
{
    private static async Task ExerciseAsync(TestHost host)
    {
        await host.PostAsync("/v1/moderations", """{"input":["you idiot","hello there"]}""");
        await host.PostAsync("/v1/guard", """{"policy":"keep-text","messages":[{"role":"user","content":"kept idiot text"}]}""");
        await host.PostAsync("/v1alpha1/comments:analyze?key=" + TestHost.Key, """{"comment":{"text":"perspective text"},"requestedAttributes":{"TOXICITY":{}},"doNotStore":true}""", withKey: false);
    }

    private static async Task<List<Dictionary<string, object?>>> ReadAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key_id, route, policy, verdict, message_index, categories, scores, text_hash, text, model FROM warden_audit ORDER BY route, policy, verdict";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static void AssertRecorded(List<Dictionary<string, object?>> rows)
    {
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal("tester", r["key_id"]));
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{64}$", (string)r["text_hash"]!));
        Assert.All(rows, r => Assert.Equal("keyword-test@1", r["model"]));
        var moderation = rows.Where(r => (string)r["route"]! == "/v1/moderations").ToList();
        Assert.Equal(["safe", "unsafe"], moderation.Select(r => (string)r["verdict"]!).Order());
        var unsafeRow = moderation.Single(r => (string)r["verdict"]! == "unsafe");
        Assert.Contains("insult", (string)unsafeRow["categories"]!);
        Assert.Contains("\"insult\":0.95", (string)unsafeRow["scores"]!);
        // Text only where the policy says so, and never when the client said doNotStore.
        Assert.Null(unsafeRow["text"]);
        Assert.Equal("kept idiot text", rows.Single(r => (string)r["policy"]! == "keep-text")["text"]);
        Assert.Null(rows.Single(r => ((string)r["route"]!).Contains("comments")) ["text"]);
        // No plain text hides in any other column.
        Assert.DoesNotContain(rows.SelectMany(r => r.Where(kv => kv.Key != "text").Select(kv => kv.Value?.ToString() ?? "")), v => v.Contains("idiot") || v.Contains("hello there"));
    }

    [Fact]
    public async Task Decisions_go_to_a_real_SQLite_file_with_hashes_not_text()
    {
        var path = Path.Combine(Path.GetTempPath(), $"warden-audit-{Guid.NewGuid():N}.db");
        await using (var host = await TestHost.StartAsync(store: "sqlite:" + path)) await ExerciseAsync(host);
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        AssertRecorded(await ReadAsync(connection));
    }

    [Fact]
    public async Task Retention_removes_old_records_at_start()
    {
        var path = Path.Combine(Path.GetTempPath(), $"warden-audit-{Guid.NewGuid():N}.db");
        await using (var store = new SqliteAuditStore(path))
        {
            await store.InitializeAsync(null, default);
            await store.WriteAsync([
                new AuditRecord(DateTimeOffset.UtcNow.AddDays(-40), "old", "/v1/guard", "default", "safe", null, "", "{}", new string('0', 64), null, "m"),
                new AuditRecord(DateTimeOffset.UtcNow.AddDays(-1), "recent", "/v1/guard", "default", "safe", null, "", "{}", new string('0', 64), null, "m"),
            ], default);
        }
        await using (await TestHost.StartAsync(TestHost.Config(extra: """, "audit": { "retentionDays": 30 }"""), store: "sqlite:" + path)) { }
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync();
        var keys = (await ReadAsync(connection)).Select(r => r["key_id"]).ToList();
        Assert.Equal(["recent"], keys);
    }

    [Fact]
    public async Task Salt_is_created_once_and_kept_across_restarts()
    {
        var path = Path.Combine(Path.GetTempPath(), $"warden-audit-{Guid.NewGuid():N}.db");
        string first, second;
        await using (var store = new SqliteAuditStore(path)) first = await store.InitializeAsync(null, default);
        await using (var store = new SqliteAuditStore(path)) second = await store.InitializeAsync(null, default);
        Assert.Equal(64, first.Length);
        Assert.Equal(first, second);
    }

    [SkippableFact]
    public async Task Decisions_go_to_a_real_PostgreSQL_when_configured()
    {
        var connectionString = Environment.GetEnvironmentVariable("WARDEN_TEST_POSTGRES");
        Skip.If(string.IsNullOrEmpty(connectionString), "set WARDEN_TEST_POSTGRES to a PostgreSQL connection string to run this test (.ci/run does)");
        await using (var clean = new NpgsqlConnection(PostgresAuditStore.ToConnectionString(connectionString!)))
        {
            await clean.OpenAsync();
            await using var drop = clean.CreateCommand();
            drop.CommandText = "DROP TABLE IF EXISTS warden_audit; DROP TABLE IF EXISTS warden_meta;";
            await drop.ExecuteNonQueryAsync();
        }
        var store = connectionString!.StartsWith("postgres", StringComparison.OrdinalIgnoreCase) && connectionString.Contains("://") ? connectionString : "postgres:" + connectionString;
        await using (var host = await TestHost.StartAsync(store: store)) await ExerciseAsync(host);
        await using var connection = new NpgsqlConnection(PostgresAuditStore.ToConnectionString(connectionString));
        await connection.OpenAsync();
        AssertRecorded(await ReadAsync(connection));
    }

    [Fact]
    public void Postgres_URLs_become_connection_strings()
    {
        var cs = new NpgsqlConnectionStringBuilder(PostgresAuditStore.ToConnectionString("postgres://warden:p%40ss@db.local:5433/audit?sslmode=disable"));
        Assert.Equal("db.local", cs.Host);
        Assert.Equal(5433, cs.Port);
        Assert.Equal("audit", cs.Database);
        Assert.Equal("warden", cs.Username);
        Assert.Equal("p@ss", cs.Password);
        Assert.Equal(SslMode.Disable, cs.SslMode);
        Assert.Equal("Host=x", PostgresAuditStore.ToConnectionString("Host=x"));
    }
}
