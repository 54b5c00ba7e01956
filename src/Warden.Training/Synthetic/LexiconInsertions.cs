using System.Text.Json;
using Warden.Core;
using Warden.Data.Datasets;

namespace Warden.Training.Synthetic;

/// <summary>
/// Everyday sentences with an insult from the harm lexicon put in ("The bus was late again, idiot!"), as harmful
/// training texts in every language of the lexicon. In a language without labelled data the only training texts are
/// the everyday sentences of <see cref="NeutralWebText"/>, all harmless, so every n-gram of the language learns to look
/// harmless and outvotes the lexicon: "Ти си пълен идиот, затваряй си устата." scored 0.14. Each inserted sentence
/// differs from a harmless training sentence only by the insult, so what it teaches is the insult, not the language.
/// Only training lines of the everyday sentences are used (never the held-out lines `warden eval neutral` scores).
/// </summary>
public static class LexiconInsertions
{
    public const string DatasetName = "warden_lexicon_insertions";

    /// <summary>Sentences per language.</summary>
    public const int PerLanguage = 60;

    /// <summary>Everyday sentences are cut to this many words (characters for scripts without spaces), as short comments are.</summary>
    public const int MaxWords = 12;

    /// <summary>Lexicon language codes whose everyday sentences have another name in lingua_langid_sentences.</summary>
    private static readonly Dictionary<string, string> SentenceLanguages = new(StringComparer.Ordinal) { ["no"] = "nb" };

    /// <summary>The language of the everyday sentences that stand for a lexicon language.</summary>
    internal static string SentenceLanguage(string lexiconLanguage) => SentenceLanguages.GetValueOrDefault(lexiconLanguage, lexiconLanguage);

    /// <summary>The training lines of the everyday sentences (never the held-out lines `warden eval neutral` scores), per language.</summary>
    internal static Dictionary<string, List<LabeledText>> SentencesByLanguage(IReadOnlyList<LabeledText> neutral) =>
        neutral.Where(r => r.Split == Split.Train && !r.Id.Contains('#'))
            .GroupBy(r => r.Language).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);

    /// <summary>The labels of an everyday sentence alone, beside its copy with something harmful put in.</summary>
    internal static AttributeLabels Harmless() => new AttributeLabels()
        .Set(HarmAttribute.Toxicity, 0f).Set(HarmAttribute.Insult, 0f).Set(HarmAttribute.IdentityAttack, 0f).Set(HarmAttribute.Threat, 0f);

    /// <param name="neutral">The everyday sentences (<see cref="NeutralWebText.Load"/>); only training rows are used.</param>
    /// <param name="skipLanguages">Languages left out: those with hand-written contrast sets, whose insults come with their
    /// negations; inserted insults have none, and taught the model to flag negated insults in languages whose negation
    /// it cannot see (docs/models.md).</param>
    public static IReadOnlyList<LabeledText> Generate(IReadOnlyList<LabeledText> neutral, IReadOnlySet<string>? skipLanguages = null)
    {
        var insults = InsultsByLanguage();
        var sentences = SentencesByLanguage(neutral);
        var records = new List<LabeledText>();
        foreach (var (language, words) in insults.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (words.Count == 0 || skipLanguages?.Contains(language) == true || !sentences.TryGetValue(SentenceLanguage(language), out var lines)) continue;
            var count = Math.Min(PerLanguage, lines.Count);
            for (var i = 0; i < count; i++)
            {
                // Spread over the file rather than its first lines, which often share one source.
                var line = lines[i * lines.Count / count];
                var clause = Shorten(line.Text);
                var insult = words[i % words.Count];
                var text = (i % 3) switch
                {
                    0 => $"{clause.TrimEnd('.', '!', '?', '。', '।')}, {insult}!",
                    1 => $"{char.ToUpper(insult[0])}{insult[1..]}, {char.ToLower(clause[0])}{clause[1..]}",
                    _ => $"{clause} {char.ToUpper(insult[0])}{insult[1..]}.",
                };
                var labels = new AttributeLabels()
                    .Set(HarmAttribute.Toxicity, 1f).Set(HarmAttribute.Insult, 1f)
                    .Set(HarmAttribute.IdentityAttack, 0f).Set(HarmAttribute.Threat, 0f);
                records.Add(new LabeledText(DatasetName, $"{language}:{i}", text, language, labels, Split.Train));
                // The same shortened sentence without the insult, as a harmless text of the same set: the pair differs only
                // by the insult, so the sentence's own n-grams learn nothing from it either way.
                records.Add(new LabeledText(DatasetName, $"{language}:{i}:plain", clause, language, Harmless(), Split.Train));
            }
        }
        return records;
    }

    /// <summary>
    /// The insult entries of each language: whole words and phrases; stem entries ("idiot*") only where a language has
    /// fewer than five whole ones, since a bare stem is often no word.
    /// </summary>
    internal static Dictionary<string, List<string>> InsultsByLanguage() =>
        EntriesByLanguage("insult").ToDictionary(p => p.Key, p =>
        {
            var whole = p.Value.Where(e => !e.EndsWith('*')).ToList();
            return whole.Count >= 5 ? whole : [.. whole, .. p.Value.Where(e => e.EndsWith('*')).Select(e => e[..^1])];
        }, StringComparer.Ordinal);

    /// <summary>The trimmed entries of one harm-lexicon category per language (the languages that have it), one-letter entries left out.</summary>
    internal static Dictionary<string, List<string>> EntriesByLanguage(string category)
    {
        using var document = TrainingResources.Load("harm_lexicon.json");
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var language in document.RootElement.GetProperty("languages").EnumerateObject())
        {
            if (!language.Value.TryGetProperty(category, out var entries) || entries.ValueKind != JsonValueKind.Array) continue;
            result[language.Name] = [.. entries.EnumerateArray().Select(e => e.GetString()?.Trim() ?? "").Where(e => e.Length > 1)];
        }
        return result;
    }

    /// <summary>
    /// The pairs of a phrase-insertion set (<see cref="ThreatInsertions"/>, <see cref="SelfHarmInsertions"/>): per language,
    /// up to <paramref name="perLanguage"/> training lines and at most half of them, each shortened and given the language's
    /// next phrase at its end (then <paramref name="endMark"/>) or, every other line, at its start; each beside the same
    /// shortened line alone.
    /// </summary>
    internal static List<LabeledText> PhrasePairs(string dataset, IReadOnlyDictionary<string, List<string>> phrasesByLanguage,
        IReadOnlyList<LabeledText> neutral, int perLanguage, char endMark, Func<AttributeLabels> withPhrase, Func<AttributeLabels> plain)
    {
        var sentences = SentencesByLanguage(neutral);
        var records = new List<LabeledText>();
        foreach (var (language, phrases) in phrasesByLanguage.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (phrases.Count == 0 || !sentences.TryGetValue(SentenceLanguage(language), out var lines) || lines.Count < 2) continue;
            var count = Math.Min(perLanguage, lines.Count / 2);
            for (var i = 0; i < count; i++)
            {
                // Spread over the file like Generate's lines, between every other one of them; the two share lines only in the
                // languages without contrast sets (Serbian), the only ones that get insult insertions by default.
                var line = lines[(i * lines.Count / count + lines.Count / (2 * count)) % lines.Count];
                var clause = Shorten(line.Text);
                var phrase = phrases[i % phrases.Count];
                var text = (i % 2) switch
                {
                    0 => $"{clause.TrimEnd('.', '!', '?', '。', '।')}, {phrase}{endMark}",
                    _ => $"{char.ToUpper(phrase[0])}{phrase[1..]}. {clause}",
                };
                records.Add(new LabeledText(dataset, $"{language}:{i}", text, language, withPhrase(), Split.Train));
                records.Add(new LabeledText(dataset, $"{language}:{i}:plain", clause, language, plain(), Split.Train));
            }
        }
        return records;
    }

    internal static string Shorten(string sentence)
    {
        var words = sentence.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length > 1) return string.Join(' ', words.Take(MaxWords));
        return sentence.Length > MaxWords * 3 ? sentence[..(MaxWords * 3)] : sentence;
    }
}
