using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>GermEval 2018 offensive German tweets, coarse and fine labels (mapping: docs/label-mapping.md).</summary>
public sealed class GermEval2018Adapter : DatasetAdapter
{
    /// <summary>ABUSE mostly attacks a group identity, but the guideline also counts political affiliation and dehumanising an individual.</summary>
    public const float AbuseIdentityAttack = 0.8f;

    public override DatasetInfo Info { get; } = new(
        "germeval2018",
        "German tweets: OFFENSE/OTHER and ABUSE/INSULT/PROFANITY/OTHER",
        ["de"], "CC BY 4.0", DatasetUse.Train, [Toxicity, IdentityAttack, Insult, Profanity],
        "official test file = Test; training file hash-split 90% Train / 10% Validation");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var (file, isTest) in new[] { ("germeval2018.test.txt", true), ("germeval2018.training.txt", false) })
        {
            foreach (var row in context.ReadTable(file, '\t', hasHeader: false, quoted: false, fieldCount: 3))
            {
                var labels = Map(row[1].Trim(), row[2].Trim());
                if (labels is null)
                {
                    context.Skip(row.File, row.Line, $"unknown labels '{row[1]}' / '{row[2]}'");
                    continue;
                }
                var id = $"{(isTest ? "test" : "train")}:{row.Line}";
                yield return context.Record(id, row[0], "de", labels, isTest ? Split.Test : context.TrainOrValidation(id));
            }
        }
    }

    /// <summary>
    /// OFFENSE → toxicity 1; OTHER/OTHER → toxicity, insult, profanity and identity attack 0 (the fine scheme is
    /// exhaustive for these). The fine label is the one strongest category: INSULT → insult 1, identity attack 0;
    /// PROFANITY → profanity 1, insult 0, identity attack 0; ABUSE → identity attack 0.8 (see
    /// <see cref="AbuseIdentityAttack"/>), insult and profanity masked (abuse usually insults too).
    /// </summary>
    internal static AttributeLabels? Map(string coarse, string fine) => (coarse, fine) switch
    {
        ("OTHER", "OTHER") => LabelSets.Zero(Toxicity, Insult, Profanity, IdentityAttack),
        ("OFFENSE", "INSULT") => new AttributeLabels().Set(Toxicity, 1f).Set(Insult, 1f).Set(IdentityAttack, 0f),
        ("OFFENSE", "PROFANITY") => new AttributeLabels().Set(Toxicity, 1f).Set(Profanity, 1f).Set(Insult, 0f).Set(IdentityAttack, 0f),
        ("OFFENSE", "ABUSE") => new AttributeLabels().Set(Toxicity, 1f).Set(IdentityAttack, AbuseIdentityAttack),
        _ => null,
    };
}
