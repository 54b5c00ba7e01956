using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>MultiJail: 315 unsafe prompts, each in 10 languages, positives only (mapping: docs/label-mapping.md).</summary>
public sealed class MultiJailAdapter : DatasetAdapter
{
    private static readonly string[] Languages = ["en", "zh", "it", "vi", "ar", "ko", "th", "bn", "sw", "jv"];

    // Tag → the attribute a prompt with that tag carries in its own text (soft: these are requests, see Map).
    private static readonly Dictionary<string, (HarmAttribute Attribute, float Value)[]> TagMap = new(StringComparer.Ordinal)
    {
        ["Hate speech & offensive language"] = [(Toxicity, LabelSets.HarmfulRequestCategory), (IdentityAttack, LabelSets.HarmfulRequestCategory)],
        ["Discrimination & injustice"] = [(IdentityAttack, LabelSets.HarmfulRequestCategory)],
        ["Adult content"] = [(SexuallyExplicit, LabelSets.HarmfulRequestCategory)],
        ["Sexual exploitation & human trafficking"] = [(SexuallyExplicit, LabelSets.HarmfulRequestCategory)],
        ["Violence & incitement"] = [(Threat, LabelSets.HarmfulRequestCategory)],
        ["Self-harm"] = [(SelfHarm, 0.7f)],
    };

    public override DatasetInfo Info { get; } = new(
        "multijail",
        "Unsafe chatbot prompts (hh-rlhf red teaming, GPT-4 report) in 10 languages; tags for hate, discrimination, adult content, violence and self-harm are mapped",
        Languages, "MIT", DatasetUse.Train, [Toxicity, IdentityAttack, SexuallyExplicit, Threat, SelfHarm],
        "hash 80/10/10 on the prompt id, so the 10 translations of a prompt share a split");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var row in context.ReadTable("MultiJail.csv"))
        {
            var id = row["id"].Trim();
            var labels = Map(PythonLiterals.ParseStringList(row["tags"]));
            if (labels is null)
            {
                foreach (var _ in Languages) context.Unmapped();
                continue;
            }
            var split = context.HashSplit(id);
            foreach (var language in Languages)
                yield return context.Record($"{id}:{language}", row[language], language, labels.Clone(), split);
        }
    }

    /// <summary>
    /// Every row is an unsafe request, and a request is not toxic text in Perspective's sense, so only tags whose
    /// requests usually contain the harm in their own words are mapped, at 0.5 (a request for violence expresses
    /// intent to harm about half the time; a hate-speech request usually states the prejudice), and self-harm
    /// at 0.7 (first-person requests for suicide methods). Unmapped tags (theft, fraud, weapons, ...) → null.
    /// </summary>
    internal static AttributeLabels? Map(IEnumerable<string> tags)
    {
        var labels = new AttributeLabels();
        foreach (var tag in tags)
            if (TagMap.TryGetValue(tag, out var targets))
                foreach (var (attribute, value) in targets) labels.SetMax(attribute, value);
        return labels.Any() ? labels : null;
    }
}
