using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>HatEval 2019: hate speech against immigrants and women, Spanish and English (non-commercial: test only) (mapping: docs/label-mapping.md).</summary>
public sealed class HatEval2019Adapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "hateval2019",
        "Spanish and English tweets: hate speech against immigrants or women (HS), target individual/group, aggressive",
        ["es", "en"], "CC BY-NC 4.0 (non-commercial)", DatasetUse.TestOnly, [Toxicity, IdentityAttack],
        "non-commercial licence: never trained on; all rows (official train and dev) Test");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var (file, language) in new[] { ("dev_es.tsv", "es"), ("dev_en.tsv", "en"), ("train_es.tsv", "es"), ("train_en.tsv", "en") })
        {
            foreach (var row in context.ReadTable(file, '\t', quoted: false))
            {
                var hs = row["HS"].Trim();
                if (hs is not ("0" or "1"))
                {
                    context.Skip(row.File, row.Line, $"HS is '{hs}'");
                    continue;
                }
                // HS=1 → hate speech (identity attack and toxicity); HS=0 is "not hate" but may be offensive, so only
                // identity attack 0. TR/AG (individual target, aggressive) are not mapped.
                yield return context.Record($"{language}:{row["id"].Trim()}", row["text"], language, LabelSets.HateSpeech(hs == "1"), Split.Test);
            }
        }
    }
}
