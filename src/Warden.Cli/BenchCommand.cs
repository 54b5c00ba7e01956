using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Warden.Core;
using Warden.Scoring;

namespace Warden.Cli;

/// <summary>
/// <c>warden bench</c>: in-process throughput and latency of a scorer on synthetic tweet-length and 2 KB
/// texts, on one thread and on all cores, and the process's peak memory. Deterministic texts (fixed seed)
/// so runs are comparable.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = BackendCommands.ModelSpecDescription, DefaultValueFactory = _ => Scorer.DefaultModel };
        var count = new Option<int>("--texts", "-n") { Description = "texts per measurement", DefaultValueFactory = _ => 200_000 };
        var seconds = new Option<double>("--warmup-seconds") { Description = "warm-up time before measuring", DefaultValueFactory = _ => 2 };
        var output = new Option<string?>("--output", "-o") { Description = "also write the Markdown table to this file" };
        var command = new Command("bench", "Measure scoring speed (texts/s, latency per text, peak memory)") { model, count, seconds, output };
        command.SetAction(parse => ExitCodes.Guard(() => Run(parse.GetValue(model)!, parse.GetValue(count), parse.GetValue(seconds), parse.GetValue(output))));
        return command;
    }

    private static int Run(string modelName, int count, double warmupSeconds, string? output)
    {
        if (count < 1000) throw new UsageException("--texts must be at least 1000");
        var scorer = BackendCommands.ResolveScorer(modelName);
        var rows = new List<string>
        {
            $"machine: {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}",
            $"model: {scorer.ModelName}",
            "",
            "| texts | threads | texts/s | mean µs/text | p50 µs | p99 µs |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        };
        foreach (var (label, length, n) in new[] { ("short (~100 chars)", 100, count), ("long (~2 KB)", 2048, Math.Max(1000, count / 20)) })
        {
            var texts = SyntheticTexts.Make(n, length, seed: 7);
            Warmup(scorer, texts, warmupSeconds);
            rows.Add(Measure(scorer, texts, label, threads: 1));
            rows.Add(Measure(scorer, texts, label, threads: Environment.ProcessorCount));
        }
        rows.Add("");
        rows.Add($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB");
        var markdown = string.Join(Environment.NewLine, rows);
        Console.WriteLine(markdown);
        if (output is not null) File.WriteAllText(output, markdown + Environment.NewLine);
        return ExitCodes.Success;
    }

    private static void Warmup(IScorer scorer, IReadOnlyList<string> texts, double seconds)
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; clock.Elapsed.TotalSeconds < seconds; i++) scorer.Score(texts[i % texts.Count]);
    }

    private static string Measure(IScorer scorer, IReadOnlyList<string> texts, string label, int threads)
    {
        var latencies = new double[texts.Count];
        var clock = Stopwatch.StartNew();
        if (threads == 1)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                var start = Stopwatch.GetTimestamp();
                scorer.Score(texts[i]);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
        }
        else
        {
            Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            {
                var start = Stopwatch.GetTimestamp();
                scorer.Score(texts[i]);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            });
        }
        var elapsed = clock.Elapsed.TotalSeconds;
        Array.Sort(latencies);
        var perSecond = texts.Count / elapsed;
        return string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {threads} | {perSecond:N0} | {elapsed * 1e6 / texts.Count * threads:0.0} | {latencies[latencies.Length / 2]:0.0} | {latencies[(int)(latencies.Length * 0.99)]:0.0} |");
    }
}

/// <summary>Deterministic synthetic texts: everyday words with some insults, slurs and obfuscations mixed in.</summary>
internal static class SyntheticTexts
{
    private static readonly string[] Words =
    [
        "the", "game", "was", "really", "good", "today", "and", "I", "think", "you", "are", "right", "about", "that",
        "idiot", "stupid", "what", "a", "lovely", "day", "in", "Berlin", "weather", "news", "people", "should", "read",
        "this", "article", "f*ck", "sh1t", "honestly", "never", "again", "thanks", "for", "sharing", "@user", "http://t.co/x",
        "das", "ist", "ein", "schöner", "tag", "bu", "çok", "güzel", "这个", "真的", "很好", "정말", "좋다", "muito", "obrigado",
    ];

    public static string[] Make(int count, int length, int seed)
    {
        var random = new Random(seed);
        var texts = new string[count];
        var builder = new System.Text.StringBuilder(length + 16);
        for (var i = 0; i < count; i++)
        {
            builder.Clear();
            while (builder.Length < length) builder.Append(Words[random.Next(Words.Length)]).Append(' ');
            texts[i] = builder.ToString(0, length).TrimEnd();
        }
        return texts;
    }
}
