using System.Diagnostics;
using Warden.Text.LanguageId;

namespace Warden.Text;

/// <summary>
/// Single-thread throughput probes for the hot paths (a quick check, not BenchmarkDotNet): warms up,
/// then times <paramref name="iterations"/> passes over the texts on the calling thread.
/// </summary>
public static class MicroBenchmark
{
    /// <summary>Mean nanoseconds per text for <see cref="TextNormalizer.Normalize"/> (with offset map).</summary>
    public static double NormalizerNanosecondsPerText(IReadOnlyList<string> texts, int iterations = 2000, bool withMap = true)
    {
        void Pass()
        {
            foreach (var t in texts)
            {
                if (withMap) TextNormalizer.Normalize(t);
                else TextNormalizer.NormalizeToString(t);
            }
        }
        return Time(Pass, iterations) / texts.Count;
    }

    /// <summary>Texts per second for <see cref="LanguageIdentifier.IdentifyWithConfidence"/>.</summary>
    public static double LanguageIdTextsPerSecond(LanguageIdentifier identifier, IReadOnlyList<string> texts, int iterations = 2000)
    {
        void Pass()
        {
            foreach (var t in texts) identifier.IdentifyWithConfidence(t);
        }
        double ns = Time(Pass, iterations) / texts.Count;
        return 1e9 / ns;
    }

    private static double Time(Action pass, int iterations)
    {
        // Enough warm-up for tiered JIT to reach the optimised code.
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 300) pass();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) pass();
        return sw.Elapsed.TotalNanoseconds / iterations;
    }
}
