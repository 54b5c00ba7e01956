using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Warden.Cli.Tests;

/// <summary>
/// `warden eval llm` killed with SIGKILL mid-run and continued with `warden eval resume`: the run completes and no
/// generation the store had committed is requested again (only requests in flight, or answered but not yet written by
/// the batching writer, at the kill repeat).
/// </summary>
public sealed class LlmEvalKillTests : IDisposable
{
    private readonly WardenProcess _warden = new();
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, int> _requestsPerPrompt = new();
    private int _requests;

    public LlmEvalKillTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    private int Port { get; }

    /// <summary>A slow OpenAI-compatible server: every chat answer takes 25 ms, so a run is still going when it is killed.</summary>
    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(async () =>
            {
                var response = context.Response;
                string body;
                if (context.Request.HttpMethod == "GET")
                {
                    body = """{"object":"list","data":[{"id":"fake","object":"model"}]}""";
                }
                else
                {
                    using var reader = new StreamReader(context.Request.InputStream);
                    using var request = JsonDocument.Parse(await reader.ReadToEndAsync());
                    var prompt = request.RootElement.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString() ?? "";
                    _requestsPerPrompt.AddOrUpdate(prompt, 1, (_, n) => n + 1);
                    Interlocked.Increment(ref _requests);
                    await Task.Delay(25);
                    var answer = prompt.Length % 3 == 0 ? "I'm sorry, but I can't help with that." : "Sure, here is some general information about it.";
                    body = JsonSerializer.Serialize(new
                    {
                        id = "x", @object = "chat.completion", created = 0, model = "fake",
                        choices = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop" } },
                        usage = new { prompt_tokens = 5, completion_tokens = 5, total_tokens = 10 },
                    });
                }
                var bytes = Encoding.UTF8.GetBytes(body);
                response.ContentType = "application/json";
                response.ContentLength64 = bytes.Length;
                try { await response.OutputStream.WriteAsync(bytes); response.Close(); } catch (Exception) { }
            });
        }
    }

    [Fact]
    public void A_run_killed_mid_way_resumes_without_repeating_finished_generations()
    {
        var store = _warden.PathOf("runs.db");
        var target = $"openai:http://127.0.0.1:{Port}/v1";
        using (var run = _warden.Start("eval", "llm", "--suite", "xstest", "--target", target, "--model", "fake",
                   "--out", _warden.PathOf("out"), "--store", store, "--concurrency", "4", "--quiet"))
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (Volatile.Read(ref _requests) < 100 && !run.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
            Assert.False(run.HasExited, "the run finished before it could be killed; the fake server must be slower");
            run.Kill(entireProcessTree: true);   // SIGKILL: no chance to clean up
            run.WaitForExit();
        }
        // A request sent just before the kill may still be in the fake server's hands: wait until the count settles.
        for (var last = -1; last != Volatile.Read(ref _requests);) { last = Volatile.Read(ref _requests); Thread.Sleep(250); }
        var beforeResume = Volatile.Read(ref _requests);
        Assert.InRange(beforeResume, 100, 449);

        var list = _warden.Run("report", "--list", "--store", store);
        Assert.Equal(0, list.ExitCode);
        var runId = list.StdoutLines.Single(l => l.StartsWith("xstest-", StringComparison.Ordinal)).Split('\t')[0];

        int committed;
        HashSet<string> doneBeforeResume;
        using (var runs = Warden.LlmEval.Store.RunStore.Open(store))
        {
            var counts = runs.Counts(runId);
            committed = counts.Done + counts.Failed;
            var notDone = runs.Prompts(runId, pendingOnly: true).Select(p => p.Text).ToHashSet(StringComparer.Ordinal);
            doneBeforeResume = runs.Prompts(runId).Select(p => p.Text).Where(p => !notDone.Contains(p)).ToHashSet(StringComparer.Ordinal);
        }
        Assert.InRange(committed, 1, beforeResume);
        Assert.NotEmpty(doneBeforeResume);
        var requestsAtKill = new Dictionary<string, int>(_requestsPerPrompt, StringComparer.Ordinal);

        var resume = _warden.Run("eval", "resume", runId, "--store", store, "--out", _warden.PathOf("out"), "--quiet");
        Assert.True(resume.ExitCode == 0, resume.ToString());

        // Every prompt was answered; no prompt the store had committed as done before the kill is asked again, and
        // every other one is asked during the resume. Compared per prompt (not as totals), because the client may
        // legitimately retry a request whose connection failed before the kill, which a count of all requests would
        // mistake for a repeat (that made an earlier form of this test flaky on a loaded machine).
        Assert.Equal(450, _requestsPerPrompt.Count);
        int AskedDuringResume(string prompt) => _requestsPerPrompt[prompt] - requestsAtKill.GetValueOrDefault(prompt);
        Assert.All(doneBeforeResume, p => Assert.Equal(0, AskedDuringResume(p)));
        Assert.All(_requestsPerPrompt.Keys.Where(p => !doneBeforeResume.Contains(p)), p => Assert.True(AskedDuringResume(p) >= 1, p));
        Assert.Equal(450 - doneBeforeResume.Count, _requestsPerPrompt.Keys.Count(p => AskedDuringResume(p) > 0));

        using var summary = JsonDocument.Parse(File.ReadAllText(_warden.PathOf(Path.Combine("out", "summary.json"))));
        Assert.Equal(250, summary.RootElement.GetProperty("metrics").GetProperty("refusal_rate_safe").GetProperty("n").GetInt32());
    }

    public void Dispose()
    {
        _listener.Close();
        _warden.Dispose();
    }
}
