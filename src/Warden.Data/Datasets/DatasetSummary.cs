using System.Globalization;
using System.Text;
using Warden.Core;

namespace Warden.Data.Datasets;

/// <summary>Per-attribute counts: how many records annotate it, and how many of those have a label ≥ 0.5.</summary>
public sealed record AttributeCount(HarmAttribute Attribute, long Annotated, long Positive, double MeanLabel);

/// <summary>Counts over a dataset's records, computed once so that <c>warden datasets show NAME</c> only prints it.</summary>
public sealed class DatasetSummary
{
    public required DatasetInfo Info { get; init; }
    public required long Total { get; init; }
    public required IReadOnlyDictionary<Split, long> PerSplit { get; init; }
    public required IReadOnlyDictionary<string, long> PerLanguage { get; init; }
    public required IReadOnlyList<AttributeCount> Attributes { get; init; }
    /// <summary>The most frequent target groups with their record counts, most frequent first.</summary>
    public required IReadOnlyList<KeyValuePair<string, long>> TopTargetGroups { get; init; }
    public required long SkippedRows { get; init; }
    public required long DuplicateTexts { get; init; }
    public required long UnmappedRows { get; init; }

    public static DatasetSummary Compute(DatasetInfo info, IEnumerable<LabeledText> records, LoadReport? report = null, int topGroups = 10)
    {
        var perSplit = new Dictionary<Split, long> { [Split.Train] = 0, [Split.Validation] = 0, [Split.Test] = 0 };
        var perLanguage = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var groups = new Dictionary<string, long>(StringComparer.Ordinal);
        var annotated = new long[HarmAttributes.Count];
        var positive = new long[HarmAttributes.Count];
        var sum = new double[HarmAttributes.Count];
        long total = 0;
        foreach (var record in records)
        {
            total++;
            perSplit[record.Split]++;
            perLanguage[record.Language] = perLanguage.GetValueOrDefault(record.Language) + 1;
            if (record.TargetGroup is { } group) groups[group] = groups.GetValueOrDefault(group) + 1;
            var values = record.Labels.Values;
            for (var i = 0; i < values.Length; i++)
            {
                if (float.IsNaN(values[i])) continue;
                annotated[i]++;
                sum[i] += values[i];
                if (values[i] >= 0.5f) positive[i]++;
            }
        }
        return new DatasetSummary
        {
            Info = info,
            Total = total,
            PerSplit = perSplit,
            PerLanguage = perLanguage,
            Attributes = HarmAttributes.All.Select(a => new AttributeCount(a, annotated[(int)a], positive[(int)a],
                annotated[(int)a] > 0 ? sum[(int)a] / annotated[(int)a] : double.NaN)).ToList(),
            TopTargetGroups = groups.OrderByDescending(g => g.Value).ThenBy(g => g.Key, StringComparer.Ordinal).Take(topGroups).ToList(),
            SkippedRows = report?.SkippedRows ?? 0,
            DuplicateTexts = report?.DuplicateTexts ?? 0,
            UnmappedRows = report?.UnmappedRows ?? 0,
        };
    }

    /// <summary>A plain-text report (what the CLI prints).</summary>
    public string ToText()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"{Info.Name}: {Info.Description}");
        sb.AppendLine(c, $"  use: {Info.Use}   licence: {Info.Licence}   languages: {string.Join(", ", Info.Languages)}");
        sb.AppendLine(c, $"  split: {Info.SplitNote}");
        sb.AppendLine(c, $"  records: {Total:N0} (train {PerSplit[Split.Train]:N0}, validation {PerSplit[Split.Validation]:N0}, test {PerSplit[Split.Test]:N0})");
        sb.AppendLine(c, $"  skipped bad rows: {SkippedRows:N0}   duplicate texts dropped: {DuplicateTexts:N0}   unmapped rows left out: {UnmappedRows:N0}");
        sb.AppendLine(c, $"  languages: {string.Join(", ", PerLanguage.Select(p => $"{p.Key} {p.Value:N0}"))}");
        sb.AppendLine("  attribute            annotated   positive (>= 0.5)   mean label");
        foreach (var a in Attributes.Where(a => a.Annotated > 0))
            sb.AppendLine(c, $"  {a.Attribute.WireName(),-20} {a.Annotated,9:N0}   {a.Positive,17:N0}   {a.MeanLabel,10:0.000}");
        if (TopTargetGroups.Count > 0)
            sb.AppendLine(c, $"  target groups: {string.Join(", ", TopTargetGroups.Select(g => $"{g.Key} {g.Value:N0}"))}");
        return sb.ToString();
    }

    public override string ToString() => ToText();
}
