using System.Globalization;
using System.Text;
using Warden.Core;

namespace Warden.Eval.Classifier;

/// <summary>How often a scorer flags texts that are all harmless, per language: the false-positive rate on ordinary text.</summary>
public sealed record FlagRateReport(string Model, string Source, int Count, int Flagged, IReadOnlyList<FlagRateReport.Language> ByLanguage)
{
    public sealed record Language(string Code, int Count, int Flagged)
    {
        public double Rate => Count == 0 ? 0 : Flagged / (double)Count;
    }

    public double Rate => Count == 0 ? 0 : Flagged / (double)Count;

    /// <summary>Scores every text (their labels are ignored: all of them are taken to be harmless).</summary>
    public static FlagRateReport Run(IScorer scorer, IReadOnlyList<LabeledText> texts, string source)
    {
        var results = scorer.ScoreBatch([.. texts.Select(t => t.Text)]);
        var byLanguage = texts.Select((t, i) => (t.Language, Flagged: scorer.IsFlagged(results[i])))
            .GroupBy(x => x.Language, StringComparer.Ordinal)
            .Select(g => new Language(g.Key, g.Count(), g.Count(x => x.Flagged)))
            .OrderByDescending(l => l.Rate).ThenBy(l => l.Code, StringComparer.Ordinal)
            .ToList();
        return new FlagRateReport(scorer.ModelName, source, texts.Count, byLanguage.Sum(l => l.Flagged), byLanguage);
    }

    /// <summary>The overall rate and every language's, worst first.</summary>
    public string ToMarkdown(int maxLanguages = int.MaxValue)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Flagged: {Flagged:N0} of {Count:N0} harmless texts ({Rate:P1}) from {Source}, model {Model}.");
        sb.AppendLine();
        sb.AppendLine("| language | texts | flagged | rate |");
        sb.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var l in ByLanguage.Take(maxLanguages)) sb.AppendLine(inv, $"| {l.Code} | {l.Count} | {l.Flagged} | {l.Rate:P1} |");
        return sb.ToString().TrimEnd();
    }
}
