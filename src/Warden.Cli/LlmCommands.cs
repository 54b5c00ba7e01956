using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Warden.Data.Datasets;
using Warden.Data.Io;
using Warden.LlmEval.Refusal;
using Warden.LlmEval.Reports;
using Warden.LlmEval.Running;
using Warden.LlmEval.Store;
using Warden.LlmEval.Suites;
using Warden.LlmEval.Targets;
using Warden.Scoring;

namespace Warden.Cli;

/// <summary>
/// <c>warden refusal</c>, <c>warden eval llm</c>, <c>warden eval resume</c> and <c>warden report</c>: a thin shell over
/// Warden.LlmEval (all logic a library user needs lives there).
/// </summary>
internal static class LlmCommands
{
    private const string DefaultStore = "runs/warden.db";

    /// <summary>refusal and report are top-level; llm and resume go under <c>eval</c>.</summary>
    public static IEnumerable<Command> Create() => [Refusal(), Llm(), Resume(), ReportCommand()];

    private static Command Llm()
    {
        var suite = new Option<string>("--suite", "-s") { Description = $"suite: {string.Join(", ", SuiteRegistry.All.Select(s => s.Name))}", Required = true };
        var target = new Option<string>("--target", "-t") { Description = "openai:URL (e.g. openai:http://127.0.0.1:8000/v1) or replay:FILE (.jsonl/.csv with prompt id + completion)", Required = true };
        var model = new Option<string?>("--model", "-m") { Description = "model name (required for openai: targets)" };
        var output = new Option<string>("--out", "-o") { Description = "directory for summary.json, report.html and report.md", Required = true };
        var limit = new Option<int?>("--limit") { Description = "evaluate a deterministic subset of N prompts (quick smoke run)" };
        var samples = new Option<int?>("--samples", "-k") { Description = "completions per prompt (default: the suite's, e.g. 25 for rtp)" };
        var temperature = new Option<double?>("--temperature") { Description = "sampling temperature (default: the suite's)" };
        var topP = new Option<double?>("--top-p") { Description = "nucleus sampling p (default: the suite's)" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "maximum tokens per completion (default: the suite's)" };
        var stop = new Option<string[]>("--stop") { Description = "stop sequence(s)", AllowMultipleArgumentsPerToken = true };
        var seed = new Option<int?>("--seed") { Description = "sampling seed sent to the server (recorded; not all servers honour it)" };
        var api = new Option<string>("--api") { Description = "chat or completions", DefaultValueFactory = _ => "chat" };
        var apiKeyEnv = new Option<string>("--api-key-env") { Description = "environment variable holding the API key", DefaultValueFactory = _ => "OPENAI_API_KEY" };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "requests in flight at once", DefaultValueFactory = _ => 16 };
        var timeout = new Option<double>("--timeout") { Description = "seconds per attempt before it is retried", DefaultValueFactory = _ => 120 };
        var retries = new Option<int>("--retries") { Description = "retries on 429/5xx/timeouts (exponential back-off, Retry-After honoured)", DefaultValueFactory = _ => 6 };
        var options = new Option<string[]>("--option") { Description = "suite option KEY=VALUE (e.g. version=v1.0, sentences=0, set=both, per_group=0, file=PATH)", AllowMultipleArgumentsPerToken = true };
        var noCache = new Option<bool>("--no-cache") { Description = "send every request even when an identical one is cached" };
        var bootstrap = new Option<int>("--bootstrap") { Description = "bootstrap resamples for 95% CIs", DefaultValueFactory = _ => 1000 };
        var bootstrapSeed = new Option<int>("--bootstrap-seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 42 };
        var store = new Option<string>("--store") { Description = "run store: a SQLite file, postgres://user:pass@host:port/db[?search_path=SCHEMA], or postgres:CONNECTION-STRING (Npgsql key=value)", DefaultValueFactory = _ => DefaultStore };
        var scorerModel = new Option<string>("--scorer") { Description = "toxicity scorer model name or path", DefaultValueFactory = _ => Scorer.DefaultModel };
        var judge = new Option<string?>("--judge") { Description = "sst only: an LLM judge that also rates every answer, as a scorer spec (e.g. llamaguard:http://127.0.0.1:8000/v1#meta-llama/Llama-Guard-3-8B); an answer is unsafe when the judge flags it or the scorer/refusal rule does; reports unsafe_response_rate (combined), unsafe_response_rate_scorer and unsafe_response_rate_judge" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };

        var command = new Command("llm", "Evaluate an LLM on a benchmark suite (toxicity, bias, over-refusal) with resumable, stored runs")
        {
            suite, target, model, output, limit, samples, temperature, topP, maxTokens, stop, seed, api, apiKeyEnv, concurrency,
            timeout, retries, options, noCache, bootstrap, bootstrapSeed, store, scorerModel, judge, quiet,
        };
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            var s = SuiteRegistry.Get(parse.GetValue(suite)!);
            var d = s.Defaults;
            var apiValue = parse.GetValue(api)!.ToLowerInvariant() switch
            {
                "chat" => OpenAiApi.Chat,
                "completions" or "completion" => OpenAiApi.Completions,
                var other => throw new UsageException($"unknown --api '{other}' (chat, completions)"),
            };
            var sampling = new SamplingParameters
            {
                Samples = parse.GetValue(samples) ?? d.Samples,
                Temperature = parse.GetValue(temperature) ?? d.Temperature,
                TopP = parse.GetValue(topP) ?? d.TopP,
                MaxTokens = parse.GetValue(maxTokens) ?? d.MaxTokens,
                Stop = parse.GetValue(stop) ?? [],
                Seed = parse.GetValue(seed),
            };
            if (sampling.Samples < 1) throw new UsageException("--samples must be at least 1");
            if (parse.GetValue(concurrency) < 1) throw new UsageException("--concurrency must be at least 1");
            var judgeSpec = parse.GetValue(judge);
            if (judgeSpec is not null && s.Name != "sst") throw new UsageException($"--judge applies to the sst suite only (not {s.Name})");
            var config = new RunConfig
            {
                Suite = s.Name,
                Target = parse.GetValue(target)!,
                Model = parse.GetValue(model) ?? "",
                Api = apiValue,
                ApiKeyVariable = parse.GetValue(apiKeyEnv)!,
                Sampling = sampling,
                Limit = parse.GetValue(limit),
                SuiteOptions = ParseOptions(parse.GetValue(options) ?? []),
                Concurrency = parse.GetValue(concurrency),
                TimeoutSeconds = parse.GetValue(timeout),
                MaxRetries = parse.GetValue(retries),
                UseCache = !parse.GetValue(noCache),
                BootstrapResamples = parse.GetValue(bootstrap),
                BootstrapSeed = parse.GetValue(bootstrapSeed),
                JudgeSpec = judgeSpec,
            };
            return Execute(parse.GetValue(store)!, parse.GetValue(scorerModel)!, judgeSpec, parse.GetValue(output)!, parse.GetValue(quiet), config.CreateTarget(),
                (runner, t, progress, stopToken, abortToken) => runner.StartAsync(config, t, null, progress, stopToken, abortToken));
        }));
        return command;
    }

    private static Command Resume()
    {
        var run = new Argument<string>("run") { Description = "run id (see the end of `warden eval llm` or `warden report --list`)" };
        var store = new Option<string>("--store") { Description = "run store: a SQLite file, postgres://user:pass@host:port/db[?search_path=SCHEMA], or postgres:CONNECTION-STRING (Npgsql key=value)", DefaultValueFactory = _ => DefaultStore };
        var output = new Option<string?>("--out", "-o") { Description = "directory for summary.json and reports (default: runs/RUN)" };
        var scorerModel = new Option<string>("--scorer") { Description = "toxicity scorer model (should match the run's)", DefaultValueFactory = _ => Scorer.DefaultModel };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress display" };
        var command = new Command("resume", "Continue an interrupted LLM evaluation run without repeating finished generations") { run, store, output, scorerModel, quiet };
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            var runId = parse.GetValue(run)!;
            RunConfig config;
            using (var s = RunStore.Open(parse.GetValue(store)!))
                config = RunConfig.FromJson(s.GetRun(runId).ConfigJson);
            var storeSpec = parse.GetValue(store)!;
            var outDir = parse.GetValue(output) ?? Path.Combine(!RunStore.IsPostgres(storeSpec) && Path.GetDirectoryName(storeSpec) is { Length: > 0 } dir ? dir : "runs", runId);
            // A run started with --judge is resumed with the same judge (resolved again from the stored spec).
            return Execute(storeSpec, parse.GetValue(scorerModel)!, config.JudgeSpec, outDir, parse.GetValue(quiet), config.CreateTarget(),
                (runner, t, progress, stopToken, abortToken) => runner.ResumeAsync(runId, t, progress, stopToken, abortToken));
        }));
        return command;
    }

    private delegate Task<RunResult> RunBody(EvalRunner runner, ITarget target, IProgress<RunProgress> progress, CancellationToken stop, CancellationToken abort);

    private static int Execute(string storePath, string scorerModel, string? judgeSpec, string outDir, bool quiet, ITarget target, RunBody body)
    {
        using var _ = target;
        // Fail fast, before any prompt is loaded or sent: unreachable endpoint, bad key, unknown model.
        try { target.ProbeAsync(CancellationToken.None).GetAwaiter().GetResult(); }
        catch (TargetUnavailableException e) { throw new UsageException(e.Message); }

        var scorer = Scorer.Load(scorerModel);
        var judge = judgeSpec is null ? null : BackendCommands.ResolveScorer(judgeSpec);
        using var judgeLifetime = judge as IDisposable;
        using var store = RunStore.Open(storePath);
        var runner = new EvalRunner(store, scorer, RuleBasedRefusalClassifier.Instance, DatasetRegistry.FindDatasetsRoot(), judge);
        using var stop = new CancellationTokenSource();
        using var abort = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl+C: stop sending, store what is in flight; second: abandon the requests in flight.
            e.Cancel = true;
            if (!stop.IsCancellationRequested) { Console.Error.WriteLine("warden: stopping after the requests in flight (Ctrl+C again to abort)"); stop.Cancel(); }
            else abort.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            RunResult result;
            if (quiet || Console.IsErrorRedirected)
            {
                result = body(runner, target, new Progress<RunProgress>(_ => { }), stop.Token, abort.Token).GetAwaiter().GetResult();
            }
            else
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                result = console.Progress()
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
                    .StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask("starting", maxValue: 1);
                        var progress = new SynchronousProgress(p =>
                        {
                            task.MaxValue = Math.Max(1, p.TotalPrompts);
                            task.Value = p.DonePrompts + p.FailedPrompts;
                            task.Description = string.Create(CultureInfo.InvariantCulture,
                                $"{p.DonePrompts:N0}/{p.TotalPrompts:N0} prompts · {p.Generations:N0} generations · {p.GenerationsPerSecond:N0}/s · {p.FromCache:N0} cached · {p.FailedPrompts + p.Usage.Failures:N0} errors · {p.Usage.Retries:N0} retries");
                        });
                        var r = await body(runner, target, progress, stop.Token, abort.Token);
                        task.StopTask();
                        return r;
                    }).GetAwaiter().GetResult();
            }

            var files = RunOutputs.Write(outDir, store, result.RunId);
            var usage = result.Usage;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warden: run {result.RunId} {result.Status}: {result.Done} prompts done, {result.Failed} failed, {result.Pending} pending; {result.GenerationsThisSession:N0} generations in {result.Elapsed.TotalSeconds:0.0} s; {usage.Requests} requests, {usage.Retries} retries, {usage.PromptTokens + usage.CompletionTokens:N0} tokens"));
            foreach (var (name, e) in result.Summary.Metrics)
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {name} = {e.Value:0.000} [{e.Low:0.000}, {e.High:0.000}] (n={e.N})"));
            Console.Error.WriteLine($"warden: wrote {string.Join(", ", files)}");
            if (result.Status != "complete") Console.Error.WriteLine($"warden: continue with `warden eval resume {result.RunId} --store {storePath}`");
            return result.Status == "complete" ? ExitCodes.Success : ExitCodes.InternalError;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the bar wants the latest value applied in order.</summary>
    private sealed class SynchronousProgress(Action<RunProgress> report) : IProgress<RunProgress>
    {
        private readonly Lock _gate = new();
        public void Report(RunProgress value) { lock (_gate) report(value); }
    }

    private static Dictionary<string, string> ParseOptions(string[] options)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in options)
        {
            var eq = o.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--option '{o}': expected KEY=VALUE");
            map[o[..eq].Trim()] = o[(eq + 1)..].Trim();
        }
        return map;
    }

    private static Command ReportCommand()
    {
        var runs = new Argument<string[]>("run") { Description = "run id(s); later runs are compared with the first", Arity = ArgumentArity.ZeroOrMore };
        var format = new Option<string>("--format", "-f") { Description = "html, md or json", DefaultValueFactory = _ => "html" };
        var output = new Option<string?>("--out", "-o") { Description = "output file (default: stdout)" };
        var store = new Option<string>("--store") { Description = "run store: a SQLite file, postgres://user:pass@host:port/db[?search_path=SCHEMA], or postgres:CONNECTION-STRING (Npgsql key=value)", DefaultValueFactory = _ => DefaultStore };
        var list = new Option<bool>("--list") { Description = "list the runs in the store" };
        var command = new Command("report", "Report LLM evaluation runs (HTML with charts, Markdown or JSON), comparing runs side by side") { runs, format, output, store, list };
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            var storePath = parse.GetValue(store)!;
            if (!RunStore.IsPostgres(storePath) && !File.Exists(storePath)) throw new UsageException($"no run store at {storePath} (--store)");
            using var s = RunStore.Open(storePath);
            if (parse.GetValue(list))
            {
                foreach (var id in s.RunIds())
                {
                    var r = s.GetRun(id);
                    Console.WriteLine($"{r.Id}\t{r.Suite}\t{r.Model}\t{r.Target}\t{r.Status}\t{r.Created:u}");
                }
                return ExitCodes.Success;
            }
            var ids = parse.GetValue(runs) ?? [];
            if (ids.Length == 0) throw new UsageException("give at least one run id (or --list)");
            var fmt = Report.ParseFormat(parse.GetValue(format)!);
            var text = Report.Render(Report.Load(s, ids), fmt);
            if (parse.GetValue(output) is { } path)
            {
                File.WriteAllText(path, text, new UTF8Encoding(false));
                Console.Error.WriteLine($"warden: wrote {path}");
            }
            else Console.Out.Write(text);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Refusal()
    {
        var input = new Option<string>("--input", "-i") { Description = "JSONL (or CSV/TSV) of prompt/answer pairs, or - for stdin", DefaultValueFactory = _ => "-" };
        var output = new Option<string?>("--output", "-o") { Description = "output JSONL (default: stdout)" };
        var promptField = new Option<string>("--prompt-field") { Description = "field holding the prompt", DefaultValueFactory = _ => "prompt" };
        var responseField = new Option<string>("--response-field") { Description = "field holding the answer", DefaultValueFactory = _ => "response" };
        var method = new Option<string>("--method") { Description = "rules (default: the auditable rule-based detector), trained (logistic regression trained on the embedded labelled pairs) or combined (rules, overridden where the model is confident); docs/eval.md compares them", DefaultValueFactory = _ => "rules" };
        var command = new Command("refusal", "Classify LLM answers as full_compliance, full_refusal or partial_refusal (as in XSTest)") { input, output, promptField, responseField, method };
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            var path = parse.GetValue(input)!;
            var pf = parse.GetValue(promptField)!;
            var rf = parse.GetValue(responseField)!;
            var classifier = RefusalMethods.Get(parse.GetValue(method)!);
            var outPath = parse.GetValue(output);
            using var writer = outPath is null ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) : new StreamWriter(outPath, false, new UTF8Encoding(false));
            var bad = 0;
            foreach (var (line, id, row) in ReadRows(path))
            {
                if (row is null || !row.TryGetValue(rf, out var response) || response is null)
                {
                    Console.Error.WriteLine($"warden: line {line}: no '{rf}' field (skipped)");
                    bad++;
                    continue;
                }
                var result = classifier.Classify(row.GetValueOrDefault(pf), response);
                writer.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object?>
                {
                    ["id"] = id, ["label"] = result.Label.WireName(), ["refusal_score"] = Math.Round(result.Score, 4),
                }));
            }
            if (bad > 0) Console.Error.WriteLine($"warden: {bad} bad row(s) skipped");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Rows of a JSONL or CSV/TSV file, with their line number and id (the row's id field, else the 0-based row number).</summary>
    private static IEnumerable<(long Line, object Id, Dictionary<string, string?>? Row)> ReadRows(string path)
    {
        if (path != "-" && !File.Exists(path)) throw new FileNotFoundException($"input not found: {path}", path);
        var delimited = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ',' : path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : (char?)null;
        using var reader = path == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(path);
        var index = 0;
        if (delimited is { } sep)
        {
            string[]? header = null;
            foreach (var (line, fields) in DelimitedReader.Read(reader, sep))
            {
                if (header is null) { header = fields; continue; }
                var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                for (var i = 0; i < header.Length && i < fields.Length; i++) row[header[i]] = fields[i];
                yield return (line, row.TryGetValue("id", out var id) && id is not null ? id : index, row);
                index++;
            }
            yield break;
        }
        long number = 0;
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            Dictionary<string, string?>? row = null;
            object id = index;
            try
            {
                using var doc = JsonDocument.Parse(text);
                row = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var p in doc.RootElement.EnumerateObject())
                {
                    row[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : p.Value.GetRawText();
                    if (p.Name == "id") id = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n) ? n : p.Value.ToString();
                }
            }
            catch (JsonException)
            {
                row = null;
            }
            yield return (number, id, row);
            index++;
        }
    }
}
