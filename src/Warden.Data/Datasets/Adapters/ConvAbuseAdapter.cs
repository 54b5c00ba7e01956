using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>ConvAbuse: user utterances to chatbots, up to 8 annotators each (mapping: docs/label-mapping.md).</summary>
public sealed class ConvAbuseAdapter : DatasetAdapter
{
    private const int FirstAnnotatorColumn = 7;
    private const int ColumnsPerAnnotator = 17;
    private const int Annotators = 8;

    // Offsets inside one annotator's block of 17 columns. Found by position, not by name: upstream headers
    // mislabel annotators 7 and 8's "transphobic" column as "Annotator6_transphobic".
    private const int NotAbusive = 0, Ambiguous = 1, Mild = 2, Strong = 3, VeryStrong = 4;
    private static readonly int[] IdentityTypes = [5 /* ableist */, 6 /* homophobic */, 8 /* racist */, 9 /* sexist */, 11 /* transphobic */];
    private const int SexHarassment = 10;

    public override DatasetInfo Info { get; } = new(
        "convabuse",
        "English user-to-chatbot utterances: abuse severity and type per annotator",
        ["en"], "CC BY 4.0", DatasetUse.Train, [Toxicity, SevereToxicity, IdentityAttack, SexuallyExplicit],
        "official splits: test = Test, valid = Validation, train = Train");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var (file, split) in new[] { ("ConvAbuseEMNLPtest.csv", Split.Test), ("ConvAbuseEMNLPvalid.csv", Split.Validation), ("ConvAbuseEMNLPtrain.csv", Split.Train) })
        {
            foreach (var row in context.ReadTable(file))
            {
                if (row.Fields.Length < FirstAnnotatorColumn + Annotators * ColumnsPerAnnotator)
                {
                    context.Skip(row.File, row.Line, "missing annotator columns");
                    continue;
                }
                var labels = Map(row.Fields);
                if (labels is null)
                {
                    context.Skip(row.File, row.Line, "no annotator labelled this example");
                    continue;
                }
                yield return context.Record(SourceNumbers.CleanId(row["example_id"]), row["user"], "en", labels, split);
            }
        }
    }

    /// <summary>
    /// Shares over the annotators who labelled the row: abusive (severity -1, -2 or -3) → toxicity; very strongly
    /// abusive (-3) → severe toxicity; abusive and ableist/homophobic/racist/sexist/transphobic → identity attack;
    /// abusive and sexual harassment → sexually explicit. "Intellectual" insults and targets are not mapped
    /// (insult is not annotated exhaustively: a sexist insult is not marked "intellectual").
    /// </summary>
    internal static AttributeLabels? Map(string[] fields)
    {
        int annotated = 0, abusive = 0, veryStrong = 0, identity = 0, sexual = 0;
        for (var k = 0; k < Annotators; k++)
        {
            var block = FirstAnnotatorColumn + k * ColumnsPerAnnotator;
            bool Marked(int offset) => fields[block + offset].Trim() is "1" or "1.0";
            if (!(Marked(NotAbusive) || Marked(Ambiguous) || Marked(Mild) || Marked(Strong) || Marked(VeryStrong))) continue;
            annotated++;
            if (!(Marked(Mild) || Marked(Strong) || Marked(VeryStrong))) continue;
            abusive++;
            if (Marked(VeryStrong)) veryStrong++;
            if (IdentityTypes.Any(Marked)) identity++;
            if (Marked(SexHarassment)) sexual++;
        }
        if (annotated == 0) return null;
        return new AttributeLabels()
            .Set(Toxicity, LabelSets.Fraction(abusive, annotated))
            .Set(SevereToxicity, LabelSets.Fraction(veryStrong, annotated))
            .Set(IdentityAttack, LabelSets.Fraction(identity, annotated))
            .Set(SexuallyExplicit, LabelSets.Fraction(sexual, annotated));
    }
}
