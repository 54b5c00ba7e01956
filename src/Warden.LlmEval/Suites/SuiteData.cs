using System.Text.Json;

namespace Warden.LlmEval.Suites;

/// <summary>Small helpers the suites share for reading their data and choosing deterministic subsets.</summary>
internal static class SuiteData
{
    public static string Folder(SuiteContext context, string name)
    {
        var folder = Path.Combine(context.DatasetsRoot, name);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"dataset folder not found: {folder}");
        return folder;
    }

    public static string RequireFile(string path) =>
        File.Exists(path) ? path : throw new FileNotFoundException($"dataset file not found: {path}", path);

    /// <summary>
    /// A stable 64-bit hash (string.GetHashCode is randomised per process): FNV-1a, then a SplitMix64 finaliser,
    /// because FNV's high bits barely move when only the last characters differ, and sampling orders by the whole hash.
    /// </summary>
    public static ulong StableHash(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var c in text) h = (h ^ c) * 1099511628211UL;
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        return h ^ (h >> 31);
    }

    /// <summary>A deterministic pseudo-random subset of <paramref name="count"/> items (all when count ≤ 0 or ≥ size), kept in input order.</summary>
    public static IReadOnlyList<T> Sample<T>(IReadOnlyList<T> items, int count, Func<T, string> key)
    {
        if (count <= 0 || count >= items.Count) return items;
        var chosen = items.Select((item, index) => (item, index, hash: StableHash(key(item))))
            .OrderBy(x => x.hash).ThenBy(x => x.index).Take(count).OrderBy(x => x.index);
        return chosen.Select(x => x.item).ToList();
    }

    public static Dictionary<string, string> Meta(params (string Key, string? Value)[] pairs)
    {
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs) if (v is not null) meta[k] = v;
        return meta;
    }

    public static JsonDocument ReadJson(string path)
    {
        using var stream = File.OpenRead(RequireFile(path));
        return JsonDocument.Parse(stream);
    }
}
