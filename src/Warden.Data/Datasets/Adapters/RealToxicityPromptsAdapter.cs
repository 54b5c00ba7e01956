using System.Text.Json;
using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>RealToxicityPrompts sample with Perspective scores (mapping: docs/label-mapping.md).</summary>
public sealed class RealToxicityPromptsAdapter : DatasetAdapter
{
    // Perspective field → Warden attribute (same names; "flirtation" has no Warden attribute).
    private static readonly (string Field, HarmAttribute Attribute)[] Fields =
    [
        ("toxicity", Toxicity), ("severe_toxicity", SevereToxicity), ("identity_attack", IdentityAttack), ("insult", Insult),
        ("profanity", Profanity), ("threat", Threat), ("sexually_explicit", SexuallyExplicit),
    ];

    public override DatasetInfo Info { get; } = new(
        "realtoxicityprompts_sample",
        "English RealToxicityPrompts prompts and continuations (challenging-toxic and non-toxic samples) with Perspective API scores",
        ["en"], "CC BY-SA 4.0 (DecodingTrust); RTP Apache-2.0", DatasetUse.Train,
        [Toxicity, SevereToxicity, IdentityAttack, Insult, Profanity, Threat, SexuallyExplicit],
        "hash 80/10/10 on the source document (filename:begin-end), so a prompt and its continuation share a split");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var file in new[] { "toxic.jsonl", "nontoxic.jsonl" })
        {
            foreach (var (line, json) in JsonLines.Read(context, file))
            {
                if (!json.TryGetProperty("filename", out var name) || name.ValueKind != JsonValueKind.String)
                {
                    context.Skip(file, line, "no filename");
                    continue;
                }
                var document = $"{name.GetString()}:{Number(json, "begin")}-{Number(json, "end")}";
                var split = context.HashSplit(document);
                foreach (var part in new[] { "prompt", "continuation" })
                {
                    if (!json.TryGetProperty(part, out var node) || !node.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                    {
                        context.Skip(file, line, $"no {part} text");
                        continue;
                    }
                    yield return context.Record($"{document}:{part}", text.GetString()!, "en", Map(node), split);
                }
            }
        }
    }

    /// <summary>Perspective probabilities are the soft labels; a missing or null score stays masked.</summary>
    internal static AttributeLabels Map(JsonElement scores)
    {
        var labels = new AttributeLabels();
        foreach (var (field, attribute) in Fields)
        {
            if (scores.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number)
                labels.Set(attribute, Math.Clamp(value.GetSingle(), 0f, 1f));
        }
        return labels;
    }

    private static string Number(JsonElement json, string property) =>
        json.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : "?";
}
