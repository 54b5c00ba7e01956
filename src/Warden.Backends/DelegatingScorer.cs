using Warden.Core;

namespace Warden.Backends;

/// <summary>
/// Base of scorer decorators (caching, cascading, ...), in the manner of Microsoft.Extensions.AI's
/// DelegatingChatClient: every member forwards to <see cref="Inner"/> unless overridden.
/// Disposing the decorator disposes the inner scorer: the decorator owns what it wraps.
/// </summary>
public abstract class DelegatingScorer : IScorer, IAttributeCoverage, IDisposable
{
    protected DelegatingScorer(IScorer inner) => Inner = inner ?? throw new ArgumentNullException(nameof(inner));

    public IScorer Inner { get; }

    public virtual string ModelName => Inner.ModelName;

    public virtual IReadOnlyList<float> Thresholds => Inner.Thresholds;

    public virtual bool Covers(HarmAttribute attribute) => Inner.Covers(attribute);

    public virtual ScoreResult Score(string text, ScoreOptions? options = null) => Inner.Score(text, options);

    public virtual IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null) =>
        Inner.ScoreBatch(texts, options);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing && Inner is IDisposable disposable) disposable.Dispose();
    }
}
