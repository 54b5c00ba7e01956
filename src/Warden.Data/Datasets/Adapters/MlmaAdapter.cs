using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>MLMA: multilingual, multi-aspect hate speech tweets (mapping: docs/label-mapping.md).</summary>
public sealed class MlmaAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "mlma_hate_speech",
        "English, French and Arabic tweets: hostility type (normal/offensive/hateful/abusive/disrespectful/fearful), target and group",
        ["en", "fr", "ar"], "MIT", DatasetUse.Train, [Toxicity, IdentityAttack],
        "no official split: hash 80/10/10 on language:HITId");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        // The English file with stop words is the near-raw text; en_dataset.csv is the same tweets lower-cased and stripped.
        foreach (var (file, language) in new[] { ("en_dataset_with_stop_words.csv", "en"), ("fr_dataset.csv", "fr"), ("ar_dataset.csv", "ar") })
        {
            foreach (var row in context.ReadTable(file))
            {
                var labels = Map(row["sentiment"]);
                if (labels is null)
                {
                    context.Skip(row.File, row.Line, $"unknown sentiment '{row["sentiment"]}'");
                    continue;
                }
                var id = $"{language}:{row["HITId"].Trim()}";
                yield return context.Record(id, row["tweet"], language, labels, context.HashSplit(id), TargetGroups.Normalize(row["group"]));
            }
        }
    }

    private static readonly HashSet<string> Hostilities = ["normal", "offensive", "hateful", "abusive", "disrespectful", "fearful"];

    /// <summary>
    /// As the authors do: "normal" alone is non-toxic, anything else toxic. "hateful" → identity attack 1;
    /// "normal" alone → identity attack 0; other hostility (offensive, disrespectful, ...) leaves identity attack masked.
    /// </summary>
    internal static AttributeLabels? Map(string sentiment)
    {
        var parts = sentiment.Trim().Split('_', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !parts.All(Hostilities.Contains)) return null;
        if (parts is ["normal"]) return LabelSets.Zero(Toxicity, IdentityAttack);
        var labels = new AttributeLabels().Set(Toxicity, 1f);
        if (parts.Contains("hateful")) labels.Set(IdentityAttack, 1f);
        return labels;
    }
}
