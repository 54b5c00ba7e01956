using System.Text.RegularExpressions;
using Warden.Core;

namespace Warden.Testing;

/// <summary>
/// A deterministic test double for <see cref="IScorer"/>: a few keywords drive fixed scores, so tests can say
/// exactly which text must cross which threshold. Words in <see cref="GermanWords"/> make the language "de", unless
/// the caller names the language (<see cref="ScoreOptions.Language"/>).
/// </summary>
public sealed class KeywordScorer : IScorer
{
    public const float Base = 0.02f;

    private static readonly Dictionary<string, (HarmAttribute Attribute, float Score)[]> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["idiot"] = [(HarmAttribute.Insult, 0.95f), (HarmAttribute.Toxicity, 0.9f)],
        ["dummkopf"] = [(HarmAttribute.Insult, 0.8f), (HarmAttribute.Toxicity, 0.7f)],
        ["kill"] = [(HarmAttribute.Threat, 0.92f), (HarmAttribute.Toxicity, 0.6f)],
        ["damn"] = [(HarmAttribute.Profanity, 0.9f)],
        ["vermin"] = [(HarmAttribute.IdentityAttack, 0.93f), (HarmAttribute.Toxicity, 0.8f)],
        ["nude"] = [(HarmAttribute.SexuallyExplicit, 0.9f)],
        ["suicide"] = [(HarmAttribute.SelfHarm, 0.9f)],
    };

    private static readonly HashSet<string> GermanWords = new(["du", "der", "die", "und", "ist", "bist"], StringComparer.OrdinalIgnoreCase);

    private static readonly Regex Words = new(@"[\p{L}\p{N}]+", RegexOptions.Compiled);

    public string ModelName => "keyword-test@1";

    public IReadOnlyList<float> Thresholds { get; } = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray();

    public ScoreResult Score(string text, ScoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scores = Enumerable.Repeat(Base, HarmAttributes.Count).ToArray();
        var spans = new List<TextSpan>();
        var language = "en";
        foreach (Match word in Words.Matches(text))
        {
            if (GermanWords.Contains(word.Value)) language = "de";
            if (!Keywords.TryGetValue(word.Value, out var hits)) continue;
            foreach (var (attribute, score) in hits)
            {
                scores[(int)attribute] = Math.Max(scores[(int)attribute], score);
                if (options?.Spans == true && score >= Thresholds[(int)attribute])
                    spans.Add(new TextSpan(word.Index, word.Length, attribute, score, word.Value));
            }
        }
        return new ScoreResult(options?.Language ?? language, scores, spans);
    }

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null) =>
        texts.Select(t => Score(t, options)).ToList();
}
