using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>ToxiGen seed statements: hateful or neutral sentences about 13 groups (mapping: docs/label-mapping.md).</summary>
public sealed class ToxiGenPromptsAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "toxigen_prompts",
        "English statements about minority groups, hateful or neutral (the unique sentences of the ToxiGen prompts and demonstrations)",
        ["en"], "MIT + CDLA-Permissive-2.0", DatasetUse.Train, [Toxicity, IdentityAttack],
        "hash 80/10/10 on the sentence text (a sentence repeats across thousands of prompts; the id is its hash)");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        // Each prompt line is several "- sentence" items joined by a literal backslash-n; the 31,000 lines hold
        // only ~670 distinct sentences, and the base class drops the repeats.
        var files = Directory.EnumerateFiles(context.PathOf("prompts"), "*.txt")
            .Concat(Directory.EnumerateFiles(context.PathOf("demonstrations"), "*.txt", SearchOption.AllDirectories))
            .Select(path => Path.GetRelativePath(context.Directory, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            var hateful = name.StartsWith("hate_", StringComparison.Ordinal);
            if (!hateful && !name.StartsWith("neutral_", StringComparison.Ordinal)) continue;
            var group = TargetGroups.Normalize(GroupOf(name));

            foreach (var (_, line) in context.ReadLines(file))
            {
                foreach (var item in line.Split("\\n"))
                {
                    var sentence = item.Trim().TrimStart('-').Trim();
                    if (sentence.Length == 0) continue;
                    var id = StableHash.Hex(sentence);
                    yield return context.Record(id, sentence, "en", Map(hateful), context.HashSplit(id), group);
                }
            }
        }
    }

    /// <summary>"hate_mental_disability_1k" → "mental_disability"; "neutral_muslim_sentences" → "muslim".</summary>
    internal static string GroupOf(string fileName)
    {
        var group = fileName[(fileName.IndexOf('_') + 1)..];
        foreach (var suffix in new[] { "_1k", "_sentences" })
            if (group.EndsWith(suffix, StringComparison.Ordinal)) group = group[..^suffix.Length];
        return group;
    }

    /// <summary>Hateful → toxicity 1 and identity attack 1; neutral statements are written to be benign, not merely "not hate", so both 0.</summary>
    internal static AttributeLabels Map(bool hateful) =>
        hateful ? LabelSets.HateSpeech(true) : LabelSets.Zero(Toxicity, IdentityAttack);
}
