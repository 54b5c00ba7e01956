using System.Text.Json;

namespace Warden.LlmEval.Suites;

/// <summary>One HolisticBias sentence with the metadata the reference generator attaches to it.</summary>
public sealed record HolisticBiasSentence(
    string Text, string Axis, string Bucket, string Descriptor, string DescriptorGender, string Preference,
    string Noun, string NounGender, string NounPhraseType, string Template, bool FirstTurnOnly, bool MustBeNoun);

/// <summary>
/// Enumerates the HolisticBias sentences from the four ingredient files of a dataset version, with the rules of the
/// reference generator (facebookresearch/ResponsibleNLP, <c>holistic_bias/src/sentences.py</c>, re-implemented):
/// <list type="bullet">
/// <item>noun phrases: each noun alone ("a woman" / "women", axis <c>null</c>, the no-descriptor control); each descriptor
/// alone ("Deaf") and with each noun ("a Deaf woman" / "Deaf women"), a descriptor with a <c>gender</c> only with nouns of
/// that gender, its <c>article</c> overriding the a/an rule (an before a vowel letter); standalone noun phrases as given
/// or, when they contain <c>{noun}</c>, once per noun;</item>
/// <item>sentences: every noun phrase in every template, except that templates marked <c>must_be_noun</c> are skipped for
/// phrases without a noun (bare descriptors and fixed phrases); <c>first_turn_only</c> and the descriptor
/// <c>preference</c> are kept as metadata, not filters (the reference filters on them only on request);</item>
/// <item>the reference's random stylistic variants (dropped contractions, hyphens, case, final period) are applied only
/// when a sentence is sampled for a conversation and are not part of the enumerated set.</item>
/// </list>
/// Counts: v1.0 gives 18,382 noun phrases and 472,991 sentences; v1.1 gives 22,029 and 566,625.
/// </summary>
public static class HolisticBiasGenerator
{
    public const string None = "(none)";
    private const string NoPreference = "no_data";

    private sealed record NounPhrase(
        string Axis, string Bucket, string Descriptor, string DescriptorGender, string Preference,
        string Noun, string PluralNoun, string NounGender, string Singular, string Plural, string Type);

    public static IReadOnlyList<HolisticBiasSentence> Generate(string versionFolder)
    {
        var nouns = ReadNouns(Path.Combine(versionFolder, "nouns.json"));
        var phrases = NounPhrases(versionFolder, nouns);
        var templates = ReadTemplates(Path.Combine(versionFolder, "sentence_templates.json"));
        var sentences = new List<HolisticBiasSentence>(phrases.Count * templates.Count);
        foreach (var p in phrases)
        {
            foreach (var (template, firstTurnOnly, mustBeNoun) in templates)
            {
                if (mustBeNoun && p.Noun == None) continue;
                var text = template.Contains("{noun_phrase}", StringComparison.Ordinal)
                    ? template.Replace("{noun_phrase}", p.Singular, StringComparison.Ordinal)
                    : template.Replace("{plural_noun_phrase}", p.Plural, StringComparison.Ordinal);
                sentences.Add(new HolisticBiasSentence(text, p.Axis, p.Bucket, p.Descriptor, p.DescriptorGender, p.Preference,
                    p.Noun, p.NounGender, p.Type, template, firstTurnOnly, mustBeNoun));
            }
        }
        return sentences;
    }

    public static int CountNounPhrases(string versionFolder) =>
        NounPhrases(versionFolder, ReadNouns(Path.Combine(versionFolder, "nouns.json"))).Count;

    private static List<NounPhrase> NounPhrases(string folder, List<(string Gender, string Singular, string Plural)> nouns)
    {
        var phrases = new List<NounPhrase>();
        foreach (var (gender, noun, plural) in nouns)
            phrases.Add(new NounPhrase("null", None, None, None, None, noun, plural, gender, $"{Article(noun)} {noun}", plural, "noun"));

        using (var descriptors = SuiteData.ReadJson(Path.Combine(folder, "descriptors.json")))
        {
            foreach (var axis in descriptors.RootElement.EnumerateObject())
            foreach (var bucket in axis.Value.EnumerateObject())
            foreach (var entry in bucket.Value.EnumerateArray())
            {
                string descriptor, gender = None, preference = NoPreference;
                string? article = null;
                if (entry.ValueKind == JsonValueKind.String) descriptor = entry.GetString()!;
                else
                {
                    descriptor = entry.GetProperty("descriptor").GetString()!;
                    if (entry.TryGetProperty("gender", out var g)) gender = g.GetString()!;
                    if (entry.TryGetProperty("article", out var a)) article = a.GetString();
                    if (entry.TryGetProperty("preference", out var p)) preference = p.GetString()!;
                }
                article ??= Article(descriptor);
                phrases.Add(new NounPhrase(axis.Name, bucket.Name, descriptor, gender, preference, None, None, None, descriptor, descriptor, "descriptor"));
                foreach (var (nounGender, noun, plural) in nouns)
                {
                    if (gender != None && gender != nounGender) continue;
                    phrases.Add(new NounPhrase(axis.Name, bucket.Name, descriptor, gender, preference, noun, plural, nounGender,
                        $"{article} {descriptor} {noun}", $"{descriptor} {plural}", "descriptor_noun"));
                }
            }
        }

        using (var standalone = SuiteData.ReadJson(Path.Combine(folder, "standalone_noun_phrases.json")))
        {
            foreach (var axis in standalone.RootElement.EnumerateObject())
            foreach (var entry in axis.Value.EnumerateArray())
            {
                string singular, plural, preference = NoPreference;
                if (entry.ValueKind == JsonValueKind.String) singular = plural = entry.GetString()!;
                else
                {
                    singular = entry.GetProperty("noun_phrase").GetString()!;
                    plural = entry.TryGetProperty("plural_noun_phrase", out var pl) ? pl.GetString()! : singular;
                    if (entry.TryGetProperty("preference", out var p)) preference = p.GetString()!;
                }
                if (singular.Contains("{noun}", StringComparison.Ordinal))
                {
                    // The descriptor of a templated phrase is the phrase with article and noun removed ("who uses a wheelchair").
                    var descriptor = Fill(singular, "", "").TrimStart();
                    foreach (var (nounGender, noun, pluralNoun) in nouns)
                        phrases.Add(new NounPhrase(axis.Name, None, descriptor, None, preference, noun, pluralNoun, nounGender,
                            Fill(singular, Article(noun), noun), Fill(plural, "", pluralNoun).TrimStart(), "noun_descriptor"));
                }
                else
                {
                    phrases.Add(new NounPhrase(axis.Name, None, singular, None, preference, None, None, "neutral", singular, plural, "fixed_phrase"));
                }
            }
        }
        // The reference sorts noun phrases by their metadata columns; sorting makes the sentence order (and ids) stable.
        phrases.Sort((x, y) => Compare(x, y));
        return phrases;
    }

    private static int Compare(NounPhrase x, NounPhrase y)
    {
        foreach (var (a, b) in new[]
                 {
                     (x.Axis, y.Axis), (x.Bucket, y.Bucket), (x.Descriptor, y.Descriptor), (x.DescriptorGender, y.DescriptorGender),
                     (x.Preference, y.Preference), (x.Noun, y.Noun), (x.PluralNoun, y.PluralNoun), (x.NounGender, y.NounGender),
                     (x.Singular, y.Singular), (x.Plural, y.Plural), (x.Type, y.Type),
                 })
        {
            var c = string.CompareOrdinal(a, b);
            if (c != 0) return c;
        }
        return 0;
    }

    private static string Fill(string template, string article, string noun) =>
        template.Replace("{article}", article, StringComparison.Ordinal).Replace("{noun}", noun, StringComparison.Ordinal);

    /// <summary>The reference's rule: "an" before a vowel letter, else "a" (so "a European", "an hour" are not special-cased).</summary>
    internal static string Article(string word) => word.Length > 0 && "aeiou".Contains(char.ToLowerInvariant(word[0])) ? "an" : "a";

    private static List<(string Gender, string Singular, string Plural)> ReadNouns(string path)
    {
        using var doc = SuiteData.ReadJson(path);
        var nouns = new List<(string, string, string)>();
        foreach (var gender in doc.RootElement.EnumerateObject())
        foreach (var pair in gender.Value.EnumerateArray())
            nouns.Add((gender.Name, pair[0].GetString()!, pair[1].GetString()!));
        return nouns;
    }

    private static List<(string Template, bool FirstTurnOnly, bool MustBeNoun)> ReadTemplates(string path)
    {
        using var doc = SuiteData.ReadJson(path);
        var templates = new List<(string, bool, bool)>();
        foreach (var t in doc.RootElement.EnumerateObject())
        {
            bool Flag(string name) => t.Value.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
            if (!t.Name.Contains("{noun_phrase}", StringComparison.Ordinal) && !t.Name.Contains("{plural_noun_phrase}", StringComparison.Ordinal))
                throw new InvalidDataException($"{path}: template without a noun phrase: {t.Name}");
            templates.Add((t.Name, Flag("first_turn_only"), Flag("must_be_noun")));
        }
        return templates;
    }
}
