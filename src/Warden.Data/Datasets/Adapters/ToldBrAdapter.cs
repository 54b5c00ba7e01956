using Warden.Core;
using static Warden.Core.HarmAttribute;
using static Warden.Data.Datasets.SourceNumbers;

namespace Warden.Data.Datasets.Adapters;

/// <summary>ToLD-Br: Brazilian Portuguese tweets with per-category counts of 3 annotators (mapping: docs/label-mapping.md).</summary>
public sealed class ToldBrAdapter : DatasetAdapter
{
    private const int Annotators = 3;
    private static readonly string[] IdentityCategories = ["homophobia", "racism", "misogyny", "xenophobia"];

    public override DatasetInfo Info { get; } = new(
        "told_br",
        "Brazilian Portuguese tweets: homophobia, obscene, insult, racism, misogyny, xenophobia (number of 3 annotators each)",
        ["pt"], "CC BY-SA 4.0", DatasetUse.Train, [Toxicity, IdentityAttack, Insult, Profanity],
        "no official split: hash 80/10/10 on the row number");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        var number = 0;
        foreach (var row in context.ReadTable("ToLD-BR.csv"))
        {
            number++;
            var counts = new Dictionary<string, int>();
            foreach (var column in IdentityCategories.Append("obscene").Append("insult"))
            {
                if (TryInt(row[column], out var n) && n is >= 0 and <= Annotators) counts[column] = n;
            }
            if (counts.Count != 6)
            {
                context.Skip(row.File, row.Line, "a category count is not 0-3");
                continue;
            }
            var id = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return context.Record(id, row["text"], "pt", Map(counts), context.HashSplit(id), TargetOf(counts));
        }
    }

    /// <summary>
    /// Soft labels = annotators / 3: insult → insult; obscene → profanity; the largest of homophobia, racism,
    /// misogyny, xenophobia → identity attack; the largest of all six → toxicity (at least that many annotators
    /// found the tweet toxic; which annotator flagged which is not in this file).
    /// </summary>
    internal static AttributeLabels Map(IReadOnlyDictionary<string, int> counts) => new AttributeLabels()
        .Set(Toxicity, LabelSets.Fraction(counts.Values.Max(), Annotators))
        .Set(IdentityAttack, LabelSets.Fraction(IdentityCategories.Max(c => counts[c]), Annotators))
        .Set(Insult, LabelSets.Fraction(counts["insult"], Annotators))
        .Set(Profanity, LabelSets.Fraction(counts["obscene"], Annotators));

    /// <summary>The identity category a majority (≥ 2 of 3) flagged, as a group name (first in column order on ties).</summary>
    private static string? TargetOf(IReadOnlyDictionary<string, int> counts)
    {
        var best = IdentityCategories.OrderByDescending(c => counts[c]).First();
        return counts[best] >= 2 ? TargetGroups.Normalize(best) : null;
    }
}
