using Warden.Core;

namespace Warden.Backends.Cascade;

/// <summary>Counters of a cascade since it was created (or last reset).</summary>
public readonly record struct CascadeStats(long Seen, long Escalated, long SlowFailures)
{
    public double EscalationRate => Seen == 0 ? 0 : (double)Escalated / Seen;

    public override string ToString() =>
        $"{Seen} texts, {Escalated} escalated ({EscalationRate:P1}), {SlowFailures} slow-backend failures";
}

/// <summary>
/// The fast scorer decides the clear cases; a text whose fast score for any attribute falls in that
/// attribute's uncertainty band goes to the slow backend, whose scores then replace the fast ones for the
/// attributes the slow backend judges (<see cref="IAttributeCoverage"/>). The cost is the fast scorer on
/// every text plus the slow one on the escalated fraction only.
///
/// The slow backend may use a different decision threshold than the fast one; its scores are mapped
/// piecewise-linearly so that its threshold lands on the fast scorer's (0 → 0, t_slow → t_fast, 1 → 1).
/// This keeps <see cref="Thresholds"/> (the fast scorer's) meaningful for every text and keeps the order.
///
/// When the slow backend fails (an LLM server down, a malformed answer), the text keeps its fast scores
/// and <see cref="CascadeStats.SlowFailures"/> counts it: a cascade degrades to the fast scorer, it does
/// not fail the whole batch. Batch-independent as long as both members are.
/// </summary>
public sealed class CascadeScorer : IScorer, IAttributeCoverage, IDisposable
{
    private readonly IScorer _fast;
    private readonly IScorer _slow;
    private long _seen;
    private long _escalated;
    private long _failures;

    public CascadeScorer(IScorer fast, IScorer slow, CascadeBands bands)
    {
        _fast = fast ?? throw new ArgumentNullException(nameof(fast));
        _slow = slow ?? throw new ArgumentNullException(nameof(slow));
        Bands = bands ?? throw new ArgumentNullException(nameof(bands));
    }

    public CascadeBands Bands { get; }

    public IScorer Fast => _fast;
    public IScorer Slow => _slow;

    public string ModelName => $"cascade({_fast.ModelName}+{_slow.ModelName})";

    public IReadOnlyList<float> Thresholds => _fast.Thresholds;

    public CascadeStats Stats => new(Interlocked.Read(ref _seen), Interlocked.Read(ref _escalated), Interlocked.Read(ref _failures));

    /// <summary>Called with the exception whenever the slow backend fails and the fast scores are kept.</summary>
    public Action<Exception>? OnSlowFailure { get; init; }

    public bool Covers(HarmAttribute attribute) => _fast.Covers(attribute) || _slow.Covers(attribute);

    public void ResetStats()
    {
        Interlocked.Exchange(ref _seen, 0);
        Interlocked.Exchange(ref _escalated, 0);
        Interlocked.Exchange(ref _failures, 0);
    }

    public ScoreResult Score(string text, ScoreOptions? options = null)
    {
        var fast = _fast.Score(text, options);
        Interlocked.Increment(ref _seen);
        if (!Bands.ShouldEscalate(fast.Scores)) return fast;
        Interlocked.Increment(ref _escalated);
        try
        {
            return Combine(fast, _slow.Score(text, options));
        }
        catch (Exception e)
        {
            Failed(e);
            return fast;
        }
    }

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null)
    {
        var fast = _fast.ScoreBatch(texts, options);
        var results = fast.ToArray();
        var escalate = new List<int>();
        for (var i = 0; i < results.Length; i++)
            if (Bands.ShouldEscalate(results[i].Scores)) escalate.Add(i);
        Interlocked.Add(ref _seen, texts.Count);
        Interlocked.Add(ref _escalated, escalate.Count);
        if (escalate.Count == 0) return results;

        IReadOnlyList<ScoreResult>? slow = null;
        try
        {
            slow = _slow.ScoreBatch(escalate.Select(i => texts[i]).ToArray(), options);
        }
        catch (Exception e)
        {
            // One bad text must not cost the others their escalation: retry them one by one.
            OnSlowFailure?.Invoke(e);
        }
        for (var j = 0; j < escalate.Count; j++)
        {
            var i = escalate[j];
            if (slow is not null)
            {
                results[i] = Combine(results[i], slow[j]);
                continue;
            }
            try
            {
                results[i] = Combine(results[i], _slow.Score(texts[i], options));
            }
            catch (Exception e)
            {
                Failed(e);
            }
        }
        return results;
    }

    private void Failed(Exception e)
    {
        Interlocked.Increment(ref _failures);
        OnSlowFailure?.Invoke(e);
    }

    private ScoreResult Combine(ScoreResult fast, ScoreResult slow)
    {
        var scores = (float[])fast.Scores.Clone();
        var replaced = new bool[HarmAttributes.Count];
        foreach (var a in HarmAttributes.All)
        {
            if (!_slow.Covers(a)) continue;
            var i = (int)a;
            scores[i] = AlignThreshold(slow.Scores[i], _slow.Thresholds[i], _fast.Thresholds[i]);
            replaced[i] = true;
        }
        var spans = fast.Spans.Where(s => !replaced[(int)s.Attribute]).Concat(slow.Spans).ToArray();
        // A replaced attribute's evidence is the slow backend's; the others keep the fast scorer's caveats.
        var lowEvidence = fast.LowEvidence.Where(a => !replaced[(int)a]).Concat(slow.LowEvidence.Where(a => replaced[(int)a])).ToArray();
        return new ScoreResult(fast.Language, scores, spans, lowEvidence);
    }

    /// <summary>Monotone piecewise-linear map sending [0, from] onto [0, to] and [from, 1] onto [to, 1].</summary>
    internal static float AlignThreshold(float score, float from, float to)
    {
        if (from == to || from <= 0f || from >= 1f) return score;
        return score < from
            ? score * to / from
            : to + (score - from) * (1f - to) / (1f - from);
    }

    public void Dispose()
    {
        (_fast as IDisposable)?.Dispose();
        (_slow as IDisposable)?.Dispose();
    }
}
