using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>Jigsaw's identity-term test subset of Wikipedia Talk toxicity (mapping: docs/label-mapping.md).</summary>
public sealed class WikipediaToxicityIdentityAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "wikipedia_toxicity_identity_testset",
        "English Wikipedia talk comments mentioning identity terms: toxic yes/no (majority of ~10 raters)",
        ["en"], "Apache-2.0 (repository); data CC0 / CC BY-SA 3.0", DatasetUse.TestOnly, [Toxicity],
        "a test set by design (identity-term bias): all rows Test, never trained on");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var row in context.ReadTable("toxicity_nonfuzzed_testset.csv"))
        {
            var toxic = row["toxic"].Trim();
            if (toxic is not ("True" or "False"))
            {
                context.Skip(row.File, row.Line, $"toxic is '{toxic}'");
                continue;
            }
            // Majority vote of the raters: a hard label; nothing else was annotated.
            var labels = new AttributeLabels().Set(Toxicity, toxic == "True" ? 1f : 0f);
            yield return context.Record(row["rev_id"], row["comment"], "en", labels, Split.Test);
        }
    }
}
