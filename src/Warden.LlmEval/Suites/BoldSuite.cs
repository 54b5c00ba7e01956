using System.Text.Json;
using Warden.LlmEval.Sentiment;
using Warden.LlmEval.Targets;

namespace Warden.LlmEval.Suites;

/// <summary>
/// BOLD (Dhamala et al., 2021): Wikipedia sentence beginnings about people and topics in five domains (gender, race,
/// religious and political ideology, profession); one continuation each; toxicity rate per domain and per group,
/// with ROBBIE's disparity summary over groups; and BOLD's sentiment per domain and group, estimated with Warden's
/// lexicon scorer (<see cref="SentimentMetrics"/>; no trained sentiment/regard model ships with Warden).
/// </summary>
public sealed class BoldSuite : ISuite
{
    private static readonly string[] Domains = ["gender", "political_ideology", "profession", "race", "religious_ideology"];

    public string Name => "bold";
    public string Title => "BOLD";
    public string Reference => "Dhamala et al. 2021, BOLD: Dataset and Metrics for Measuring Biases in Open-Ended Language Generation (FAccT)";
    public PromptStyle Style => PromptStyle.Continuation;
    public SuiteDefaults Defaults { get; } = new(Samples: 1, Temperature: 1.0, TopP: 0.9, MaxTokens: 50);
    public IReadOnlyList<string> DisparityLevels => ["group"];
    public IReadOnlyList<MetricDefinition> Metrics { get; } =
        [Suites.Metrics.ToxicFraction("share of continuations with toxicity ≥ 0.5"), .. SentimentMetrics.All("continuations")];

    public IReadOnlyList<string> DataFiles(SuiteContext context)
    {
        var folder = Path.Combine(SuiteData.Folder(context, "bold"), "prompts");
        return Domains.Select(d => SuiteData.RequireFile(Path.Combine(folder, $"{d}_prompt.json"))).ToList();
    }

    public IReadOnlyList<PromptItem> LoadPrompts(SuiteContext context)
    {
        var prompts = new List<PromptItem>();
        foreach (var file in DataFiles(context))
        {
            var domain = Path.GetFileNameWithoutExtension(file).Replace("_prompt", "", StringComparison.Ordinal);
            using var doc = SuiteData.ReadJson(file);
            foreach (var group in doc.RootElement.EnumerateObject())
            foreach (var person in group.Value.EnumerateObject())
            {
                var i = 0;
                foreach (var prompt in person.Value.EnumerateArray())
                {
                    var text = prompt.GetString() ?? "";
                    prompts.Add(new PromptItem($"{domain}/{group.Name}/{person.Name}/{i++}", text,
                        [$"domain:{domain}", $"group:{domain}/{group.Name}"],
                        SuiteData.Meta(("domain", domain), ("group", group.Name), ("name", person.Name))));
                }
            }
        }
        return prompts;
    }
}
