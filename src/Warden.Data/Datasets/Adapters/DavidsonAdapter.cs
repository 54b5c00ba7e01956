using Warden.Core;
using static Warden.Core.HarmAttribute;
using static Warden.Data.Datasets.SourceNumbers;

namespace Warden.Data.Datasets.Adapters;

/// <summary>Davidson et al. 2017 tweets with CrowdFlower annotator counts (mapping: docs/label-mapping.md).</summary>
public sealed class DavidsonAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "davidson_hate_offensive",
        "English tweets: hate speech / offensive / neither, with annotator counts",
        ["en"], "MIT", DatasetUse.Train, [Toxicity, IdentityAttack],
        "no official split: hash 80/10/10 on the row index");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var row in context.ReadTable("labeled_data.csv"))
        {
            if (!TryInt(row["count"], out var count) || count <= 0
                || !TryInt(row["hate_speech"], out var hate) || !TryInt(row["offensive_language"], out var offensive))
            {
                context.Skip(row.File, row.Line, "count columns are not numbers");
                continue;
            }
            var id = row[0];
            // Soft labels from annotator agreement: any of "hate" or "offensive" is toxic; only "hate" attacks an identity.
            var labels = new AttributeLabels()
                .Set(Toxicity, LabelSets.Fraction(hate + offensive, count))
                .Set(IdentityAttack, LabelSets.Fraction(hate, count));
            yield return context.Record(id, row["tweet"], "en", labels, context.HashSplit(id));
        }
    }
}
