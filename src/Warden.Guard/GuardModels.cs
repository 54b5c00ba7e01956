using Warden.Core;

namespace Warden.Guard;

/// <summary>One message of a conversation as the guard sees it.</summary>
public sealed record GuardMessage(string Role, string Content);

/// <summary>A character range [Start, Start+Length) of a message that drives a category.</summary>
public sealed record GuardSpan(int Start, int Length, string Category, float Score, string Text)
{
    public int End => Start + Length;
}

/// <summary>A category a message crossed: a Warden attribute wire name, or <see cref="Guard.DenyTermCategory"/>.</summary>
public sealed record Violation(string Category, float Score, float Threshold, int MessageIndex, IReadOnlyList<GuardSpan> Spans);

/// <summary>The guard's view of one text: its scores under the policy and what it violated.</summary>
public sealed record TextAssessment(
    int MessageIndex,
    string Role,
    ScoreResult Scores,
    IReadOnlyList<Violation> Violations,
    string? Redacted)
{
    public bool Safe => Violations.Count == 0;
}

/// <summary>
/// The decision on a conversation. <see cref="Safe"/> is false when any checked message violates the
/// policy; <see cref="Action"/> says what the policy wants done about it.
/// </summary>
public sealed record GuardVerdict(
    string Policy,
    PolicyAction Action,
    IReadOnlyList<TextAssessment> Messages,
    IReadOnlyList<Violation> Violations,
    string Model)
{
    public bool Safe => Violations.Count == 0;

    /// <summary>Index (in the conversation) of the first message that violates the policy, or null when safe.</summary>
    public int? MessageIndex => Violations.Count == 0 ? null : Violations.Min(v => v.MessageIndex);

    /// <summary>The message is held back: unsafe under a blocking policy.</summary>
    public bool Blocks => !Safe && Action == PolicyAction.Block;

    /// <summary>"safe" or "unsafe", as written on the wire.</summary>
    public string Label => Safe ? "safe" : "unsafe";

    /// <summary>A short reason for people and logs (categories only, never the text).</summary>
    public string Reason => Safe
        ? "no policy violation"
        : $"policy '{Policy}' violated by message {MessageIndex}: " +
          string.Join(", ", Violations.Select(v => v.Category).Distinct());
}
