using Warden.Core;

namespace Warden.Scoring;

/// <summary>
/// Averages the calibrated log-odds of several scorers (weighted), so two models that err differently can be
/// combined. Language and spans come from the first member. Thread-safe when the members are.
/// </summary>
public sealed class EnsembleScorer : IScorer
{
    private readonly IScorer[] _members;
    private readonly float[] _weights;

    public EnsembleScorer(IReadOnlyList<IScorer> members, IReadOnlyList<float>? weights = null)
    {
        if (members.Count < 2) throw new ArgumentException("an ensemble needs at least two scorers", nameof(members));
        _members = [.. members];
        var w = weights?.ToArray() ?? Enumerable.Repeat(1f, members.Count).ToArray();
        if (w.Length != members.Count || w.Any(x => !(x > 0))) throw new ArgumentException("one positive weight per member", nameof(weights));
        var total = w.Sum();
        _weights = [.. w.Select(x => x / total)];
        Thresholds = _members[0].Thresholds;
    }

    public string ModelName => string.Join("+", _members.Select(m => m.ModelName));

    public IReadOnlyList<float> Thresholds { get; }

    public ScoreResult Score(string text, ScoreOptions? options = null)
    {
        var first = _members[0].Score(text, options);
        // Spans come from the first member; the others get only the language hint.
        var memberOptions = options is { Spans: true } ? options with { Spans = false } : options;
        var logOdds = new float[HarmAttributes.Count];
        Accumulate(first, _weights[0], logOdds);
        for (var m = 1; m < _members.Length; m++) Accumulate(_members[m].Score(text, memberOptions), _weights[m], logOdds);
        var scores = new float[HarmAttributes.Count];
        for (var a = 0; a < scores.Length; a++) scores[a] = 1f / (1f + MathF.Exp(-logOdds[a]));
        return new ScoreResult(first.Language, scores, first.Spans);
    }

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null)
    {
        var results = new ScoreResult[texts.Count];
        Parallel.For(0, texts.Count, i => results[i] = Score(texts[i], options));
        return results;
    }

    private static void Accumulate(ScoreResult result, float weight, float[] logOdds)
    {
        for (var a = 0; a < logOdds.Length; a++)
        {
            var p = Math.Clamp(result.Scores[a], 1e-6f, 1 - 1e-6f);
            logOdds[a] += weight * MathF.Log(p / (1 - p));
        }
    }
}
