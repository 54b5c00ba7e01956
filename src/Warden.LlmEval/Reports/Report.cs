using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Warden.LlmEval.Refusal;
using Warden.LlmEval.Stats;
using Warden.LlmEval.Store;
using Warden.LlmEval.Suites;
using Warden.LlmEval.Summaries;

namespace Warden.LlmEval.Reports;

/// <summary>One run as a report sees it: its record, its summary, and its scored outcomes (for examples and histograms).</summary>
public sealed record ReportRun(RunRecord Run, SuiteSummary Summary, IReadOnlyList<PromptOutcome> Outcomes);

public enum ReportFormat { Html, Markdown, Json }

/// <summary>
/// Renders one or more runs as a self-contained HTML page (inline CSS, inline SVG, a few lines of inline script; no
/// CDN, works offline), as Markdown, or as JSON. All three carry the same numbers; with two or more runs of the same
/// suite, every later run is compared with the first (paired bootstrap on shared prompts).
/// </summary>
public static class Report
{
    private const int MaxGroupsPerChart = 40;
    private const int Examples = 8;

    public static ReportFormat ParseFormat(string format) => format.ToLowerInvariant() switch
    {
        "html" => ReportFormat.Html,
        "md" or "markdown" => ReportFormat.Markdown,
        "json" => ReportFormat.Json,
        _ => throw new ArgumentException($"unknown report format '{format}' (html, md, json)"),
    };

    /// <summary>Loads runs from a store and summarises them (the summary is recomputed, so it always matches the stored data).</summary>
    public static IReadOnlyList<ReportRun> Load(IRunStore store, IEnumerable<string> runIds)
    {
        var runs = new List<ReportRun>();
        foreach (var id in runIds)
        {
            var run = store.GetRun(id);
            var outcomes = store.LoadOutcomes(id);
            var config = Running.RunConfig.FromJson(run.ConfigJson);
            var summary = SuiteEvaluator.Summarize(SuiteRegistry.Get(run.Suite), run.Target, run.Model, run.Id, outcomes,
                new BootstrapOptions(config.BootstrapResamples, config.BootstrapSeed));
            runs.Add(new ReportRun(run, summary, outcomes));
        }
        return runs;
    }

    public static string Render(IReadOnlyList<ReportRun> runs, ReportFormat format)
    {
        if (runs.Count == 0) throw new ArgumentException("no runs to report");
        var comparisons = Comparisons(runs);
        return format switch
        {
            ReportFormat.Html => Html(runs, comparisons),
            ReportFormat.Markdown => Markdown(runs, comparisons),
            _ => Json(runs, comparisons),
        };
    }

    public static string Render(IReadOnlyList<ReportRun> runs, string format) => Render(runs, ParseFormat(format));

    internal sealed record Comparison(ReportRun A, ReportRun B, IReadOnlyList<PairedComparison> Results);

    private static List<Comparison> Comparisons(IReadOnlyList<ReportRun> runs)
    {
        var list = new List<Comparison>();
        for (var i = 1; i < runs.Count; i++)
        {
            if (runs[i].Run.Suite != runs[0].Run.Suite) continue;
            var config = Running.RunConfig.FromJson(runs[0].Run.ConfigJson);
            var suite = SuiteRegistry.Get(runs[0].Run.Suite);
            list.Add(new Comparison(runs[0], runs[i], SuiteEvaluator.Compare(suite, runs[0].Outcomes, runs[i].Outcomes,
                new BootstrapOptions(config.BootstrapResamples, config.BootstrapSeed))));
        }
        return list;
    }

    /// <summary>Group levels present in a summary, e.g. "set", "type", "axis".</summary>
    private static IEnumerable<(string Level, List<KeyValuePair<string, IReadOnlyDictionary<string, Estimate>>> Groups)> Levels(SuiteSummary s) =>
        s.Groups.GroupBy(g => g.Key.Contains(':') ? g.Key[..g.Key.IndexOf(':')] : "group", StringComparer.Ordinal)
            .Select(g => (g.Key, g.ToList()));

    private static string Name(string groupKey) => groupKey.Contains(':') ? groupKey[(groupKey.IndexOf(':') + 1)..] : groupKey;

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "–";

    private static string Ci(Estimate e) => double.IsFinite(e.Low) ? $"[{F(e.Low)}, {F(e.High)}]" : "–";

    /// <summary>Per-type refusal shares for XSTest (full or partial refusal), with intervals, for the dedicated chart.</summary>
    private static List<(string Type, Estimate Refusal, string Label)> XsTestByType(ReportRun run) =>
        run.Outcomes.Where(o => o.Generations.Count > 0).GroupBy(o => o.Prompt.MetaOrEmpty("type"), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, Bootstrap.Mean(g.Select(o => Metrics.Share(o, x => x.Refusal != RefusalLabel.FullCompliance)).ToList(),
                BootstrapOptions.Default, "xstest-type/" + g.Key), g.First().Prompt.MetaOrEmpty("label"))).ToList();

    private static int[] Histogram(ReportRun run, int bins)
    {
        var counts = new int[bins];
        foreach (var o in run.Outcomes)
        foreach (var g in o.Generations)
            counts[Math.Clamp((int)(g.Toxicity * bins), 0, bins - 1)]++;
        return counts;
    }

    private static IEnumerable<(PromptOutcome Outcome, ScoredGeneration Generation)> ExampleGenerations(ReportRun run)
    {
        var all = run.Outcomes.SelectMany(o => o.Generations.Select(g => (o, g))).ToList();
        if (run.Run.Suite is "xstest" or "sst")
            // For refusal suites the interesting examples are one of each label, worst first.
            return all.GroupBy(x => x.g.Refusal).SelectMany(g => g.OrderByDescending(x => x.g.Toxicity).Take(Examples / 2));
        return all.OrderByDescending(x => x.g.Toxicity).Take(Examples);
    }

    // ---------------------------------------------------------------- HTML

    private static string Html(IReadOnlyList<ReportRun> runs, List<Comparison> comparisons)
    {
        var h = new StringBuilder();
        h.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        h.Append("<title>Warden LLM evaluation report</title><style>").Append(Css).Append("</style></head><body>");
        h.Append("<header><h1>Warden LLM evaluation</h1><p>").Append(runs.Count).Append(" run(s); 95% intervals are seeded percentile-bootstrap intervals over prompts.</p></header>");
        h.Append("<div class=\"warning\" id=\"content-warning\"><strong>Content warning:</strong> the examples below are model outputs chosen because they scored as toxic or unsafe; ")
            .Append("they may be offensive. They are blurred until you choose to show them. <button id=\"toggle-blur\" type=\"button\">Show examples</button></div>");

        foreach (var (run, index) in runs.Select((r, i) => (r, i)))
        {
            var s = run.Summary;
            h.Append($"<section class=\"run\" id=\"run-{index}\"><h2>{E(run.Run.Suite)} · {E(run.Run.Model)} <small>{E(run.Run.Id)}</small></h2>");
            h.Append("<table class=\"info\"><tbody>");
            foreach (var (k, v) in new[]
                     {
                         ("run", run.Run.Id), ("suite", $"{run.Run.Suite} — {SuiteRegistry.Get(run.Run.Suite).Reference}"), ("target", run.Run.Target), ("model", run.Run.Model),
                         ("status", run.Run.Status), ("created", run.Run.Created.ToString("u", CultureInfo.InvariantCulture)), ("warden", run.Run.WardenVersion),
                         ("scorer", run.Run.ScorerModel), ("refusal classifier", run.Run.RefusalModel),
                         ("prompts", $"{s.PromptsAnswered} answered of {s.Prompts}; {s.Generations} generations"),
                         ("usage", run.Run.UsageJson), ("configuration", run.Run.ConfigJson), ("dataset sha256", run.Run.DatasetHashesJson),
                     })
                h.Append($"<tr><th>{E(k)}</th><td><code>{E(v)}</code></td></tr>");
            h.Append("</tbody></table>");

            h.Append("<h3>Metrics</h3><table class=\"metrics\"><thead><tr><th>metric</th><th>value</th><th>95% CI</th><th>n (prompts)</th></tr></thead><tbody>");
            foreach (var (name, e) in s.Metrics)
                h.Append($"<tr data-metric=\"{E(name)}\"><td>{E(name)}</td><td class=\"num\">{F(e.Value)}</td><td class=\"num\">{Ci(e)}</td><td class=\"num\">{e.N}</td></tr>");
            h.Append("</tbody></table>");

            foreach (var (level, groups) in Levels(s))
            {
                var metric = SuiteRegistry.Get(run.Run.Suite).Metrics.Select(m => m.Name).FirstOrDefault(m => groups.Any(g => g.Value.ContainsKey(m)));
                if (metric is null) continue;
                var bars = groups.Where(g => g.Value.ContainsKey(metric)).Select(g => (Name(g.Key), g.Value[metric])).ToList();
                var shown = bars.Count > MaxGroupsPerChart ? bars.OrderByDescending(b => b.Item2.Value).Take(MaxGroupsPerChart).ToList() : bars;
                h.Append($"<h3>{E(metric)} by {E(level)}{(bars.Count > shown.Count ? $" <small>(the {shown.Count} highest of {bars.Count}; all are in the JSON report)</small>" : "")}</h3>");
                h.Append(BarChart($"groups-{level}", shown, s.Metrics.TryGetValue(metric, out var overall) ? overall.Value : double.NaN));
                h.Append($"<table class=\"groups\" data-level=\"{E(level)}\"><thead><tr><th>{E(level)}</th>");
                var metricNames = groups.SelectMany(g => g.Value.Keys).Distinct().ToList();
                foreach (var m in metricNames) h.Append($"<th>{E(m)}</th><th>95% CI</th><th>n</th>");
                h.Append("</tr></thead><tbody>");
                foreach (var (key, values) in groups.Take(200))
                {
                    h.Append($"<tr><td>{E(Name(key))}</td>");
                    foreach (var m in metricNames)
                        h.Append(values.TryGetValue(m, out var e) ? $"<td class=\"num\">{F(e.Value)}</td><td class=\"num\">{Ci(e)}</td><td class=\"num\">{e.N}</td>" : "<td></td><td></td><td></td>");
                    h.Append("</tr>");
                }
                h.Append("</tbody></table>");
            }

            if (s.Disparities.Count > 0)
            {
                h.Append("<h3>Disparity (ROBBIE)</h3><table class=\"disparity\"><thead><tr><th>metric</th><th>level</th><th>overall rate</th><th>groups whose CI lies above it</th><th>fraction</th><th>max–min gap</th></tr></thead><tbody>");
                foreach (var d in s.Disparities)
                    h.Append($"<tr><td>{E(d.Metric)}</td><td>{E(d.Level)}</td><td class=\"num\">{F(d.Baseline)}</td><td>{E(string.Join(", ", d.GroupsAbove.Take(30)))}{(d.GroupsAbove.Count > 30 ? ", …" : "")}</td><td class=\"num\">{d.GroupsAbove.Count}/{d.Groups} = {F(d.FractionAbove)}</td><td class=\"num\">{F(d.Gap)} ({E(d.MaxGroup)} {F(d.Max)} − {E(d.MinGroup)} {F(d.Min)})</td></tr>");
                h.Append("</tbody></table>");
            }

            if (run.Run.Suite == "xstest")
            {
                var byType = XsTestByType(run);
                h.Append("<h3>XSTest: refusal rate by prompt type</h3><p>Full or partial refusals. Safe types should be near 0; <code>contrast_*</code> (unsafe) types near 1.</p>");
                h.Append(BarChart("xstest-types", byType.Select(t => ($"{t.Type} ({t.Label})", t.Refusal)).ToList(), double.NaN, fixedMax: 1.0));
            }

            var histogram = Histogram(run, 20);
            h.Append("<h3>Distribution of toxicity scores</h3>").Append(HistogramChart(histogram));

            h.Append("<h3>Example generations</h3><table class=\"examples\"><thead><tr><th>prompt</th><th>generation</th><th>toxicity</th><th>refusal</th></tr></thead><tbody>");
            foreach (var (o, g) in ExampleGenerations(run))
                h.Append($"<tr><td>{E(Shorten(o.Prompt.Text, 300))}<br><small>{E(o.Prompt.Id)} · {E(string.Join(", ", o.Prompt.Groups))}</small></td><td class=\"example blur\">{E(Shorten(g.Text, 600))}</td><td class=\"num\">{F(g.Toxicity)}</td><td>{E(g.Refusal.WireName())}</td></tr>");
            h.Append("</tbody></table></section>");
        }

        if (comparisons.Count > 0)
        {
            h.Append("<section id=\"comparison\"><h2>Run-vs-run comparison</h2><p>Paired bootstrap on the prompts both runs answered; difference = B − A. ")
                .Append("A verdict is given only when the 95% interval of the difference excludes 0.</p>");
            foreach (var c in comparisons)
            {
                h.Append($"<h3>A = {E(c.A.Run.Id)} ({E(c.A.Run.Model)}) · B = {E(c.B.Run.Id)} ({E(c.B.Run.Model)})</h3>");
                var overall = c.Results.Where(r => r.Group == "all").ToList();
                h.Append(DiffChart(overall));
                h.Append("<table class=\"comparison\"><thead><tr><th>metric</th><th>group</th><th>A</th><th>B</th><th>B − A</th><th>95% CI</th><th>n</th><th>verdict for B</th></tr></thead><tbody>");
                foreach (var r in c.Results.Take(400))
                    h.Append($"<tr class=\"{VerdictClass(r.Verdict)}\"><td>{E(r.Metric)}</td><td>{E(r.Group)}</td><td class=\"num\">{F(r.A)}</td><td class=\"num\">{F(r.B)}</td><td class=\"num\">{F(r.Difference)}</td><td class=\"num\">[{F(r.Low)}, {F(r.High)}]</td><td class=\"num\">{r.N}</td><td>{E(PairedComparison.WireName(r.Verdict))}</td></tr>");
                h.Append("</tbody></table>");
            }
            h.Append("</section>");
        }

        h.Append("<footer>Generated by Warden ").Append(E(Running.EvalRunner.WardenVersion)).Append(". Self-contained: no external resources.</footer>");
        h.Append("<script>").Append(Script).Append("</script></body></html>");
        return h.ToString();
    }

    private static string VerdictClass(Verdict v) => v switch { Verdict.Better => "better", Verdict.Worse => "worse", _ => "same" };

    /// <summary>Horizontal bars with 95% whiskers; a dashed line marks the overall rate when given.</summary>
    internal static string BarChart(string id, IReadOnlyList<(string Label, Estimate Value)> bars, double overall, double? fixedMax = null)
    {
        const int labelWidth = 300, plotWidth = 420, row = 20, top = 10;
        var max = fixedMax ?? Math.Min(1.0, Math.Max(0.05, bars.Select(b => double.IsFinite(b.Value.High) ? b.Value.High : b.Value.Value).DefaultIfEmpty(0).Max() * 1.1));
        var height = top + bars.Count * row + 24;
        double X(double v) => labelWidth + Math.Clamp(v / max, 0, 1) * plotWidth;
        var svg = new StringBuilder();
        svg.Append($"<svg class=\"chart bar-chart\" data-chart=\"{E(id)}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + plotWidth + 60}\" height=\"{height}\" viewBox=\"0 0 {labelWidth + plotWidth + 60} {height}\">");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, e) = bars[i];
            var y = top + i * row;
            svg.Append($"<g class=\"bar\"><title>{E(label)}: {F(e.Value)} {Ci(e)} n={e.N}</title>");
            svg.Append($"<text x=\"{labelWidth - 6}\" y=\"{y + 14}\" text-anchor=\"end\">{E(Shorten(label, 44))}</text>");
            svg.Append($"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{N(X(e.Value) - labelWidth)}\" height=\"{row - 6}\"></rect>");
            if (double.IsFinite(e.Low))
            {
                var cy = y + row / 2.0;
                svg.Append($"<path class=\"whisker\" d=\"M{N(X(e.Low))},{N(cy)}H{N(X(e.High))}M{N(X(e.Low))},{N(cy - 5)}V{N(cy + 5)}M{N(X(e.High))},{N(cy - 5)}V{N(cy + 5)}\"></path>");
            }
            svg.Append($"<text class=\"value\" x=\"{N(X(double.IsFinite(e.High) ? e.High : e.Value) + 4)}\" y=\"{y + 14}\">{F(e.Value)}</text></g>");
        }
        var axisY = top + bars.Count * row + 4;
        svg.Append($"<line class=\"axis\" x1=\"{labelWidth}\" y1=\"{axisY}\" x2=\"{labelWidth + plotWidth}\" y2=\"{axisY}\"></line>");
        svg.Append($"<text x=\"{labelWidth}\" y=\"{axisY + 14}\">0</text><text x=\"{labelWidth + plotWidth}\" y=\"{axisY + 14}\" text-anchor=\"end\">{F(max)}</text>");
        if (double.IsFinite(overall))
            svg.Append($"<line class=\"overall\" x1=\"{N(X(overall))}\" y1=\"{top}\" x2=\"{N(X(overall))}\" y2=\"{axisY}\"><title>overall {F(overall)}</title></line>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string HistogramChart(int[] counts)
    {
        const int width = 600, height = 160, bottom = 20;
        var max = Math.Max(1, counts.Max());
        var w = (double)width / counts.Length;
        var svg = new StringBuilder($"<svg class=\"chart histogram\" data-chart=\"toxicity-histogram\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height + bottom}\" viewBox=\"0 0 {width} {height + bottom}\">");
        for (var i = 0; i < counts.Length; i++)
        {
            var h = (double)counts[i] / max * height;
            var lo = (double)i / counts.Length;
            svg.Append($"<rect class=\"{(lo >= Metrics.ToxicThreshold ? "toxic" : "")}\" x=\"{N(i * w + 1)}\" y=\"{N(height - h)}\" width=\"{N(w - 2)}\" height=\"{N(h)}\"><title>[{F(lo)}, {F(lo + 1.0 / counts.Length)}): {counts[i]}</title></rect>");
        }
        svg.Append($"<text x=\"0\" y=\"{height + 15}\">0</text><text x=\"{width / 2}\" y=\"{height + 15}\" text-anchor=\"middle\">0.5</text><text x=\"{width}\" y=\"{height + 15}\" text-anchor=\"end\">1</text></svg>");
        return svg.ToString();
    }

    /// <summary>Differences B − A with whiskers around a zero line.</summary>
    private static string DiffChart(IReadOnlyList<PairedComparison> results)
    {
        const int labelWidth = 220, plotWidth = 420, row = 22;
        var extent = Math.Max(0.01, results.SelectMany(r => new[] { Math.Abs(r.Low), Math.Abs(r.High), Math.Abs(r.Difference) }).Where(double.IsFinite).DefaultIfEmpty(0.01).Max() * 1.1);
        double X(double v) => labelWidth + (Math.Clamp(v / extent, -1, 1) + 1) / 2 * plotWidth;
        var height = results.Count * row + 30;
        var svg = new StringBuilder($"<svg class=\"chart diff-chart\" data-chart=\"comparison\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + plotWidth + 20}\" height=\"{height}\" viewBox=\"0 0 {labelWidth + plotWidth + 20} {height}\">");
        for (var i = 0; i < results.Count; i++)
        {
            var r = results[i];
            var y = 8 + i * row;
            var cy = y + row / 2.0;
            svg.Append($"<g class=\"diff {VerdictClass(r.Verdict)}\"><title>{E(r.Metric)}: {F(r.Difference)} [{F(r.Low)}, {F(r.High)}] {E(PairedComparison.WireName(r.Verdict))}</title>");
            svg.Append($"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\">{E(r.Metric)}</text>");
            if (double.IsFinite(r.Low))
                svg.Append($"<path class=\"whisker\" d=\"M{N(X(r.Low))},{N(cy)}H{N(X(r.High))}M{N(X(r.Low))},{N(cy - 5)}V{N(cy + 5)}M{N(X(r.High))},{N(cy - 5)}V{N(cy + 5)}\"></path>");
            svg.Append($"<circle cx=\"{N(X(r.Difference))}\" cy=\"{N(cy)}\" r=\"4\"></circle></g>");
        }
        var axis = 8 + results.Count * row;
        svg.Append($"<line class=\"overall\" x1=\"{N(X(0))}\" y1=\"4\" x2=\"{N(X(0))}\" y2=\"{axis}\"></line>");
        svg.Append($"<text x=\"{labelWidth}\" y=\"{axis + 16}\">{F(-extent)}</text><text x=\"{N(X(0))}\" y=\"{axis + 16}\" text-anchor=\"middle\">0</text><text x=\"{labelWidth + plotWidth}\" y=\"{axis + 16}\" text-anchor=\"end\">+{F(extent)}</text></svg>");
        return svg.ToString();
    }

    private const string Css = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:1rem 2rem;color:#1d232a}
        h1{margin-bottom:.2rem}h2{border-bottom:2px solid #d0d7de;padding-bottom:.2rem;margin-top:2.5rem}h2 small{font-weight:normal;color:#57606a;font-size:.6em}
        table{border-collapse:collapse;margin:.6rem 0 1.2rem;font-size:13px}th,td{border:1px solid #d0d7de;padding:3px 7px;text-align:left;vertical-align:top}
        th{background:#f3f5f7}td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}table.info code{white-space:pre-wrap;word-break:break-all;font-size:12px}
        .warning{background:#fff4e5;border:1px solid #f0b35a;padding:.6rem .9rem;border-radius:6px}
        .warning button{margin-left:.6rem}.blur{filter:blur(5px);transition:filter .15s}body.show-examples .blur{filter:none}
        svg.chart{display:block;margin:.4rem 0 1rem;font-size:11px}svg.chart text{fill:#1d232a}
        .bar rect{fill:#4f7cac}.whisker{stroke:#1d232a;stroke-width:1.3;fill:none}.axis{stroke:#8c959f}.overall{stroke:#c0392b;stroke-dasharray:4 3}
        .histogram rect{fill:#4f7cac}.histogram rect.toxic{fill:#c0392b}
        .diff circle{fill:#57606a}.diff.better circle{fill:#2e7d32}.diff.worse circle{fill:#c0392b}
        tr.better td:last-child{color:#2e7d32;font-weight:600}tr.worse td:last-child{color:#c0392b;font-weight:600}
        footer{margin-top:3rem;color:#57606a;font-size:12px}
        """;

    private const string Script = """
        document.getElementById('toggle-blur').addEventListener('click', function () {
          var shown = document.body.classList.toggle('show-examples');
          this.textContent = shown ? 'Hide examples' : 'Show examples';
        });
        """;

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string N(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    // ---------------------------------------------------------------- Markdown

    private static string Markdown(IReadOnlyList<ReportRun> runs, List<Comparison> comparisons)
    {
        var m = new StringBuilder();
        m.AppendLine("# Warden LLM evaluation").AppendLine();
        m.AppendLine("95% intervals are seeded percentile-bootstrap intervals over prompts.").AppendLine();
        foreach (var run in runs)
        {
            var s = run.Summary;
            m.AppendLine($"## {run.Run.Suite} · {run.Run.Model} (`{run.Run.Id}`)").AppendLine();
            m.AppendLine($"- target: `{run.Run.Target}`; status: {run.Run.Status}; warden {run.Run.WardenVersion}; scorer {run.Run.ScorerModel}; refusal {run.Run.RefusalModel}");
            m.AppendLine($"- prompts: {s.PromptsAnswered} answered of {s.Prompts}; {s.Generations} generations");
            m.AppendLine($"- configuration: `{run.Run.ConfigJson}`").AppendLine();
            m.AppendLine("| metric | value | 95% CI | n |").AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var (name, e) in s.Metrics) m.AppendLine($"| {name} | {F(e.Value)} | {Ci(e)} | {e.N} |");
            m.AppendLine();
            foreach (var (level, groups) in Levels(s))
            {
                var names = groups.SelectMany(g => g.Value.Keys).Distinct().ToList();
                m.AppendLine($"### By {level}").AppendLine();
                m.AppendLine($"| {level} | " + string.Join(" | ", names.Select(n => $"{n} | 95% CI | n")) + " |");
                m.AppendLine("| --- | " + string.Join(" | ", names.Select(_ => "---: | ---: | ---:")) + " |");
                foreach (var (key, values) in groups)
                    m.AppendLine($"| {Md(Name(key))} | " + string.Join(" | ", names.Select(n => values.TryGetValue(n, out var e) ? $"{F(e.Value)} | {Ci(e)} | {e.N}" : " | | ")) + " |");
                m.AppendLine();
            }
            if (s.Disparities.Count > 0)
            {
                m.AppendLine("### Disparity (ROBBIE)").AppendLine();
                m.AppendLine("| metric | level | overall rate | groups above | fraction | max–min gap |").AppendLine("| --- | --- | ---: | --- | ---: | --- |");
                foreach (var d in s.Disparities)
                    m.AppendLine($"| {d.Metric} | {d.Level} | {F(d.Baseline)} | {Md(string.Join(", ", d.GroupsAbove))} | {d.GroupsAbove.Count}/{d.Groups} = {F(d.FractionAbove)} | {F(d.Gap)} ({Md(d.MaxGroup)} − {Md(d.MinGroup)}) |");
                m.AppendLine();
            }
            if (run.Run.Suite == "xstest")
            {
                m.AppendLine("### XSTest refusal rate by prompt type").AppendLine().AppendLine("| type | label | refusal rate | 95% CI | n |").AppendLine("| --- | --- | ---: | ---: | ---: |");
                foreach (var (type, e, label) in XsTestByType(run)) m.AppendLine($"| {type} | {label} | {F(e.Value)} | {Ci(e)} | {e.N} |");
                m.AppendLine();
            }
            m.AppendLine("### Distribution of toxicity scores").AppendLine().AppendLine("| bin | count |").AppendLine("| --- | ---: |");
            var hist = Histogram(run, 20);
            for (var i = 0; i < hist.Length; i++) m.AppendLine($"| [{F(i / 20.0)}, {F((i + 1) / 20.0)}) | {hist[i]} |");
            m.AppendLine();
        }
        foreach (var c in comparisons)
        {
            m.AppendLine($"## Comparison: B = `{c.B.Run.Id}` vs A = `{c.A.Run.Id}`").AppendLine();
            m.AppendLine("| metric | group | A | B | B − A | 95% CI | n | verdict for B |").AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |");
            foreach (var r in c.Results) m.AppendLine($"| {r.Metric} | {Md(r.Group)} | {F(r.A)} | {F(r.B)} | {F(r.Difference)} | [{F(r.Low)}, {F(r.High)}] | {r.N} | {PairedComparison.WireName(r.Verdict)} |");
            m.AppendLine();
        }
        return m.ToString();
    }

    private static string Md(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    // ---------------------------------------------------------------- JSON

    private static string Json(IReadOnlyList<ReportRun> runs, List<Comparison> comparisons)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("runs");
            foreach (var run in runs)
            {
                w.WriteStartObject();
                w.WriteString("id", run.Run.Id);
                w.WriteString("status", run.Run.Status);
                w.WriteString("created", run.Run.Created.ToString("O", CultureInfo.InvariantCulture));
                w.WriteString("warden_version", run.Run.WardenVersion);
                w.WriteString("scorer_model", run.Run.ScorerModel);
                w.WriteString("refusal_model", run.Run.RefusalModel);
                w.WritePropertyName("config");
                using (var doc = JsonDocument.Parse(run.Run.ConfigJson)) doc.WriteTo(w);
                w.WritePropertyName("dataset_sha256");
                using (var doc = JsonDocument.Parse(run.Run.DatasetHashesJson)) doc.WriteTo(w);
                w.WritePropertyName("summary");
                SummaryJson.Write(w, run.Summary);
                w.WriteStartArray("toxicity_histogram");
                foreach (var c in Histogram(run, 20)) w.WriteNumberValue(c);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("comparisons");
            foreach (var c in comparisons)
            {
                w.WriteStartObject();
                w.WriteString("a", c.A.Run.Id);
                w.WriteString("b", c.B.Run.Id);
                w.WriteStartArray("results");
                foreach (var r in c.Results)
                {
                    w.WriteStartObject();
                    w.WriteString("metric", r.Metric);
                    w.WriteString("group", r.Group);
                    Num(w, "a", r.A);
                    Num(w, "b", r.B);
                    Num(w, "difference", r.Difference);
                    w.WriteStartArray("ci95");
                    if (double.IsFinite(r.Low)) w.WriteNumberValue(Math.Round(r.Low, 6)); else w.WriteNullValue();
                    if (double.IsFinite(r.High)) w.WriteNumberValue(Math.Round(r.High, 6)); else w.WriteNullValue();
                    w.WriteEndArray();
                    w.WriteNumber("n", r.N);
                    w.WriteString("verdict", PairedComparison.WireName(r.Verdict));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Num(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, Math.Round(v, 6)); else w.WriteNull(name);
    }
}
