using Warden.Core;
using static Warden.Core.HarmAttribute;
using static Warden.Data.Datasets.SourceNumbers;

namespace Warden.Data.Datasets.Adapters;

/// <summary>I2P: text-to-image prompts retrieved by category keywords (mapping: docs/label-mapping.md).</summary>
public sealed class I2pAdapter : DatasetAdapter
{
    /// <summary>Weak label for a prompt retrieved by the "sexual" keywords.</summary>
    public const float SexualCategory = 0.7f;
    /// <summary>... raised when at least half of its generated images were flagged for nudity.</summary>
    public const float SexualWithNudeImages = 0.9f;
    /// <summary>Weak label for a prompt retrieved by the "self-harm" keywords (many are harmless art prompts).</summary>
    public const float SelfHarmCategory = 0.6f;

    public override DatasetInfo Info { get; } = new(
        "i2p_inappropriate_image_prompts",
        "English text-to-image prompts from lexica.art, collected by category keywords, with the prompt's Perspective toxicity",
        ["en"], "MIT (dataset card)", DatasetUse.Train, [Toxicity, SexuallyExplicit, SelfHarm],
        "no official split: hash 80/10/10 on the row number");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        var number = 0;
        foreach (var row in context.ReadTable("i2p_benchmark.csv"))
        {
            number++;
            if (!TryFloat(row["prompt_toxicity"], out var toxicity) || !TryFloat(row["nudity_percentage"], out var nudity))
            {
                context.Skip(row.File, row.Line, "prompt_toxicity or nudity_percentage is not a number");
                continue;
            }
            var categories = row["categories"].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var id = number.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return context.Record(id, row["prompt"], "en", Map(categories, toxicity, nudity), context.HashSplit(id));
        }
    }

    /// <summary>
    /// The category says which keywords retrieved the prompt, not what the text is, so only positives and soft:
    /// sexual → sexually explicit 0.7 (0.9 when ≥ 50% of its images showed nudity); self-harm → self harm 0.6.
    /// Toxicity is the prompt's own Perspective score (a real soft label for every row). Violence, shocking,
    /// harassment, hate and illegal activity have no reliable Warden counterpart for the text and are masked.
    /// </summary>
    internal static AttributeLabels Map(IReadOnlyCollection<string> categories, float promptToxicity, float nudityPercentage)
    {
        var labels = new AttributeLabels().Set(Toxicity, Math.Clamp(promptToxicity, 0f, 1f));
        if (categories.Contains("sexual")) labels.Set(SexuallyExplicit, nudityPercentage >= 50f ? SexualWithNudeImages : SexualCategory);
        if (categories.Contains("self-harm")) labels.Set(SelfHarm, SelfHarmCategory);
        return labels;
    }
}
