using System.Text;

namespace Warden.Eval.Classifier;

/// <summary>Renders a <see cref="ClassifierReport"/> as Markdown tables (3 decimals, CI as [lo, hi]).</summary>
public static class ClassifierReportMarkdown
{
    public static string Render(ClassifierReport report)
    {
        var sb = new StringBuilder();
        sb.Append("# Classifier evaluation: ").Append(Escape(report.Score)).Append("\n\n");
        var facts = new List<string>();
        if (report.Model is { } model) facts.Add($"model `{Escape(model)}`");
        if (report.Dataset is { } dataset) facts.Add($"dataset `{Escape(dataset)}`");
        if (report.Label is { } label) facts.Add($"label `{Escape(label)}`");
        facts.Add($"threshold {MetricValue.FormatNumber(report.Threshold)}");
        facts.Add(report.BootstrapResamples > 0
            ? $"95% CI: percentile bootstrap, {report.BootstrapResamples} resamples, seed {report.Seed}"
            : "no CIs");
        if (report.SkippedUnlabeled > 0) facts.Add($"{report.SkippedUnlabeled} records skipped (label not annotated)");
        sb.Append(string.Join(" · ", facts)).Append("\n\n");

        var o = report.Overall;
        sb.Append($"## Overall (n = {o.Count}, positives = {o.Positives})\n\n");
        sb.Append("| metric | value | 95% CI |\n|---|---:|---|\n");
        foreach (var row in o.Rows)
        {
            var v = row.Value;
            var ci = v.Ci95.IsDefined ? $"[{MetricValue.FormatNumber(v.Ci95.Low)}, {MetricValue.FormatNumber(v.Ci95.High)}]" : "";
            sb.Append($"| {row.DisplayName} | {MetricValue.FormatNumber(v.Value)} | {ci} |\n");
        }
        sb.Append('\n');

        if (o.BestThresholds is { } best)
        {
            sb.Append("### Best thresholds (fitted on this data, hence optimistic)\n\n");
            var thresholdMetrics = Metrics.All.Where(m => m.DependsOnThreshold()).ToArray();
            sb.Append("| objective | threshold | ").Append(string.Join(" | ", thresholdMetrics.Select(m => m.DisplayName())))
                .Append(" |\n|---|---:|").Append(string.Concat(thresholdMetrics.Select(_ => "---:|"))).Append('\n');
            foreach (var (objective, choice) in new[] { ("macro-F1", best.MacroF1), ("F1", best.F1) })
            {
                sb.Append($"| {objective} | {MetricValue.FormatNumber(choice.Threshold)} | ")
                    .Append(string.Join(" | ", thresholdMetrics.Select(m => MetricValue.FormatNumber(choice.Metrics[m]))))
                    .Append(" |\n");
            }
            sb.Append('\n');
        }

        var languageHeading = report.LanguageSource == LanguageSource.Detected ? "detected language" : "language";
        Slices(sb, $"Per {languageHeading}", languageHeading, report.ByLanguage, report.MinGroupSize);
        Slices(sb, "Per target group", "group", report.ByGroup, report.MinGroupSize);
        return sb.ToString();
    }

    private static void Slices(StringBuilder sb, string heading, string keyName, IReadOnlyList<GroupReport> slices, int minSize)
    {
        sb.Append("## ").Append(heading).Append("\n\n");
        if (slices.Count == 0)
        {
            sb.Append("(none)\n\n");
            return;
        }
        sb.Append($"| {keyName} | n | positives | ").Append(string.Join(" | ", Metrics.All.Select(m => m.DisplayName())))
            .Append(" |\n|---|---:|---:|").Append(string.Concat(Metrics.All.Select(_ => "---|"))).Append('\n');
        foreach (var g in slices)
        {
            sb.Append($"| {Escape(g.Name)} | {g.Count} | {g.Positives} | ");
            sb.Append(g.TooFew
                ? $"too few (< {minSize})" + string.Concat(Enumerable.Repeat(" |", Metrics.Count - 1))
                : string.Join(" | ", g.Rows.Select(r => r.Value.Format())));
            sb.Append(" |\n");
        }
        sb.Append('\n');
    }

    /// <summary>Dataset-provided names go into table cells: a '|' would split the cell.</summary>
    private static string Escape(string text) => text.Replace("|", "\\|").Replace("\n", " ");
}
