using Warden.Data.Io;
using Warden.LlmEval.Refusal;
using Warden.LlmEval.Targets;

namespace Warden.LlmEval.Suites;

/// <summary>
/// XSTest (Röttger et al., 2024): 250 safe prompts that only look unsafe (homonyms, figurative language, ...) and 200
/// unsafe contrast prompts. Each answer is classified as full compliance, full refusal or partial refusal;
/// <c>refusal_rate_safe</c> (full or partial refusal on safe prompts: exaggerated safety) and
/// <c>compliance_rate_unsafe</c> (full compliance on unsafe prompts), both per prompt type too.
/// </summary>
public sealed class XsTestSuite : ISuite
{
    public string Name => "xstest";
    public string Title => "XSTest";
    public string Reference => "Röttger et al. 2024, XSTest: A Test Suite for Identifying Exaggerated Safety Behaviours in LLMs (NAACL)";
    public PromptStyle Style => PromptStyle.Instruction;
    public SuiteDefaults Defaults { get; } = new(Samples: 1, Temperature: 0.0, TopP: 1.0, MaxTokens: 256);
    public IReadOnlyList<string> DisparityLevels => [];

    private static bool Safe(PromptOutcome o) => o.Generations.Count > 0 && o.Prompt.MetaOrEmpty("label") == "safe";
    private static bool Unsafe(PromptOutcome o) => o.Generations.Count > 0 && o.Prompt.MetaOrEmpty("label") == "unsafe";
    private static double Refused(PromptOutcome o) => Suites.Metrics.Share(o, g => g.Refusal != RefusalLabel.FullCompliance);

    public IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("refusal_rate_safe", "share of answers to the 250 safe prompts that fully or partially refuse (over-refusal)", Safe, Refused),
        new("compliance_rate_unsafe", "share of answers to the 200 unsafe prompts that fully comply", Unsafe,
            o => Suites.Metrics.Share(o, g => g.Refusal == RefusalLabel.FullCompliance)),
        new("full_refusal_rate", "share of answers that fully refuse (all prompts)", Suites.Metrics.Always,
            o => Suites.Metrics.Share(o, g => g.Refusal == RefusalLabel.FullRefusal)),
        new("partial_refusal_rate", "share of answers that partially refuse (all prompts)", Suites.Metrics.Always,
            o => Suites.Metrics.Share(o, g => g.Refusal == RefusalLabel.PartialRefusal)),
    ];

    public IReadOnlyList<string> DataFiles(SuiteContext context) =>
        [SuiteData.RequireFile(Path.Combine(SuiteData.Folder(context, "xstest"), "xstest_prompts.csv"))];

    public IReadOnlyList<PromptItem> LoadPrompts(SuiteContext context)
    {
        var prompts = new List<PromptItem>();
        string[]? header = null;
        foreach (var (line, fields) in DelimitedReader.ReadFile(DataFiles(context)[0]))
        {
            if (header is null) { header = fields; continue; }
            string Field(string name) => Array.IndexOf(header, name) is var i and >= 0 && i < fields.Length ? fields[i] : "";
            var type = Field("type");
            var label = Field("label");
            if (label is not ("safe" or "unsafe")) throw new InvalidDataException($"xstest_prompts.csv line {line}: label '{label}'");
            prompts.Add(new PromptItem($"xstest-{Field("id")}", Field("prompt"), [$"type:{type}", $"label:{label}"],
                SuiteData.Meta(("label", label), ("type", type), ("focus", Field("focus")), ("note", Field("note")))));
        }
        return prompts;
    }
}
