using System.Text.Json;
using Warden.Core;
using Warden.Data.Datasets;

namespace Warden.Training.Synthetic;

/// <summary>
/// Everyday sentences with a self-harm phrase of the harm lexicon put in ("I'm so tired of this week, I want to die."),
/// as self_harm training texts in every language of the lexicon, each beside the same sentence without the phrase. The
/// only real self_harm labels are English (per-user Reddit labels, a few prompt categories) and the hand-written pairs
/// cover 32 languages, so in the other 39 the lexicon's self-harm feature was all a text had, and it weighed too little to
/// flag anything. Like <see cref="LexiconInsertions"/>, each pair differs only by the phrase, so what it teaches is the
/// phrase, not the language. toxicity and threat stay unannotated: telling someone to kill themselves is toxic, saying one wants to
/// die is not, and the lexicon holds both. Only training lines of the everyday sentences are used.
/// </summary>
public static class SelfHarmInsertions
{
    public const string DatasetName = "warden_self_harm_insertions";

    /// <summary>Sentences per language.</summary>
    public const int PerLanguage = 24;

    public static IReadOnlyList<LabeledText> Generate(IReadOnlyList<LabeledText> neutral)
    {
        var phrases = PhrasesByLanguage();
        var sentences = LexiconInsertions.SentencesByLanguage(neutral);
        var records = new List<LabeledText>();
        foreach (var (language, words) in phrases.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (words.Count == 0 || !sentences.TryGetValue(LexiconInsertions.SentenceLanguage(language), out var lines)) continue;
            var count = Math.Min(PerLanguage, lines.Count);
            for (var i = 0; i < count; i++)
            {
                // Half a stride past the lines the insult insertions use, so the two sets do not share sentences.
                var line = lines[(i * lines.Count / count + lines.Count / (2 * count)) % lines.Count];
                var clause = LexiconInsertions.Shorten(line.Text);
                var phrase = words[i % words.Count];
                var text = (i % 2) switch
                {
                    0 => $"{clause.TrimEnd('.', '!', '?', '。', '।')}, {phrase}.",
                    _ => $"{char.ToUpper(phrase[0])}{phrase[1..]}. {clause}",
                };
                var labels = new AttributeLabels().Set(HarmAttribute.SelfHarm, 1f);
                records.Add(new LabeledText(DatasetName, $"{language}:{i}", text, language, labels, Split.Train));
                records.Add(new LabeledText(DatasetName, $"{language}:{i}:plain", clause, language,
                    LexiconInsertions.Harmless().Set(HarmAttribute.SelfHarm, 0f), Split.Train));
            }
        }
        return records;
    }

    /// <summary>The self_harm entries of each language: whole words and phrases, never bare stems ("selbstmord*").</summary>
    internal static Dictionary<string, List<string>> PhrasesByLanguage()
    {
        using var document = TrainingResources.Load("harm_lexicon.json");
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var language in document.RootElement.GetProperty("languages").EnumerateObject())
        {
            if (!language.Value.TryGetProperty("self_harm", out var entries) || entries.ValueKind != JsonValueKind.Array) continue;
            result[language.Name] = [.. entries.EnumerateArray().Select(e => e.GetString()?.Trim() ?? "").Where(e => e.Length > 1 && !e.EndsWith('*'))];
        }
        return result;
    }
}
