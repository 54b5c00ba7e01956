namespace Warden.Scoring.Fast;

/// <summary>Platt scaling and threshold selection on held-out data.</summary>
public static class Platt
{
    /// <summary>
    /// Fits sigmoid(a z + b) to soft labels by weighted Newton iterations on the log-loss, with step halving so the
    /// loss never increases, and Platt's target smoothing so separable data cannot drive the parameters to infinity.
    /// Falls back to the identity when the fit is degenerate.
    /// </summary>
    /// <param name="prior">With <paramref name="priorRows"/> &gt; 0: a Gaussian prior that pulls the fit towards this
    /// calibration (partial pooling), as strongly as about that many rows of data would; a fit on a few hundred rows
    /// then stays near the prior, one on many thousands follows its own data.</param>
    public static Calibration Fit(IReadOnlyList<float> logits, IReadOnlyList<float> labels, IReadOnlyList<float> weights, int iterations = 100,
        Calibration? prior = null, double priorRows = 0)
    {
        double positives = 0, negatives = 0;
        for (var i = 0; i < labels.Count; i++) { positives += labels[i] * weights[i]; negatives += (1 - labels[i]) * weights[i]; }
        var high = (positives + 1) / (positives + 2);
        var low = 1 / (negatives + 2);
        double Target(int i) => low + labels[i] * (high - low);

        // The penalty's curvature is that of priorRows rows at p(1 - p) = 0.2; the scale is measured in units of the
        // logits' spread so that both parameters move the fitted probabilities comparably.
        var (priorScale, priorOffset) = prior is null ? (1.0, 0.0) : (prior.Scale, prior.Offset);
        var strength = prior is null ? 0 : 0.2 * Math.Max(priorRows, 0);
        var spread = strength > 0 ? LogitVariance(logits, weights) : 0;
        double Penalty(double a, double b) => 0.5 * strength * (spread * (a - priorScale) * (a - priorScale) + (b - priorOffset) * (b - priorOffset));

        double Loss(double a, double b)
        {
            double loss = 0;
            for (var i = 0; i < logits.Count; i++)
            {
                var z = a * logits[i] + b;
                // log(1 + e^z) - t z, computed stably
                var softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
                loss += weights[i] * (softplus - Target(i) * z);
            }
            return loss + Penalty(a, b);
        }

        double a0 = strength > 0 ? priorScale : 1, b0 = strength > 0 ? priorOffset : 0;
        var current = Loss(a0, b0);
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            double gA = 0, gB = 0, hAA = 0, hAB = 0, hBB = 0;
            for (var i = 0; i < logits.Count; i++)
            {
                var p = 1 / (1 + Math.Exp(-(a0 * logits[i] + b0)));
                var r = (p - Target(i)) * weights[i];
                var h = Math.Max(p * (1 - p), 1e-12) * weights[i];
                gA += r * logits[i]; gB += r;
                hAA += h * logits[i] * logits[i]; hAB += h * logits[i]; hBB += h;
            }
            gA += strength * spread * (a0 - priorScale); gB += strength * (b0 - priorOffset);
            hAA += strength * spread + 1e-9; hBB += strength + 1e-9;
            var det = hAA * hBB - hAB * hAB;
            if (Math.Abs(det) < 1e-18) break;
            var dA = (hBB * gA - hAB * gB) / det;
            var dB = (hAA * gB - hAB * gA) / det;
            var step = 1.0;
            double a1 = a0, b1 = b0, next = current;
            while (step > 1e-8)
            {
                a1 = a0 - step * dA; b1 = b0 - step * dB;
                next = Loss(a1, b1);
                if (next <= current) break;
                step /= 2;
            }
            if (step <= 1e-8) break;
            var converged = current - next < 1e-10 * Math.Max(1, Math.Abs(current));
            a0 = a1; b0 = b1; current = next;
            if (converged) break;
        }
        return double.IsFinite(a0) && double.IsFinite(b0) && a0 > 0 ? new Calibration((float)a0, (float)b0) : Calibration.Identity;
    }

    private static double LogitVariance(IReadOnlyList<float> logits, IReadOnlyList<float> weights)
    {
        double sum = 0, squares = 0, total = 0;
        for (var i = 0; i < logits.Count; i++) { sum += weights[i] * logits[i]; squares += weights[i] * logits[i] * logits[i]; total += weights[i]; }
        if (total <= 0) return 1;
        var mean = sum / total;
        return Math.Max(squares / total - mean * mean, 1e-6);
    }

    /// <summary>The threshold in [0.05, 0.95] (step 0.01) that maximises weighted macro-F1 with labels binarised at 0.5.</summary>
    public static float BestMacroF1Threshold(IReadOnlyList<float> probabilities, IReadOnlyList<float> labels, IReadOnlyList<float> weights)
    {
        var best = 0.5f; var bestF1 = -1.0;
        for (var t = 0.05f; t <= 0.951f; t += 0.01f)
        {
            double tp = 0, fp = 0, fn = 0, tn = 0;
            for (var i = 0; i < probabilities.Count; i++)
            {
                var predicted = probabilities[i] >= t;
                var actual = labels[i] >= 0.5f;
                var w = weights[i];
                if (predicted && actual) tp += w; else if (predicted) fp += w; else if (actual) fn += w; else tn += w;
            }
            var f1Pos = tp == 0 ? 0 : 2 * tp / (2 * tp + fp + fn);
            var f1Neg = tn == 0 ? 0 : 2 * tn / (2 * tn + fn + fp);
            var macro = (f1Pos + f1Neg) / 2;
            if (macro > bestF1 + 1e-9) { bestF1 = macro; best = MathF.Round(t, 2); }
        }
        return best;
    }
}
