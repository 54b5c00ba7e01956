using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>COLD: Chinese offensive language with official train/dev/test (mapping: docs/label-mapping.md).</summary>
public sealed class ColdAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "cold_chinese_offensive",
        "Mandarin social-media comments on race, region and gender: offensive / safe (test: attack individual / attack group / anti-bias)",
        ["zh"], "Apache-2.0", DatasetUse.Train, [Toxicity, IdentityAttack, Insult],
        "official splits by file: test.csv = Test, dev.csv = Validation (its 'split' column is ignored), train.csv = Train");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var (file, split) in new[] { ("test.csv", Split.Test), ("dev.csv", Split.Validation), ("train.csv", Split.Train) })
        {
            foreach (var row in context.ReadTable(file))
            {
                var fine = row.HasColumn("fine-grained-label") ? row["fine-grained-label"].Trim() : null;
                var labels = Map(row["label"].Trim(), fine, split);
                if (labels is null)
                {
                    context.Skip(row.File, row.Line, $"unknown label '{row["label"]}' / '{fine}'");
                    continue;
                }
                // The unnamed index column is not unique (not even within a file): the line number is the id.
                yield return context.Record($"{file[..file.IndexOf('.')]}:{row.Line}", row["TEXT"], "zh", labels, split);
            }
        }
    }

    /// <summary>
    /// Identity-attack label of an offensive training comment, whose fine label is unknown. Every COLD comment was
    /// collected on a group topic (race, region, gender), so an offensive one attacks either a group or a person:
    /// "as likely as not" (0.5), not tuned. Left masked, the implied negatives of the safe comments were the only
    /// identity-attack evidence in Chinese, and the identity_attack score ranked COLD's test labels at chance (AUROC 0.507).
    /// Dev comments stay masked: a guess is a training prior, not something to calibrate scores against.
    /// </summary>
    internal const float OffensiveIdentityAttack = 0.5f;

    /// <summary>
    /// label 1 (offensive) → toxicity 1, 0 → toxicity 0. The test file's fine label adds: 1 attack individual →
    /// insult 1, identity attack 0; 2 attack group → identity attack 1 (COLD's groups are race, region, gender);
    /// 0 safe and 3 anti-bias → insult 0, identity attack 0. Train/dev have only the binary label: an offensive
    /// training comment gets identity attack <see cref="OffensiveIdentityAttack"/>.
    /// </summary>
    internal static AttributeLabels? Map(string label, string? fine, Split split)
    {
        if (label is not ("0" or "1")) return null;
        var labels = new AttributeLabels().Set(Toxicity, label == "1" ? 1f : 0f);
        switch (fine)
        {
            case null: return label == "1" && split == Split.Train ? labels.Set(IdentityAttack, OffensiveIdentityAttack) : labels;
            case "1": return labels.Set(Insult, 1f).Set(IdentityAttack, 0f);
            case "2": return labels.Set(IdentityAttack, 1f);
            case "0" or "3": return labels.Set(Insult, 0f).Set(IdentityAttack, 0f);
            default: return null;
        }
    }
}
