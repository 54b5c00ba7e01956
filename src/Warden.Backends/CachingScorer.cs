using Warden.Core;

namespace Warden.Backends;

/// <summary>
/// A thread-safe LRU cache of scores by exact text, in front of any scorer. Worth it in front of slow
/// backends (judges, transformers) and for traffic with many repeated texts (greetings, spam waves).
/// Results with spans are cached separately from results without, since spans cost extra to compute.
/// </summary>
public sealed class CachingScorer : DelegatingScorer
{
    private readonly int _capacity;
    private readonly Dictionary<(string Text, bool Spans), LinkedListNode<Entry>> _map = new();
    private readonly LinkedList<Entry> _lru = new(); // most recently used first
    private readonly Lock _lock = new();
    private long _hits;
    private long _misses;

    public CachingScorer(IScorer inner, int capacity) : base(inner)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    public int Count
    {
        get { lock (_lock) return _map.Count; }
    }

    public override ScoreResult Score(string text, ScoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var key = (text, options?.Spans == true);
        if (TryGet(key, out var cached)) return cached;
        var result = Inner.Score(text, options);
        Put(key, result);
        return Copy(result);
    }

    public override IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null)
    {
        var spans = options?.Spans == true;
        var results = new ScoreResult[texts.Count];
        var missing = new List<int>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (TryGet((texts[i], spans), out var cached)) results[i] = cached;
            else missing.Add(i);
        }
        if (missing.Count == 0) return results;

        // One inner batch for all misses keeps the inner scorer's batching (padding, parallel requests) effective.
        var scored = Inner.ScoreBatch(missing.Select(i => texts[i]).ToArray(), options);
        for (var j = 0; j < missing.Count; j++)
        {
            Put((texts[missing[j]], spans), scored[j]);
            results[missing[j]] = Copy(scored[j]);
        }
        return results;
    }

    private bool TryGet((string, bool) key, out ScoreResult result)
    {
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                Interlocked.Increment(ref _hits);
                result = Copy(node.Value.Result);
                return true;
            }
        }
        Interlocked.Increment(ref _misses);
        result = null!;
        return false;
    }

    private void Put((string, bool) key, ScoreResult result)
    {
        var entry = new Entry(key, Copy(result));
        lock (_lock)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                _lru.Remove(existing);
                _map.Remove(key);
            }
            _map[key] = _lru.AddFirst(entry);
            if (_map.Count > _capacity)
            {
                var last = _lru.Last!;
                _lru.RemoveLast();
                _map.Remove(last.Value.Key);
            }
        }
    }

    // ScoreResult.Scores is a mutable array: a caller editing its copy must not poison the cache.
    private static ScoreResult Copy(ScoreResult r) => new(r.Language, (float[])r.Scores.Clone(), r.Spans, r.LowEvidence);

    private sealed record Entry((string Text, bool Spans) Key, ScoreResult Result);
}
