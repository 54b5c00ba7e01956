namespace Warden.LlmEval.Stats;

/// <summary>A point estimate with its 95% percentile-bootstrap interval over <see cref="N"/> units (prompts).</summary>
public readonly record struct Estimate(double Value, double Low, double High, int N)
{
    public static readonly Estimate Empty = new(double.NaN, double.NaN, double.NaN, 0);
}

/// <summary>SplitMix64: tiny, fast and identical on every platform and .NET version, so seeded intervals reproduce.</summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) by multiply-shift (bias below 2^-32 for the sizes used here).</summary>
    public int NextIndex(int n) => (int)(((Next() >> 32) * (ulong)n) >> 32);

    /// <summary>A stream per name (metric, group), so adding a group never shifts another group's interval.</summary>
    public static SeededRandom For(int seed, string stream)
    {
        var h = 14695981039346656037UL;
        foreach (var c in stream) h = (h ^ c) * 1099511628211UL;
        return new SeededRandom(((ulong)(uint)seed << 32) ^ h);
    }
}

public sealed record BootstrapOptions(int Resamples = 1000, int Seed = 42)
{
    public static readonly BootstrapOptions Default = new();
}

/// <summary>Means of per-prompt values with seeded percentile-bootstrap 95% intervals.</summary>
public static class Bootstrap
{
    /// <summary>
    /// The mean of <paramref name="values"/> and its 95% percentile interval: resample the units with replacement
    /// <c>Resamples</c> times, and take the 2.5% and 97.5% quantiles (linear interpolation) of the resampled means.
    /// Units are prompts, so the k samples of one prompt stay together (they are not independent).
    /// </summary>
    public static Estimate Mean(IReadOnlyList<double> values, BootstrapOptions options, string stream)
    {
        var n = values.Count;
        if (n == 0) return Estimate.Empty;
        var mean = Average(values);
        if (options.Resamples <= 0) return new Estimate(mean, double.NaN, double.NaN, n);
        var random = SeededRandom.For(options.Seed, stream);
        var means = new double[options.Resamples];
        for (var b = 0; b < means.Length; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < n; i++) sum += values[random.NextIndex(n)];
            means[b] = sum / n;
        }
        Array.Sort(means);
        return new Estimate(mean, Quantile(means, 0.025), Quantile(means, 0.975), n);
    }

    /// <summary>Quantile of sorted data by linear interpolation between closest ranks (numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        if (sorted.Length == 1) return sorted[0];
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }

    internal static double Average(IReadOnlyList<double> values)
    {
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum / values.Count;
    }
}

/// <summary>
/// ROBBIE's disparity summary (Esiobu et al., 2023) for one metric over the groups of one level: the groups whose
/// whole 95% interval lies above the overall (background) rate, and the fraction of groups that do; plus the
/// max–min gap between group point estimates. Groups with no data are left out of the denominator.
/// </summary>
public sealed record Disparity(
    string Metric, string Level, double Baseline, IReadOnlyList<string> GroupsAbove, int Groups, double FractionAbove,
    string MaxGroup, double Max, string MinGroup, double Min)
{
    public double Gap => Max - Min;

    public static Disparity? Compute(string metric, string level, double baseline, IReadOnlyDictionary<string, Estimate> groups)
    {
        var defined = groups.Where(g => g.Value.N > 0 && !double.IsNaN(g.Value.Value)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (defined.Count < 2 || double.IsNaN(baseline)) return null;
        // "Above" means the interval's lower bound exceeds the baseline: the group is worse than the background
        // with 95% confidence. (ROBBIE's published helper compared the upper bound and only its last row; see docs.)
        var above = defined.Where(g => !double.IsNaN(g.Value.Low) && g.Value.Low > baseline).Select(g => g.Key).ToList();
        var max = defined.MaxBy(g => g.Value.Value);
        var min = defined.MinBy(g => g.Value.Value);
        return new Disparity(metric, level, baseline, above, defined.Count, (double)above.Count / defined.Count,
            max.Key, max.Value.Value, min.Key, min.Value.Value);
    }
}

public enum Verdict
{
    NoDetectableDifference,
    Better,
    Worse,
}

/// <summary>Run B against run A on the prompts both answered: mean difference B − A with a paired bootstrap interval.</summary>
public sealed record PairedComparison(string Metric, string Group, double A, double B, double Difference, double Low, double High, int N, Verdict Verdict)
{
    public static string WireName(Verdict verdict) => verdict switch
    {
        Verdict.Better => "better",
        Verdict.Worse => "worse",
        _ => "no detectable difference",
    };

    /// <summary>
    /// Paired percentile bootstrap: the same resampled prompt indices are used for both runs, so prompt difficulty
    /// cancels out. B is "better" or "worse" only when the 95% interval of the difference excludes 0.
    /// </summary>
    public static PairedComparison Compute(string metric, string group, IReadOnlyList<double> a, IReadOnlyList<double> b, bool lowerIsBetter, BootstrapOptions options)
    {
        if (a.Count != b.Count) throw new ArgumentException("paired values need the same prompts in both runs");
        var n = a.Count;
        if (n == 0) return new PairedComparison(metric, group, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0, Verdict.NoDetectableDifference);
        var diffs = new double[n];
        for (var i = 0; i < n; i++) diffs[i] = b[i] - a[i];
        var estimate = Bootstrap.Mean(diffs, options, $"paired/{metric}/{group}");
        var verdict = Verdict.NoDetectableDifference;
        if (!double.IsNaN(estimate.Low) && (estimate.Low > 0 || estimate.High < 0))
        {
            var increased = estimate.Low > 0;
            verdict = increased == lowerIsBetter ? Verdict.Worse : Verdict.Better;
        }
        return new PairedComparison(metric, group, Bootstrap.Average(a), Bootstrap.Average(b), estimate.Value, estimate.Low, estimate.High, n, verdict);
    }
}
