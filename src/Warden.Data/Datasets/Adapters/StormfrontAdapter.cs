using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>de Gibert et al. 2018: sentences from a white-supremacist forum (mapping: docs/label-mapping.md).</summary>
public sealed class StormfrontAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "stormfront_hate_speech",
        "English Stormfront forum sentences: hate / noHate",
        ["en"], "CC BY-SA 3.0 ES", DatasetUse.Train, [Toxicity, IdentityAttack],
        "hash 80/10/10 on the forum post id (the file_id prefix before '_'), so sentences of one post share a split; " +
        "the authors' balanced sampled_split is not used");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var row in context.ReadTable("stormfront_sentences.csv"))
        {
            var id = row["file_id"];
            var post = id.Split('_')[0];
            switch (row["label"])
            {
                case "hate":
                case "noHate":
                    yield return context.Record(id, row["text"], "en", LabelSets.HateSpeech(row["label"] == "hate"), context.HashSplit(post));
                    break;
                case "relation": // hateful only together with neighbouring sentences: the sentence alone has no label
                case "idk/skip":
                    context.Unmapped();
                    break;
                default:
                    context.Skip(row.File, row.Line, $"unknown label '{row["label"]}'");
                    break;
            }
        }
    }
}
