using Warden.Text;
using System.Buffers;
using Warden.Core;

namespace Warden.Scoring.Fast;

/// <summary>
/// Finds the words that drive a flagged attribute, from the model's own feature weights: each word is
/// scored alone (its n-grams and unigram), and words whose own score reaches the attribute's threshold
/// are reported with their character range in the original text. Profanity-lexicon words are always
/// reported for profanity. Words come from the normaliser, so obfuscated spellings map back to the
/// original characters.
/// </summary>
internal sealed class SpanFinder
{
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
        foreach (var word in TextWords.Split(text))
        {
            var buffer = ArrayPool<int>.Shared.Rent(pipeline.BufferSize(word.Normalized.Length));
            try
            {
                var count = pipeline.ExtractNormalized(word.Normalized, buffer);
                _scorer.CorrectLength(logits, FastScorer.SumRows(_scorer.Weights, buffer.AsSpan(0, count), logits, _scorer.Model.Metadata.MinScaleFeatures));
            }
            finally
            {
                ArrayPool<int>.Shared.Return(buffer);
            }

            var profane = pipeline.IsProfane(word.Normalized);
            foreach (var a in flagged)
            {
                var alone = calibrations[(int)a].Apply(logits[(int)a]);
                var isDriver = alone >= MathF.Max(thresholds[(int)a], 0.5f) || (a == HarmAttribute.Profanity && profane);
                if (isDriver) spans.Add(new TextSpan(word.Start, word.End - word.Start, a, alone, text[word.Start..word.End]));
            }
        }
        return Merge(spans, text);
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

/// <summary>A word of the original text: its [Start, End) range there and its normalised form.</summary>
internal readonly record struct TextWord(int Start, int End, string Normalized);

internal static class TextWords
{
    /// <summary>Normalised words with their range in the original text (spaced-out and masked words come back whole).</summary>
    public static IEnumerable<TextWord> Split(string text)
    {
        foreach (var word in TextNormalizer.Words(text))
            if (word.End > word.Start && word.Text.Length > 0) yield return new TextWord(word.Start, word.End, word.Text);
    }
}
