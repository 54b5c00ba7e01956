using Warden.Core;

namespace Warden.Eval.Tests;

/// <summary>A test scorer that reads each text's scores off a function; every threshold 0.5, one fixed language.</summary>
internal sealed class FuncScorer(string modelName, string language, Func<string, float[]> scores) : IScorer
{
    public string ModelName => modelName;

    public IReadOnlyList<float> Thresholds { get; } = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray();

    public ScoreResult Score(string text, ScoreOptions? options = null) => new(language, scores(text));

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null) => [.. texts.Select(t => Score(t, options))];
}
