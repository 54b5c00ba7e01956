using System.Text.Json;
using Warden.Core;
using Warden.Data.Datasets;

namespace Warden.Training.Synthetic;

/// <summary>
/// Harmless casual messages (chat, text messages, comments, reviews, support requests) in 39 languages, hand-written
/// for Warden (everyday_chat.json). The other harmless training texts are mostly formal web prose, while the casual
/// register (first person, family, health, small complaints) appears almost only in the abusive social-media sets, so
/// "Meine Schwester ist krank." scored as toxic. Every attribute is labelled 0: these are clean texts, not just
/// non-toxic ones.
/// </summary>
public static class EverydayChat
{
    public const string DatasetName = "warden_everyday_chat";

    public static IReadOnlyList<LabeledText> Generate()
    {
        using var document = TrainingResources.Load("everyday_chat.json");
        var records = new List<LabeledText>();
        foreach (var language in document.RootElement.GetProperty("languages").EnumerateObject())
        {
            var index = 0;
            foreach (var element in language.Value.EnumerateArray())
            {
                var text = element.GetString()!;
                var id = $"{language.Name}:{index++}";
                var labels = new AttributeLabels();
                foreach (var attribute in HarmAttributes.All) labels.Set(attribute, 0f);
                records.Add(new LabeledText(DatasetName, id, text, language.Name, labels, DeterministicSplit.Assign(DatasetName, id)));
            }
        }
        return records;
    }
}
