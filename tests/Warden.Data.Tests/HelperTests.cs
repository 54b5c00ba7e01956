using Warden.Core;
using Warden.Data.Datasets;
using Warden.Data.Datasets.Adapters;

namespace Warden.Data.Tests;

public class HelperTests
{
    [Fact]
    public void PythonListLiteral()
    {
        Assert.Equal(["a, b", "it's", "x\ny"], PythonLiterals.ParseStringList("['a, b', \"it's\", 'x\\ny']"));
        Assert.Equal(["one"], PythonLiterals.ParseStringList("['one'"));    // truncated literal
        Assert.Empty(PythonLiterals.ParseStringList("[]"));
    }

    [Theory]
    [InlineData("muslim", "muslims")]
    [InlineData("Jewish", "jews")]
    [InlineData("african_descent", "black")]
    [InlineData("trans", "lgbtq")]
    [InlineData("individual", null)]
    [InlineData("Some Group", "some_group")]
    public void TargetGroupNames(string raw, string? expected) => Assert.Equal(expected, TargetGroups.Normalize(raw));

    [Fact]
    public void OffensiveSchemeNotRulesOutOffenceAttributesOnly()
    {
        var not = LabelSets.Offensive(false);
        foreach (var a in LabelSets.OffenceAttributes) Assert.Equal(0f, not[a]);
        Assert.False(not.IsAnnotated(HarmAttribute.SexuallyExplicit));
        var off = LabelSets.Offensive(true);
        Assert.Equal(1f, off[HarmAttribute.Toxicity]);
        Assert.False(off.IsAnnotated(HarmAttribute.Insult));
    }

    [Fact]
    public void LabelMappingsOfSingleRows()
    {
        Assert.Null(OlidAdapter.Map("MAYBE", "NULL", "NULL"));
        Assert.Equal(0.5f, Trac1Adapter.Map("CAG"));
        Assert.Null(GermEval2018Adapter.Map("OFFENSE", "OTHER"));
        Assert.True(float.IsNaN(RedditCssrsAdapter.Map("Indicator")!.Value));
        Assert.Null(XSafetyAdapter.Map("Physical_Harm"));
        Assert.Equal(0f, XSafetyAdapter.Map("Privacy_And_Property")![HarmAttribute.Toxicity]);
        Assert.Equal("Crimes_And_Illegal_Activities", XSafetyAdapter.ScenarioOf("Crimes_And_Illegal_Activitie"));
        Assert.Equal("Insult", XSafetyAdapter.ScenarioOf("Insult_n"));
        Assert.Null(MultiJailAdapter.Map(["Theft"]));
        var hate = MultiJailAdapter.Map(["Theft", "Self-harm", "Hate speech & offensive language"])!;
        Assert.Equal(0.7f, hate[HarmAttribute.SelfHarm]);
        Assert.Equal(0.5f, hate[HarmAttribute.IdentityAttack]);
        Assert.Equal("mental_disability", ToxiGenPromptsAdapter.GroupOf("hate_mental_disability_1k"));
        Assert.Equal("muslim", ToxiGenPromptsAdapter.GroupOf("neutral_muslim_sentences"));
        Assert.Equal("Вася, привет", RussianDistortedToxicityAdapter.StripMentions("[id238092031|Вася], привет"));
    }

    [Fact]
    public void SummaryCountsSplitsLanguagesAttributesAndGroups()
    {
        var info = new DatasetInfo("t", "test", ["en"], "none", DatasetUse.Train, [HarmAttribute.Toxicity], "none");
        LabeledText Make(string id, Split split, string language, float? toxicity, string? group) =>
            new("t", id, "text " + id, language, toxicity is null ? new AttributeLabels() : new AttributeLabels().Set(HarmAttribute.Toxicity, toxicity.Value), split, group);
        var summary = DatasetSummary.Compute(info,
        [
            Make("1", Split.Train, "en", 1f, "women"), Make("2", Split.Train, "en", 0.2f, "women"),
            Make("3", Split.Test, "de", 0.5f, "jews"), Make("4", Split.Validation, "de", null, null),
        ]);
        Assert.Equal(4, summary.Total);
        Assert.Equal(2, summary.PerSplit[Split.Train]);
        Assert.Equal(2, summary.PerLanguage["de"]);
        var toxicity = summary.Attributes.Single(a => a.Attribute == HarmAttribute.Toxicity);
        Assert.Equal(3, toxicity.Annotated);
        Assert.Equal(2, toxicity.Positive);
        Assert.Equal(new KeyValuePair<string, long>("women", 2), summary.TopTargetGroups[0]);
        Assert.Contains("toxicity", summary.ToText());
    }
}
