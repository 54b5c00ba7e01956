using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>PolEval 2019 Task 6: harmful Polish tweets, cyberbullying vs hate speech (mapping: docs/label-mapping.md).</summary>
public sealed class PolEval2019Adapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "poleval2019_cyberbullying",
        "Polish tweets: non-harmful / cyberbullying / hate speech (task 6-2)",
        ["pl"], "BSD-3-Clause", DatasetUse.Train, [Toxicity, IdentityAttack, Insult],
        "official test files = Test; training files hash-split 90% Train / 10% Validation");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var (prefix, isTest) in new[] { ("test", true), ("train", false) })
        {
            var textFile = $"{prefix}_text_1.txt";
            var tagFile = $"{prefix}_tags_2.txt";
            // The files are aligned line by line: line n of the tags labels line n of the texts.
            using var tags = context.ReadLines(tagFile).GetEnumerator();
            foreach (var (line, text) in context.ReadLines(textFile))
            {
                if (!tags.MoveNext())
                {
                    context.Skip(textFile, line, $"no tag line in {tagFile}");
                    continue;
                }
                var labels = Map(tags.Current.Text.Trim());
                if (labels is null)
                {
                    context.Skip(tagFile, line, $"unknown tag '{tags.Current.Text}'");
                    continue;
                }
                var id = $"{prefix}:{line}";
                yield return context.Record(id, text, "pl", labels, isTest ? Split.Test : context.TrainOrValidation(id));
            }
        }
    }

    /// <summary>
    /// 0 (non-harmful) → toxicity, insult and identity attack 0. 1 (cyberbullying: harm aimed at a private person)
    /// → toxicity 1, insult 1, identity attack 0. 2 ("hate speech" here means harm aimed at public figures or groups,
    /// not only identity groups) → toxicity 1, insult and identity attack masked.
    /// </summary>
    internal static AttributeLabels? Map(string tag) => tag switch
    {
        "0" => LabelSets.Zero(Toxicity, Insult, IdentityAttack),
        "1" => new AttributeLabels().Set(Toxicity, 1f).Set(Insult, 1f).Set(IdentityAttack, 0f),
        "2" => new AttributeLabels().Set(Toxicity, 1f),
        _ => null,
    };
}
