using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Warden.LlmEval.Reports;
using Warden.LlmEval.Running;
using Warden.LlmEval.Targets;

namespace Warden.LlmEval.Tests;

/// <summary>The HTML report in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded).</summary>
public class ReportBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Two XSTest runs from replay files: A refuses the odd ids, B refuses everything (more over-refusal).</summary>
    private static async Task<IReadOnlyList<ReportRun>> TwoRunsAsync(TestBench bench)
    {
        var ids = Enumerable.Range(1, 450).ToList();
        async Task<string> Run(string name, Func<int, string> answer)
        {
            var file = Path.Combine(bench.Directory, name + ".jsonl");
            await File.WriteAllLinesAsync(file, ids.Select(i => JsonSerializer.Serialize(new { prompt_id = $"xstest-{i}", completion = answer(i) })));
            var config = new RunConfig { Suite = "xstest", Target = $"replay:{file}", Model = name, Sampling = new SamplingParameters(), BootstrapResamples = 300 };
            using var target = config.CreateTarget();
            return (await bench.Runner.StartAsync(config, target)).RunId;
        }
        var a = await Run("model-a", i => i % 2 == 1 ? "I'm sorry, but I can't help with that." : "Sure: you idiot, here is the answer.");
        var b = await Run("model-b", _ => "I'm sorry, but I can't help with that.");
        return Report.Load(bench.Store, [a, b]);
    }

    [SkippableFact]
    public async Task The_html_report_shows_charts_tables_and_blurred_examples_in_chromium()
    {
        TestBench.RequireDatasets();
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is not installed (apt-get install chromium); the browser test needs it");
        using var bench = new TestBench();
        var runs = await TwoRunsAsync(bench);
        var html = Report.Render(runs, ReportFormat.Html);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal));
        Assert.DoesNotContain("https://", html);
        var path = Path.Combine(bench.Directory, "report.html");
        await File.WriteAllTextAsync(path, html);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();
        var requests = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        await page.GotoAsync(new Uri(path).AbsoluteUri);

        Assert.Equal(2, await page.Locator("section.run").CountAsync());
        Assert.Equal(2, await page.Locator("svg[data-chart=xstest-types]").CountAsync());
        Assert.Equal(18, await page.Locator("svg[data-chart=xstest-types]").First.Locator("g.bar").CountAsync());
        Assert.Equal(18, await page.Locator("svg[data-chart=xstest-types]").First.Locator("path.whisker").CountAsync());
        Assert.Equal(2, await page.Locator("svg[data-chart=toxicity-histogram]").CountAsync());
        Assert.True(await page.Locator("svg[data-chart=groups-type]").CountAsync() >= 1);
        Assert.True(await page.Locator("table.metrics tr[data-metric=refusal_rate_safe]").CountAsync() == 2);
        var box = await page.Locator("svg[data-chart=xstest-types]").First.BoundingBoxAsync();
        Assert.True(box is { Width: > 300, Height: > 200 }, "the chart should be laid out with a real size");

        // Run B refuses everything: more over-refusal on safe prompts is "worse", less compliance on unsafe is "better".
        var comparison = page.Locator("table.comparison tbody tr");
        Assert.True(await comparison.CountAsync() > 0);
        var refusalRow = page.Locator("table.comparison tbody tr", new PageLocatorOptions { HasText = "refusal_rate_safe" }).First;
        Assert.Contains("worse", await refusalRow.InnerTextAsync());
        var complianceRow = page.Locator("table.comparison tbody tr", new PageLocatorOptions { HasText = "compliance_rate_unsafe" }).First;
        Assert.Contains("better", await complianceRow.InnerTextAsync());
        Assert.Equal(1, await page.Locator("svg[data-chart=comparison]").CountAsync());

        // Examples are blurred until the reader asks for them.
        var example = page.Locator("td.example").First;
        Assert.Contains("blur", await example.EvaluateAsync<string>("e => getComputedStyle(e).filter"));
        await page.ClickAsync("#toggle-blur");
        await page.WaitForFunctionAsync("() => getComputedStyle(document.querySelector('td.example')).filter === 'none'");
        Assert.Equal("Hide examples", await page.InnerTextAsync("#toggle-blur"));
        Assert.All(requests, url => Assert.StartsWith("file://", url));

        var artifacts = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "llm-report.png"), FullPage = true });
    }

    [SkippableFact]
    public async Task Markdown_and_json_carry_the_same_numbers_as_the_summary()
    {
        TestBench.RequireDatasets();
        using var bench = new TestBench();
        var runs = await TwoRunsAsync(bench);
        var summary = runs[0].Summary.Metrics["refusal_rate_safe"];
        // A refuses the odd ids: hand-count the safe ones.
        var safe = bench.Store.Prompts(runs[0].Run.Id).Where(p => p.Meta["label"] == "safe").ToList();
        var expected = safe.Count(p => int.Parse(p.Id["xstest-".Length..], CultureInfo.InvariantCulture) % 2 == 1) / (double)safe.Count;
        Assert.Equal(expected, summary.Value, 9);
        Assert.Equal(250, summary.N);

        var md = Report.Render(runs, ReportFormat.Markdown);
        Assert.Contains($"| refusal_rate_safe | {summary.Value.ToString("0.000", CultureInfo.InvariantCulture)} | [{summary.Low.ToString("0.000", CultureInfo.InvariantCulture)}, {summary.High.ToString("0.000", CultureInfo.InvariantCulture)}] | 250 |", md);
        Assert.Contains("## Comparison", md);

        using var json = JsonDocument.Parse(Report.Render(runs, ReportFormat.Json));
        var metric = json.RootElement.GetProperty("runs")[0].GetProperty("summary").GetProperty("metrics").GetProperty("refusal_rate_safe");
        Assert.Equal(Math.Round(summary.Value, 6), metric.GetProperty("value").GetDouble());
        Assert.Equal(Math.Round(summary.Low, 6), metric.GetProperty("ci95")[0].GetDouble());
        var results = json.RootElement.GetProperty("comparisons")[0].GetProperty("results");
        Assert.Contains(results.EnumerateArray(), r => r.GetProperty("metric").GetString() == "refusal_rate_safe"
            && r.GetProperty("group").GetString() == "all" && r.GetProperty("verdict").GetString() == "worse");
    }
}
