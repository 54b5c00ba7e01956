using Microsoft.Playwright;

namespace Warden.Server.Tests;

/// <summary>
/// The playground in a real headless Chromium (Debian's, driven by Playwright; no browser is downloaded).
/// The screenshot is kept as a test artifact under TestResults/playground.png next to the test assembly.
/// </summary>
public class PlaygroundBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [SkippableFact]
    public async Task Typing_a_text_shows_scores_and_highlights_the_span()
    {
        Skip.IfNot(File.Exists(Chromium), $"{Chromium} is not installed (apt-get install chromium); the browser test needs it");
        await using var host = await TestHost.StartAsync(dev: true);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 820 } });
        await page.GotoAsync(host.BaseAddress.ToString());
        await page.WaitForSelectorAsync("#policy option", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

        await page.FillAsync("#text", "Honestly, you are an idiot and everyone knows it.");
        var mark = await page.WaitForSelectorAsync("#highlighted mark");
        Assert.Equal("idiot", await mark!.InnerTextAsync());

        var insult = await page.InnerTextAsync(".bar[data-attribute=insult] .score");
        Assert.Equal("0.950", insult);
        Assert.Equal(8, await page.Locator(".bar").CountAsync());
        Assert.Equal(1, await page.Locator(".bar[data-attribute=insult] .fill.over").CountAsync());
        Assert.Equal(0, await page.Locator(".bar[data-attribute=threat] .fill.over").CountAsync());

        // The conversation try-out names the unsafe message.
        await page.FillAsync("#conversation", "user: hello\nassistant: I will kill you");
        await page.ClickAsync("#guard");
        await page.WaitForSelectorAsync("#guardVerdict .verdict");
        Assert.Contains("message 1", await page.InnerTextAsync("#guardVerdict"));

        var artifacts = Path.Combine(AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(artifacts);
        var screenshot = Path.Combine(artifacts, "playground.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }
}
