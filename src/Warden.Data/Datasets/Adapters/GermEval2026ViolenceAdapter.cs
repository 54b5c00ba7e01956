using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>GermEval 2026 violence detection, German posts (GPL: test only) (mapping: docs/label-mapping.md).</summary>
public sealed class GermEval2026ViolenceAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "germeval2026_violence",
        "German social-media posts: call to violence, propensity, support, glorification, other, nothing",
        ["de"], "GPL-3.0", DatasetUse.TestOnly, [Threat],
        "GPL-3.0: never trained on; all rows Test (the official 2026 test set is not in the snapshot)");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var row in context.ReadTable("vio_train_26.csv", ';'))
        {
            var label = row["vio"].Trim();
            if (!Known.Contains(label))
            {
                context.Skip(row.File, row.Line, $"unknown class '{label}'");
                continue;
            }
            var threat = Map(label);
            if (threat is null) { context.Unmapped(); continue; }
            yield return context.Record(row["id"].Trim(), row["description"], "de", new AttributeLabels().Set(Threat, threat.Value), Split.Test);
        }
    }

    private static readonly HashSet<string> Known = ["nothing", "call2violence", "prospensity", "support", "glorification", "other"];

    /// <summary>
    /// Threat = intent to inflict violence: call2violence (inciting others) and prospensity (own will to use
    /// violence) → 1; support and glorification endorse violence without threatening it → 0.5; nothing → 0;
    /// "other worrying statements" → left out.
    /// </summary>
    internal static float? Map(string label) => label switch
    {
        "call2violence" or "prospensity" => 1f,
        "support" or "glorification" => 0.5f,
        "nothing" => 0f,
        _ => null,
    };
}
