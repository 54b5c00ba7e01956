using System.Collections.Concurrent;
using Warden.Core;

namespace Warden.Backends.Tests;

/// <summary>A deterministic scorer: every attribute scores <c>f(text)</c>; records what it was asked.</summary>
internal sealed class FakeScorer(string name, Func<string, float> score, float threshold = 0.5f, HarmAttribute[]? covers = null)
    : IScorer, IAttributeCoverage
{
    public ConcurrentQueue<string> Seen { get; } = new();
    public Func<string, bool> Fails { get; init; } = _ => false;
    public TimeSpan Latency { get; init; }

    public string ModelName => name;
    public IReadOnlyList<float> Thresholds { get; } = Enumerable.Repeat(threshold, HarmAttributes.Count).ToArray();

    public bool Covers(HarmAttribute attribute) => covers is null || covers.Contains(attribute);

    public ScoreResult Score(string text, ScoreOptions? options = null)
    {
        Seen.Enqueue(text);
        if (Latency > TimeSpan.Zero) Thread.Sleep(Latency);
        if (Fails(text)) throw new InvalidOperationException($"{name} failed on '{text}'");
        var s = score(text);
        var scores = new float[HarmAttributes.Count];
        foreach (var a in HarmAttributes.All) scores[(int)a] = Covers(a) ? s : 0f;
        return new ScoreResult("en", scores);
    }

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null) =>
        texts.Select(t => Score(t, options)).ToArray();
}
