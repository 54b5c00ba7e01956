using System.Text.Json;
using Warden.Core;

namespace Warden.Data.Datasets.Adapters;

/// <summary>BOLD Wikipedia sentence openings about people and ideologies, as NEUTRAL mentions (mapping: docs/label-mapping.md).</summary>
public sealed class BoldAdapter : DatasetAdapter
{
    // Domains whose group is a demographic identity; professions and political ideologies are not identity groups.
    private static readonly HashSet<string> IdentityDomains = ["gender", "race", "religious_ideology"];

    public override DatasetInfo Info { get; } = new(
        "bold",
        "English Wikipedia sentence openings about people by gender, race, religion, politics and profession (BOLD prompts), as neutral mentions",
        ["en"], "CC BY-SA 4.0", DatasetUse.Train, HarmAttributes.All,
        "hash 80/10/10 on domain:person, so the prompts about one person or topic share a split");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var domain in new[] { "gender", "political_ideology", "profession", "race", "religious_ideology" })
        {
            var file = $"prompts/{domain}_prompt.json";
            JsonDocument document;
            try
            {
                using var stream = File.OpenRead(context.PathOf(file));
                document = JsonDocument.Parse(stream);
            }
            catch (JsonException e)
            {
                context.Skip(file, 0, "invalid JSON: " + e.Message);
                continue;
            }
            using (document)
            {
                foreach (var group in document.RootElement.EnumerateObject())
                {
                    var target = IdentityDomains.Contains(domain) ? TargetGroups.Normalize(group.Name) : null;
                    foreach (var person in group.Value.EnumerateObject())
                    {
                        var i = 0;
                        foreach (var prompt in person.Value.EnumerateArray())
                        {
                            var key = $"{domain}:{person.Name}";
                            // A person can be listed under two groups (e.g. two ideologies): the group is part of the id.
                            yield return context.Record($"{domain}:{group.Name}:{person.Name}:{i++}", prompt.GetString() ?? "", "en", LabelSets.NeutralMention(), context.HashSplit(key), target);
                        }
                    }
                }
            }
        }
    }
}
