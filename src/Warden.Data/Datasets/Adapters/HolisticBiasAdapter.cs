using System.Text.Json;
using Warden.Core;

namespace Warden.Data.Datasets.Adapters;

/// <summary>
/// HolisticBias v1.1 sentences generated from its templates, descriptors and nouns, as NEUTRAL identity
/// mentions: they teach the scorer that naming a group is not an attack (mapping: docs/label-mapping.md).
/// </summary>
public sealed class HolisticBiasAdapter : DatasetAdapter
{
    /// <summary>How many generated sentences are kept (of ~400k): a deterministic sample by sentence hash.</summary>
    public const int MaxSentences = 20_000;

    /// <summary>Templates that express dislike: not neutral, never generated.</summary>
    public static readonly IReadOnlySet<string> NegativeTemplates = new HashSet<string>(StringComparer.Ordinal)
    {
        "I hate {plural_noun_phrase}.",
        "I don't like {plural_noun_phrase}.",
        "I think {plural_noun_phrase} are the worst.",
    };

    /// <summary>Descriptor preferences that mark slurs or loaded terms ("retarded", "fruitcake", "Oriental"): not neutral.</summary>
    private static readonly HashSet<string> ExcludedPreferences = ["dispreferred", "polarizing"];

    public override DatasetInfo Info { get; } = new(
        "holistic_bias",
        $"English sentences naming demographic groups in neutral templates (HolisticBias v1.1; negative templates and dispreferred descriptors left out; {MaxSentences:N0} sampled)",
        ["en"], "CC BY-SA 4.0", DatasetUse.Train, HarmAttributes.All,
        "hash 80/10/10 on the sentence (its id is the sentence hash)");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        const string version = "v1.1";
        var templates = ReadJson(context, $"{version}/sentence_templates.json").EnumerateObject().Select(p => p.Name)
            .Where(t => !NegativeTemplates.Contains(t)).ToList();
        var nouns = ReadNouns(ReadJson(context, $"{version}/nouns.json"));
        var phrases = Descriptors(ReadJson(context, $"{version}/descriptors.json"), nouns)
            .Concat(Standalone(ReadJson(context, $"{version}/standalone_noun_phrases.json"), nouns));

        // Keep the MaxSentences sentences with the smallest hash: a uniform, deterministic sample without
        // holding all ~400k sentences (a max-heap of the current best).
        var keep = new PriorityQueue<(string Sentence, string? Group), ulong>(MaxSentences + 1, Comparer<ulong>.Create((a, b) => b.CompareTo(a)));
        var seen = new HashSet<ulong>();
        foreach (var phrase in phrases)
        {
            foreach (var template in templates)
            {
                var plural = template.Contains("{plural_noun_phrase}", StringComparison.Ordinal);
                if (plural && phrase.Plural is null) continue;
                var sentence = plural
                    ? template.Replace("{plural_noun_phrase}", phrase.Plural, StringComparison.Ordinal)
                    : template.Replace("{noun_phrase}", phrase.Singular, StringComparison.Ordinal);
                var hash = StableHash.Of(sentence);
                if (!seen.Add(hash)) continue;
                if (keep.Count < MaxSentences) keep.Enqueue((sentence, phrase.Group), hash);
                else if (keep.TryPeek(out _, out var worst) && hash < worst) keep.EnqueueDequeue((sentence, phrase.Group), hash);
            }
        }

        var sample = new List<(ulong Hash, string Sentence, string? Group)>(keep.Count);
        while (keep.TryDequeue(out var item, out var hash)) sample.Add((hash, item.Sentence, item.Group));
        sample.Sort((a, b) => a.Hash.CompareTo(b.Hash));
        foreach (var (hash, sentence, group) in sample)
        {
            var id = hash.ToString("x16");
            yield return context.Record(id, sentence, "en", LabelSets.NeutralMention(), context.HashSplit(id), group);
        }
    }

    private sealed record Phrase(string Singular, string? Plural, string? Group);

    private static Dictionary<string, List<(string Singular, string Plural)>> ReadNouns(JsonElement json) =>
        json.EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value.EnumerateArray().Select(pair => (pair[0].GetString()!, pair[1].GetString()!)).ToList());

    /// <summary>"a Deaf woman" / "Deaf women" for each descriptor × noun (a gendered descriptor only with its gender's and neutral nouns).</summary>
    private static IEnumerable<Phrase> Descriptors(JsonElement json, Dictionary<string, List<(string Singular, string Plural)>> nouns)
    {
        foreach (var axis in json.EnumerateObject())
        {
            var buckets = axis.Value.ValueKind == JsonValueKind.Object ? axis.Value.EnumerateObject().Select(b => b.Value) : [axis.Value];
            foreach (var entry in buckets.SelectMany(b => b.EnumerateArray()))
            {
                string descriptor;
                string? gender = null, article = null;
                if (entry.ValueKind == JsonValueKind.String) descriptor = entry.GetString()!;
                else
                {
                    descriptor = entry.GetProperty("descriptor").GetString()!;
                    if (entry.TryGetProperty("preference", out var preference) && ExcludedPreferences.Contains(preference.GetString() ?? "")) continue;
                    if (entry.TryGetProperty("gender", out var g)) gender = g.GetString();
                    if (entry.TryGetProperty("article", out var a)) article = a.GetString();
                }
                var group = TargetGroups.Normalize(descriptor);
                foreach (var (nounGender, list) in nouns)
                {
                    if (gender is not null && nounGender != gender && nounGender != "neutral") continue;
                    foreach (var (singular, plural) in list)
                        yield return new Phrase($"{article ?? Article(descriptor)} {descriptor} {singular}", $"{descriptor} {plural}", group);
                }
            }
        }
    }

    /// <summary>Stand-alone phrases ("a wheelchair user", "{article} {noun} with a disability"), with their nouns filled in.</summary>
    private static IEnumerable<Phrase> Standalone(JsonElement json, Dictionary<string, List<(string Singular, string Plural)>> nouns)
    {
        var allNouns = nouns.Values.SelectMany(n => n).ToList();
        foreach (var axis in json.EnumerateObject())
        {
            foreach (var entry in axis.Value.EnumerateArray())
            {
                string singular;
                string? plural = null;
                if (entry.ValueKind == JsonValueKind.String) singular = entry.GetString()!;
                else
                {
                    if (entry.TryGetProperty("preference", out var preference) && ExcludedPreferences.Contains(preference.GetString() ?? "")) continue;
                    singular = entry.GetProperty("noun_phrase").GetString()!;
                    if (entry.TryGetProperty("plural_noun_phrase", out var p)) plural = p.GetString();
                }
                if (!singular.Contains("{noun}", StringComparison.Ordinal))
                {
                    yield return new Phrase(singular, plural, null);
                    continue;
                }
                foreach (var (nounSingular, nounPlural) in allNouns)
                {
                    var one = singular.Replace("{noun}", nounSingular, StringComparison.Ordinal);
                    one = one.Replace("{article}", Article(nounSingular), StringComparison.Ordinal);
                    var many = plural?.Replace("{article} ", "", StringComparison.Ordinal).Replace("{noun}", nounPlural, StringComparison.Ordinal);
                    yield return new Phrase(one, many, null);
                }
            }
        }
    }

    private static string Article(string word) => word.Length > 0 && "aeiouAEIOU".Contains(word[0]) ? "an" : "a";

    private static JsonElement ReadJson(LoadContext context, string file)
    {
        using var stream = File.OpenRead(context.PathOf(file));
        using var document = JsonDocument.Parse(stream);
        return document.RootElement.Clone();
    }
}
