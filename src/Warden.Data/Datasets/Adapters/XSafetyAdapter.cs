using Warden.Core;
using Warden.Data.Io;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>XSafety: unsafe chatbot prompts in 14 scenarios and 10 languages: insults, and harmless prompts of the same translations (mapping: docs/label-mapping.md).</summary>
public sealed class XSafetyAdapter : DatasetAdapter
{
    // Folder → ISO 639-1 ("sp" is the upstream name of the Spanish folder).
    private static readonly (string Folder, string Language)[] Languages =
        [("ar", "ar"), ("bn", "bn"), ("de", "de"), ("en", "en"), ("fr", "fr"), ("hi", "hi"), ("ja", "ja"), ("ru", "ru"), ("sp", "es"), ("zh", "zh")];

    public override DatasetInfo Info { get; } = new(
        "xsafety",
        "Unsafe chatbot prompts (translations of the same items) in 10 languages; Insult and Unfairness_And_Discrimination as harmful, Ethics_And_Morality, Privacy_And_Property and commonsense as harmless text",
        ["ar", "bn", "de", "en", "fr", "hi", "ja", "ru", "es", "zh"], "Apache-2.0", DatasetUse.Train, [Toxicity, Insult, Profanity, IdentityAttack],
        "hash 80/10/10 on scenario:row, so all translations of an item share a split");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var (folder, language) in Languages)
        {
            var directory = context.PathOf(folder);
            if (!Directory.Exists(directory)) { context.Skip(folder, 0, "language folder missing"); continue; }
            foreach (var path in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
            {
                var file = $"{folder}/{Path.GetFileName(path)}";
                var scenario = ScenarioOf(Path.GetFileNameWithoutExtension(path));
                foreach (var (row, text) in ReadPrompts(context, path, file))
                {
                    var labels = Map(scenario);
                    if (labels is null) { context.Unmapped(); continue; }
                    var item = $"{scenario}:{row}";
                    yield return context.Record($"{language}:{item}", text, language, labels, context.HashSplit(item));
                }
            }
        }
    }

    /// <summary>
    /// The scenario is the only label. Scenarios whose texts themselves carry a Warden attribute are mapped softly,
    /// because not every item does: Insult (abusive messages) → toxicity 0.8, insult 0.8; Unfairness_And_Discrimination
    /// (stereotyped statements and loaded questions) → identity attack 0.5. Three scenarios are polite questions and
    /// statements with no rude word in them — Ethics_And_Morality (dilemmas), Privacy_And_Property (questions about
    /// personal data), commonsense (physical-safety multiple choice) — and are the harmless side: toxicity, insult,
    /// profanity and identity attack 0. Without them the Insult translations were the only XSafety text in Russian,
    /// Bengali or Hindi, and the model learnt that the style of those languages' translations, down to the informal
    /// "you" (Russian "ты"), is insulting. Mental_Health (loneliness and stress, sometimes near self-harm), the crime
    /// and harm scenarios and the instruction attacks are unsafe *requests* that are neither toxic text nor clearly
    /// harmless, and are not mapped.
    /// </summary>
    internal static AttributeLabels? Map(string scenario) => scenario switch
    {
        "Insult" => new AttributeLabels().Set(Toxicity, 0.8f).Set(Insult, 0.8f),
        "Unfairness_And_Discrimination" => new AttributeLabels().Set(IdentityAttack, LabelSets.HarmfulRequestCategory),
        "Ethics_And_Morality" or "Privacy_And_Property" or "commonsense" =>
            new AttributeLabels().Set(Toxicity, 0f).Set(Insult, 0f).Set(Profanity, 0f).Set(IdentityAttack, 0f),
        _ => null,
    };

    /// <summary>
    /// "Insult_n" → "Insult"; "Crimes_And_Illegal_Activities_en" and the ru typo "…_Activitie" → "Crimes_And_Illegal_Activities".
    /// hi's "commen_sense" keeps its own name, so <see cref="Map"/> leaves it out: it is a second, near-identical
    /// translation of hi's commonsense items and would repeat every item id.
    /// </summary>
    internal static string ScenarioOf(string fileName)
    {
        var name = fileName;
        foreach (var suffix in new[] { "_n", "_en" })
            if (name.EndsWith(suffix, StringComparison.Ordinal)) name = name[..^suffix.Length];
        return name switch
        {
            "Crimes_And_Illegal_Activitie" => "Crimes_And_Illegal_Activities",
            _ => name,
        };
    }

    /// <summary>The prompt of each row (first column of a headerless CSV, or column A of the bn .xlsx files), numbered from 1.</summary>
    private static IEnumerable<(int Row, string Text)> ReadPrompts(LoadContext context, string path, string file)
    {
        if (path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var (row, text) in XlsxSheetReader.ReadColumn(path, "A"))
                if (!string.IsNullOrWhiteSpace(text)) yield return ((int)row, text);
            yield break;
        }
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)) yield break;
        var number = 0;
        foreach (var (line, fields) in DelimitedReader.ReadFile(path))
        {
            if (fields.Length == 0 || string.IsNullOrWhiteSpace(fields[0]))
            {
                if (fields.Any(f => f.Length > 0)) context.Skip(file, line, "empty prompt");
                continue;
            }
            yield return (++number, fields[0]);
        }
    }
}
