using Warden.Backends.Cascade;
using Warden.Core;

namespace Warden.Backends;

/// <summary>
/// Composes a scorer from a backend and decorators, in the manner of Microsoft.Extensions.AI's
/// ChatClientBuilder: the first <c>Use</c> is the outermost layer. So
/// <c>new ScorerBuilder(fast).UseCache(10_000).UseCascade(judge, bands).Build()</c> is a cache in front
/// of a cascade whose fast member is <c>fast</c>: a repeated text costs neither scorer.
/// </summary>
public sealed class ScorerBuilder
{
    private readonly IScorer _inner;
    private readonly List<Func<IScorer, IScorer>> _layers = [];

    public ScorerBuilder(IScorer inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>Adds a decorator; it receives the scorer built from everything added after it.</summary>
    public ScorerBuilder Use(Func<IScorer, IScorer> layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        _layers.Add(layer);
        return this;
    }

    public ScorerBuilder UseCache(int capacity = 10_000) => Use(inner => new CachingScorer(inner, capacity));

    /// <summary>Texts the inner (fast) scorer is unsure about, by <paramref name="bands"/>, go to <paramref name="slow"/>.</summary>
    public ScorerBuilder UseCascade(IScorer slow, CascadeBands bands) => Use(inner => new CascadeScorer(inner, slow, bands));

    public IScorer Build()
    {
        var scorer = _inner;
        for (var i = _layers.Count - 1; i >= 0; i--)
            scorer = _layers[i](scorer) ?? throw new InvalidOperationException($"layer {i} returned null");
        return scorer;
    }
}
