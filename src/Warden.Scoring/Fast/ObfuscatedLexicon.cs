using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Warden.Text;

namespace Warden.Scoring.Fast;

/// <summary>
/// The second look-up for a word that matched no lexicon entry as spelt: a masked word ("id*ot", "m*ron", "д*бил",
/// "A*schloch", which the normaliser keeps with the wildcard '*', <see cref="TextNormalizer.IsMaskedMatch"/>) is matched
/// against the single-word entries. Without it a masked insult counted only through its n-grams, which in a language
/// without labelled data carry almost nothing ("wewe ni mj*nga" scored 0.55, spelt out 0.71).
/// Elongated words are not looked up again: the normaliser leaves a stretched letter doubled ("mjiiinga" → "mjiinga"),
/// and undoing doubled letters also turned everyday words of languages with natural double letters into entries of
/// other languages (Swahili "kuunda" into Czech "kunda", Finnish "tuntee" into German "tunte"): 33 false hits in the
/// 1.2 million words of the everyday web sentences, where masked forms gave none.
/// </summary>
internal sealed class ObfuscatedLexicon
{
    /// <summary>A masked word needs this many letters that are not wildcards: "*" or "f*" must not match anything.</summary>
    private const int MinLiterals = 2;

    /// <summary>Masked words remembered with their bits: "f*ck" recurs, and each new one costs a scan of a bucket.</summary>
    private const int MaxCached = 4096;

    private readonly List<(string Entry, bool Stem, ulong Bits)> _entries = [];
    private readonly Dictionary<char, List<(string Entry, bool Stem, ulong Bits)>> _byFirstLetter = [];
    private readonly ConcurrentDictionary<string, ulong> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ulong>.AlternateLookup<ReadOnlySpan<char>> _cacheBySpan;
    private int _cached; // ConcurrentDictionary.Count takes every lock, so the cache keeps its own count

    public ObfuscatedLexicon() => _cacheBySpan = _cache.GetAlternateLookup<ReadOnlySpan<char>>();

    public bool IsEmpty => _entries.Count == 0;

    /// <summary>Adds a normalised single-word entry (a stem when <paramref name="stem"/>: it matches any word starting with it).</summary>
    public void Add(string entry, bool stem, ulong bits)
    {
        if (entry.Length == 0 || entry.Contains(' ') || entry.Contains('*')) return;
        _entries.Add((entry, stem, bits));
        if (!_byFirstLetter.TryGetValue(entry[0], out var bucket)) _byFirstLetter[entry[0]] = bucket = [];
        bucket.Add((entry, stem, bits));
    }

    /// <summary>Whether a word is worth the second look-up: it has a wildcard.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsCandidate(ReadOnlySpan<char> word) => word.Contains('*');

    /// <summary>The bits of the entries a masked word can stand for (0 when none).</summary>
    public ulong Match(ReadOnlySpan<char> word)
    {
        if (_cacheBySpan.TryGetValue(word, out var cached)) return cached;
        var bits = Scan(word);
        if (Volatile.Read(ref _cached) < MaxCached && _cacheBySpan.TryAdd(word, bits)) Interlocked.Increment(ref _cached);
        return bits;
    }

    private ulong Scan(ReadOnlySpan<char> word)
    {
        var literals = 0;
        foreach (var c in word) if (c != '*') literals++;
        if (literals < MinLiterals || literals == word.Length) return 0;
        // A word that starts with a letter can only match entries that start with it; "*uck" has to try them all.
        IReadOnlyList<(string Entry, bool Stem, ulong Bits)> candidates = word[0] == '*' ? _entries
            : _byFirstLetter.TryGetValue(word[0], out var bucket) ? bucket : [];
        ulong bits = 0;
        foreach (var (entry, stem, entryBits) in candidates)
        {
            if ((bits & entryBits) == entryBits) continue;
            if (TextNormalizer.IsMaskedMatch(word, entry)) { bits |= entryBits; continue; }
            if (!stem) continue;
            // A stem matches the start of the word; a run of stars may stand for one character more or less.
            for (var k = Math.Max(1, entry.Length - 1); k <= Math.Min(word.Length - 1, entry.Length + 1); k++)
            {
                if (word[k - 1] == '*' && word[k] == '*') continue; // do not cut inside a run of stars
                if (TextNormalizer.IsMaskedMatch(word[..k], entry)) { bits |= entryBits; break; }
            }
        }
        return bits;
    }
}
