using System.Text.Json;

namespace Warden.Training.Lexicons;

/// <summary>
/// Warden's multilingual harm lexicon (harm_lexicon.json, hand-written for Warden): per language and category
/// (insult, profanity, dehumanising, slur, threat, self_harm, exclusion, stereotype, contempt) words and short phrases. Merged over languages into one
/// list per category, since the model learns one weight per category and carries it to every language.
/// </summary>
public static class HarmLexiconFile
{
    public static Dictionary<string, List<string>> LoadEmbedded()
    {
        using var document = TrainingResources.Load("harm_lexicon.json");
        return Parse(document);
    }

    /// <summary>
    /// identity_terms.json (hand-written for Warden): group names, generalisations, negative traits and words that report a
    /// statement per language, as the four lexicon categories the scorer only uses in conjunctions
    /// (<see cref="Warden.Scoring.Fast.HarmLexicon.GroupCategory"/>, <see cref="Warden.Scoring.Fast.HarmLexicon.GeneralisationCategory"/>,
    /// <see cref="Warden.Scoring.Fast.HarmLexicon.TraitCategory"/>, <see cref="Warden.Scoring.Fast.HarmLexicon.ReportingCategory"/>).
    /// </summary>
    public static Dictionary<string, List<string>> LoadIdentityTerms()
    {
        using var document = TrainingResources.Load("identity_terms.json");
        var parsed = Parse(document);
        return new Dictionary<string, List<string>>(StringComparer.Ordinal)
        {
            [Warden.Scoring.Fast.HarmLexicon.GroupCategory] = parsed.GetValueOrDefault("group") ?? [],
            [Warden.Scoring.Fast.HarmLexicon.GeneralisationCategory] = parsed.GetValueOrDefault("generalisation") ?? [],
            [Warden.Scoring.Fast.HarmLexicon.TraitCategory] = parsed.GetValueOrDefault("trait") ?? [],
            [Warden.Scoring.Fast.HarmLexicon.ReportingCategory] = parsed.GetValueOrDefault("reporting") ?? [],
        };
    }

    /// <summary>
    /// second_person.json (hand-written for Warden): second-person words per language, merged into the one lexicon
    /// category the scorer only uses in conjunctions (<see cref="Warden.Scoring.Fast.HarmLexicon.AddresseeCategory"/>).
    /// </summary>
    public static Dictionary<string, List<string>> LoadAddresseeTerms() =>
        new(StringComparer.Ordinal) { [Warden.Scoring.Fast.HarmLexicon.AddresseeCategory] = LoadMergedLanguages("second_person.json") };

    /// <summary>A resource of the shape {"languages": {code: [entries]}}, every language's entries trimmed, lower-cased,
    /// merged and sorted (the scorer matches them in every language at once).</summary>
    private static List<string> LoadMergedLanguages(string resource)
    {
        using var document = TrainingResources.Load(resource);
        var entries = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var language in document.RootElement.GetProperty("languages").EnumerateObject())
            foreach (var entry in language.Value.EnumerateArray())
                if (entry.GetString()?.Trim().ToLowerInvariant() is { Length: > 0 } text) entries.Add(text);
        return [.. entries];
    }

    /// <summary>
    /// threat_terms.json (hand-written for Warden by helpers blind to the suites, sixteenth round): per language, words
    /// announcing or calling for an act (intent), verbs of serious violence (violence), and words that fuse both
    /// (fused: Turkish "öldüreceğim", Russian "убью"), as the two categories of the scorer's threat conjunction
    /// (<see cref="Warden.Scoring.Fast.HarmLexicon.IntentCategory"/>, <see cref="Warden.Scoring.Fast.HarmLexicon.ViolenceCategory"/>).
    /// A fused word goes into both, so it gives the conjunction on its own.
    /// </summary>
    public static Dictionary<string, List<string>> LoadThreatTerms()
    {
        using var document = TrainingResources.Load("threat_terms.json");
        var parsed = Parse(document);
        var fused = parsed.GetValueOrDefault("fused") ?? [];
        List<string> With(string list) => [.. (parsed.GetValueOrDefault(list) ?? []).Concat(fused).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        return new Dictionary<string, List<string>>(StringComparer.Ordinal)
        {
            [Warden.Scoring.Fast.HarmLexicon.IntentCategory] = With("intent"),
            [Warden.Scoring.Fast.HarmLexicon.ViolenceCategory] = With("violence"),
        };
    }

    /// <summary>
    /// threat_terms.json's "idiom" lists (seventeenth round, by helpers blind to the suites): harmless idioms holding a
    /// violent word ("kill time", "killing it", "matar el tiempo"), which cancel the threat hits they overlap in their clause
    /// (<see cref="Warden.Scoring.Fast.HarmLexicon.IdiomCategory"/>).
    /// </summary>
    public static List<string> LoadViolentIdioms()
    {
        using var document = TrainingResources.Load("threat_terms.json");
        return Parse(document).GetValueOrDefault("idiom") ?? [];
    }

    /// <summary>
    /// false_friends.json (eighteenth round): everyday phrases in which a word spelled like another language's insult,
    /// slur or profanity has its harmless sense (Swedish "till slut", French "en retard", German "sehr dick"). The n-grams
    /// are shared by all languages, so "Désolé pour le retard." scored toxicity 0.92; these phrases are masked out of the
    /// n-grams like the violent idioms (<see cref="Warden.Scoring.Fast.HarmLexicon.IdiomCategory"/>), and never a feature.
    /// </summary>
    public static List<string> LoadFalseFriends() => LoadMergedLanguages("false_friends.json");

    /// <summary>
    /// literal_pests.json (twentieth round): phrases in which a word of the dehumanising lists names a real pest, parasite
    /// or animal disease ("intestinal parasites", "kitchen cockroaches", "Parasiten beim Hund"), masked out of the n-grams
    /// like the false friends, so that a vet's or an exterminator's sentence is not scored as hate.
    /// </summary>
    public static List<string> LoadLiteralPests() => LoadMergedLanguages("literal_pests.json");

    /// <summary>
    /// emoji.json (twenty-seventh round): emoji that stand for a harmful word, by the lexicon category they join
    /// (profanity, insult, identity_group, group_trait, violence), in every language.
    /// </summary>
    public static Dictionary<string, List<string>> LoadEmoji()
    {
        using var document = TrainingResources.Load("emoji.json");
        return document.RootElement.GetProperty("categories").EnumerateObject()
            .ToDictionary(c => c.Name, c => c.Value.EnumerateArray().Select(e => e.GetString() ?? "").Where(e => e.Length > 0).ToList(), StringComparer.Ordinal);
    }

    public static Dictionary<string, List<string>> Parse(Stream stream)
    {
        using var document = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return Parse(document);
    }

    private static Dictionary<string, List<string>> Parse(JsonDocument document)
    {
        var merged = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var language in document.RootElement.GetProperty("languages").EnumerateObject())
        {
            foreach (var category in language.Value.EnumerateObject())
            {
                if (!merged.TryGetValue(category.Name, out var entries)) merged[category.Name] = entries = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var entry in category.Value.EnumerateArray())
                {
                    var text = entry.GetString()?.Trim().ToLowerInvariant();
                    if (!string.IsNullOrEmpty(text)) entries.Add(text);
                }
            }
        }
        return merged.ToDictionary(p => p.Key, p => p.Value.ToList(), StringComparer.Ordinal);
    }
}
