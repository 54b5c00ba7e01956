using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>AdvBench, HarmBench, JailbreakBench and StrongREJECT harmful requests, positives only (mapping: docs/label-mapping.md).</summary>
public sealed class HarmfulBehaviorBenchmarksAdapter : DatasetAdapter
{
    // (file, text column, category column or null)
    private static readonly (string File, string Text, string? Category)[] Files =
    [
        ("jailbreakbench.csv", "Goal", "Category"),
        ("strongreject.csv", "forbidden_prompt", "category"),
        ("harmbench_test.csv", "Behavior", "SemanticCategory"),
        ("harmbench_val.csv", "Behavior", "SemanticCategory"),
        ("advbench.csv", "goal", null),
    ];

    private static readonly Dictionary<string, HarmAttribute> CategoryMap = new(StringComparer.Ordinal)
    {
        ["Harassment/Discrimination"] = IdentityAttack,          // JailbreakBench
        ["Sexual/Adult content"] = SexuallyExplicit,             // JailbreakBench
        ["Hate/harassment/discrimination"] = IdentityAttack,     // StrongREJECT
        ["Sexual content"] = SexuallyExplicit,                   // StrongREJECT
        ["Violence"] = Threat,                                   // StrongREJECT
    };

    public override DatasetInfo Info { get; } = new(
        "harmful_behavior_benchmarks",
        "English harmful requests to chatbots (AdvBench, HarmBench, JailbreakBench, StrongREJECT); only hate/harassment, sexual and violence categories are mapped",
        ["en"], "MIT", DatasetUse.Train, [IdentityAttack, SexuallyExplicit, Threat],
        "hash 80/10/10 on file:row; overlapping prompts across the benchmarks are removed as duplicate texts (first file wins)");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var (file, textColumn, categoryColumn) in Files)
        {
            var number = 0;
            foreach (var row in context.ReadTable(file))
            {
                number++;
                var labels = categoryColumn is null ? null : Map(row[categoryColumn].Trim());
                if (labels is null) { context.Unmapped(); continue; }
                var id = $"{Path.GetFileNameWithoutExtension(file)}:{number}";
                yield return context.Record(id, row[textColumn], "en", labels, context.HashSplit(id));
            }
        }
    }

    /// <summary>
    /// Harmful requests are not toxic text: toxicity stays masked. A request in a hate/harassment, sexual or
    /// violence category usually states the prejudice, the sexual content or the violent intent in its own
    /// words, so that attribute gets 0.5. Other categories (cybercrime, misinformation, copyright, ...) and
    /// AdvBench (no categories) are left out.
    /// </summary>
    internal static AttributeLabels? Map(string category) =>
        CategoryMap.TryGetValue(category, out var attribute) ? new AttributeLabels().Set(attribute, LabelSets.HarmfulRequestCategory) : null;
}
