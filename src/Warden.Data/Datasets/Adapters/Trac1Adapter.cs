using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>TRAC-1 aggression identification, Hindi (code-mixed) and English Facebook comments (mapping: docs/label-mapping.md).</summary>
public sealed class Trac1Adapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "trac1_aggression",
        "Hindi (mostly romanised, Hindi-English code-mixed; ~1/4 Devanagari) and English Facebook comments: overtly / covertly / non-aggressive",
        ["hi", "en"], "Apache-2.0", DatasetUse.Train, [Toxicity],
        "official dev = Test (the test sets are not released); official train hash-split 90% Train / 10% Validation");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        var files = new[]
        {
            ("agr_hi_dev.csv", "hi", true), ("agr_en_dev.csv", "en", true),
            ("agr_hi_train.csv", "hi", false), ("agr_en_train.csv", "en", false),
        };
        foreach (var (file, language, isDev) in files)
        {
            foreach (var row in context.ReadTable(file, hasHeader: false, fieldCount: 3))
            {
                var toxicity = Map(row[2]);
                if (toxicity is null)
                {
                    context.Skip(row.File, row.Line, $"unknown label '{row[2]}'");
                    continue;
                }
                // The same Facebook ids occur in both languages' files: prefix the language.
                var id = $"{language}:{row[0].Trim()}";
                var split = isDev ? Split.Test : context.TrainOrValidation(id);
                yield return context.Record(id, row[1], language, new AttributeLabels().Set(Toxicity, toxicity.Value), split);
            }
        }
    }

    /// <summary>
    /// Aggression is not toxicity, but close: overt aggression (OAG) → toxicity 1; covert aggression (CAG, veiled
    /// hostility that Perspective-style raters often do not call toxic) → 0.5; non-aggressive (NAG) → 0.
    /// No other attribute is annotated.
    /// </summary>
    internal static float? Map(string label) => label.Trim() switch
    {
        "OAG" => 1f,
        "CAG" => 0.5f,
        "NAG" => 0f,
        _ => null,
    };
}
