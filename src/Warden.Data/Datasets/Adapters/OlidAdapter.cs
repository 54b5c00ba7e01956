using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>OLID / OffensEval 2019 with its official test set (mapping: docs/label-mapping.md).</summary>
public sealed class OlidAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "olid",
        "English tweets: offensive (A), targeted insult or untargeted profanity (B), target individual/group/other (C)",
        ["en"], "not stated by the authors (host repository CC BY 4.0)", DatasetUse.Train,
        [Toxicity, SevereToxicity, IdentityAttack, Insult, Profanity, Threat],
        "official test set (testset-levela + labels-level{a,b,c}) = Test; training file hash-split 90% Train / 10% Validation");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        var levelA = ReadGold(context, "labels-levela.csv");
        var levelB = ReadGold(context, "labels-levelb.csv");
        var levelC = ReadGold(context, "labels-levelc.csv");
        foreach (var row in context.ReadTable("testset-levela.tsv", '\t', quoted: false))
        {
            var id = row["id"];
            if (!levelA.TryGetValue(id, out var a))
            {
                context.Skip(row.File, row.Line, $"no gold label for test id {id}");
                continue;
            }
            var labels = Map(a, levelB.GetValueOrDefault(id, "NULL"), levelC.GetValueOrDefault(id, "NULL"));
            if (labels is null) { context.Skip(row.File, row.Line, $"unknown label {a}"); continue; }
            yield return context.Record(id, row["tweet"], "en", labels, Split.Test);
        }

        foreach (var row in context.ReadTable("olid-training-v1.0.tsv", '\t', quoted: false))
        {
            var id = row["id"];
            var labels = Map(row["subtask_a"], row["subtask_b"], row["subtask_c"]);
            if (labels is null) { context.Skip(row.File, row.Line, $"unknown label {row["subtask_a"]}"); continue; }
            yield return context.Record(id, row["tweet"], "en", labels, context.TrainOrValidation(id));
        }
    }

    /// <summary>
    /// A: OFF → toxicity 1; NOT ("neither offensive nor profane") → all offence attributes 0.
    /// B: UNT (untargeted profanity) → profanity 1, and no target means no insult, threat or identity attack;
    ///    TIN (targeted insult or threat) → insult 1.
    /// C: IND / OTH targets are not identity groups → identity attack 0; GRP mixes protected groups with
    ///    political ones, so identity attack stays masked.
    /// </summary>
    internal static AttributeLabels? Map(string a, string b, string c)
    {
        if (a is not ("OFF" or "NOT")) return null;
        var labels = LabelSets.Offensive(a == "OFF");
        if (a == "NOT") return labels;
        if (b == "UNT") labels.Set(Profanity, 1f).Set(Insult, 0f).Set(Threat, 0f).Set(IdentityAttack, 0f);
        else if (b == "TIN")
        {
            labels.Set(Insult, 1f);
            if (c is "IND" or "OTH") labels.Set(IdentityAttack, 0f);
        }
        return labels;
    }

    private static Dictionary<string, string> ReadGold(LoadContext context, string file)
    {
        var gold = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in context.ReadTable(file))
            gold[row["id"].Trim()] = row["label"].Trim();
        return gold;
    }
}
