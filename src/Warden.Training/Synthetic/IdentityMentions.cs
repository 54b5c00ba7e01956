using System.Text.Json;
using Warden.Core;
using Warden.Data.Datasets;

namespace Warden.Training.Synthetic;

/// <summary>
/// Neutral sentences naming demographic groups in ten languages, generated from hand-written templates
/// (identity_mentions.json, part of Warden). The labelled data of most non-English languages names groups
/// mainly in hateful texts, which teaches a bag-of-n-grams model that the group word itself is the attack;
/// these sentences (all labelled non-toxic) counter that, as HolisticBias and BOLD do for English.
/// </summary>
public static class IdentityMentions
{
    public const string DatasetName = "warden_identity_neutral";

    public static IReadOnlyList<LabeledText> Generate()
    {
        using var document = TrainingResources.Load("identity_mentions.json");
        var records = new List<LabeledText>();
        foreach (var language in document.RootElement.GetProperty("languages").EnumerateObject())
        {
            var groups = language.Value.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToList();
            var templates = language.Value.GetProperty("templates").EnumerateArray().Select(t => t.GetString()!).ToList();
            for (var t = 0; t < templates.Count; t++)
            {
                foreach (var group in groups)
                {
                    var text = templates[t].Replace("{g}", group, StringComparison.Ordinal);
                    if (text.Length > 0) text = char.ToUpper(text[0]) + text[1..];
                    var id = $"{language.Name}:{t}:{group}";
                    var labels = new AttributeLabels()
                        .Set(HarmAttribute.Toxicity, 0f).Set(HarmAttribute.IdentityAttack, 0f)
                        .Set(HarmAttribute.Insult, 0f).Set(HarmAttribute.Threat, 0f);
                    records.Add(new LabeledText(DatasetName, id, text, language.Name, labels, DeterministicSplit.Assign(DatasetName, id), group.ToLowerInvariant()));
                }
            }
        }
        return records;
    }
}
