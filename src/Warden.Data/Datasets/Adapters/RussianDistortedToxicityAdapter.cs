using System.Text.RegularExpressions;
using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>Russian VKontakte comments: toxicity and obfuscated swearing (mapping: docs/label-mapping.md).</summary>
public sealed partial class RussianDistortedToxicityAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "russian_distorted_toxicity",
        "Russian VK comments: toxic yes/no (one annotator), obfuscated swear words yes/no",
        ["ru"], "MIT (data statement)", DatasetUse.Train, [Toxicity, Profanity],
        "no official split: hash 80/10/10 on comment_id");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var row in context.ReadTable("russian_distorted_toxicity.tsv", '\t', quoted: false))
        {
            var toxicity = row["toxicity"].Trim();
            var distortion = row["distortion"].Trim();
            if (toxicity is not ("0" or "1") || distortion is not ("0" or "1"))
            {
                context.Skip(row.File, row.Line, $"toxicity '{toxicity}' / distortion '{distortion}'");
                continue;
            }
            // Distortion marks obfuscated swearing ("sh!t"), so distortion=1 → profanity 1. Plain swearing is not
            // marked, so distortion=0 says nothing about profanity (masked).
            var labels = new AttributeLabels().Set(Toxicity, toxicity == "1" ? 1f : 0f);
            if (distortion == "1") labels.Set(Profanity, 1f);
            var id = row["comment_id"].Trim();
            yield return context.Record(id, StripMentions(row["comments"]), "ru", labels, context.HashSplit(id));
        }
    }

    /// <summary>VK mention markup "[id238092031|Name]" → "Name": the numeric user id is personal data and noise.</summary>
    internal static string StripMentions(string text) => Mention().Replace(text, "$1");

    [GeneratedRegex(@"\[(?:id|club)\d+\|([^\]]*)\]")]
    private static partial Regex Mention();
}
