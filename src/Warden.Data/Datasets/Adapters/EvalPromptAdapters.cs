using Warden.Core;

namespace Warden.Data.Datasets.Adapters;

/// <summary>
/// LLM evaluation prompt sets (XSTest, SimpleSafetyTests). Their labels say whether a model should answer, not
/// whether the text is toxic, so every Warden attribute is masked and every row is Test; DatasetUse.Eval keeps
/// them out of scorer training. The eval suites read the prompts from here.
/// </summary>
public sealed class EvalPromptAdapter(DatasetInfo info, string file, string idColumn, string promptColumn) : DatasetAdapter
{
    public override DatasetInfo Info { get; } = info;

    public static EvalPromptAdapter XsTest() => new(
        new DatasetInfo("xstest", "250 safe and 200 unsafe English prompts for exaggerated-safety (over-refusal) evaluation of LLMs",
            ["en"], "CC BY 4.0", DatasetUse.Eval, [], "LLM eval prompts: all rows Test, never used for training"),
        "xstest_prompts.csv", "id", "prompt");

    public static EvalPromptAdapter SimpleSafetyTests() => new(
        new DatasetInfo("simple_safety_tests", "100 English prompts in 5 harm areas that an LLM must refuse",
            ["en"], "CC BY 4.0", DatasetUse.Eval, [], "LLM eval prompts: all rows Test, never used for training"),
        "simple_safety_tests.csv", "id", "prompts_final");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var row in context.ReadTable(file))
            yield return context.Record(row[idColumn].Trim(), row[promptColumn], "en", new AttributeLabels(), Split.Test);
    }
}

/// <summary>A folder that is not labelled text (word lists, language-ID sentences): listed with its info, loads nothing.</summary>
public sealed class ResourceOnlyAdapter(DatasetInfo info) : DatasetAdapter
{
    public override DatasetInfo Info { get; } = info;

    protected override IEnumerable<LabeledText> Read(LoadContext context) => [];

    public static ResourceOnlyAdapter Ldnoobw() => new(new DatasetInfo(
        "ldnoobw", "Bad-word lists in 28 languages (one word or phrase per line, file name = language)",
        ["ar", "cs", "da", "de", "en", "eo", "es", "fa", "fi", "fil", "fr", "hi", "hu", "it", "ja", "kab", "ko", "nl", "no", "pl", "pt", "ru", "sv", "th", "tlh", "tr", "zh"],
        "CC BY 4.0", DatasetUse.Lexicon, [], "not labelled text: no records"));

    public static ResourceOnlyAdapter GenderGap() => new(new DatasetInfo(
        "gender_gap", "Gendered person nouns (feminine / masculine / unspecified) in 55 languages, ISO 639-3 file names",
        ["55 languages"], "not stated", DatasetUse.Lexicon, [], "not labelled text: no records"));

    public static ResourceOnlyAdapter Lingua() => new(new DatasetInfo(
        "lingua_langid_sentences", "1,000 web sentences per language for 75 languages (language identification)",
        ["75 languages"], "Apache-2.0 (repository); Leipzig corpora terms not checked", DatasetUse.LanguageId, [], "not labelled text: no records"));
}
