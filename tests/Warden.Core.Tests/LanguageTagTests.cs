using Warden.Core;

namespace Warden.Core.Tests;

public class LanguageTagTests
{
    [Theory]
    [InlineData("en", "en")]
    [InlineData("EN", "en")]
    [InlineData(" pt-BR ", "pt")]
    [InlineData("zh_Hans", "zh")]
    [InlineData("hi-Latn", "hi")]
    [InlineData("sr-Latn-RS", "sr")]
    [InlineData("iw", "he")]
    [InlineData("fil", "tl")]
    [InlineData("und", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Tags_reduce_to_the_language_subtag(string? tag, string? expected)
    {
        Assert.True(LanguageTags.TryNormalize(tag, out var language));
        Assert.Equal(expected, language);
        Assert.Equal(expected, new ScoreOptions { Language = tag }.Language);
    }

    [Theory]
    [InlineData("e1")]
    [InlineData("english")]
    [InlineData("e")]
    [InlineData("en-")]
    [InlineData("-en")]
    [InlineData("en US")]
    public void Anything_else_is_rejected(string tag)
    {
        Assert.False(LanguageTags.TryNormalize(tag, out _));
        var error = Assert.Throws<ArgumentException>(() => new ScoreOptions { Language = tag });
        Assert.Contains($"'{tag}'", error.Message);
    }
}
