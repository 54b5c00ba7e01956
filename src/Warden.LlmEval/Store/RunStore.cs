using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Warden.LlmEval.Refusal;
using Warden.LlmEval.Suites;
using Warden.LlmEval.Targets;
using Warden.Storage;

namespace Warden.LlmEval.Store;

/// <summary>What a run records so that its result can be reproduced.</summary>
public sealed record RunRecord(
    string Id, string Suite, string Target, string Model, string ConfigJson, string WardenVersion, string ScorerModel,
    string RefusalModel, string DatasetHashesJson, string Status, DateTimeOffset Created, string UsageJson);

/// <summary>One finished request: the k completions of a prompt and their scores, written in one transaction.</summary>
public sealed record RequestResult(
    string PromptId, string RequestHash, bool FromCache, GenerationResult? Result, IReadOnlyList<ScoredGeneration>? Scored, string? Error);

/// <summary>
/// Where runs are stored: runs, their prompts (the work list), requests, generations, scores, and a cache of completions
/// by request hash. Two implementations with the same schema and semantics: <see cref="SqliteRunStore"/>
/// (<c>runs/warden.db</c> by default) and <see cref="PostgresRunStore"/> (<c>--store postgres://...</c>).
/// </summary>
public interface IRunStore : IDisposable
{
    /// <summary>Where the store is, for messages (a file path, or PostgreSQL host/port/database without the password).</summary>
    string Location { get; }
    void CreateRun(RunRecord run, IReadOnlyList<PromptItem> prompts);
    RunRecord GetRun(string runId);
    RunRecord? FindRun(string runId);
    IReadOnlyList<string> RunIds();
    void SetStatus(string runId, string status, TargetUsage? usage);

    /// <summary>All prompts of a run, in their original order (only those not done with <paramref name="pendingOnly"/>).</summary>
    IReadOnlyList<PromptItem> Prompts(string runId, bool pendingOnly = false);

    /// <summary>Hashes of every cached request, loaded once per run so a cache miss costs no query.</summary>
    HashSet<string> CachedHashes();
    IReadOnlyList<Completion>? FindCached(string requestHash);

    /// <summary>Writes a batch of finished requests in one transaction (generations, scores, request log, prompt status, cache).</summary>
    void WriteBatch(string runId, IReadOnlyList<RequestResult> batch);

    /// <summary>Every prompt of a run with its scored generations (none for prompts not answered yet).</summary>
    IReadOnlyList<PromptOutcome> LoadOutcomes(string runId);

    /// <summary>Counts for a run: prompts done / failed / pending, generations, requests sent (not from cache).</summary>
    (int Done, int Failed, int Pending, int Generations, int Requests) Counts(string runId);
}

/// <summary>Opens the store a <c>--store</c> value names.</summary>
public static class RunStore
{
    /// <summary>
    /// <c>postgres://user:pass@host:port/db[?key=value...]</c> (or <c>postgresql://</c>), <c>postgres:CONNECTION-STRING</c>
    /// (Npgsql key=value form), <c>sqlite:PATH</c>, or a SQLite file path.
    /// </summary>
    public static IRunStore Open(string spec)
    {
        if (IsPostgres(spec)) return new PostgresRunStore(PostgresRunStore.ToConnectionString(spec));
        return SqliteRunStore.Open(spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) ? spec["sqlite:".Length..] : spec);
    }

    /// <summary>True for <c>postgres://</c>, <c>postgresql://</c> and <c>postgres:</c> (connection string) specs.</summary>
    public static bool IsPostgres(string spec) =>
        spec.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("postgresql:", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The shared ADO.NET implementation of <see cref="IRunStore"/>; the subclasses only open connections and create the
/// schema in their dialect (every statement below is valid in both SQLite and PostgreSQL). A run's rows are written as
/// requests finish, by one writer, in small transactions, so a killed run loses at most the batch in flight, and resume
/// picks up the prompts that have no generations yet. Thread-safety: writes are serialised by a lock on one writer
/// connection; reads open their own pooled connection.
/// </summary>
public abstract class DbRunStore : IRunStore
{
    private readonly Lock _gate = new();
    private DbConnection? _writerConnection;

    public abstract string Location { get; }

    /// <summary>Opens a new (pooled) connection.</summary>
    protected abstract DbConnection OpenConnection();

    /// <summary>Opens the writer connection and creates the schema; called by the subclass constructor.</summary>
    /// <summary>
    /// The tables of a run store, in the SQL both SQLite and PostgreSQL accept; only the auto-increment key and the
    /// floating-point type differ between the two.
    /// </summary>
    protected static string SchemaSql(string identity, string real) => $$"""
        CREATE TABLE IF NOT EXISTS runs(
            id TEXT PRIMARY KEY, suite TEXT NOT NULL, target TEXT NOT NULL, model TEXT NOT NULL, config_json TEXT NOT NULL,
            warden_version TEXT NOT NULL, scorer_model TEXT NOT NULL, refusal_model TEXT NOT NULL, dataset_hashes_json TEXT NOT NULL,
            status TEXT NOT NULL, created_utc TEXT NOT NULL, updated_utc TEXT NOT NULL, usage_json TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE IF NOT EXISTS prompts(
            run_id TEXT NOT NULL, prompt_id TEXT NOT NULL, ordinal INTEGER NOT NULL, prompt TEXT NOT NULL, groups_json TEXT NOT NULL,
            meta_json TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', error TEXT, PRIMARY KEY(run_id, prompt_id));
        CREATE TABLE IF NOT EXISTS requests(
            id {{identity}}, run_id TEXT NOT NULL, prompt_id TEXT NOT NULL, request_hash TEXT NOT NULL,
            from_cache INTEGER NOT NULL, status TEXT NOT NULL, error TEXT, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
            finished_utc TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS generations(
            run_id TEXT NOT NULL, prompt_id TEXT NOT NULL, sample INTEGER NOT NULL, text TEXT NOT NULL, finish_reason TEXT,
            PRIMARY KEY(run_id, prompt_id, sample));
        CREATE TABLE IF NOT EXISTS scores(
            run_id TEXT NOT NULL, prompt_id TEXT NOT NULL, sample INTEGER NOT NULL, toxicity {{real}} NOT NULL, scores TEXT NOT NULL,
            flagged INTEGER NOT NULL, language TEXT NOT NULL, refusal_label TEXT NOT NULL, refusal_score {{real}} NOT NULL,
            judge_flagged INTEGER, PRIMARY KEY(run_id, prompt_id, sample));
        CREATE TABLE IF NOT EXISTS cache(request_hash TEXT PRIMARY KEY, completions_json TEXT NOT NULL, created_utc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS requests_run ON requests(run_id, prompt_id);

        """;

    protected void Initialize(string writerSetup, string schema)
    {
        _writerConnection = OpenConnection();
        if (writerSetup.Length > 0) Execute(_writerConnection, writerSetup);
        Execute(_writerConnection, schema);
    }

    private DbConnection _writer => _writerConnection ?? throw new InvalidOperationException("run store not initialised");

    public void CreateRun(RunRecord run, IReadOnlyList<PromptItem> prompts)
    {
        lock (_gate)
        {
            using var tx = _writer.BeginTransaction();
            using (var cmd = Command(_writer, tx, """
                INSERT INTO runs(id, suite, target, model, config_json, warden_version, scorer_model, refusal_model, dataset_hashes_json, status, created_utc, updated_utc, usage_json)
                VALUES(@id, @suite, @target, @model, @config, @version, @scorer, @refusal, @hashes, @status, @created, @created, @usage)
                """))
            {
                AddParameter(cmd, "@id", run.Id);
                AddParameter(cmd, "@suite", run.Suite);
                AddParameter(cmd, "@target", run.Target);
                AddParameter(cmd, "@model", run.Model);
                AddParameter(cmd, "@config", run.ConfigJson);
                AddParameter(cmd, "@version", run.WardenVersion);
                AddParameter(cmd, "@scorer", run.ScorerModel);
                AddParameter(cmd, "@refusal", run.RefusalModel);
                AddParameter(cmd, "@hashes", run.DatasetHashesJson);
                AddParameter(cmd, "@status", run.Status);
                AddParameter(cmd, "@created", run.Created.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                AddParameter(cmd, "@usage", run.UsageJson);
                cmd.ExecuteNonQuery();
            }
            using (var cmd = Command(_writer, tx, "INSERT INTO prompts(run_id, prompt_id, ordinal, prompt, groups_json, meta_json) VALUES(@run, @id, @ordinal, @prompt, @groups, @meta)"))
            {
                for (var i = 0; i < prompts.Count; i++)
                {
                    Bind(cmd, ("@run", run.Id), ("@id", prompts[i].Id), ("@ordinal", i), ("@prompt", prompts[i].Text),
                        ("@groups", JsonSerializer.Serialize(prompts[i].Groups)), ("@meta", JsonSerializer.Serialize(prompts[i].Meta)));
                    cmd.ExecuteNonQuery();
                }
            }
            tx.Commit();
        }
    }

    public RunRecord GetRun(string runId) =>
        FindRun(runId) ?? throw new ArgumentException($"no run '{runId}' in {Location}");

    public RunRecord? FindRun(string runId)
    {
        using var c = Read();
        using var cmd = Command(c, null, "SELECT id, suite, target, model, config_json, warden_version, scorer_model, refusal_model, dataset_hashes_json, status, created_utc, usage_json FROM runs WHERE id = @id");
        AddParameter(cmd, "@id", runId);
        using var r = cmd.ExecuteReader();
        if (!r.Read()) return null;
        return new RunRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
            r.GetString(7), r.GetString(8), r.GetString(9), DateTimeOffset.Parse(r.GetString(10), CultureInfo.InvariantCulture), r.GetString(11));
    }

    public IReadOnlyList<string> RunIds()
    {
        using var c = Read();
        using var cmd = Command(c, null, "SELECT id FROM runs ORDER BY created_utc");
        using var r = cmd.ExecuteReader();
        var ids = new List<string>();
        while (r.Read()) ids.Add(r.GetString(0));
        return ids;
    }

    public void SetStatus(string runId, string status, TargetUsage? usage)
    {
        lock (_gate)
        {
            using var cmd = Command(_writer, null, usage is null
                ? "UPDATE runs SET status = @status, updated_utc = @now WHERE id = @id"
                : "UPDATE runs SET status = @status, updated_utc = @now, usage_json = @usage WHERE id = @id");
            AddParameter(cmd, "@status", status);
            AddParameter(cmd, "@now", DateTimeOffset.UtcNow.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            AddParameter(cmd, "@id", runId);
            if (usage is not null) AddParameter(cmd, "@usage", JsonSerializer.Serialize(usage));
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>All prompts of a run, in their original order.</summary>
    public IReadOnlyList<PromptItem> Prompts(string runId, bool pendingOnly = false)
    {
        using var c = Read();
        using var cmd = Command(c, null, "SELECT prompt_id, prompt, groups_json, meta_json FROM prompts WHERE run_id = @run"
            + (pendingOnly ? " AND status <> 'done'" : "") + " ORDER BY ordinal");
        AddParameter(cmd, "@run", runId);
        using var r = cmd.ExecuteReader();
        var prompts = new List<PromptItem>();
        while (r.Read())
            prompts.Add(new PromptItem(r.GetString(0), r.GetString(1),
                JsonSerializer.Deserialize<List<string>>(r.GetString(2)) ?? [],
                JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(3)) ?? []));
        return prompts;
    }

    /// <summary>Hashes of every cached request, loaded once per run so a cache miss costs no query.</summary>
    public HashSet<string> CachedHashes()
    {
        using var c = Read();
        using var cmd = Command(c, null, "SELECT request_hash FROM cache");
        using var r = cmd.ExecuteReader();
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (r.Read()) set.Add(r.GetString(0));
        return set;
    }

    public IReadOnlyList<Completion>? FindCached(string requestHash)
    {
        using var c = Read();
        using var cmd = Command(c, null, "SELECT completions_json FROM cache WHERE request_hash = @hash");
        AddParameter(cmd, "@hash", requestHash);
        return cmd.ExecuteScalar() is string json ? JsonSerializer.Deserialize<List<Completion>>(json) : null;
    }

    /// <summary>Writes a batch of finished requests in one transaction (generations, scores, request log, prompt status, cache).</summary>
    public void WriteBatch(string runId, IReadOnlyList<RequestResult> batch)
    {
        if (batch.Count == 0) return;
        var now = DateTimeOffset.UtcNow.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        lock (_gate)
        {
            using var tx = _writer.BeginTransaction();
            using var request = Command(_writer, tx, """
                INSERT INTO requests(run_id, prompt_id, request_hash, from_cache, status, error, prompt_tokens, completion_tokens, finished_utc)
                VALUES(@run, @prompt, @hash, @cache, @status, @error, @pt, @ct, @now)
                """);
            using var generation = Command(_writer, tx, "INSERT INTO generations(run_id, prompt_id, sample, text, finish_reason) VALUES(@run, @prompt, @sample, @text, @finish) ON CONFLICT(run_id, prompt_id, sample) DO UPDATE SET text = excluded.text, finish_reason = excluded.finish_reason");
            using var score = Command(_writer, tx, """
                INSERT INTO scores(run_id, prompt_id, sample, toxicity, scores, flagged, language, refusal_label, refusal_score, judge_flagged)
                VALUES(@run, @prompt, @sample, @tox, @scores, @flagged, @lang, @label, @rscore, @judge)
                ON CONFLICT(run_id, prompt_id, sample) DO UPDATE SET toxicity = excluded.toxicity, scores = excluded.scores, flagged = excluded.flagged,
                    language = excluded.language, refusal_label = excluded.refusal_label, refusal_score = excluded.refusal_score,
                    judge_flagged = excluded.judge_flagged
                """);
            using var status = Command(_writer, tx, "UPDATE prompts SET status = @status, error = @error WHERE run_id = @run AND prompt_id = @prompt");
            using var cache = Command(_writer, tx, "INSERT INTO cache(request_hash, completions_json, created_utc) VALUES(@hash, @json, @now) ON CONFLICT(request_hash) DO NOTHING");
            foreach (var item in batch)
            {
                var ok = item.Error is null && item.Result is not null && item.Scored is not null;
                Bind(request, ("@run", runId), ("@prompt", item.PromptId), ("@hash", item.RequestHash), ("@cache", item.FromCache ? 1 : 0),
                    ("@status", ok ? "done" : "failed"), ("@error", item.Error), ("@pt", item.Result?.PromptTokens ?? 0),
                    ("@ct", item.Result?.CompletionTokens ?? 0), ("@now", now));
                request.ExecuteNonQuery();
                if (ok)
                {
                    for (var i = 0; i < item.Result!.Completions.Count; i++)
                    {
                        var c = item.Result.Completions[i];
                        Bind(generation, ("@run", runId), ("@prompt", item.PromptId), ("@sample", i), ("@text", c.Text), ("@finish", c.FinishReason));
                        generation.ExecuteNonQuery();
                        var s = item.Scored![i];
                        Bind(score, ("@run", runId), ("@prompt", item.PromptId), ("@sample", i), ("@tox", (double)s.Toxicity),
                            ("@scores", string.Join(",", s.Scores.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))),
                            ("@flagged", s.Flagged ? 1 : 0), ("@lang", s.Language), ("@label", s.Refusal.WireName()), ("@rscore", s.RefusalScore),
                            ("@judge", s.JudgeFlagged is { } j ? (j ? 1 : 0) : null));
                        score.ExecuteNonQuery();
                    }
                    if (!item.FromCache)
                    {
                        Bind(cache, ("@hash", item.RequestHash), ("@json", JsonSerializer.Serialize(item.Result.Completions)), ("@now", now));
                        cache.ExecuteNonQuery();
                    }
                }
                Bind(status, ("@status", ok ? "done" : "failed"), ("@error", item.Error), ("@run", runId), ("@prompt", item.PromptId));
                status.ExecuteNonQuery();
            }
            tx.Commit();
        }
    }

    /// <summary>Every prompt of a run with its scored generations (none for prompts not answered yet).</summary>
    public IReadOnlyList<PromptOutcome> LoadOutcomes(string runId)
    {
        var prompts = Prompts(runId);
        var generations = new Dictionary<string, List<ScoredGeneration>>(StringComparer.Ordinal);
        using (var c = Read())
        using (var cmd = Command(c, null, """
            SELECT g.prompt_id, g.sample, g.text, s.scores, s.flagged, s.language, s.refusal_label, s.refusal_score, s.judge_flagged
            FROM generations g JOIN scores s ON s.run_id = g.run_id AND s.prompt_id = g.prompt_id AND s.sample = g.sample
            WHERE g.run_id = @run ORDER BY g.prompt_id, g.sample
            """))
        {
            AddParameter(cmd, "@run", runId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var id = r.GetString(0);
                if (!generations.TryGetValue(id, out var list)) generations[id] = list = [];
                var scores = r.GetString(3).Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                list.Add(new ScoredGeneration(r.GetInt32(1), r.GetString(2), scores, r.GetInt32(4) != 0, r.GetString(5),
                    RefusalLabels.Parse(r.GetString(6)), r.GetDouble(7), r.IsDBNull(8) ? null : r.GetInt32(8) != 0));
            }
        }
        return prompts.Select(p => new PromptOutcome(p, generations.TryGetValue(p.Id, out var g) ? g : [])).ToList();
    }

    /// <summary>Counts for a run: prompts done / failed / pending, generations, requests sent (not from cache).</summary>
    public (int Done, int Failed, int Pending, int Generations, int Requests) Counts(string runId)
    {
        using var c = Read();
        using var cmd = Command(c, null, """
            SELECT CAST((SELECT COUNT(*) FROM prompts WHERE run_id = @run AND status = 'done') AS INTEGER),
                   CAST((SELECT COUNT(*) FROM prompts WHERE run_id = @run AND status = 'failed') AS INTEGER),
                   CAST((SELECT COUNT(*) FROM prompts WHERE run_id = @run AND status = 'pending') AS INTEGER),
                   CAST((SELECT COUNT(*) FROM generations WHERE run_id = @run) AS INTEGER),
                   CAST((SELECT COUNT(*) FROM requests WHERE run_id = @run AND from_cache = 0) AS INTEGER)
            """);
        AddParameter(cmd, "@run", runId);
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4));
    }

    private DbConnection Read() => OpenConnection();

    private static DbCommand Command(DbConnection c, DbTransaction? tx, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static void AddParameter(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        cmd.Parameters.Add(p);
    }

    private static void Bind(DbCommand cmd, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (cmd.Parameters.Contains(name)) cmd.Parameters[name].Value = value ?? DBNull.Value;
            else AddParameter(cmd, name, value);
        }
    }

    private static void Execute(DbConnection c, string sql)
    {
        using var cmd = Command(c, null, sql);
        cmd.ExecuteNonQuery();
    }

    /// <summary>Runs a statement on the writer connection (schema migrations).</summary>
    protected void ExecuteWrite(string sql)
    {
        lock (_gate) Execute(_writer, sql);
    }

    /// <summary>One scalar from a query on a fresh connection (tests use it to look at the tables directly).</summary>
    protected internal object? QueryScalar(string sql)
    {
        using var c = Read();
        using var cmd = Command(c, null, sql);
        return cmd.ExecuteScalar();
    }

    public void Dispose()
    {
        _writerConnection?.Dispose();
        DisposeCore();
        GC.SuppressFinalize(this);
    }

    protected virtual void DisposeCore() { }
}

/// <summary>The SQLite run store (WAL; <c>runs/warden.db</c> by default).</summary>
public sealed class SqliteRunStore : DbRunStore
{
    private readonly string _connectionString;

    public string Path { get; }
    public override string Location => Path;

    private SqliteRunStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
        Initialize("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;", Schema);
        Migrate();
    }

    public static SqliteRunStore Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return new SqliteRunStore(full);
    }

    protected override DbConnection OpenConnection()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        return c;
    }

    private static readonly string Schema = SchemaSql(identity: "INTEGER PRIMARY KEY AUTOINCREMENT", real: "REAL");


    /// <summary>Stores made before the LLM judge lack <c>scores.judge_flagged</c> (SQLite has no ADD COLUMN IF NOT EXISTS).</summary>
    private void Migrate()
    {
        if (Convert.ToInt64(QueryScalar("SELECT COUNT(*) FROM pragma_table_info('scores') WHERE name = 'judge_flagged'"), CultureInfo.InvariantCulture) == 0)
            ExecuteWrite("ALTER TABLE scores ADD COLUMN judge_flagged INTEGER");
    }
}

/// <summary>
/// The PostgreSQL run store (<c>--store postgres://user:pass@host:port/db</c>, or <c>postgres:</c> + an Npgsql
/// connection string): the same tables as SQLite, in PostgreSQL types (timestamps stay ISO-8601 text, so both stores
/// read alike). Tables go in the connection's search path (<c>?search_path=NAME</c> or <c>Search Path=NAME</c> picks
/// a schema, which must exist).
/// </summary>
public sealed class PostgresRunStore : DbRunStore
{
    private readonly NpgsqlDataSource _dataSource;

    public override string Location { get; }

    public PostgresRunStore(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Location = $"postgres://{builder.Host}:{builder.Port}/{builder.Database}" + (builder.SearchPath is { Length: > 0 } sp ? $"?search_path={sp}" : "");
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        Initialize("", Schema);
    }

    /// <summary>See <see cref="PostgresConnection.ToConnectionString"/>: the one place Warden's stores parse a PostgreSQL spec.</summary>
    public static string ToConnectionString(string spec) => PostgresConnection.ToConnectionString(spec);

    protected override DbConnection OpenConnection() => _dataSource.OpenConnection();

    protected override void DisposeCore() => _dataSource.Dispose();

    // Stores made before the LLM judge lack scores.judge_flagged; PostgreSQL can add it idempotently.
    private static readonly string Schema = SchemaSql(identity: "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", real: "DOUBLE PRECISION")
        + "ALTER TABLE scores ADD COLUMN IF NOT EXISTS judge_flagged INTEGER;\n";
}
