// Cascade throughput vs escalation rate: the built-in fast scorer in front of a stand-in slow backend that
// sleeps 1 ms per text (about a small transformer on CPU or a local LLM judge with batching; a real judge is
// slower). Also fits real bands on validation data and reports their escalation rate.
// Run: dotnet run -c Release --project bench/Warden.Backends.Bench [-- DATASET...]
using System.Diagnostics;
using System.Globalization;
using Warden.Backends.Cascade;
using Warden.Core;
using Warden.Data.Datasets;
using Warden.Scoring;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var datasets = args.Length > 0 ? args : ["olid", "davidson_hate_offensive"];
var fast = Scorer.LoadDefault();
var registry = DatasetRegistry.CreateDefault();

var validation = datasets.SelectMany(d => registry.Load(d, Split.Validation)).ToList();
var texts = validation.Select(r => r.Text).ToArray();
Console.WriteLine($"machine: {Environment.ProcessorCount} cores; fast scorer {fast.ModelName}; {texts.Length} validation texts from {string.Join(", ", datasets)}");

var fastResults = fast.ScoreBatch(texts);
foreach (var target in new[] { 0.95, 0.90, 0.80 })
{
    var fitted = CascadeBands.Fit(fastResults.Select(r => (IReadOnlyList<float>)r.Scores).ToList(), validation.Select(r => r.Labels).ToList(), target);
    Console.WriteLine($"target precision/NPV {target:0.00}: escalation {fastResults.Count(r => fitted.ShouldEscalate(r.Scores)) / (double)texts.Length:P1}; bands {fitted}");
}
Console.WriteLine();

// Bands on toxicity only, chosen by quantile so that a given fraction of these texts escalates.
var toxicity = fastResults.Select(r => r[HarmAttribute.Toxicity]).Order().ToArray();
Console.WriteLine("| slow backend | target escalation | measured escalation | texts/s | mean µs/text |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
foreach (var batched in new[] { false, true })
foreach (var rate in new[] { 0.0, 0.01, 0.05, 0.10, 0.20 })
{
    if (batched && rate == 0) continue;
    var bands = Enumerable.Repeat(AttributeBand.Empty, HarmAttributes.Count).ToArray();
    if (rate > 0)
    {
        var lo = toxicity[(int)(toxicity.Length * (0.5 - rate / 2))];
        var hi = toxicity[Math.Min(toxicity.Length - 1, (int)(toxicity.Length * (0.5 + rate / 2)))];
        bands[(int)HarmAttribute.Toxicity] = new AttributeBand(lo, hi);
    }
    var cascade = new CascadeScorer(fast, new SleepingScorer(batched), new CascadeBands(bands));
    cascade.ScoreBatch(texts.Take(512).ToArray()); // warm-up
    cascade.ResetStats();
    var watch = Stopwatch.StartNew();
    for (var start = 0; start < texts.Length; start += 256)
        cascade.ScoreBatch(texts[start..Math.Min(texts.Length, start + 256)]);
    watch.Stop();
    var stats = cascade.Stats;
    Console.WriteLine($"| {(batched ? "1 ms per batch call" : "1 ms per text")} | {rate:P0} | {stats.EscalationRate:P1} | {stats.Seen / watch.Elapsed.TotalSeconds:N0} | {watch.Elapsed.TotalMicroseconds / stats.Seen:N1} |");
}

/// <summary>
/// A stand-in slow backend scoring 0.5 everywhere: 1 ms per text one at a time (an unbatched judge), or 1 ms per
/// ScoreBatch call whatever its size (a batched transformer whose batch fits in one forward pass).
/// </summary>
internal sealed class SleepingScorer(bool batched) : IScorer
{
    public string ModelName => "sleep-1ms";
    public IReadOnlyList<float> Thresholds { get; } = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray();

    public ScoreResult Score(string text, ScoreOptions? options = null)
    {
        Thread.Sleep(1);
        return new ScoreResult("und", Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray());
    }

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null)
    {
        if (!batched) return texts.Select(t => Score(t, options)).ToArray();
        Thread.Sleep(1);
        return texts.Select(_ => new ScoreResult("und", Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray())).ToArray();
    }
}
