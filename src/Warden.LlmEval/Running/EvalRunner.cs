using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Warden.Core;
using Warden.LlmEval.Refusal;
using Warden.LlmEval.Stats;
using Warden.LlmEval.Store;
using Warden.LlmEval.Suites;
using Warden.LlmEval.Summaries;
using Warden.LlmEval.Targets;

namespace Warden.LlmEval.Running;

/// <summary>A snapshot for progress displays.</summary>
public sealed record RunProgress(string RunId, int TotalPrompts, int DonePrompts, int FailedPrompts, long Generations, long FromCache, TimeSpan Elapsed, TargetUsage Usage)
{
    public double GenerationsPerSecond => Generations / Math.Max(Elapsed.TotalSeconds, 1e-3);
}

/// <summary>How a run (or a resumed part of it) ended.</summary>
public sealed record RunResult(string RunId, string Status, SuiteSummary Summary, int Done, int Failed, int Pending, long GenerationsThisSession, TimeSpan Elapsed, TargetUsage Usage);

/// <summary>
/// Drives a suite against a target: sends each pending prompt (bounded by the target's concurrency), scores the
/// completions with the toxicity scorer and the refusal classifier, and hands them to a single writer that stores
/// them in batches. Two ways to stop: <c>stop</c> stops sending new requests and lets the ones in flight finish
/// and be stored (Ctrl+C); <c>abort</c> cancels in-flight requests too (their prompts stay pending). An optional LLM
/// <paramref name="judge"/> (any <see cref="IScorer"/>, e.g. Llama Guard) also judges every completion; its verdict
/// (flagged when any score reaches the judge's threshold) is stored with the scores and used by <c>sst</c>.
/// </summary>
public sealed class EvalRunner(IRunStore store, IScorer scorer, IRefusalClassifier refusal, string datasetsRoot, IScorer? judge = null)
{
    public static string WardenVersion =>
        typeof(EvalRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>Creates the run record and its work list, and runs it.</summary>
    public async Task<RunResult> StartAsync(RunConfig config, ITarget target, string? runId = null, IProgress<RunProgress>? progress = null,
        CancellationToken stop = default, CancellationToken abort = default)
    {
        var suite = SuiteRegistry.Get(config.Suite);
        var context = new SuiteContext(datasetsRoot, config.SuiteOptions);
        var prompts = suite.LoadPrompts(context);
        if (config.Limit is > 0 and var limit && limit < prompts.Count)
            // A deterministic pseudo-random subset, so a smoke run touches every group rather than the first file.
            prompts = SuiteData.Sample(prompts, limit, p => p.Id);
        if (prompts.Count == 0) throw new InvalidDataException($"suite {suite.Name} has no prompts");
        var duplicate = prompts.GroupBy(p => p.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new InvalidDataException($"suite {suite.Name}: duplicate prompt id {duplicate.Key}");

        runId ??= $"{suite.Name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{RandomNumberGenerator.GetHexString(4, lowercase: true)}";
        if (judge is not null) config = config with { Judge = judge.ModelName };
        var hashes = suite.DataFiles(context).ToDictionary(f => System.IO.Path.GetRelativePath(datasetsRoot, f).Replace('\\', '/'), HashFile);
        store.CreateRun(new RunRecord(runId, suite.Name, target.Description, config.Model, config.ToJson(), WardenVersion, scorer.ModelName,
            refusal.Name, JsonSerializer.Serialize(hashes), "running", DateTimeOffset.UtcNow, "{}"), prompts);
        return await RunPendingAsync(runId, config, target, progress, stop, abort).ConfigureAwait(false);
    }

    /// <summary>Continues a run: only prompts without stored generations are sent again.</summary>
    public Task<RunResult> ResumeAsync(string runId, ITarget target, IProgress<RunProgress>? progress = null,
        CancellationToken stop = default, CancellationToken abort = default)
    {
        var run = store.GetRun(runId);
        return RunPendingAsync(runId, RunConfig.FromJson(run.ConfigJson), target, progress, stop, abort);
    }

    private async Task<RunResult> RunPendingAsync(string runId, RunConfig config, ITarget target, IProgress<RunProgress>? progress,
        CancellationToken stop, CancellationToken abort)
    {
        var suite = SuiteRegistry.Get(config.Suite);
        var pending = store.Prompts(runId, pendingOnly: true);
        var (doneBefore, _, _, _, _) = store.Counts(runId);
        var total = doneBefore + pending.Count;
        store.SetStatus(runId, "running", null);

        var cached = config.UseCache ? store.CachedHashes() : [];
        var channel = Channel.CreateBounded<RequestResult>(new BoundedChannelOptions(4096) { SingleReader = true });
        var clock = Stopwatch.StartNew();
        long generations = 0, fromCache = 0;
        int done = doneBefore, failed = 0;

        void Report() => progress?.Report(new RunProgress(runId, total, Volatile.Read(ref done), Volatile.Read(ref failed),
            Interlocked.Read(ref generations), Interlocked.Read(ref fromCache), clock.Elapsed, target.Usage));

        // One writer: SQLite wants a single writer, and batching many results per transaction is what makes it fast.
        var writer = Task.Run(async () =>
        {
            var batch = new List<RequestResult>(512);
            while (await channel.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (batch.Count < 512 && channel.Reader.TryRead(out var item)) batch.Add(item);
                store.WriteBatch(runId, batch);
                foreach (var item in batch)
                {
                    if (item.Error is null) { Interlocked.Increment(ref done); Interlocked.Add(ref generations, item.Scored!.Count); }
                    else Interlocked.Increment(ref failed);
                    if (item.FromCache) Interlocked.Increment(ref fromCache);
                }
                batch.Clear();
                Report();
            }
        });

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stop, abort);
        var stopped = false;
        try
        {
            await Parallel.ForEachAsync(pending, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, config.Concurrency), CancellationToken = linked.Token },
                async (prompt, _) =>
                {
                    var result = await ProcessAsync(prompt, suite, config, target, cached, abort).ConfigureAwait(false);
                    if (result is not null) await channel.Writer.WriteAsync(result, CancellationToken.None).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested || abort.IsCancellationRequested)
        {
            stopped = true;
        }
        finally
        {
            channel.Writer.Complete();
            await writer.ConfigureAwait(false);
        }

        var (d, f, p, _, _) = store.Counts(runId);
        var status = p == 0 && f == 0 ? "complete" : stopped ? "interrupted" : p > 0 ? "interrupted" : "incomplete";
        store.SetStatus(runId, status, target.Usage);
        Report();
        var summary = Summarize(runId);
        return new RunResult(runId, status, summary, d, f, p, Interlocked.Read(ref generations), clock.Elapsed, target.Usage);
    }

    /// <summary>Recomputes a run's summary from the store (also what reports and resume use).</summary>
    public SuiteSummary Summarize(string runId)
    {
        var run = store.GetRun(runId);
        var config = RunConfig.FromJson(run.ConfigJson);
        return SuiteEvaluator.Summarize(SuiteRegistry.Get(run.Suite), run.Target, run.Model, run.Id, store.LoadOutcomes(runId),
            new BootstrapOptions(config.BootstrapResamples, config.BootstrapSeed));
    }

    private async Task<RequestResult?> ProcessAsync(PromptItem prompt, ISuite suite, RunConfig config, ITarget target, HashSet<string> cached, CancellationToken abort)
    {
        var request = new GenerationRequest(prompt.Id, prompt.Text, suite.Style, config.Sampling);
        var hash = RequestHash(target.Description, config, request);
        try
        {
            GenerationResult result;
            var fromCache = false;
            if (cached.Contains(hash) && store.FindCached(hash) is { } hit && hit.Count == config.Sampling.Samples)
            {
                result = new GenerationResult(hit);
                fromCache = true;
            }
            else
            {
                result = await target.GenerateAsync(request, abort).ConfigureAwait(false);
            }
            var scored = result.Completions.Select((c, i) => Score(i, prompt.Text, c.Text)).ToList();
            return new RequestResult(prompt.Id, hash, fromCache, result, scored, null);
        }
        catch (GenerationFailedException e)
        {
            return new RequestResult(prompt.Id, hash, false, null, null, e.Message);
        }
        catch (JudgeFailedException e)
        {
            // The prompt is stored as failed (its answer unjudged), so resume retries it.
            return new RequestResult(prompt.Id, hash, false, null, null, e.Message);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            // Aborted in flight: nothing is stored, so the prompt stays pending for resume.
            return null;
        }
    }

    private ScoredGeneration Score(int sample, string prompt, string text)
    {
        var result = scorer.Score(text);
        var verdict = refusal.Classify(prompt, text);
        bool? judged = null;
        if (judge is not null)
        {
            try { judged = judge.IsFlagged(judge.Score(text)); }
            catch (Exception e) when (e is not OperationCanceledException) { throw new JudgeFailedException($"judge {judge.ModelName} failed: {e.Message}", e); }
        }
        return new ScoredGeneration(sample, text, result.Scores, scorer.IsFlagged(result), result.Language, verdict.Label, verdict.Score, judged);
    }

    private sealed class JudgeFailedException(string message, Exception inner) : Exception(message, inner);

    /// <summary>
    /// What makes two requests identical: target, model, API, prompt, style and every sampling parameter. Identical
    /// requests are served from the cache (in this run or any earlier one in the same store), unless --no-cache.
    /// </summary>
    public static string RequestHash(string target, RunConfig config, GenerationRequest request)
    {
        var p = request.Parameters;
        var key = JsonSerializer.Serialize(new object?[]
        {
            target, config.Model, config.Api.ToString(), request.Style.ToString(),
            request.Style == PromptStyle.Continuation ? config.ContinuationTemplate : "", request.Prompt,
            p.Temperature, p.TopP, p.MaxTokens, p.Stop, p.Seed, p.Samples,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
