namespace Warden.Scoring.Fast;

/// <summary>Platt scaling and threshold selection on held-out data.</summary>
public static class Platt
{
    /// <summary>Fits sigmoid(a z + b) to soft labels by weighted Newton iterations on the log-loss.</summary>
    public static Calibration Fit(IReadOnlyList<float> logits, IReadOnlyList<float> labels, IReadOnlyList<float> weights, int iterations = 50)
    {
        double a = 1, b = 0;
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            double gA = 0, gB = 0, hAA = 0, hAB = 0, hBB = 0;
            for (var i = 0; i < logits.Count; i++)
            {
                var p = 1 / (1 + Math.Exp(-(a * logits[i] + b)));
                var r = (p - labels[i]) * weights[i];
                var h = Math.Max(p * (1 - p), 1e-9) * weights[i];
                gA += r * logits[i]; gB += r;
                hAA += h * logits[i] * logits[i]; hAB += h * logits[i]; hBB += h;
            }
            hAA += 1e-6; hBB += 1e-6;
            var det = hAA * hBB - hAB * hAB;
            if (Math.Abs(det) < 1e-12) break;
            var dA = (hBB * gA - hAB * gB) / det;
            var dB = (hAA * gB - hAB * gA) / det;
            a -= dA; b -= dB;
            if (Math.Abs(dA) + Math.Abs(dB) < 1e-7) break;
        }
        return new Calibration((float)a, (float)b);
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
