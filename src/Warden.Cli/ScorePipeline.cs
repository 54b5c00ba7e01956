using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using Warden.Core;
using Warden.Data.Io;

namespace Warden.Cli;

internal sealed record ScoreSummary(long Scored, long Flagged, long BadRows, TimeSpan Elapsed, bool FailedStrict)
{
    public void Print(TextWriter error)
    {
        var rate = Elapsed.TotalSeconds > 0 ? Scored / Elapsed.TotalSeconds : 0;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"warden: scored {Scored:N0} texts, {Flagged:N0} flagged, {BadRows:N0} bad rows skipped, {rate:N0} texts/s"));
    }
}

/// <summary>
/// Read → score → write as three overlapping stages with bounded queues, so memory stays bounded by a
/// few batches whatever the input size, all cores score, and the output keeps the input order.
/// </summary>
internal static class ScorePipeline
{
    private const int BatchSize = 2048;

    /// <summary>A row and its result, with the output line already formatted (on the scoring threads, not the writer's).</summary>
    private sealed record Scored(InputRow Row, ScoreResult? Result, string? Line);

    public static ScoreSummary Run(IScorer scorer, IEnumerable<InputRow> rows, ScoreOptions options, ScoreOutputWriter sink,
        int threads, bool strict, ReadProgress? progress)
    {
        var clock = Stopwatch.StartNew();
        using var batches = new BlockingCollection<List<InputRow>>(boundedCapacity: 4);
        using var scoredBatches = new BlockingCollection<Scored[]>(boundedCapacity: 4);
        using var cancel = new CancellationTokenSource();
        long scored = 0, flagged = 0, bad = 0, processedRows = 0;
        var failedStrict = false;

        var reader = Task.Run(() =>
        {
            try
            {
                var batch = new List<InputRow>(BatchSize);
                foreach (var row in rows)
                {
                    if (cancel.IsCancellationRequested) break;
                    batch.Add(row);
                    if (batch.Count == BatchSize) { batches.Add(batch, cancel.Token); batch = new List<InputRow>(BatchSize); }
                }
                if (batch.Count > 0 && !cancel.IsCancellationRequested) batches.Add(batch, cancel.Token);
            }
            finally
            {
                batches.CompleteAdding();
            }
        });

        var writer = Task.Run(() =>
        {
            foreach (var batch in scoredBatches.GetConsumingEnumerable())
            {
                foreach (var item in batch)
                {
                    if (item.Result is null)
                    {
                        bad++;
                        // Bad rows are reported even with --quiet: they are never dropped silently.
                        Console.Error.WriteLine($"warden: line {item.Row.LineNumber}: {item.Row.Error}{(strict ? "" : " (skipped)")}");
                        if (strict) { failedStrict = true; cancel.Cancel(); return; }
                        continue;
                    }
                    scored++;
                    if (scorer.IsFlagged(item.Result)) flagged++;
                    sink.WriteLine(item.Line!);
                }
                Interlocked.Add(ref processedRows, batch.Length);
            }
        });

        void ScoreAll(Action<long>? onBatch)
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancel.Token };
            try
            {
                foreach (var batch in batches.GetConsumingEnumerable(cancel.Token))
                {
                    var results = new Scored[batch.Count];
                    Parallel.For(0, batch.Count, parallel, i =>
                    {
                        var row = batch[i];
                        var result = row.IsValid ? scorer.Score(row.Text!, options) : null;
                        results[i] = new Scored(row, result, result is null ? null : sink.Format(row, result));
                    });
                    scoredBatches.Add(results, cancel.Token);
                    onBatch?.Invoke(batch[^1].LineNumber);
                }
            }
            catch (OperationCanceledException) when (failedStrict)
            {
            }
            finally
            {
                scoredBatches.CompleteAdding();
            }
        }

        if (progress is not null)
        {
            // A bar over the bytes of the input file (compressed bytes for .gz/.zst), with rate and time left.
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            console.Progress()
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                    new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("scoring", maxValue: Math.Max(1, progress.TotalBytes ?? 1));
                    ScoreAll(line =>
                    {
                        var done = Interlocked.Read(ref processedRows);
                        var rate = done / Math.Max(clock.Elapsed.TotalSeconds, 1e-3);
                        task.Value = Math.Min(progress.BytesRead, task.MaxValue);
                        task.Description = string.Create(CultureInfo.InvariantCulture, $"line {line:N0} · {done:N0} texts · {rate:N0}/s");
                    });
                    task.Value = task.MaxValue;
                    task.StopTask();
                });
        }
        else
        {
            ScoreAll(null);
        }

        writer.GetAwaiter().GetResult();
        cancel.Cancel();
        try { reader.GetAwaiter().GetResult(); } catch (OperationCanceledException) { }
        return new ScoreSummary(scored, flagged, bad, clock.Elapsed, failedStrict);
    }
}

/// <summary>
/// One scored row in an output format. <see cref="Format"/> is called on the scoring threads (it must be thread-safe),
/// <see cref="WriteLine"/> on the single writer thread, in input order: formatting JSON on one thread had become the
/// bottleneck of `warden score`.
/// </summary>
internal abstract class ScoreOutputWriter(TextWriter writer)
{
    public abstract string Format(InputRow row, ScoreResult result);

    public void WriteLine(string line) => writer.WriteLine(line);
}

/// <summary>The JSONL contract of PRODUCT.md: id, text, language, scores, flagged, spans (when asked).</summary>
internal sealed class JsonlScoreWriter(TextWriter writer, IScorer scorer) : ScoreOutputWriter(writer)
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_json;

    public override string Format(InputRow row, ScoreResult result)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var json = t_json ??= new Utf8JsonWriter(buffer, ScoreCommand.JsonOptions);
        json.Reset(buffer);
        ScoreJson.Write(json, row.IdOrIndex, row.Text!, result, scorer, includeSpans: true);
        json.Flush();
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}

internal sealed class CsvScoreWriter : ScoreOutputWriter
{
    private readonly IScorer _scorer;

    public CsvScoreWriter(TextWriter writer, IScorer scorer) : base(writer)
    {
        _scorer = scorer;
        WriteLine("id,text,language," + string.Join(',', HarmAttributes.All.Select(a => a.WireName())) + ",flagged");
    }

    public override string Format(InputRow row, ScoreResult result)
    {
        var line = new StringBuilder(row.Text!.Length + 96);
        line.Append(Quote(row.IdOrIndex.ToString())).Append(',');
        line.Append(Quote(row.Text!)).Append(',');
        line.Append(result.Language);
        foreach (var score in result.Scores) line.Append(',').Append(score.ToString("0.####", CultureInfo.InvariantCulture));
        line.Append(',').Append(_scorer.IsFlagged(result) ? "true" : "false");
        return line.ToString();
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}

internal static class ScoreJson
{
    public static void Write(Utf8JsonWriter json, System.Text.Json.Nodes.JsonNode id, string text, ScoreResult result, IScorer scorer, bool includeSpans)
    {
        json.WriteStartObject();
        json.WritePropertyName("id");
        id.WriteTo(json);
        json.WriteString("text", text);
        json.WriteString("language", result.Language);
        json.WriteStartObject("scores");
        for (var a = 0; a < HarmAttributes.Count; a++)
            json.WriteNumber(HarmAttributes.All[a].WireName(), Math.Round(result.Scores[a], 4));
        json.WriteEndObject();
        json.WriteBoolean("flagged", scorer.IsFlagged(result));
        if (result.LowEvidence.Count > 0)
        {
            // Attributes the model has little labelled evidence for in this language: their scores are transfer, not measurement.
            json.WriteStartArray("low_evidence");
            foreach (var a in result.LowEvidence) json.WriteStringValue(a.WireName());
            json.WriteEndArray();
        }
        if (includeSpans && result.Spans.Count > 0)
        {
            json.WriteStartArray("spans");
            foreach (var span in result.Spans)
            {
                json.WriteStartObject();
                json.WriteNumber("start", span.Start);
                json.WriteNumber("end", span.Start + span.Length);
                json.WriteString("attribute", span.Attribute.WireName());
                json.WriteNumber("score", Math.Round(span.Score, 4));
                json.WriteString("text", span.Text);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteEndObject();
    }
}
