using Warden.Text;
using System.Buffers;
using Warden.Core;

namespace Warden.Scoring.Fast;

/// <summary>
/// Finds the words that drive a flagged attribute, from the model's own feature weights: each word is
/// scored alone (its n-grams and unigram), and words whose own score reaches the attribute's threshold
/// are reported with their character range in the original text. Profanity-lexicon words are always
/// reported for profanity, and harm-lexicon words for the attributes their category explains when the text has a
/// plain (not negated or quoted) hit of that category. Words come from the normaliser, so obfuscated spellings map
/// back to the original characters.
/// </summary>
internal sealed class SpanFinder
{
    /// <summary>
    /// The attributes a harm-lexicon category explains. Without this a word the model trusts only together with its
    /// neighbours went unreported: in "אתה ד.ב.י.ל" the span pointed at "אתה" ("you"), which Warden's templates put
    /// in front of every insult, and not at the insult.
    /// </summary>
    private static readonly Dictionary<string, HarmAttribute[]> LexiconAttributes = new(StringComparer.Ordinal)
    {
        ["insult"] = [HarmAttribute.Insult, HarmAttribute.Toxicity],
        ["profanity"] = [HarmAttribute.Profanity, HarmAttribute.Toxicity],
        ["slur"] = [HarmAttribute.IdentityAttack, HarmAttribute.Toxicity],
        ["dehumanising"] = [HarmAttribute.IdentityAttack, HarmAttribute.Toxicity],
        ["exclusion"] = [HarmAttribute.IdentityAttack, HarmAttribute.Toxicity],
        ["stereotype"] = [HarmAttribute.IdentityAttack, HarmAttribute.Toxicity],
        ["contempt"] = [HarmAttribute.IdentityAttack, HarmAttribute.Insult, HarmAttribute.Toxicity],
        ["threat"] = [HarmAttribute.Threat, HarmAttribute.Toxicity],
        ["self_harm"] = [HarmAttribute.SelfHarm],
    };

    private readonly FastScorer _scorer;

    public SpanFinder(FastScorer scorer) => _scorer = scorer;

    public IReadOnlyList<TextSpan> Find(string text, string language, ReadOnlySpan<float> scores, IReadOnlyList<float> thresholds)
    {
        var flagged = new List<HarmAttribute>();
        foreach (var a in HarmAttributes.All)
            if (scores[(int)a] >= thresholds[(int)a]) flagged.Add(a);
        if (flagged.Count == 0) return [];

        var spans = new List<TextSpan>();
        var pipeline = _scorer.Pipeline;
        var calibrations = _scorer.CalibrationsFor(language);
        Span<float> logits = stackalloc float[HarmAttributes.Count];
        var normalized = FeaturePipeline.ForFeatures(text);
        var plainCategories = pipeline.Harm.Explain(normalized)
            .Where(h => h.Context == "plain" && LexiconAttributes.ContainsKey(h.Category)).Select(h => h.Category).ToHashSet(StringComparer.Ordinal);
        var words = TextWords.Split(text).ToList();
        var explained = ExplainedByLexicon(words, plainCategories);
        // A negated harm word was masked out of the text's n-grams, so it drove nothing, however it scores alone:
        // in "You are not an idiot. You are a moron." only "moron" is a driver.
        var negated = pipeline.Harm.NegatedWords(normalized);
        for (var w = 0; w < words.Count; w++)
        {
            var word = words[w];
            if (negated.Any(r => r.Start < word.NormalizedEnd && word.NormalizedStart < r.End)) continue;
            var buffer = ArrayPool<int>.Shared.Rent(pipeline.BufferSize(word.Normalized.Length));
            try
            {
                var count = pipeline.ExtractNormalized(word.Normalized, buffer, language: language);
                _scorer.LogitsOf(buffer.AsSpan(0, count), logits);
                _scorer.Stack(logits);
            }
            finally
            {
                ArrayPool<int>.Shared.Return(buffer);
            }

            var profane = pipeline.IsProfane(word.Normalized);
            foreach (var a in flagged)
            {
                var alone = calibrations[(int)a].Apply(logits[(int)a]);
                var isDriver = alone >= MathF.Max(thresholds[(int)a], 0.5f) || (a == HarmAttribute.Profanity && profane) || explained[w].Contains(a);
                if (isDriver) spans.Add(new TextSpan(word.Start, word.End - word.Start, a, alone, text[word.Start..word.End]));
            }
        }
        return Merge(spans, text);
    }

    /// <summary>
    /// Per word, the attributes a harm-lexicon entry covering it explains: the word alone or a two- or three-word phrase
    /// it is part of ("hope you die"), counted only for categories the whole text hits in plain context.
    /// </summary>
    private List<HashSet<HarmAttribute>> ExplainedByLexicon(List<TextWord> words, HashSet<string> plainCategories)
    {
        var explained = words.Select(_ => new HashSet<HarmAttribute>()).ToList();
        if (plainCategories.Count == 0) return explained;
        var harm = _scorer.Pipeline.Harm;
        // hits[length - 1][w]: plain categories of the window of `length` words from w. A window is credited only with
        // what its shorter windows do not hit, so "are a idiot" does not mark "are a".
        var hits = new List<HashSet<string>[]>();
        for (var length = 1; length <= 3; length++)
        {
            var row = new HashSet<string>[Math.Max(0, words.Count - length + 1)];
            for (var w = 0; w < row.Length; w++)
            {
                var phrase = string.Join(' ', words.Skip(w).Take(length).Select(x => x.Normalized));
                row[w] = harm.Explain(phrase).Where(h => h.Context == "plain" && plainCategories.Contains(h.Category)).Select(h => h.Category).ToHashSet(StringComparer.Ordinal);
                var own = length == 1 ? row[w] : row[w].Except(hits[length - 2][w]).Except(hits[length - 2][w + 1]);
                foreach (var category in own)
                    for (var k = w; k < w + length; k++) explained[k].UnionWith(LexiconAttributes[category]);
            }
            hits.Add(row);
        }
        return explained;
    }

    /// <summary>Joins adjacent spans of the same attribute separated only by spaces into one phrase.</summary>
    private static List<TextSpan> Merge(List<TextSpan> spans, string text)
    {
        var merged = new List<TextSpan>();
        foreach (var group in spans.GroupBy(s => s.Attribute))
        {
            TextSpan? current = null;
            foreach (var span in group.OrderBy(s => s.Start))
            {
                if (current is not null && text.AsSpan(current.Start + current.Length, span.Start - current.Start - current.Length).IsWhiteSpace())
                {
                    var end = span.Start + span.Length;
                    current = current with { Length = end - current.Start, Score = MathF.Max(current.Score, span.Score), Text = text[current.Start..end] };
                }
                else
                {
                    if (current is not null) merged.Add(current);
                    current = span;
                }
            }
            if (current is not null) merged.Add(current);
        }
        return [.. merged.OrderBy(s => s.Start).ThenBy(s => s.Attribute)];
    }
}

/// <summary>A word of the original text: its [Start, End) range there, its normalised form and its range in the normalised text.</summary>
internal readonly record struct TextWord(int Start, int End, string Normalized, int NormalizedStart, int NormalizedEnd);

internal static class TextWords
{
    /// <summary>Normalised words with their range in the original text (spaced-out and masked words come back whole).</summary>
    public static IEnumerable<TextWord> Split(string text)
    {
        foreach (var word in TextNormalizer.Words(text))
            if (word.End > word.Start && word.Text.Length > 0) yield return new TextWord(word.Start, word.End, word.Text, word.NormalizedStart, word.NormalizedEnd);
    }
}
