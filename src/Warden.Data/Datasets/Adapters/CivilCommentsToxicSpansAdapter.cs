using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>ToxicSpans: toxic Civil Comments posts with typed spans per rater (mapping: docs/label-mapping.md).</summary>
public sealed class CivilCommentsToxicSpansAdapter : DatasetAdapter
{
    // Span type → attribute. "Other Toxicity" only counts towards toxicity.
    private static readonly Dictionary<string, HarmAttribute> SpanTypes = new(StringComparer.Ordinal)
    {
        ["Insult"] = Insult,
        ["Profane/Obscene"] = Profanity,
        ["Identity based Attack"] = IdentityAttack,
        ["Threat"] = Threat,
    };

    private static readonly HarmAttribute[] Subtypes = [Insult, Profanity, IdentityAttack, Threat];

    public override DatasetInfo Info { get; } = new(
        "civil_comments_toxic_spans",
        "English Civil Comments posts rated toxic, with insult / profane / identity attack / threat spans per rater",
        ["en"], "CC0 1.0", DatasetUse.Train, [Toxicity, IdentityAttack, Insult, Profanity, Threat],
        "no official split in the copied files: hash 80/10/10 on comment_id");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        // annotation id → the span types that rater marked; comment id → its annotation ids.
        var typesByAnnotation = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var row in context.ReadTable("spans.csv"))
        {
            if (!typesByAnnotation.TryGetValue(row["annotation"], out var set)) typesByAnnotation[row["annotation"]] = set = [];
            set.Add(row["type"]);
        }
        var annotationsByComment = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var row in context.ReadTable("annotations.csv"))
        {
            if (!annotationsByComment.TryGetValue(row["comment_id"], out var list)) annotationsByComment[row["comment_id"]] = list = [];
            list.Add(row["annotation"]);
        }

        foreach (var row in context.ReadTable("comments.csv"))
        {
            var id = row["comment_id"];
            if (!annotationsByComment.TryGetValue(id, out var annotations))
            {
                context.Skip(row.File, row.Line, $"comment {id} has no annotations");
                continue;
            }
            var raters = annotations.Select(a => typesByAnnotation.GetValueOrDefault(a) ?? []).ToList();
            yield return context.Record(id, row["comment_text"], "en", Map(raters), context.HashSplit(id));
        }
    }

    /// <summary>
    /// Each attribute is the share of the post's raters who marked at least one span of that type (a real 0 when
    /// nobody did). Toxicity is the share who marked any span, but at least 0.5: every post was chosen because at
    /// least half of the original Civil Comments raters found it toxic, and a rater may call a whole post toxic
    /// without marking a span.
    /// </summary>
    internal static AttributeLabels Map(IReadOnlyList<HashSet<string>> raters)
    {
        var labels = new AttributeLabels();
        var anySpan = raters.Count(r => r.Count > 0);
        labels.Set(Toxicity, Math.Max(0.5f, LabelSets.Fraction(anySpan, raters.Count)));
        foreach (var attribute in Subtypes)
        {
            var marked = raters.Count(r => r.Any(t => SpanTypes.TryGetValue(t, out var a) && a == attribute));
            labels.Set(attribute, LabelSets.Fraction(marked, raters.Count));
        }
        return labels;
    }
}
