using Warden.Core;
using Warden.Training;
using Xunit;

namespace Warden.Training.Tests;

public class LanguageIdRecipeTests
{
    private static LabeledText Record(string language, string text, string id = "1", string dataset = "d") =>
        new(dataset, id, text, language, new AttributeLabels(), Split.Train);

    [Theory]
    [InlineData("de", "Du bist dumm", "de")]
    [InlineData("hi", "तुम बहुत अच्छे हो", "hi")]
    [InlineData("hi", "tum bahut ache ho yaar", null)] // romanised, code-mixed: left to the filtered romanised class
    [InlineData("und", "???", null)]
    [InlineData("", "text", null)]
    public void Label_is_the_records_language_except_romanised_hindi_and_unknown(string language, string text, string? expected) =>
        Assert.Equal(expected, LanguageIdRecipe.Label(Record(language, text)));

    [Fact]
    public void Capped_keeps_a_deterministic_sample_per_language_whatever_the_input_order()
    {
        var records = Enumerable.Range(0, 50).Select(i => Record(i % 2 == 0 ? "en" : "fr", $"text {i}", i.ToString())).ToList();
        var a = LanguageIdRecipe.Capped(records, 10);
        var b = LanguageIdRecipe.Capped(Enumerable.Reverse(records), 10);
        Assert.Equal(a, b);
        Assert.Equal(10, a.Count(x => x.Label == "en"));
        Assert.Equal(10, a.Count(x => x.Label == "fr"));
        Assert.Equal(25, LanguageIdRecipe.Capped(records, 100).Count(x => x.Label == "en"));
        Assert.Empty(LanguageIdRecipe.Capped([Record("en", "   ")], 10));
    }

    [Fact]
    public void The_excluded_contrast_categories_exist_so_the_exclusion_takes_effect()
    {
        // A misspelt name would silently include the polite pairs and change the identifier's training texts.
        Assert.All(LanguageIdRecipe.ExcludedContrastCategories, c => Assert.Contains(c, Synthetic.ContrastSets.CategoryNames));
        Assert.DoesNotContain(Synthetic.ContrastSets.Generate(excludeCategories: LanguageIdRecipe.ExcludedContrastCategories),
            r => r.Id.Split(':')[1] is "polite_insult" or "polite_criticism" or "veiled_threat" or "violent_everyday" or "negated_threat" or "moderation_talk");
    }
}
