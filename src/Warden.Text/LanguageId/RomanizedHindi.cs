using System.Text;

namespace Warden.Text.LanguageId;

/// <summary>
/// Training sample for the romanised Hindi class from TRAC-1 (Facebook comments, Hindi–English code
/// mixing). Only comments without Devanagari whose words are clearly Hindi (function words) are used,
/// so the class does not simply learn English; the sample is ordered by a seeded hash of the comment id.
/// </summary>
internal static class RomanizedHindi
{
    // Frequent Hindi function words / particles in romanised spelling; rare in the other Latin-script languages.
    private static readonly HashSet<string> Markers = new(StringComparer.Ordinal)
    {
        "hai", "hain", "ka", "ki", "ke", "ko", "nahi", "nhi", "nahin", "kya", "se", "mein", "bhi", "tha", "thi", "aur",
        "ye", "yeh", "jo", "kar", "karo", "ne", "wo", "woh", "kuch", "sab", "apne", "apna", "liye", "kyu", "kyun",
        "tum", "hum", "mera", "meri", "tera", "teri", "unka", "uska", "iska", "hota", "hoga", "raha", "rahe", "wala",
        "wale", "bhai", "desh", "log", "abhi", "sirf", "bahut", "bhot", "jab", "tab", "kaise", "kaun", "ho", "ji",
    };

    public static List<string> Sample(string trac1Directory, int seed, int max, out int pool)
    {
        var rows = new List<(ulong Key, string Text)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in new[] { "agr_hi_train.csv", "agr_hi_dev.csv" })
        {
            var path = Path.Combine(trac1Directory, name);
            if (!File.Exists(path)) continue;
            foreach (var fields in ReadCsv(File.ReadAllText(path, Encoding.UTF8)))
            {
                if (fields.Count < 2) continue;
                string id = fields[0], text = Clean(fields[1]);
                if (text.Length < 10 || !seen.Add(text) || !IsRomanizedHindi(text)) continue;
                rows.Add((Hash(seed, id), text));
            }
        }
        pool = rows.Count;
        return rows.OrderBy(r => r.Key).ThenBy(r => r.Text, StringComparer.Ordinal).Take(max).Select(r => r.Text).ToList();
    }

    private static string Clean(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static bool IsRomanizedHindi(string text)
    {
        int words = 0, markers = 0;
        foreach (char c in text) if (c >= '\u0900' && c <= '\u097F') return false;
        foreach (var raw in text.Split(' '))
        {
            var w = raw.Trim('.', ',', '!', '?', ':', ';', '"', '\'', '(', ')').ToLowerInvariant();
            if (w.Length == 0 || !w.All(char.IsAsciiLetter)) continue;
            words++;
            if (Markers.Contains(w)) markers++;
        }
        return words >= 3 && markers >= 2 && markers * 4 >= words;
    }

    private static ulong Hash(int seed, string s)
    {
        ulong h = 14695981039346656037UL ^ (ulong)(uint)seed;
        foreach (char c in s) h = (h ^ c) * 1099511628211UL;
        return h;
    }

    /// <summary>Minimal RFC 4180 reader: quoted fields with doubled quotes and embedded newlines.</summary>
    internal static IEnumerable<List<string>> ReadCsv(string content)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < content.Length; i++)
        {
            char c = content[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < content.Length && content[i + 1] == '"') { field.Append('"'); i++; }
                    else quoted = false;
                }
                else field.Append(c);
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0: quoted = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    yield return row;
                    row = new List<string>();
                    break;
                default: field.Append(c); break;
            }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }
}
