using Warden.Core;

namespace Warden.Data.Datasets.Adapters;

/// <summary>OffensEval 2020 Turkish (TrOffEval), with its official test set (mapping: docs/label-mapping.md).</summary>
public sealed class OffensEval2020TurkishAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "offenseval2020_turkish",
        "Turkish tweets: offensive / not offensive",
        ["tr"], "CC BY (author's dataset card)", DatasetUse.Train, LabelSets.OffenceAttributes,
        "official test set (testset + labela) = Test; training file hash-split 90% Train / 10% Validation");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        var gold = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in context.ReadTable("offenseval-tr-labela-v1.tsv", ',', hasHeader: false, fieldCount: 2))
            gold[row[0].Trim()] = row[1].Trim();

        foreach (var row in context.ReadTable("offenseval-tr-testset-v1.tsv", '\t', hasHeader: false, quoted: false, fieldCount: 2))
        {
            var id = row[0].Trim();
            if (!gold.TryGetValue(id, out var label) || label is not ("OFF" or "NOT"))
            {
                context.Skip(row.File, row.Line, $"no gold label for test id {id}");
                continue;
            }
            yield return context.Record(id, row[1], "tr", LabelSets.Offensive(label == "OFF"), Split.Test);
        }

        foreach (var row in context.ReadTable("offenseval-tr-training-v1.tsv", '\t', hasHeader: false, quoted: false, fieldCount: 3))
        {
            var id = row[0].Trim();
            var label = row[2].Trim();
            if (label is not ("OFF" or "NOT"))
            {
                context.Skip(row.File, row.Line, $"unknown label '{label}'");
                continue;
            }
            // OffensEval level A, as OLID: OFF → toxicity 1; NOT ("no offence or profanity") → all offence attributes 0.
            yield return context.Record(id, row[1], "tr", LabelSets.Offensive(label == "OFF"), context.TrainOrValidation(id));
        }
    }
}
