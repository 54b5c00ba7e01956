using Warden.Core;

namespace Warden.Eval.Classifier;

/// <summary>Entry point of `warden eval classifier`: metrics with CIs overall, per language and per target group.</summary>
public static class ClassifierEvaluator
{
    public static ClassifierReport Evaluate(IReadOnlyList<EvalExample> examples, EvalOptions options)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // Overall is always computed, even below the minimum size: there is nothing else to show.
        var overall = EvaluateSlice("overall", examples, options, isOverall: true);
        var byLanguage = EvaluateSlices(examples, e => LanguageOf(e, options.LanguageSource), options);
        var byGroup = EvaluateSlices(examples, e => e.Group, options);
        return new ClassifierReport
        {
            Threshold = options.Threshold,
            BootstrapResamples = options.BootstrapResamples,
            Seed = options.Seed,
            MinGroupSize = options.MinGroupSize,
            LanguageSource = options.LanguageSource,
            Overall = overall,
            ByLanguage = byLanguage,
            ByGroup = byGroup,
        };
    }

    /// <summary>Evaluates scored records and records where they came from in the report.</summary>
    public static ClassifierReport Evaluate(EvalExampleSet set, EvalOptions options, string? dataset = null) =>
        Evaluate(set.Examples, options) with
        {
            Score = set.Score.Name,
            Label = set.LabelAttribute.WireName(),
            Model = set.ModelName,
            Dataset = dataset,
            SkippedUnlabeled = set.SkippedUnlabeled,
        };

    private static string LanguageOf(EvalExample e, LanguageSource source) =>
        source == LanguageSource.Detected ? e.DetectedLanguage ?? "und" : e.Language;

    private static List<GroupReport> EvaluateSlices(
        IReadOnlyList<EvalExample> examples, Func<EvalExample, string?> key, EvalOptions options)
    {
        var slices = new Dictionary<string, List<EvalExample>>(StringComparer.Ordinal);
        foreach (var e in examples)
        {
            if (key(e) is not { } k) continue;
            if (!slices.TryGetValue(k, out var list)) slices[k] = list = [];
            list.Add(e);
        }
        var reports = new List<GroupReport>(slices.Count);
        foreach (var (name, slice) in slices.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (slice.Count < options.MinGroupSize && options.SmallGroups == SmallGroupPolicy.Skip) continue;
            reports.Add(EvaluateSlice(name, slice, options, isOverall: false));
        }
        return reports;
    }

    private static GroupReport EvaluateSlice(string name, IReadOnlyList<EvalExample> slice, EvalOptions options, bool isOverall)
    {
        var scores = new double[slice.Count];
        var labels = new double[slice.Count];
        for (var i = 0; i < slice.Count; i++)
        {
            scores[i] = slice[i].Score;
            labels[i] = slice[i].Label;
        }
        SortedSample sample;
        try
        {
            sample = new SortedSample(scores, labels);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // Name the offending example rather than an index into an internal array.
            var bad = slice.First(e => !(e.Score >= 0 && e.Score <= 1 && e.Label >= 0 && e.Label <= 1));
            throw new ArgumentException($"example '{bad.Id}': score {bad.Score} and label {bad.Label} must be in [0, 1]", ex);
        }

        var positives = 0;
        foreach (var p in sample.Positive) if (p) positives++;
        if (!isOverall && slice.Count < options.MinGroupSize)
            return new GroupReport { Name = name, Count = slice.Count, Positives = positives, TooFew = true };

        var metrics = BinaryMetrics.From(sample, options.Threshold);
        var intervals = Bootstrap.ConfidenceIntervals(
            sample, options.Threshold, options.BootstrapResamples, options.Seed, options.MaxDegreeOfParallelism);
        var rows = new MetricRow[Metrics.Count];
        foreach (var m in Metrics.All) rows[(int)m] = new MetricRow(m, new MetricValue(metrics[m], intervals[(int)m]));
        return new GroupReport
        {
            Name = name,
            Count = slice.Count,
            Positives = positives,
            Metrics = metrics,
            Rows = rows,
            BestThresholds = isOverall || options.BestThresholdsPerGroup ? BestThresholds.Find(sample) : null,
        };
    }
}
