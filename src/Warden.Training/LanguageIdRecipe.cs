using Warden.Core;
using Warden.Data.Datasets;
using Warden.Text;
using Warden.Text.LanguageId;
using Warden.Training.Synthetic;

namespace Warden.Training;

/// <summary>
/// The informal texts the shipped language identifier trains on besides the Lingua sentences: posts and comments of the
/// labelled datasets the default model may train on (never the non-commercial or GPL sets), and Warden's hand-written
/// contrast sentences and identity mentions. The identifier's own test is edited web prose; these texts are what Warden
/// actually scores (short, informal, often abusive), which the web prose taught poorly: "Eres un idiota." came out
/// `und` and "Muslims are terrorists." as romanised Hindi.
/// </summary>
public static class LanguageIdRecipe
{
    /// <summary>At most this many informal training texts per language, so the languages with big labelled sets
    /// (English) keep the web prose in their profile too.</summary>
    public const int MaxTrainPerLanguage = 3000;
    public const int MaxValidationPerLanguage = 300;
    public const int MaxTestPerLanguage = 500;

    /// <summary>
    /// Contrast categories left out of the identifier's texts (all others are used, the implicit-hate ones too): with the
    /// polite pairs, added to the templates after the shipped identifier was trained, both of its tests dropped, lingua
    /// short 88.6 → 87.6% and informal short 76.7 → 75.3% (`warden train langid`; docs/models.md). The veiled-threat
    /// pairs and the moderation talk of the tenth round and the contempt pairs of the eleventh are left out too, so the shipped identifier stays reproducible.
    /// </summary>
    public static readonly IReadOnlyList<string> ExcludedContrastCategories = ["polite_insult", "polite_criticism", "veiled_threat", "violent_everyday", "negated_threat", "moderation_talk", "group_contempt", "contempt_everyday"];

    public static InformalTexts Load(DatasetRegistry registry, TextWriter log)
    {
        // Each dataset is read once and its records sorted into the three splits. Test takes the test splits of every
        // labelled set, the non-commercial and GPL ones included (reading them to measure is what they are for), never
        // trained on; training and validation only the sets the default model may train on.
        var report = new LoadReport();
        var synthetic = ContrastSets.Generate(excludeCategories: ExcludedContrastCategories).Concat(IdentityMentions.Generate()).ToList();
        List<LabeledText> trainRecords = [.. synthetic.Where(r => r.Split == Split.Train)];
        List<LabeledText> validationRecords = [.. synthetic.Where(r => r.Split == Split.Validation)];
        List<LabeledText> testRecords = [];
        foreach (var info in registry.List().Where(info => info.Use is DatasetUse.Train or DatasetUse.TestOnly && !Excluded(info.Name)))
            foreach (var record in registry.Load(info.Name, null, report))
            {
                if (record.Split == Split.Test) testRecords.Add(record);
                else if (info.Use == DatasetUse.Train) (record.Split == Split.Train ? trainRecords : validationRecords).Add(record);
            }
        var train = Capped(trainRecords, MaxTrainPerLanguage);
        var validation = Capped(validationRecords, MaxValidationPerLanguage);
        var test = Capped(testRecords, MaxTestPerLanguage);
        var description = "the training splits of the labelled datasets the default model trains on and Warden's hand-written " +
            $"contrast sentences and identity mentions (at most {MaxTrainPerLanguage:N0} training and {MaxValidationPerLanguage:N0} validation " +
            $"texts per language), tested on the test splits of every labelled set, the test-only ones included (at most {MaxTestPerLanguage:N0} " +
            "per language); Hindi posts in Latin script left out";
        log.WriteLine($"langid informal: {train.Count:N0} training, {validation.Count:N0} validation, {test.Count:N0} test texts");
        return new InformalTexts(train, validation, test, description);
    }

    /// <summary>Lingua's sentences are the identifier's own data already (their everyday-text records would leak its test
    /// lines into training); word lists are not text.</summary>
    private static bool Excluded(string dataset) =>
        dataset.StartsWith("lingua", StringComparison.Ordinal) || dataset == FastModelRecipe.LexiconDataset;

    /// <summary>Labels the texts with their language and keeps a deterministic sample of at most <paramref name="cap"/> per language.</summary>
    internal static List<(string Label, string Text)> Capped(IEnumerable<LabeledText> records, int cap) =>
        [.. records
            .Select(r => (Label: Label(r), r.Text, Key: StableHash.Of(r.Dataset, r.Id)))
            .Where(r => r.Label is not null && r.Text.Trim().Length > 0)
            .GroupBy(r => r.Label!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .SelectMany(g => g.OrderBy(r => r.Key).ThenBy(r => r.Text, StringComparer.Ordinal).Take(cap))
            .Select(r => (r.Label!, r.Text))];

    /// <summary>The record's language as an identifier class, or null to leave the record out. Hindi in Latin script is
    /// left out: TRAC-1's Hindi posts are heavily code-mixed with English, and the romanised class already has its
    /// filtered sample (<see cref="LanguageIdReport.RomanizedHindi"/>).</summary>
    internal static string? Label(LabeledText record)
    {
        var language = record.Language;
        if (string.IsNullOrEmpty(language) || language.Contains(',') || language == "und") return null;
        if (language != "hi") return language;
        int devanagari = 0, latin = 0;
        foreach (var c in record.Text)
        {
            var script = Scripts.Of(c);
            if (script == Script.Devanagari) devanagari++;
            else if (script == Script.Latin) latin++;
        }
        return devanagari >= latin ? "hi" : null;
    }
}
