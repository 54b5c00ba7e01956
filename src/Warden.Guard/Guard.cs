using System.Runtime.CompilerServices;
using System.Text;
using Warden.Core;

namespace Warden.Guard;

/// <summary>
/// Applies a <see cref="GuardPolicy"/> to texts and conversations with an <see cref="IScorer"/>.
/// Thread-safe (the scorer is, and policies are immutable): one instance serves a whole app.
/// </summary>
public sealed class Guard
{
    public const string DenyTermCategory = "deny_term";

    private static readonly ScoreOptions WithSpans = new() { Spans = true };

    // Compiled term lists per policy instance; policies are immutable, so a weak table is a safe cache.
    private readonly ConditionalWeakTable<GuardPolicy, PolicyTerms> _terms = new();

    public Guard(IScorer scorer) => Scorer = scorer ?? throw new ArgumentNullException(nameof(scorer));

    public IScorer Scorer { get; }

    /// <summary>
    /// Checks every message whose role the policy checks (or, when <paramref name="roles"/> is given, whose role is
    /// in it); the others are passed over, not scored. Message indexes in the verdict are those of the conversation.
    /// </summary>
    public GuardVerdict Evaluate(IReadOnlyList<GuardMessage> messages, GuardPolicy policy, IReadOnlySet<string>? roles = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(policy);
        var assessed = new List<TextAssessment>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            if (roles is null ? !policy.Checks(messages[i].Role) : !roles.Contains(messages[i].Role)) continue;
            assessed.Add(Assess(messages[i].Content, policy, i, messages[i].Role));
        }
        return new GuardVerdict(policy.Name, policy.Action, assessed,
            assessed.SelectMany(a => a.Violations).ToList(), Scorer.ModelName);
    }

    /// <summary>Checks one text as if it were message <paramref name="index"/> with role <paramref name="role"/>.</summary>
    public GuardVerdict EvaluateText(string text, GuardPolicy policy, string role = "user")
    {
        var assessment = Assess(text, policy, 0, role);
        return new GuardVerdict(policy.Name, policy.Action, [assessment], assessment.Violations, Scorer.ModelName);
    }

    /// <summary>Checks one text; <paramref name="language"/> (an ISO 639 code or BCP 47 tag, see
    /// <see cref="ScoreOptions.Language"/>) replaces language identification when the caller knows it.</summary>
    public TextAssessment Assess(string text, GuardPolicy policy, int index = 0, string role = "user", string? language = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var terms = _terms.GetValue(policy, p => new PolicyTerms(p));
        var options = language is null ? WithSpans : WithSpans with { Language = language };
        var scored = Scorer.Score(terms.MaskAllowed(text), options);

        var violations = new List<Violation>();
        foreach (var attribute in HarmAttributes.All)
        {
            if (policy.Ignore.Contains(attribute)) continue;
            var score = scored[attribute];
            var threshold = policy.ThresholdFor(attribute, scored.Language, Scorer.Thresholds);
            if (score < threshold) continue;
            var name = attribute.WireName();
            // Span offsets refer to the masked text, which has the original's length: re-read the original characters.
            var spans = scored.Spans.Where(s => s.Attribute == attribute)
                .Select(s => new GuardSpan(s.Start, s.Length, name, s.Score, text.Substring(s.Start, s.Length)))
                .ToList();
            violations.Add(new Violation(name, score, threshold, index, spans));
        }

        var denied = terms.Deny.Matches(text)
            .Select(m => new GuardSpan(m.Start, m.Length, DenyTermCategory, 1f, text.Substring(m.Start, m.Length)))
            .ToList();
        if (denied.Count > 0) violations.Add(new Violation(DenyTermCategory, 1f, 1f, index, denied));

        var redacted = policy.Action == PolicyAction.Redact && violations.Count > 0 ? Redact(text, violations, policy.RedactionMark) : null;
        return new TextAssessment(index, role, scored, violations, redacted);
    }

    /// <summary>
    /// Replaces every violating span with the mark. A violation without spans is a judgement on the whole text,
    /// so the whole text is replaced: leaking it would defeat the policy.
    /// </summary>
    public static string Redact(string text, IReadOnlyList<Violation> violations, string mark)
    {
        if (violations.Any(v => v.Spans.Count == 0)) return mark;
        var ranges = violations.SelectMany(v => v.Spans).Select(s => (s.Start, s.End)).OrderBy(r => r.Start).ToList();
        var sb = new StringBuilder(text.Length);
        var cursor = 0;
        foreach (var (start, end) in ranges)
        {
            if (end <= cursor) continue;
            // An overlapping span only extends the range already replaced by one mark.
            if (start >= cursor)
            {
                sb.Append(text, cursor, start - cursor);
                sb.Append(mark);
            }
            cursor = end;
        }
        sb.Append(text, cursor, text.Length - cursor);
        return sb.ToString();
    }

    private sealed class PolicyTerms(GuardPolicy policy)
    {
        private readonly TermMatcher _allow = new(policy.AllowTerms);

        public TermMatcher Deny { get; } = new(policy.DenyTerms);

        /// <summary>Blanks allowed terms with spaces of the same length, so span offsets stay valid.</summary>
        public string MaskAllowed(string text)
        {
            if (_allow.IsEmpty) return text;
            char[]? chars = null;
            foreach (var (start, length) in _allow.Matches(text))
            {
                chars ??= text.ToCharArray();
                Array.Fill(chars, ' ', start, length);
            }
            return chars is null ? text : new string(chars);
        }
    }
}
