using System.Text.RegularExpressions;

namespace Warden.Guard;

/// <summary>Case-insensitive whole-word matching of a fixed term list (compiled once per policy).</summary>
internal sealed class TermMatcher
{
    private readonly Regex? _regex;

    public TermMatcher(IReadOnlyList<string> terms)
    {
        var cleaned = terms.Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => Regex.Escape(t.Trim())).ToList();
        if (cleaned.Count == 0) return;
        // Longest first so "bad word" wins over "bad"; lookarounds instead of \b because terms may start or end with symbols.
        var alternatives = string.Join("|", cleaned.OrderByDescending(t => t.Length));
        _regex = new Regex($@"(?<![\p{{L}}\p{{N}}])(?:{alternatives})(?![\p{{L}}\p{{N}}])",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));
    }

    public bool IsEmpty => _regex is null;

    public IEnumerable<(int Start, int Length)> Matches(string text)
    {
        if (_regex is null) yield break;
        foreach (Match m in _regex.Matches(text)) yield return (m.Index, m.Length);
    }
}
