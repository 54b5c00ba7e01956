namespace Warden.Eval.Classifier;

/// <summary>A 95% interval; NaN bounds when no resample defined the metric (or bootstrapping was off).</summary>
public readonly record struct Interval(double Low, double High)
{
    public static readonly Interval None = new(double.NaN, double.NaN);
    public bool IsDefined => !double.IsNaN(Low) && !double.IsNaN(High);
}

/// <summary>
/// Percentile bootstrap confidence intervals of every <see cref="Metric"/> at a fixed threshold.
/// Resample r draws its indices from its own SplitMix64 stream seeded by (seed, r), so the intervals
/// depend on the seed only — not on thread count or scheduling — and do not change between .NET versions
/// (unlike an unseeded or future System.Random). Resamples where a metric is undefined (e.g. no positive
/// drawn, for AUROC) are left out of that metric's percentiles.
/// </summary>
public static class Bootstrap
{
    public const int DefaultResamples = 1000;
    public const int DefaultSeed = 42;

    public static Interval[] ConfidenceIntervals(
        ReadOnlySpan<double> scores, ReadOnlySpan<double> labels, double threshold,
        int resamples = DefaultResamples, int seed = DefaultSeed, int maxDegreeOfParallelism = -1) =>
        ConfidenceIntervals(new SortedSample(scores, labels), threshold, resamples, seed, maxDegreeOfParallelism);

    internal static Interval[] ConfidenceIntervals(
        SortedSample sample, double threshold, int resamples, int seed, int maxDegreeOfParallelism)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(resamples);
        var intervals = new Interval[Metrics.Count];
        Array.Fill(intervals, Interval.None);
        var n = sample.Count;
        if (n == 0 || resamples == 0) return intervals;

        // results[m][r]: each resample writes only its own slot, so the order of completion is irrelevant.
        var results = new double[Metrics.Count][];
        for (var m = 0; m < results.Length; m++) results[m] = new double[resamples];

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism };
        Parallel.For(0, resamples, parallel,
            () => (Counts: new int[n], Values: new double[Metrics.Count]),
            (r, _, local) =>
            {
                var counts = local.Counts;
                Array.Clear(counts);
                var rng = new SplitMix64(seed, r);
                for (var i = 0; i < n; i++) counts[rng.NextIndex(n)]++;
                sample.Accumulate(threshold, counts).Write(local.Values);
                for (var m = 0; m < local.Values.Length; m++) results[m][r] = local.Values[m];
                return local;
            },
            _ => { });

        for (var m = 0; m < results.Length; m++) intervals[m] = Percentiles(results[m]);
        return intervals;
    }

    /// <summary>2.5th and 97.5th percentiles with linear interpolation (numpy's default), ignoring NaN.</summary>
    private static Interval Percentiles(double[] values)
    {
        var defined = 0;
        foreach (var v in values) if (!double.IsNaN(v)) values[defined++] = v;
        if (defined == 0) return Interval.None;
        Array.Sort(values, 0, defined);
        return new Interval(Quantile(values, defined, 0.025), Quantile(values, defined, 0.975));
    }

    private static double Quantile(double[] sorted, int count, double q)
    {
        var pos = q * (count - 1);
        var lo = (int)Math.Floor(pos);
        var hi = Math.Min(lo + 1, count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /// <summary>SplitMix64 (Steele et al.): tiny, fast, and fully specified, hence reproducible forever.</summary>
    private struct SplitMix64
    {
        private ulong _state;

        public SplitMix64(int seed, int stream) =>
            // Distinct (seed, stream) pairs give distinct starting states; one Mix decorrelates neighbours.
            _state = Mix(((ulong)(uint)seed << 32) | (uint)stream);

        public ulong Next() => Mix(_state += 0x9E3779B97F4A7C15UL);

        /// <summary>Uniform in [0, n) by multiply-shift (Lemire); bias ≤ n / 2³², negligible here.</summary>
        public int NextIndex(int n) => (int)(((Next() >> 32) * (ulong)n) >> 32);

        private static ulong Mix(ulong z)
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
