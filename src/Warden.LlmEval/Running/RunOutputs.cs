using Warden.LlmEval.Reports;
using Warden.LlmEval.Store;
using Warden.LlmEval.Summaries;

namespace Warden.LlmEval.Running;

/// <summary>What <c>warden eval llm --out DIR</c> leaves behind: summary.json (the contract), report.html and report.md.</summary>
public static class RunOutputs
{
    public static IReadOnlyList<string> Write(string directory, IRunStore store, string runId)
    {
        Directory.CreateDirectory(directory);
        var runs = Report.Load(store, [runId]);
        var files = new List<string>();
        void Save(string name, string content)
        {
            var path = Path.Combine(directory, name);
            // Write then move, so a reader never sees half a file.
            File.WriteAllText(path + ".partial", content);
            File.Move(path + ".partial", path, overwrite: true);
            files.Add(path);
        }
        Save("summary.json", SummaryJson.Serialize(runs[0].Summary));
        Save("report.html", Report.Render(runs, ReportFormat.Html));
        Save("report.md", Report.Render(runs, ReportFormat.Markdown));
        return files;
    }
}
