using System.Text;

namespace Warden.Data.Datasets;

/// <summary>Python literals that some datasets store in CSV cells (lists of strings written with repr()).</summary>
public static class PythonLiterals
{
    /// <summary>
    /// Splits a Python list literal of strings ("['a', "b's"]"). Lenient, because some rows are not valid
    /// literals: an item ends at its quote character followed by a comma (or the end), escapes are decoded,
    /// and text that does not parse as a quoted item is taken up to the next comma as it is.
    /// </summary>
    public static List<string> ParseStringList(string literal)
    {
        var items = new List<string>();
        var s = literal.Trim();
        if (s.StartsWith('[')) s = s[1..];
        if (s.EndsWith(']')) s = s[..^1];
        var i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && (char.IsWhiteSpace(s[i]) || s[i] == ',')) i++;
            if (i >= s.Length) break;
            var item = new StringBuilder();
            var quote = s[i];
            if (quote is '\'' or '"')
            {
                i++;
                while (i < s.Length)
                {
                    var c = s[i];
                    if (c == '\\' && i + 1 < s.Length)
                    {
                        item.Append(s[i + 1] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                        i += 2;
                        continue;
                    }
                    if (c == quote && IsItemEnd(s, i + 1)) { i++; break; }
                    item.Append(c);
                    i++;
                }
            }
            else
            {
                var comma = s.IndexOf(',', i);
                var end = comma < 0 ? s.Length : comma;
                item.Append(s, i, end - i);
                i = end;
            }
            var text = item.ToString().Trim();
            if (text.Length > 0) items.Add(text);
        }
        return items;
    }

    private static bool IsItemEnd(string s, int i)
    {
        while (i < s.Length && s[i] == ' ') i++;
        return i >= s.Length || s[i] == ',';
    }
}
