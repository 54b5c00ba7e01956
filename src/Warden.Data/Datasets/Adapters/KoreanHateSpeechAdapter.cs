using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>Korean HateSpeech (BEEP!) entertainment-news comments (mapping: docs/label-mapping.md).</summary>
public sealed class KoreanHateSpeechAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "korean_hate_speech",
        "Korean entertainment-news comments: hate / offensive / none; social bias gender / others / none",
        ["ko"], "CC BY-SA 4.0", DatasetUse.Train, [Toxicity, IdentityAttack],
        "official dev = Test (test labels are not released); train hash-split 90% Train / 10% Validation");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var (file, isDev) in new[] { ("dev.tsv", true), ("train.tsv", false) })
        {
            foreach (var row in context.ReadTable(file, '\t', quoted: false))
            {
                var labels = Map(row["hate"].Trim(), row["bias"].Trim());
                if (labels is null)
                {
                    context.Skip(row.File, row.Line, $"unknown labels '{row["hate"]}' / '{row["bias"]}'");
                    continue;
                }
                var id = $"{(isDev ? "dev" : "train")}:{row.Line}";
                yield return context.Record(id, row["comments"], "ko", labels, isDev ? Split.Test : context.TrainOrValidation(id));
            }
        }
    }

    /// <summary>
    /// hate or offensive → toxicity 1, none → 0. Identity attack = hateful or offensive AND socially biased
    /// (gender or other group bias) → 1, otherwise 0: a biased but inoffensive comment attacks nobody, and an
    /// offensive comment without bias is not aimed at an identity.
    /// </summary>
    internal static AttributeLabels? Map(string hate, string bias)
    {
        if (hate is not ("hate" or "offensive" or "none") || bias is not ("gender" or "others" or "none")) return null;
        var hostile = hate != "none";
        return new AttributeLabels()
            .Set(Toxicity, hostile ? 1f : 0f)
            .Set(IdentityAttack, hostile && bias != "none" ? 1f : 0f);
    }
}
