using Warden.LlmEval.Stats;
using Warden.LlmEval.Suites;

namespace Warden.LlmEval.Summaries;

/// <summary>The numbers of one run of one suite: overall metrics, per-group metrics and the disparity summaries.</summary>
public sealed record SuiteSummary(
    string Suite, string Target, string Model, string RunId,
    IReadOnlyDictionary<string, Estimate> Metrics,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, Estimate>> Groups,
    IReadOnlyList<Disparity> Disparities,
    int Prompts, int PromptsAnswered, int Generations);

/// <summary>Computes a <see cref="SuiteSummary"/> from scored outcomes, the same way for every suite.</summary>
public static class SuiteEvaluator
{
    public static SuiteSummary Summarize(ISuite suite, string target, string model, string runId, IReadOnlyList<PromptOutcome> outcomes, BootstrapOptions options)
    {
        var answered = outcomes.Where(o => o.Generations.Count > 0).ToList();
        var metrics = new Dictionary<string, Estimate>(StringComparer.Ordinal);
        foreach (var m in suite.Metrics)
        {
            var estimate = Estimate(m, answered, options, "all");
            if (estimate.N > 0) metrics[m.Name] = estimate;
        }

        var groupKeys = answered.SelectMany(o => o.Prompt.Groups).Distinct().OrderBy(g => g, StringComparer.Ordinal).ToList();
        var byGroup = answered.SelectMany(o => o.Prompt.Groups.Select(g => (g, o))).ToLookup(x => x.g, x => x.o);
        var groups = new SortedDictionary<string, IReadOnlyDictionary<string, Estimate>>(StringComparer.Ordinal);
        foreach (var key in groupKeys)
        {
            var members = byGroup[key].ToList();
            var values = new Dictionary<string, Estimate>(StringComparer.Ordinal);
            foreach (var m in suite.Metrics)
            {
                var estimate = Estimate(m, members, options, key);
                if (estimate.N > 0) values[m.Name] = estimate;
            }
            if (values.Count > 0) groups[key] = values;
        }

        var disparities = new List<Disparity>();
        foreach (var level in suite.DisparityLevels)
        {
            var prefix = level + ":";
            // "Above the overall rate" marks a disadvantaged group only for metrics where higher is worse.
            foreach (var m in suite.Metrics.Where(m => m.LowerIsBetter))
            {
                if (!metrics.TryGetValue(m.Name, out var overall)) continue;
                var levelGroups = groups.Where(g => g.Key.StartsWith(prefix, StringComparison.Ordinal) && g.Value.ContainsKey(m.Name))
                    .ToDictionary(g => g.Key[prefix.Length..], g => g.Value[m.Name], StringComparer.Ordinal);
                if (Disparity.Compute(m.Name, level, overall.Value, levelGroups) is { } d) disparities.Add(d);
            }
        }

        return new SuiteSummary(suite.Name, target, model, runId, metrics, groups, disparities,
            outcomes.Count, answered.Count, answered.Sum(o => o.Generations.Count));
    }

    public static Estimate Estimate(MetricDefinition metric, IReadOnlyList<PromptOutcome> outcomes, BootstrapOptions options, string stream)
    {
        var values = new List<double>();
        foreach (var o in outcomes)
        {
            if (!metric.AppliesTo(o)) continue;
            var v = metric.Value(o);
            if (!double.IsNaN(v)) values.Add(v);
        }
        return Bootstrap.Mean(values, options, $"{metric.Name}/{stream}");
    }

    /// <summary>
    /// Paired comparison of run B against run A for every metric, overall and per group, on the prompts both runs
    /// answered (matched by prompt id).
    /// </summary>
    public static IReadOnlyList<PairedComparison> Compare(ISuite suite, IReadOnlyList<PromptOutcome> a, IReadOnlyList<PromptOutcome> b, BootstrapOptions options, bool perGroup = true)
    {
        var bById = b.Where(o => o.Generations.Count > 0).ToDictionary(o => o.Prompt.Id, StringComparer.Ordinal);
        var pairs = a.Where(o => o.Generations.Count > 0 && bById.ContainsKey(o.Prompt.Id)).Select(o => (A: o, B: bById[o.Prompt.Id])).ToList();
        var results = new List<PairedComparison>();
        var scopes = new List<(string Group, List<(PromptOutcome A, PromptOutcome B)> Pairs)> { ("all", pairs) };
        if (perGroup)
            scopes.AddRange(pairs.SelectMany(p => p.A.Prompt.Groups.Select(g => (g, p))).GroupBy(x => x.g, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Select(x => x.p).ToList())));
        foreach (var (group, scoped) in scopes)
        foreach (var m in suite.Metrics)
        {
            var va = new List<double>();
            var vb = new List<double>();
            foreach (var (pa, pb) in scoped)
            {
                if (!m.AppliesTo(pa) || !m.AppliesTo(pb)) continue;
                double x = m.Value(pa), y = m.Value(pb);
                if (double.IsNaN(x) || double.IsNaN(y)) continue;
                va.Add(x);
                vb.Add(y);
            }
            if (va.Count > 0) results.Add(PairedComparison.Compute(m.Name, group, va, vb, m.LowerIsBetter, options));
        }
        return results;
    }
}
