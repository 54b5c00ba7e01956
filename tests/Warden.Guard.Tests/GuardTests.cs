using Warden.Core;
using Warden.Testing;

namespace Warden.Guard.Tests;

public class GuardTests
{
    private readonly Guard _guard = new(new KeywordScorer());

    private static GuardMessage User(string text) => new("user", text);

    [Fact]
    public void Harmless_conversation_is_safe()
    {
        var verdict = _guard.Evaluate([User("hello there"), new("assistant", "hi, how can I help?")], GuardPolicy.Default);
        Assert.True(verdict.Safe);
        Assert.Equal("safe", verdict.Label);
        Assert.Null(verdict.MessageIndex);
        Assert.Equal(2, verdict.Messages.Count);
    }

    [Fact]
    public void Names_the_message_category_score_and_span_that_violate()
    {
        var verdict = _guard.Evaluate([User("hello"), new("assistant", "hi"), User("you are an idiot")], GuardPolicy.Default);
        Assert.False(verdict.Safe);
        Assert.Equal(2, verdict.MessageIndex);
        var insult = Assert.Single(verdict.Violations, v => v.Category == "insult");
        Assert.Equal(0.95f, insult.Score);
        Assert.Equal(0.5f, insult.Threshold);
        var span = Assert.Single(insult.Spans);
        Assert.Equal("idiot", span.Text);
        Assert.Equal(11, span.Start);
        Assert.Contains(verdict.Violations, v => v.Category == "toxicity");
        Assert.Equal("default", verdict.Policy);
        Assert.True(verdict.Blocks);
    }

    [Fact]
    public void System_messages_are_not_checked_by_default()
    {
        var verdict = _guard.Evaluate([new("system", "never call anyone an idiot"), User("hello")], GuardPolicy.Default);
        Assert.True(verdict.Safe);
        Assert.Single(verdict.Messages);
        Assert.Equal(1, verdict.Messages[0].MessageIndex);
    }

    [Fact]
    public void Policy_thresholds_apply_per_attribute_and_per_language()
    {
        var policy = new GuardPolicy
        {
            Name = "lenient-de",
            Thresholds = new Dictionary<HarmAttribute, float> { [HarmAttribute.Insult] = 0.9f, [HarmAttribute.Toxicity] = 0.99f },
            LanguageThresholds = new Dictionary<string, IReadOnlyDictionary<HarmAttribute, float>>
            {
                ["de"] = new Dictionary<HarmAttribute, float> { [HarmAttribute.Insult] = 0.7f },
            },
        };
        // English: insult 0.95 ≥ 0.9 → unsafe.
        Assert.False(_guard.EvaluateText("you idiot", policy).Safe);
        // German "dummkopf" scores 0.8: above the German 0.7 insult threshold...
        var german = _guard.EvaluateText("du bist ein dummkopf", policy);
        Assert.Equal("de", german.Messages[0].Scores.Language);
        Assert.Equal("insult", Assert.Single(german.Violations).Category);
        // ...but the same word in English text is held to the 0.9 default.
        Assert.True(_guard.EvaluateText("such a dummkopf", policy).Safe);
        // A caller who names the language gets that language's thresholds, whatever identification would say.
        var named = _guard.Assess("such a dummkopf", policy, language: "de-CH");
        Assert.Equal("de", named.Scores.Language);
        Assert.Equal("insult", Assert.Single(named.Violations).Category);
        Assert.Empty(_guard.Assess("du bist ein dummkopf", policy, language: "en").Violations);
    }

    [Fact]
    public void Ignored_attributes_never_violate()
    {
        var policy = new GuardPolicy { Ignore = new HashSet<HarmAttribute> { HarmAttribute.Profanity } };
        Assert.False(_guard.EvaluateText("damn", GuardPolicy.Default).Safe);
        Assert.True(_guard.EvaluateText("damn", policy).Safe);
    }

    [Fact]
    public void Allowed_terms_are_masked_before_scoring_and_deny_terms_always_violate()
    {
        var policy = new GuardPolicy { AllowTerms = ["Damn"], DenyTerms = ["project x", "secret-code"] };
        Assert.True(_guard.EvaluateText("damn, that works", policy).Safe);
        // Whole words only: "damnation" is not the allowed term, and is not a keyword either.
        Assert.True(_guard.EvaluateText("damnation", policy).Safe);

        var verdict = _guard.EvaluateText("tell me about Project X and secret-code now", policy);
        var deny = Assert.Single(verdict.Violations);
        Assert.Equal(Guard.DenyTermCategory, deny.Category);
        Assert.Equal(["Project X", "secret-code"], deny.Spans.Select(s => s.Text));
        Assert.True(_guard.EvaluateText("projects xylophone", policy).Safe);
    }

    [Fact]
    public void Redact_replaces_only_the_violating_spans()
    {
        var policy = new GuardPolicy { Action = PolicyAction.Redact, DenyTerms = ["acme"] };
        var verdict = _guard.EvaluateText("you idiot, ask acme", policy);
        Assert.False(verdict.Safe);
        Assert.False(verdict.Blocks);
        Assert.Equal("you [redacted], ask [redacted]", verdict.Messages[0].Redacted);
        Assert.Null(_guard.EvaluateText("hello", policy).Messages[0].Redacted);
    }

    [Fact]
    public void Redacting_without_spans_replaces_the_whole_text()
    {
        var violations = new List<Violation> { new("toxicity", 0.9f, 0.5f, 0, []) };
        Assert.Equal("[x]", Guard.Redact("anything at all", violations, "[x]"));
    }

    [Fact]
    public void Reason_names_categories_but_never_the_text()
    {
        var verdict = _guard.EvaluateText("you idiot", GuardPolicy.Default);
        Assert.Contains("insult", verdict.Reason);
        Assert.DoesNotContain("idiot", verdict.Reason);
    }
}
