using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>HaSpeeDe 2018: Italian hate speech, Facebook and Twitter (non-commercial: test only) (mapping: docs/label-mapping.md).</summary>
public sealed class HaSpeeDe2018Adapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "haspeede2018",
        "Italian Facebook comments and tweets: hate speech yes/no",
        ["it"], "CC BY-NC-SA 4.0 (non-commercial)", DatasetUse.TestOnly, [Toxicity, IdentityAttack],
        "non-commercial licence: never trained on; all rows (the official training sets) Test");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var (file, source) in new[] { ("haspeede_FB-train.tsv", "fb"), ("haspeede_TW-train.tsv", "tw") })
        {
            foreach (var row in context.ReadTable(file, '\t', hasHeader: false, quoted: false, fieldCount: 3))
            {
                var hs = row[2].Trim();
                if (hs is not ("0" or "1"))
                {
                    context.Skip(row.File, row.Line, $"hs is '{hs}'");
                    continue;
                }
                // Same scheme as HatEval: hate → identity attack and toxicity; not hate → identity attack 0 only.
                yield return context.Record($"{source}:{row[0].Trim()}", row[1], "it", LabelSets.HateSpeech(hs == "1"), Split.Test);
            }
        }
    }
}
