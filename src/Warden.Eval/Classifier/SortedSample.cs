namespace Warden.Eval.Classifier;

/// <summary>
/// Scores sorted once in descending order with their binarised labels. Every metric (point estimate and
/// each bootstrap resample) is one O(n) pass over this order with per-example integer weights: a
/// bootstrap resample is just a vector of draw counts, so no resample ever needs its own sort.
/// </summary>
internal sealed class SortedSample
{
    /// <summary>Labels at or above this count as positive for every metric (soft labels are binarised).</summary>
    public const double PositiveLabelCutoff = 0.5;

    private const int EceBins = 10;

    public SortedSample(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels)
    {
        if (scores.Length != labels.Length)
            throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels", nameof(labels));
        var n = scores.Length;
        var keys = new double[n];
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            // Written as negated comparisons so that NaN fails them too.
            if (!(scores[i] >= 0 && scores[i] <= 1))
                throw new ArgumentOutOfRangeException(nameof(scores), scores[i], $"score {i} is not a probability in [0, 1]");
            if (!(labels[i] >= 0 && labels[i] <= 1))
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"label {i} is not in [0, 1]");
            keys[i] = -scores[i]; // ascending sort of the negation = descending scores
            order[i] = i;
        }
        Array.Sort(keys, order);
        Scores = new double[n];
        Positive = new bool[n];
        for (var k = 0; k < n; k++)
        {
            Scores[k] = scores[order[k]];
            Positive[k] = labels[order[k]] >= PositiveLabelCutoff;
        }
    }

    /// <summary>Scores in descending order.</summary>
    public double[] Scores { get; }

    /// <summary>Binarised label of <see cref="Scores"/>[k].</summary>
    public bool[] Positive { get; }

    public int Count => Scores.Length;

    /// <summary>
    /// One pass over the sorted sample. <paramref name="weights"/>[k] is how many times example k counts
    /// (null: once each). Ties in score are closed as a group so that AUROC gets half credit for tied
    /// pairs and AUPRC treats a tie as one threshold, as sklearn does.
    /// </summary>
    public Tally Accumulate(double threshold, int[]? weights)
    {
        var scores = Scores;
        var positive = Positive;
        var n = scores.Length;
        Span<double> binScore = stackalloc double[EceBins];
        Span<double> binPositive = stackalloc double[EceBins];
        binScore.Clear();
        binPositive.Clear();

        double tp = 0, fp = 0, tn = 0, fn = 0, brier = 0;
        double groupPos = 0, groupNeg = 0, cumPos = 0, cumNeg = 0, discordant = 0, apSum = 0;
        for (var k = 0; k < n; k++)
        {
            var w = weights is null ? 1 : weights[k];
            var s = scores[k];
            if (w != 0)
            {
                var y = positive[k];
                var bin = Math.Min((int)(s * EceBins), EceBins - 1);
                binScore[bin] += w * s;
                if (y)
                {
                    groupPos += w;
                    binPositive[bin] += w;
                    brier += w * (1 - s) * (1 - s);
                    if (s >= threshold) tp += w; else fn += w;
                }
                else
                {
                    groupNeg += w;
                    brier += w * s * s;
                    if (s >= threshold) fp += w; else tn += w;
                }
            }
            if (k == n - 1 || scores[k + 1] != s)
            {
                // Positives of this tie group rank below every negative seen so far (higher score) and
                // tie with the group's own negatives: those are the discordant pairs of Mann–Whitney.
                discordant += groupPos * cumNeg + 0.5 * groupPos * groupNeg;
                cumPos += groupPos;
                cumNeg += groupNeg;
                // Average precision: recall step (groupPos / P) times precision at this threshold.
                if (groupPos > 0) apSum += groupPos * cumPos / (cumPos + cumNeg);
                groupPos = groupNeg = 0;
            }
        }

        // Sum over bins of |Σ score − Σ label|, which divided by n is the count-weighted ECE.
        double ece = 0;
        for (var b = 0; b < EceBins; b++) ece += Math.Abs(binScore[b] - binPositive[b]);
        return new Tally(tp, fp, tn, fn, discordant, apSum, brier, ece);
    }

    /// <summary>
    /// Sweeps every distinct score as a threshold (flag when score ≥ t) and returns the one maximising
    /// macro-F1 and the one maximising positive-class F1; on equal F1 the higher threshold wins. Null when
    /// the sample is empty.
    /// </summary>
    public (double MacroF1Threshold, double F1Threshold)? BestThresholds()
    {
        var n = Count;
        if (n == 0) return null;
        double pos = 0;
        for (var k = 0; k < n; k++) if (Positive[k]) pos++;
        var neg = n - pos;

        double tp = 0, fp = 0;
        double bestMacro = double.NegativeInfinity, bestF1 = double.NegativeInfinity;
        double macroT = Scores[0], f1T = Scores[0];
        for (var k = 0; k < n; k++)
        {
            if (Positive[k]) tp++; else fp++;
            if (k < n - 1 && Scores[k + 1] == Scores[k]) continue; // a threshold flags the whole tie group
            var fn = pos - tp;
            var tn = neg - fp;
            var f1 = Tally.F1(tp, fp, fn);
            var macro = Tally.Macro(f1, Tally.F1(tn, fn, fp));
            if (macro > bestMacro) { bestMacro = macro; macroT = Scores[k]; }
            if (f1 > bestF1) { bestF1 = f1; f1T = Scores[k]; }
        }
        return (macroT, f1T);
    }
}

/// <summary>Weighted counts of one pass; derives every metric. Undefined ratios (0/0) are NaN.</summary>
internal readonly record struct Tally(
    double Tp, double Fp, double Tn, double Fn,
    double Discordant, double ApSum, double BrierSum, double EceSum)
{
    public double Positives => Tp + Fn;
    public double Negatives => Fp + Tn;
    public double N => Positives + Negatives;

    public static double Ratio(double num, double den) => den > 0 ? num / den : double.NaN;

    /// <summary>F1 as 2TP / (2TP + FP + FN): equals the harmonic mean of P and R where both exist, is 0 when
    /// there are positives but none found, and NaN only when the class is absent and never predicted.</summary>
    public static double F1(double tp, double fp, double fn) => Ratio(2 * tp, 2 * tp + fp + fn);

    /// <summary>Mean of the two classes' F1, over the classes where F1 is defined.</summary>
    public static double Macro(double f1Pos, double f1Neg) =>
        double.IsNaN(f1Pos) ? f1Neg : double.IsNaN(f1Neg) ? f1Pos : (f1Pos + f1Neg) / 2;

    public void Write(Span<double> metrics)
    {
        var n = N;
        var f1 = F1(Tp, Fp, Fn);
        var f1Neg = F1(Tn, Fn, Fp);
        metrics[(int)Metric.Accuracy] = Ratio(Tp + Tn, n);
        metrics[(int)Metric.Precision] = Ratio(Tp, Tp + Fp);
        metrics[(int)Metric.Recall] = Ratio(Tp, Positives);
        metrics[(int)Metric.F1] = f1;
        metrics[(int)Metric.F1Negative] = f1Neg;
        metrics[(int)Metric.MacroF1] = n > 0 ? Macro(f1, f1Neg) : double.NaN;
        metrics[(int)Metric.Auroc] = Positives > 0 && Negatives > 0 ? 1 - Discordant / (Positives * Negatives) : double.NaN;
        metrics[(int)Metric.Auprc] = Ratio(ApSum, Positives);
        metrics[(int)Metric.Ece] = Ratio(EceSum, n);
        metrics[(int)Metric.Brier] = Ratio(BrierSum, n);
    }
}
