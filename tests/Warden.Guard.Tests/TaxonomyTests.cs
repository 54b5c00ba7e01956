using Warden.Core;
using Warden.Testing;

namespace Warden.Guard.Tests;

public class TaxonomyTests
{
    private static readonly string[] OpenAICategories =
    [
        "harassment", "harassment/threatening", "hate", "hate/threatening", "illicit", "illicit/violent",
        "self-harm", "self-harm/intent", "self-harm/instructions", "sexual", "sexual/minors", "violence", "violence/graphic",
    ];

    [Fact]
    public void Covers_every_OpenAI_category_once()
    {
        Assert.Equal(OpenAICategories.Order(), Taxonomy.OpenAI.Select(c => c.Category).Order());
    }

    [Fact]
    public void Unsupported_categories_have_no_score_and_are_never_flagged()
    {
        var scores = Enumerable.Repeat(1f, HarmAttributes.Count).ToArray();
        foreach (var c in Taxonomy.OpenAI.Where(c => !c.Supported))
        {
            Assert.Null(c.Score(scores));
            Assert.False(c.Flagged(_ => true));
        }
        Assert.Contains("sexual/minors", Taxonomy.UnsupportedOpenAICategories);
        Assert.Contains("S4", Taxonomy.UnsupportedMLCommonsHazards);
        Assert.DoesNotContain("S10", Taxonomy.UnsupportedMLCommonsHazards);
    }

    [Fact]
    public void Hate_threatening_needs_both_identity_attack_and_threat()
    {
        var mapping = Taxonomy.OpenAI.Single(c => c.Category == "hate/threatening");
        var scores = new float[HarmAttributes.Count];
        scores[(int)HarmAttribute.IdentityAttack] = 0.9f;
        scores[(int)HarmAttribute.Threat] = 0.2f;
        Assert.Equal(0.2f, mapping.Score(scores));
        Assert.False(mapping.Flagged(a => a == HarmAttribute.IdentityAttack));
        Assert.True(mapping.Flagged(a => a is HarmAttribute.IdentityAttack or HarmAttribute.Threat));
    }

    [Fact]
    public void Perspective_names_round_trip_and_are_uppercase_only()
    {
        foreach (var a in HarmAttributes.All)
        {
            Assert.True(Taxonomy.TryParsePerspective(Taxonomy.PerspectiveName(a), out var parsed));
            Assert.Equal(a, parsed);
        }
        Assert.Equal("SELF_HARM", Taxonomy.PerspectiveName(HarmAttribute.SelfHarm));
        Assert.False(Taxonomy.TryParsePerspective("toxicity", out _));
        Assert.False(Taxonomy.TryParsePerspective("FLIRTATION", out _));
    }

    [Fact]
    public void The_mapping_document_names_every_category_of_the_table()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "taxonomy-mapping.md"));
        foreach (var c in Taxonomy.OpenAI) Assert.Contains($"`{c.Category}`", doc);
        foreach (var (code, _) in Taxonomy.MLCommonsHazards) Assert.Contains(code, doc);
        foreach (var a in HarmAttributes.All) Assert.Contains($"`{a.WireName()}`", doc);
    }

}
