using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Warden.LlmEval.Refusal;
using Warden.LlmEval.Suites;
using Warden.LlmEval.Targets;

namespace Warden.LlmEval.Store;

/// <summary>What a run records so that its result can be reproduced.</summary>
public sealed record RunRecord(
    string Id, string Suite, string Target, string Model, string ConfigJson, string WardenVersion, string ScorerModel,
    string RefusalModel, string DatasetHashesJson, string Status, DateTimeOffset Created, string UsageJson);

/// <summary>One finished request: the k completions of a prompt and their scores, written in one transaction.</summary>
public sealed record RequestResult(
    string PromptId, string RequestHash, bool FromCache, GenerationResult? Result, IReadOnlyList<ScoredGeneration>? Scored, string? Error);

/// <summary>
/// The SQLite run store (<c>runs/warden.db</c> by default): runs, their prompts (the work list), requests, generations,
/// scores, and a cache of completions by request hash. A run's rows are written as requests finish, by one writer, in
/// small transactions, so a killed run loses at most the batch in flight, and resume picks up the prompts that have
/// no generations yet. Thread-safety: writes are serialised by a lock; reads open their own pooled connection.
/// </summary>
public sealed class RunStore : IDisposable
{
    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly Lock _gate = new();

    public string Path { get; }

    private RunStore(string path)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true }.ToString();
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;");
        Execute(_writer, Schema);
    }

    public static RunStore Open(string path)
    {
        if (path.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || path.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException("a PostgreSQL store is not implemented yet; give a SQLite file path to --store");
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        return new RunStore(full);
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS runs(
            id TEXT PRIMARY KEY, suite TEXT NOT NULL, target TEXT NOT NULL, model TEXT NOT NULL, config_json TEXT NOT NULL,
            warden_version TEXT NOT NULL, scorer_model TEXT NOT NULL, refusal_model TEXT NOT NULL, dataset_hashes_json TEXT NOT NULL,
            status TEXT NOT NULL, created_utc TEXT NOT NULL, updated_utc TEXT NOT NULL, usage_json TEXT NOT NULL DEFAULT '{}');
        CREATE TABLE IF NOT EXISTS prompts(
            run_id TEXT NOT NULL, prompt_id TEXT NOT NULL, ordinal INTEGER NOT NULL, prompt TEXT NOT NULL, groups_json TEXT NOT NULL,
            meta_json TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending', error TEXT, PRIMARY KEY(run_id, prompt_id));
        CREATE TABLE IF NOT EXISTS requests(
            id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, prompt_id TEXT NOT NULL, request_hash TEXT NOT NULL,
            from_cache INTEGER NOT NULL, status TEXT NOT NULL, error TEXT, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
            finished_utc TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS generations(
            run_id TEXT NOT NULL, prompt_id TEXT NOT NULL, sample INTEGER NOT NULL, text TEXT NOT NULL, finish_reason TEXT,
            PRIMARY KEY(run_id, prompt_id, sample));
        CREATE TABLE IF NOT EXISTS scores(
            run_id TEXT NOT NULL, prompt_id TEXT NOT NULL, sample INTEGER NOT NULL, toxicity REAL NOT NULL, scores TEXT NOT NULL,
            flagged INTEGER NOT NULL, language TEXT NOT NULL, refusal_label TEXT NOT NULL, refusal_score REAL NOT NULL,
            PRIMARY KEY(run_id, prompt_id, sample));
        CREATE TABLE IF NOT EXISTS cache(request_hash TEXT PRIMARY KEY, completions_json TEXT NOT NULL, created_utc TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS requests_run ON requests(run_id, prompt_id);
        """;

    public void CreateRun(RunRecord run, IReadOnlyList<PromptItem> prompts)
    {
        lock (_gate)
        {
            using var tx = _writer.BeginTransaction();
            using (var cmd = Command(_writer, tx, """
                INSERT INTO runs(id, suite, target, model, config_json, warden_version, scorer_model, refusal_model, dataset_hashes_json, status, created_utc, updated_utc, usage_json)
                VALUES($id, $suite, $target, $model, $config, $version, $scorer, $refusal, $hashes, $status, $created, $created, $usage)
                """))
            {
                cmd.Parameters.AddWithValue("$id", run.Id);
                cmd.Parameters.AddWithValue("$suite", run.Suite);
                cmd.Parameters.AddWithValue("$target", run.Target);
                cmd.Parameters.AddWithValue("$model", run.Model);
                cmd.Parameters.AddWithValue("$config", run.ConfigJson);
                cmd.Parameters.AddWithValue("$version", run.WardenVersion);
                cmd.Parameters.AddWithValue("$scorer", run.ScorerModel);
                cmd.Parameters.AddWithValue("$refusal", run.RefusalModel);
                cmd.Parameters.AddWithValue("$hashes", run.DatasetHashesJson);
                cmd.Parameters.AddWithValue("$status", run.Status);
                cmd.Parameters.AddWithValue("$created", run.Created.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                cmd.Parameters.AddWithValue("$usage", run.UsageJson);
                cmd.ExecuteNonQuery();
            }
            using (var cmd = Command(_writer, tx, "INSERT INTO prompts(run_id, prompt_id, ordinal, prompt, groups_json, meta_json) VALUES($run, $id, $ordinal, $prompt, $groups, $meta)"))
            {
                var run_ = cmd.Parameters.Add("$run", SqliteType.Text);
                var id = cmd.Parameters.Add("$id", SqliteType.Text);
                var ordinal = cmd.Parameters.Add("$ordinal", SqliteType.Integer);
                var prompt = cmd.Parameters.Add("$prompt", SqliteType.Text);
                var groups = cmd.Parameters.Add("$groups", SqliteType.Text);
                var meta = cmd.Parameters.Add("$meta", SqliteType.Text);
                run_.Value = run.Id;
                for (var i = 0; i < prompts.Count; i++)
                {
                    id.Value = prompts[i].Id;
                    ordinal.Value = i;
                    prompt.Value = prompts[i].Text;
                    groups.Value = JsonSerializer.Serialize(prompts[i].Groups);
                    meta.Value = JsonSerializer.Serialize(prompts[i].Meta);
                    cmd.ExecuteNonQuery();
                }
            }
            tx.Commit();
        }
    }

    public RunRecord GetRun(string runId) =>
        FindRun(runId) ?? throw new ArgumentException($"no run '{runId}' in {Path}");

    public RunRecord? FindRun(string runId)
    {
        using var c = Read();
        using var cmd = Command(c, null, "SELECT id, suite, target, model, config_json, warden_version, scorer_model, refusal_model, dataset_hashes_json, status, created_utc, usage_json FROM runs WHERE id = $id");
        cmd.Parameters.AddWithValue("$id", runId);
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
                ? "UPDATE runs SET status = $status, updated_utc = $now WHERE id = $id"
                : "UPDATE runs SET status = $status, updated_utc = $now, usage_json = $usage WHERE id = $id");
            cmd.Parameters.AddWithValue("$status", status);
            cmd.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$id", runId);
            if (usage is not null) cmd.Parameters.AddWithValue("$usage", JsonSerializer.Serialize(usage));
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>All prompts of a run, in their original order.</summary>
    public IReadOnlyList<PromptItem> Prompts(string runId, bool pendingOnly = false)
    {
        using var c = Read();
        using var cmd = Command(c, null, "SELECT prompt_id, prompt, groups_json, meta_json FROM prompts WHERE run_id = $run"
            + (pendingOnly ? " AND status <> 'done'" : "") + " ORDER BY ordinal");
        cmd.Parameters.AddWithValue("$run", runId);
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
        using var cmd = Command(c, null, "SELECT completions_json FROM cache WHERE request_hash = $hash");
        cmd.Parameters.AddWithValue("$hash", requestHash);
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
                VALUES($run, $prompt, $hash, $cache, $status, $error, $pt, $ct, $now)
                """);
            using var generation = Command(_writer, tx, "INSERT OR REPLACE INTO generations(run_id, prompt_id, sample, text, finish_reason) VALUES($run, $prompt, $sample, $text, $finish)");
            using var score = Command(_writer, tx, """
                INSERT OR REPLACE INTO scores(run_id, prompt_id, sample, toxicity, scores, flagged, language, refusal_label, refusal_score)
                VALUES($run, $prompt, $sample, $tox, $scores, $flagged, $lang, $label, $rscore)
                """);
            using var status = Command(_writer, tx, "UPDATE prompts SET status = $status, error = $error WHERE run_id = $run AND prompt_id = $prompt");
            using var cache = Command(_writer, tx, "INSERT OR IGNORE INTO cache(request_hash, completions_json, created_utc) VALUES($hash, $json, $now)");
            foreach (var item in batch)
            {
                var ok = item.Error is null && item.Result is not null && item.Scored is not null;
                Bind(request, ("$run", runId), ("$prompt", item.PromptId), ("$hash", item.RequestHash), ("$cache", item.FromCache ? 1 : 0),
                    ("$status", ok ? "done" : "failed"), ("$error", item.Error), ("$pt", item.Result?.PromptTokens ?? 0),
                    ("$ct", item.Result?.CompletionTokens ?? 0), ("$now", now));
                request.ExecuteNonQuery();
                if (ok)
                {
                    for (var i = 0; i < item.Result!.Completions.Count; i++)
                    {
                        var c = item.Result.Completions[i];
                        Bind(generation, ("$run", runId), ("$prompt", item.PromptId), ("$sample", i), ("$text", c.Text), ("$finish", c.FinishReason));
                        generation.ExecuteNonQuery();
                        var s = item.Scored![i];
                        Bind(score, ("$run", runId), ("$prompt", item.PromptId), ("$sample", i), ("$tox", (double)s.Toxicity),
                            ("$scores", string.Join(",", s.Scores.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))),
                            ("$flagged", s.Flagged ? 1 : 0), ("$lang", s.Language), ("$label", s.Refusal.WireName()), ("$rscore", s.RefusalScore));
                        score.ExecuteNonQuery();
                    }
                    if (!item.FromCache)
                    {
                        Bind(cache, ("$hash", item.RequestHash), ("$json", JsonSerializer.Serialize(item.Result.Completions)), ("$now", now));
                        cache.ExecuteNonQuery();
                    }
                }
                Bind(status, ("$status", ok ? "done" : "failed"), ("$error", item.Error), ("$run", runId), ("$prompt", item.PromptId));
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
            SELECT g.prompt_id, g.sample, g.text, s.scores, s.flagged, s.language, s.refusal_label, s.refusal_score
            FROM generations g JOIN scores s ON s.run_id = g.run_id AND s.prompt_id = g.prompt_id AND s.sample = g.sample
            WHERE g.run_id = $run ORDER BY g.prompt_id, g.sample
            """))
        {
            cmd.Parameters.AddWithValue("$run", runId);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var id = r.GetString(0);
                if (!generations.TryGetValue(id, out var list)) generations[id] = list = [];
                var scores = r.GetString(3).Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                list.Add(new ScoredGeneration(r.GetInt32(1), r.GetString(2), scores, r.GetInt32(4) != 0, r.GetString(5),
                    RefusalLabels.Parse(r.GetString(6)), r.GetDouble(7)));
            }
        }
        return prompts.Select(p => new PromptOutcome(p, generations.TryGetValue(p.Id, out var g) ? g : [])).ToList();
    }

    /// <summary>Counts for a run: prompts done / failed / pending, generations, requests sent (not from cache).</summary>
    public (int Done, int Failed, int Pending, int Generations, int Requests) Counts(string runId)
    {
        using var c = Read();
        using var cmd = Command(c, null, """
            SELECT (SELECT COUNT(*) FROM prompts WHERE run_id = $run AND status = 'done'),
                   (SELECT COUNT(*) FROM prompts WHERE run_id = $run AND status = 'failed'),
                   (SELECT COUNT(*) FROM prompts WHERE run_id = $run AND status = 'pending'),
                   (SELECT COUNT(*) FROM generations WHERE run_id = $run),
                   (SELECT COUNT(*) FROM requests WHERE run_id = $run AND from_cache = 0)
            """);
        cmd.Parameters.AddWithValue("$run", runId);
        using var r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt32(0), r.GetInt32(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4));
    }

    private SqliteConnection Read()
    {
        var c = new SqliteConnection(_connectionString);
        c.Open();
        return c;
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static void Bind(SqliteCommand cmd, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            if (cmd.Parameters.Contains(name)) cmd.Parameters[name].Value = value ?? DBNull.Value;
            else cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var cmd = Command(c, null, sql);
        cmd.ExecuteNonQuery();
    }

    public void Dispose() => _writer.Dispose();
}
