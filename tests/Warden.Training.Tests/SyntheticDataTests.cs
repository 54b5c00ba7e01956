using System.Text.RegularExpressions;
using Warden.Core;
using Warden.Data.Datasets;
using Warden.Eval.Functional;
using Warden.Scoring.Fast;
using Warden.Training.Lexicons;
using Warden.Training.Synthetic;

namespace Warden.Training.Tests;

public class SyntheticDataTests
{
    // The first twelve have every category; the other 36 were added in the fourth round without the implicit-hate
    // categories (on by default since the twentieth round, with 40 templates each in the twelve).
    private static readonly string[] FirstLanguages = ["ar", "de", "en", "es", "fr", "it", "nl", "pl", "pt", "ru", "tr", "zh"];

    private static readonly string[] ContrastLanguages = [.. FirstLanguages.Concat([
        "bg", "bn", "cs", "da", "el", "fa", "fi", "he", "hi", "hr", "hu", "id", "ja", "ko", "ms", "no", "ro", "sk", "sl", "sv", "sw", "th", "tl", "uk", "ur", "vi",
        "af", "az", "ca", "et", "eu", "gl", "lt", "lv", "mk", "sq",
        "am", "be", "bs", "gu", "hy", "is", "ka", "kk", "mr", "pa", "so", "ta", "te", "yo",
        "ha", "ig", "xh", "zu", "kn", "ml", "ne"])
        .Order(StringComparer.Ordinal)];

    [Fact]
    public void Contrast_sets_cover_every_template_language_with_both_classes_in_each()
    {
        var records = ContrastSets.Generate();
        Assert.All(records, r => Assert.Contains(r.Dataset, new[] { ContrastSets.DatasetName, ContrastSets.VeiledDatasetName, ContrastSets.SelfHarmDatasetName }));
        Assert.Equal(ContrastLanguages, records.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal));
        foreach (var language in records.GroupBy(r => r.Language))
        {
            Assert.Contains(language, r => r.Labels.Values[(int)HarmAttribute.Toxicity] == 1f && r.Labels.Values[(int)HarmAttribute.IdentityAttack] == 1f);
            Assert.Contains(language, r => r.Labels.Values[(int)HarmAttribute.Toxicity] == 1f && r.Labels.Values[(int)HarmAttribute.Insult] == 1f);
            Assert.Contains(language, r => r.Labels.Values[(int)HarmAttribute.Toxicity] == 0f);
        }
        // Four characters make a whole sentence in Chinese ("我想去死").
        Assert.DoesNotContain(records, r => r.Text.Contains("{g}", StringComparison.Ordinal) || r.Text.Length < 4);
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
    }

    // The polite-insult pairs of the ninth round and the veiled-threat pairs of the tenth exist in these 32 languages.
    private static readonly string[] PoliteLanguages = ["ar", "bg", "ca", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he", "hi", "hr", "hu",
        "id", "it", "ja", "ko", "nl", "no", "pl", "pt", "ro", "ru", "sk", "sv", "tr", "uk", "vi", "zh"];

    // The group-hate and group-topic comments of the twenty-first round exist in these languages.
    private static readonly string[] CommentLanguages = [.. new[] { "it", "es", "fr", "nl", "sv", "da", "no", "fi", "cs", "sk", "hu", "ro", "bg", "el", "uk", "hr",
        "ca", "id", "vi", "fa", "he", "ja", "hi", "ar" }.Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_language_has_every_template_category()
    {
        var records = ContrastSets.Generate(excludeCategories: []);
        string[] implicitHate = ["group_neutral", "implicit_group_hate"], polite = ["polite_insult", "polite_criticism", "veiled_threat", "violent_everyday", "negated_threat", "moderation_talk", "group_contempt", "contempt_everyday", "violence_call", "violence_news", "self_deprecation",
            "self_harm_statement", "self_harm_encouragement", "self_harm_benign"];
        string[] comments = ["group_hate_comment", "group_topic_comment"];
        foreach (var language in records.GroupBy(r => r.Language))
        {
            var categories = language.Select(r => r.Id.Split(':')[1]).ToHashSet();
            var expected = ContrastSets.CategoryNames
                .Where(c => !implicitHate.Contains(c) || FirstLanguages.Contains(language.Key))
                .Where(c => !comments.Contains(c) || CommentLanguages.Contains(language.Key))
                .Where(c => !polite.Contains(c) || PoliteLanguages.Contains(language.Key));
            Assert.Equal(expected.Order(StringComparer.Ordinal), categories.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Polite_insults_are_toxic_insults_and_polite_criticism_is_harmless()
    {
        var records = ContrastSets.Generate();
        var insults = records.Where(r => r.Id.Split(':')[1] == "polite_insult").ToList();
        var criticism = records.Where(r => r.Id.Split(':')[1] == "polite_criticism").ToList();
        Assert.Equal(PoliteLanguages, insults.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(insults.Count, criticism.Count);
        Assert.All(insults, r => Assert.Equal((1f, 1f, null), (r.Labels[HarmAttribute.Toxicity], r.Labels[HarmAttribute.Insult], r.TargetGroup)));
        Assert.All(criticism, r => Assert.Equal((0f, 0f), (r.Labels[HarmAttribute.Toxicity], r.Labels[HarmAttribute.Insult])));
    }

    [Fact]
    public void Veiled_threats_are_threats_and_violent_everyday_words_are_harmless()
    {
        var records = ContrastSets.Generate();
        var threats = records.Where(r => r.Id.Split(':')[1] == "veiled_threat").ToList();
        var harmless = records.Where(r => r.Id.Split(':')[1] is "violent_everyday" or "negated_threat").ToList();
        Assert.Equal(PoliteLanguages, threats.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(threats.Count * 2, harmless.Count);
        Assert.All(threats.Concat(harmless), r => Assert.Equal(ContrastSets.VeiledDatasetName, r.Dataset));
        Assert.All(threats, r => Assert.Equal((1f, 1f), (r.Labels[HarmAttribute.Toxicity], r.Labels[HarmAttribute.Threat])));
        Assert.All(harmless, r => Assert.Equal((0f, 0f), (r.Labels[HarmAttribute.Toxicity], r.Labels[HarmAttribute.Threat])));
    }

    [Fact]
    public void Self_harm_statements_and_encouragement_annotate_self_harm_and_their_harmless_side_does_not()
    {
        var records = ContrastSets.Generate();
        List<LabeledText> Of(string category) => [.. records.Where(r => r.Id.Split(':')[1] == category)];
        var (statements, encouragement, benign) = (Of("self_harm_statement"), Of("self_harm_encouragement"), Of("self_harm_benign"));
        Assert.Equal(PoliteLanguages, statements.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(statements.Count + encouragement.Count, benign.Count);
        Assert.All(statements.Concat(encouragement).Concat(benign), r => Assert.Equal(ContrastSets.SelfHarmDatasetName, r.Dataset));
        // "I want to die" is not rude, yet its words are not harmless either: toxicity is left to the model.
        Assert.All(statements, r => Assert.Equal((1f, false), (r.Labels[HarmAttribute.SelfHarm], r.Labels.IsAnnotated(HarmAttribute.Toxicity))));
        Assert.All(encouragement, r => Assert.Equal((1f, 1f), (r.Labels[HarmAttribute.SelfHarm], r.Labels[HarmAttribute.Toxicity])));
        // Self-harm teaches nothing about threats either way; the harmless side does say "no threat".
        Assert.All(statements.Concat(encouragement), r => Assert.False(r.Labels.IsAnnotated(HarmAttribute.Threat)));
        Assert.All(benign, r => Assert.Equal((0f, 0f, 0f), (r.Labels[HarmAttribute.SelfHarm], r.Labels[HarmAttribute.Toxicity], r.Labels[HarmAttribute.Threat])));
        // The other categories leave self_harm to the implied negatives.
        Assert.All(Of("threat"), r => Assert.False(r.Labels.IsAnnotated(HarmAttribute.SelfHarm)));
    }

    [Fact]
    public void Everyday_chat_is_clean_text_in_39_languages_split_deterministically()
    {
        var records = EverydayChat.Generate();
        Assert.Equal(39, records.Select(r => r.Language).Distinct().Count());
        Assert.All(records, r =>
        {
            Assert.Equal(EverydayChat.DatasetName, r.Dataset);
            Assert.All(HarmAttributes.All, a => Assert.Equal(0f, r.Labels[a]));
        });
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
        Assert.Equal(records.Select(r => r.Split), EverydayChat.Generate().Select(r => r.Split));
        Assert.Contains(records, r => r.Split == Split.Train);
        Assert.Contains(records, r => r.Split == Split.Validation);
    }

    [Fact]
    public void Every_group_of_the_contrast_sets_is_a_group_name_that_masking_replaces()
    {
        // A group the identity terms do not know would stay visible to the n-grams, and the group-hate templates would
        // teach that its name is hateful.
        // Masked whole, every text that is only a group name has the same features, the padding's (as "immigrants" has).
        var pipeline = new FeaturePipeline(new FeatureHasher(20, 1, 5) { TrimWordPunctuation = true }, [], HarmLexiconFile.LoadIdentityTerms(), maskGroupWords: true);
        int[] Features(string text) { var n = pipeline.Extract(text, out var buffer); var f = buffer[..n].Order().ToArray(); System.Buffers.ArrayPool<int>.Shared.Return(buffer); return f; }
        var empty = Features("immigrants");
        Assert.True(empty.Length < Features("immigrant workers").Length);
        // Chinese, Japanese and Thai entries are matched as substrings and never masked (a known limit, docs/models.md).
        var groups = ContrastSets.Generate().Where(r => r.TargetGroup is not null && r.Language is not ("zh" or "ja" or "th"))
            .Select(r => (r.Language, Group: r.TargetGroup!)).Distinct().ToList();
        Assert.True(groups.Count > 500, $"{groups.Count} groups");
        var unknown = groups.Where(g => !Features(g.Group).SequenceEqual(empty)).ToList();
        Assert.True(unknown.Count == 0, "not in identity_terms.json: " + string.Join(", ", unknown));
    }

    [Fact]
    public void Threats_are_labelled_threat_and_violent_words_used_harmlessly_are_not()
    {
        var records = ContrastSets.Generate();
        var threats = records.Where(r => r.Id.Split(':')[1] == "threat").ToList();
        var benign = records.Where(r => r.Id.Split(':')[1] == "violent_benign").ToList();
        Assert.Equal(ContrastLanguages.Length * 15, benign.Count);
        Assert.All(threats, r =>
        {
            Assert.Equal(1f, r.Labels[HarmAttribute.Threat]);
            Assert.Equal(1f, r.Labels[HarmAttribute.Toxicity]);
            // A threat against a group may or may not be an identity attack.
            Assert.Equal(r.TargetGroup is null, r.Labels.IsAnnotated(HarmAttribute.IdentityAttack));
        });
        Assert.All(benign, r => Assert.Equal((0f, 0f), (r.Labels[HarmAttribute.Threat], r.Labels[HarmAttribute.Toxicity])));
        Assert.All(records.Where(r => r.Id.Split(':')[1] == "implicit_group_hate"), r => Assert.Equal(1f, r.Labels[HarmAttribute.IdentityAttack]));
    }

    [Fact]
    public void Categories_can_be_left_out()
    {
        var all = ContrastSets.Generate();
        var without = ContrastSets.Generate(excludeCategories: ["threat", "violent_benign"]);
        Assert.DoesNotContain(without, r => r.Id.Split(':')[1] is "threat" or "violent_benign");
        Assert.Equal(all.Count(r => r.Id.Split(':')[1] is not ("threat" or "violent_benign")), without.Count);
    }

    [Fact]
    public void Group_hate_can_be_generated_as_its_own_one_class_set()
    {
        var records = ContrastSets.Generate(splitGroupHate: true);
        var hate = records.Where(r => r.Dataset == ContrastSets.HateDatasetName).ToList();
        Assert.NotEmpty(hate);
        Assert.All(hate, r =>
        {
            Assert.Equal(1f, r.Labels.Values[(int)HarmAttribute.Toxicity]);
            Assert.Equal(1f, r.Labels.Values[(int)HarmAttribute.IdentityAttack]);
            Assert.NotNull(r.TargetGroup);
        });
        Assert.Equal(ContrastSets.Generate().Select(r => r.Text), records.Select(r => r.Text));
    }

    [Fact]
    public void Contrast_set_splits_keep_each_template_in_one_split()
    {
        var records = ContrastSets.Generate();
        var byTemplate = records.GroupBy(r => r.Id[..r.Id.LastIndexOf(':')]);
        Assert.All(byTemplate, g => Assert.Single(g.Select(r => r.Split).Distinct()));
        Assert.Contains(records, r => r.Split == Split.Train);
        Assert.Contains(records, r => r.Split == Split.Validation);
    }

    [Fact]
    public void Contrast_sets_are_the_same_on_every_call()
    {
        var first = ContrastSets.Generate();
        var second = ContrastSets.Generate();
        Assert.Equal(first.Select(r => (r.Id, r.Text)), second.Select(r => (r.Id, r.Text)));
    }

    [Fact]
    public void Harm_lexicon_has_every_category_and_only_well_formed_entries()
    {
        var lexicon = HarmLexiconFile.LoadEmbedded();
        Assert.Equal(["contempt", "dehumanising", "exclusion", "insult", "profanity", "self_harm", "slur", "stereotype", "threat"], lexicon.Keys.Order(StringComparer.Ordinal));
        var shape = new Regex(@"^[^\s*]+( [^\s*]+){0,2}\*?$");
        foreach (var (category, entries) in lexicon)
        {
            Assert.True(entries.Count > 50, $"{category} has only {entries.Count} entries");
            Assert.All(entries, e => Assert.Matches(shape, e));
        }
    }

    [Fact]
    public void Contempt_entries_leave_out_the_hatred_nouns_of_counter_speech()
    {
        // "spreading hate", "discurso de odio", "Hass verbreiten": counter-speech names hatred as a noun, so only the
        // verbs and the phrases that aim hatred at someone are entries.
        var contempt = HarmLexiconFile.LoadEmbedded()["contempt"];
        Assert.Contains("i hate", contempt);
        Assert.Contains("odio a los", contempt);
        Assert.DoesNotContain("hate", contempt);
        Assert.DoesNotContain("hass", contempt);
        Assert.DoesNotContain("odio", contempt); // Spanish and Italian "hatred", Catalan "I hate": the lists are merged
        Assert.DoesNotContain("haine", contempt);
        Assert.DoesNotContain("nienawiść", contempt);
    }

    [Fact]
    public void Identity_terms_load_as_the_four_conjunction_categories()
    {
        var terms = HarmLexiconFile.LoadIdentityTerms();
        Assert.Equal([HarmLexicon.GeneralisationCategory, HarmLexicon.TraitCategory, HarmLexicon.GroupCategory, HarmLexicon.ReportingCategory],
            terms.Keys.Order(StringComparer.Ordinal));
        Assert.True(terms[HarmLexicon.GroupCategory].Count > 500);
        Assert.True(terms[HarmLexicon.TraitCategory].Count > 500);
        Assert.True(terms[HarmLexicon.ReportingCategory].Count > 500);
        var shape = new Regex(@"^[^\s*]+( [^\s*]+){0,2}\*?$");
        Assert.All(terms.Values.SelectMany(v => v), e => Assert.Matches(shape, e));
        // Naming a group is not harm: no group word may also be a harm-lexicon entry.
        var harm = HarmLexiconFile.LoadEmbedded().Values.SelectMany(v => v).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(terms[HarmLexicon.GroupCategory], harm.Contains);
    }

    /// <summary>
    /// Harmless-sense phrases (false friends, literal pests): two or three words each, since a single word would take
    /// the harmful sense away too ("slut" in English) where a phrase pins the harmless one, and never a harm entry.
    /// </summary>
    private static void AssertHarmlessPhrases(List<string> phrases, int atLeast)
    {
        Assert.True(phrases.Count > atLeast);
        Assert.All(phrases, p => Assert.Matches(new Regex(@"^[^\s*]+( [^\s*]+){1,2}$"), p));
        var harm = HarmLexiconFile.LoadEmbedded().Values.SelectMany(v => v).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(phrases, harm.Contains);
        // They join the violent idioms' category in the default recipe, and stay out of the neural model's words.
        Assert.False(FastModelRecipe.NeuralLexicon().ContainsKey(HarmLexicon.IdiomCategory));
    }

    [Fact]
    public void False_friends_are_phrases_of_two_or_three_words_that_are_no_harm_entry()
    {
        var phrases = HarmLexiconFile.LoadFalseFriends();
        AssertHarmlessPhrases(phrases, 300);
        Assert.Contains("en retard", phrases);
        Assert.Contains("till slut", phrases);
        Assert.Contains("en retard", FastModelRecipe.LoadHarmLexicon()[HarmLexicon.IdiomCategory]);
    }

    [Fact]
    public void Profanity_is_a_harm_lexicon_category_in_every_language_and_can_be_left_out()
    {
        using var lexicon = System.Text.Json.JsonDocument.Parse(typeof(HarmLexiconFile).Assembly.GetManifestResourceStream("Warden.Training.harm_lexicon.json")!);
        foreach (var language in lexicon.RootElement.GetProperty("languages").EnumerateObject())
            Assert.True(language.Value.TryGetProperty("profanity", out var entries) && entries.GetArrayLength() >= 5, language.Name);
        var profanity = FastModelRecipe.LoadHarmLexicon()["profanity"];
        Assert.Contains("motherfuck*", profanity);
        Assert.Contains("verfickt*", profanity);
        Assert.DoesNotContain("profanity", FastModelRecipe.LoadHarmLexicon(RecipeOptions.Default with { ExcludeLexiconCategories = ["profanity"] }).Keys);
        var unknown = Assert.Throws<ArgumentException>(() => FastModelRecipe.LoadHarmLexicon(RecipeOptions.Default with { ExcludeLexiconCategories = ["swearing"] }));
        Assert.Contains("no harm-lexicon category 'swearing'", unknown.Message);
    }

    [Fact]
    public void Literal_pest_phrases_are_phrases_of_two_or_three_words_that_are_no_harm_entry()
    {
        AssertHarmlessPhrases(HarmLexiconFile.LoadLiteralPests(), 600);
        Assert.Contains("intestinal parasites", FastModelRecipe.LoadHarmLexicon()[HarmLexicon.IdiomCategory]);
        Assert.DoesNotContain("intestinal parasites", FastModelRecipe.LoadHarmLexicon(RecipeOptions.Default with { LiteralPests = false })[HarmLexicon.IdiomCategory]);
    }

    [Fact]
    public void Threat_terms_load_as_the_intent_and_violence_categories()
    {
        var terms = HarmLexiconFile.LoadThreatTerms();
        Assert.Equal([HarmLexicon.IntentCategory, HarmLexicon.ViolenceCategory], terms.Keys.Order(StringComparer.Ordinal));
        Assert.True(terms[HarmLexicon.IntentCategory].Count > 1000);
        Assert.True(terms[HarmLexicon.ViolenceCategory].Count > 1000);
        var shape = new Regex(@"^[^\s*]+( [^\s*]+){0,2}\*?$");
        Assert.All(terms.Values.SelectMany(v => v), e => Assert.Matches(shape, e));
        // A fused word (intent marked in the verb) is in both lists, so it gives the conjunction on its own.
        foreach (var fused in new[] { "öldüreceğim", "убью" })
        {
            Assert.Contains(fused, terms[HarmLexicon.IntentCategory]);
            Assert.Contains(fused, terms[HarmLexicon.ViolenceCategory]);
        }
        // The lists of all languages are merged, so a stem must not start an everyday word of another one.
        Assert.DoesNotContain("kill*", terms[HarmLexicon.ViolenceCategory]); // Swedish killar (guys)
        // Unspaced scripts match anywhere in the text: a single character would hit unrelated words (杀毒, antivirus).
        static bool Unspaced(char c) => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF' or >= '\u0E00' and <= '\u0E7F';
        Assert.DoesNotContain(terms.Values.SelectMany(v => v), e => e.Length < 2 && e.Any(Unspaced));
    }

    [Fact]
    public void The_default_recipe_masks_group_words_without_conjunction_features()
    {
        // The group words travel with the model (masking needs them) but give no conjunction features.
        Assert.Contains(HarmLexicon.GroupCategory, FastModelRecipe.LoadHarmLexicon().Keys);
        var options = RecipeOptions.Default.Apply(new FastTrainerOptions());
        Assert.True(options.MaskGroupWords);
        Assert.False(options.GroupConjunctionFeatures);
        var ablation = RecipeOptions.Default with { MaskGroupWords = false };
        Assert.DoesNotContain(HarmLexicon.GroupCategory, FastModelRecipe.LoadHarmLexicon(ablation).Keys);
        Assert.Contains(HarmLexicon.GroupCategory, FastModelRecipe.LoadHarmLexicon(ablation with { GroupConjunctions = true }).Keys);
        // The group + trait conjunction is on since the sixteenth round, for the fast model only.
        Assert.Contains(HarmLexicon.TraitCategory, FastModelRecipe.LoadHarmLexicon().Keys);
        Assert.DoesNotContain(HarmLexicon.TraitCategory, FastModelRecipe.LoadHarmLexicon(RecipeOptions.Default with { GroupTraits = false }).Keys);
        Assert.DoesNotContain(HarmLexicon.TraitCategory, FastModelRecipe.NeuralLexicon().Keys);
        Assert.DoesNotContain(HarmLexicon.ReportingCategory, FastModelRecipe.NeuralLexicon().Keys);
        Assert.Contains(HarmLexicon.IntentCategory, FastModelRecipe.NeuralLexicon().Keys);
        // The threat conjunction's lists are in the default lexicon (sixteenth round).
        Assert.Contains(HarmLexicon.IntentCategory, FastModelRecipe.LoadHarmLexicon().Keys);
        Assert.Contains(HarmLexicon.ViolenceCategory, FastModelRecipe.LoadHarmLexicon().Keys);
        Assert.DoesNotContain(HarmLexicon.IntentCategory, FastModelRecipe.LoadHarmLexicon(RecipeOptions.Default with { ThreatConjunction = false }).Keys);
        // The reporting words only come with the traits, whose conjunction they block.
        Assert.Contains(HarmLexicon.ReportingCategory, FastModelRecipe.LoadHarmLexicon().Keys);
        Assert.DoesNotContain(HarmLexicon.ReportingCategory, FastModelRecipe.LoadHarmLexicon(RecipeOptions.Default with { GroupTraits = false }).Keys);
        Assert.DoesNotContain(HarmLexicon.ReportingCategory, FastModelRecipe.LoadHarmLexicon(RecipeOptions.Default with { ReportedSpeech = false }).Keys);
    }

    [Fact]
    public void The_implicit_hate_pairs_are_on_by_default_with_40_templates_a_side_in_the_first_twelve_languages()
    {
        Assert.DoesNotContain("implicit_group_hate", RecipeOptions.Default.ExcludedContrastCategories);
        Assert.DoesNotContain("group_neutral", RecipeOptions.Default.ExcludedContrastCategories);
        var records = ContrastSets.Generate(excludeCategories: RecipeOptions.Default.ExcludedContrastCategories);
        foreach (var language in FirstLanguages)
        {
            // Each template is filled with GroupsPerTemplate groups.
            Assert.Equal(40 * ContrastSets.GroupsPerTemplate, records.Count(r => r.Language == language && r.Id.Split(':')[1] == "implicit_group_hate"));
            Assert.Equal(40 * ContrastSets.GroupsPerTemplate, records.Count(r => r.Language == language && r.Id.Split(':')[1] == "group_neutral"));
        }
    }

    [Fact]
    public void Group_hate_comments_are_identity_attacks_and_group_topic_comments_are_harmless_and_both_are_on_by_default()
    {
        Assert.DoesNotContain("group_hate_comment", RecipeOptions.Default.ExcludedContrastCategories);
        Assert.DoesNotContain("group_topic_comment", RecipeOptions.Default.ExcludedContrastCategories);
        var records = ContrastSets.Generate(excludeCategories: RecipeOptions.Default.ExcludedContrastCategories);
        var hate = records.Where(r => r.Id.Split(':')[1] == "group_hate_comment").ToList();
        var topic = records.Where(r => r.Id.Split(':')[1] == "group_topic_comment").ToList();
        Assert.Equal(CommentLanguages, hate.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal));
        foreach (var language in CommentLanguages)
        {
            // 24 comments a side; one with {g} is filled with GroupsPerTemplate groups.
            var hateComments = hate.Where(r => r.Language == language).Select(r => r.Id.Split(':')[2]).Distinct().Count();
            var topicComments = topic.Where(r => r.Language == language).Select(r => r.Id.Split(':')[2]).Distinct().Count();
            Assert.Equal((24, 24), (hateComments, topicComments));
        }
        Assert.All(hate, r => Assert.Equal((1f, 1f), (r.Labels[HarmAttribute.Toxicity], r.Labels[HarmAttribute.IdentityAttack])));
        Assert.All(topic, r => Assert.Equal((0f, 0f, 0f), (r.Labels[HarmAttribute.Toxicity], r.Labels[HarmAttribute.IdentityAttack], r.Labels[HarmAttribute.Insult])));
    }

    [Fact]
    public void Calls_to_violence_are_threats_and_violence_news_is_harmless_in_every_polite_language_and_both_are_off_by_default()
    {
        Assert.Contains("violence_call", RecipeOptions.Default.ExcludedContrastCategories);
        Assert.Contains("violence_news", RecipeOptions.Default.ExcludedContrastCategories);
        var records = ContrastSets.Generate(excludeCategories: []);
        var calls = records.Where(r => r.Id.Split(':')[1] == "violence_call").ToList();
        var news = records.Where(r => r.Id.Split(':')[1] == "violence_news").ToList();
        Assert.Equal(PoliteLanguages, calls.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(PoliteLanguages, news.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal));
        foreach (var language in PoliteLanguages)
        {
            var callTemplates = calls.Where(r => r.Language == language).Select(r => r.Id.Split(':')[2]).Distinct().Count();
            var newsTemplates = news.Where(r => r.Language == language).Select(r => r.Id.Split(':')[2]).Distinct().Count();
            Assert.Equal((24, 24), (callTemplates, newsTemplates));
            // Calls against a named group and against people in general both occur.
            Assert.Contains(calls, r => r.Language == language && r.TargetGroup is not null);
            Assert.Contains(calls, r => r.Language == language && r.TargetGroup is null);
        }
        Assert.All(calls, r => Assert.Equal((1f, 1f), (r.Labels[HarmAttribute.Toxicity], r.Labels[HarmAttribute.Threat])));
        // A call against a group may or may not be an identity attack: unannotated, as for the threat templates.
        Assert.All(calls.Where(r => r.TargetGroup is not null), r => Assert.False(r.Labels.IsAnnotated(HarmAttribute.IdentityAttack)));
        Assert.All(news, r => Assert.Equal((0f, 0f, 0f), (r.Labels[HarmAttribute.Toxicity], r.Labels[HarmAttribute.Threat], r.Labels[HarmAttribute.IdentityAttack])));
    }

    [Fact]
    public void Self_deprecation_is_harmless_and_off_by_default_in_every_polite_language()
    {
        Assert.Contains("self_deprecation", RecipeOptions.Default.ExcludedContrastCategories);
        var records = ContrastSets.Generate(excludeCategories: [])
            .Where(r => r.Id.Split(':')[1] == "self_deprecation").ToList();
        Assert.Equal(PoliteLanguages, records.Select(r => r.Language).Distinct().Order(StringComparer.Ordinal));
        Assert.All(PoliteLanguages, language => Assert.Equal(16, records.Count(r => r.Language == language)));
        Assert.All(records, r => Assert.Equal((0f, 0f, 0f, null), (r.Labels[HarmAttribute.Toxicity], r.Labels[HarmAttribute.Insult], r.Labels[HarmAttribute.Threat], r.TargetGroup)));
    }

    [Fact]
    public void The_implicit_hate_pairs_become_a_set_of_their_own_only_when_given_a_weight()
    {
        Assert.Null(RecipeOptions.Default.ImplicitHateWeight);
        Assert.DoesNotContain(ContrastSets.Generate(excludeCategories: []), r => r.Dataset == ContrastSets.ImplicitDatasetName);
        var split = ContrastSets.Generate(excludeCategories: [], splitImplicit: true);
        Assert.All(split.Where(r => r.Dataset == ContrastSets.ImplicitDatasetName),
            r => Assert.Contains(r.Id.Split(':')[1], new[] { "implicit_group_hate", "group_neutral" }));
        Assert.DoesNotContain(split, r => r.Dataset != ContrastSets.ImplicitDatasetName && r.Id.Split(':')[1] is "implicit_group_hate" or "group_neutral");
        var weighted = RecipeOptions.Default with { ImplicitHateWeight = 2f };
        Assert.Equal(2f, weighted.Apply(new FastTrainerOptions()).DatasetBoosts[ContrastSets.ImplicitDatasetName]);
        Assert.False(RecipeOptions.Default.Apply(new FastTrainerOptions()).DatasetBoosts.ContainsKey(ContrastSets.ImplicitDatasetName));
    }

    [Fact]
    public void The_veiled_threat_pairs_are_off_by_default_and_weighted_apart_when_on()
    {
        Assert.All(["veiled_threat", "violent_everyday", "negated_threat", "moderation_talk"],
            c => Assert.Contains(c, RecipeOptions.Default.ExcludedContrastCategories));
        Assert.Equal(RecipeOptions.DefaultContrastWeight, RecipeOptions.Default.Apply(new FastTrainerOptions()).DatasetBoosts[ContrastSets.VeiledDatasetName]);
        var light = RecipeOptions.Default with { VeiledThreatWeight = 1f };
        Assert.Equal(1f, light.Apply(new FastTrainerOptions()).DatasetBoosts[ContrastSets.VeiledDatasetName]);
        Assert.Equal(RecipeOptions.DefaultContrastWeight, light.Apply(new FastTrainerOptions()).DatasetBoosts[ContrastSets.DatasetName]);
    }

    [Fact]
    public void The_default_recipe_trains_on_the_neutral_web_sentences_but_never_on_their_held_out_lines()
    {
        Assert.True(RecipeOptions.Default.NeutralWebText);
        Assert.Equal(1f, RecipeOptions.Default.Apply(new FastTrainerOptions()).DatasetBoosts[NeutralWebText.DatasetName]);
        var registry = DatasetRegistry.CreateDefault();
        var recipe = RecipeOptions.Default with { IdentityMentions = false, ContrastSets = false };
        var corpus = FastModelRecipe.LoadCorpus(registry, TextWriter.Null, recipe);
        var neutral = corpus.Train.Where(t => t.Dataset == NeutralWebText.DatasetName).ToList();
        Assert.Equal(59_312 + 2 * 329 + 583, neutral.Count);
        Assert.All(neutral, t => Assert.Equal(Split.Train, t.Split));
        Assert.DoesNotContain(corpus.Validation, t => t.Dataset == NeutralWebText.DatasetName);
        var ablation = FastModelRecipe.LoadCorpus(registry, TextWriter.Null, recipe with { NeutralWebText = false });
        Assert.DoesNotContain(ablation.Train, t => t.Dataset == NeutralWebText.DatasetName);
    }

    [Fact]
    public void Generated_sets_stay_out_of_the_calibration_data_unless_asked()
    {
        var registry = DatasetRegistry.CreateDefault();
        var recipe = RecipeOptions.Default with { NeutralWebText = false };
        var synthetic = new[] { ContrastSets.DatasetName, IdentityMentions.DatasetName };
        var corpus = FastModelRecipe.LoadCorpus(registry, TextWriter.Null, recipe);
        Assert.Contains(corpus.Train, t => synthetic.Contains(t.Dataset));
        Assert.DoesNotContain(corpus.Validation, t => synthetic.Contains(t.Dataset));
        var ablation = FastModelRecipe.LoadCorpus(registry, TextWriter.Null, recipe with { CalibrateOnSynthetic = true });
        Assert.Contains(ablation.Validation, t => t.Dataset == ContrastSets.DatasetName);
    }

    [Fact]
    public void Lexicon_insertions_pair_each_insulted_sentence_with_the_same_sentence_alone_outside_the_contrast_languages()
    {
        var neutral = NeutralWebText.Load(DatasetRegistry.CreateDefault().Root);
        var contrast = ContrastSets.Languages();
        var records = LexiconInsertions.Generate(neutral, contrast);
        Assert.Equal(records.Select(r => (r.Id, r.Text)), LexiconInsertions.Generate(neutral, contrast).Select(r => (r.Id, r.Text)));
        var languages = records.Select(r => r.Language).Distinct().ToList();
        Assert.NotEmpty(languages);
        Assert.Empty(languages.Intersect(contrast));
        Assert.Contains("sr", languages); // lexicon and everyday sentences, no contrast sets
        Assert.All(records, r => Assert.Equal(Split.Train, r.Split));
        var heldOut = neutral.Where(r => r.Split == Split.Test).Select(r => r.Text).ToHashSet();
        var harmful = records.Where(r => r.Labels[HarmAttribute.Toxicity] == 1f).ToList();
        Assert.Equal(records.Count / 2, harmful.Count);
        foreach (var insulted in harmful)
        {
            Assert.Equal(1f, insulted.Labels[HarmAttribute.Insult]);
            var plain = Assert.Single(records, r => r.Id == insulted.Id + ":plain");
            Assert.Equal(0f, plain.Labels[HarmAttribute.Toxicity]);
            Assert.Contains(plain.Text.TrimEnd('.', '!', '?', '。', '।')[1..], insulted.Text, StringComparison.Ordinal);
            Assert.DoesNotContain(plain.Text, heldOut);
        }
        // Every language of the lexicon gets them when no language is skipped.
        Assert.Contains(LexiconInsertions.Generate(neutral), r => r.Language == "en");
    }

    [Fact]
    public void Threat_insertions_pair_each_threatening_sentence_with_the_same_sentence_alone()
    {
        var neutral = NeutralWebText.Load(DatasetRegistry.CreateDefault().Root);
        var records = ThreatInsertions.Generate(neutral);
        Assert.Equal(records.Select(r => (r.Id, r.Text)), ThreatInsertions.Generate(neutral).Select(r => (r.Id, r.Text)));
        Assert.True(records.Select(r => r.Language).Distinct().Count() > 60);
        Assert.All(records, r => Assert.Equal(Split.Train, r.Split));
        var heldOut = neutral.Where(r => r.Split == Split.Test).Select(r => r.Text).ToHashSet();
        var insultLines = LexiconInsertions.Generate(neutral, ContrastSets.Languages()).Where(r => r.Id.EndsWith(":plain", StringComparison.Ordinal)).Select(r => r.Text).ToHashSet();
        var threats = records.Where(r => r.Labels[HarmAttribute.Threat] == 1f).ToList();
        Assert.Equal(records.Count / 2, threats.Count);
        var lexicon = new HarmLexicon(new FeatureHasher(12), HarmLexiconFile.LoadThreatTerms());
        var conjunctions = 0;
        foreach (var threat in threats)
        {
            Assert.Equal(1f, threat.Labels[HarmAttribute.Toxicity]);
            var plain = Assert.Single(records, r => r.Id == threat.Id + ":plain");
            Assert.Equal(0f, plain.Labels[HarmAttribute.Threat]);
            Assert.DoesNotContain(plain.Text, heldOut);
            if (lexicon.Explain(FeaturePipeline.ForFeatures(threat.Text)).Contains((HarmLexicon.ViolenceCategory, "intent"))) conjunctions++;
        }
        // What the pair teaches is the conjunction. A few sentences hide it: Afrikaans "’n" (a) reads as an opening quote.
        Assert.True(conjunctions > threats.Count * 0.95, $"{conjunctions} of {threats.Count}");
        Assert.True(records.Count(r => r.Id.EndsWith(":plain", StringComparison.Ordinal) && insultLines.Contains(r.Text)) < records.Count / 20);
    }

    [Fact]
    public void Self_harm_insertions_pair_each_sentence_with_a_self_harm_phrase_with_the_same_sentence_alone()
    {
        var neutral = NeutralWebText.Load(DatasetRegistry.CreateDefault().Root);
        var records = SelfHarmInsertions.Generate(neutral);
        Assert.Equal(records.Select(r => (r.Id, r.Text)), SelfHarmInsertions.Generate(neutral).Select(r => (r.Id, r.Text)));
        Assert.True(records.Select(r => r.Language).Distinct().Count() > 60);
        Assert.All(records, r => Assert.Equal(Split.Train, r.Split));
        var heldOut = neutral.Where(r => r.Split == Split.Test).Select(r => r.Text).ToHashSet();
        var lexicon = new HarmLexicon(new FeatureHasher(12), HarmLexiconFile.LoadEmbedded());
        var harmful = records.Where(r => r.Labels[HarmAttribute.SelfHarm] == 1f).ToList();
        Assert.Equal(records.Count / 2, harmful.Count);
        var hits = 0;
        foreach (var inserted in harmful)
        {
            // Toxicity is left to the model: "I want to die" is not toxic, "kill yourself" is; threat likewise.
            Assert.False(inserted.Labels.IsAnnotated(HarmAttribute.Toxicity));
            Assert.False(inserted.Labels.IsAnnotated(HarmAttribute.Threat));
            var plain = Assert.Single(records, r => r.Id == inserted.Id + ":plain");
            Assert.Equal((0f, 0f), (plain.Labels[HarmAttribute.SelfHarm], plain.Labels[HarmAttribute.Toxicity]));
            Assert.DoesNotContain(plain.Text, heldOut);
            if (lexicon.Explain(FeaturePipeline.ForFeatures(inserted.Text)).Any(h => h.Category == HarmLexicon.SelfHarmCategory)) hits++;
        }
        // What the pair teaches is the lexicon's self-harm phrase; a few are hidden by a negator or a quotation mark nearby.
        Assert.True(hits > harmful.Count * 0.9, $"{hits} of {harmful.Count}");
    }

    [Fact]
    public void Dataset_weights_replace_a_dataset_boost_and_an_unknown_name_is_an_error()
    {
        var recipe = RecipeOptions.Default with { DatasetWeights = new Dictionary<string, float> { ["reddit_cssrs_suicide"] = 0.25f, [ContrastSets.DatasetName] = 2f } };
        var boosts = recipe.Apply(new FastTrainerOptions()).DatasetBoosts;
        Assert.Equal((0.25f, 2f), (boosts["reddit_cssrs_suicide"], boosts[ContrastSets.DatasetName]));
        var error = Assert.Throws<ArgumentException>(() => FastModelRecipe.LoadCorpus(DatasetRegistry.CreateDefault(), TextWriter.Null,
            RecipeOptions.Default with { IdentityMentions = false, DatasetWeights = new Dictionary<string, float> { ["no_such_set"] = 1f } }));
        Assert.Contains("no_such_set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Self_harm_calibration_options_add_the_pairs_and_drop_named_datasets_from_validation_only()
    {
        var registry = DatasetRegistry.CreateDefault();
        var recipe = RecipeOptions.Default with { NeutralWebText = false, LexiconInsertions = false, IdentityMentions = false };
        var plain = FastModelRecipe.LoadCorpus(registry, TextWriter.Null, recipe);
        Assert.DoesNotContain(plain.Validation, t => t.Dataset == ContrastSets.SelfHarmDatasetName);
        Assert.Contains(plain.Validation, t => t.Dataset == "reddit_cssrs_suicide");
        var changed = FastModelRecipe.LoadCorpus(registry, TextWriter.Null,
            recipe with { CalibrateOnSelfHarmPairs = true, CalibrationExcludeDatasets = ["reddit_cssrs_suicide"] });
        Assert.Contains(changed.Validation, t => t.Dataset == ContrastSets.SelfHarmDatasetName);
        Assert.DoesNotContain(changed.Validation, t => t.Dataset is ContrastSets.DatasetName or "reddit_cssrs_suicide");
        Assert.Contains(changed.Train, t => t.Dataset == "reddit_cssrs_suicide");
    }

    [Fact]
    public void Emoji_join_lexicon_categories_the_recipe_loads_and_can_be_left_out()
    {
        var emoji = HarmLexiconFile.LoadEmoji();
        var lexicon = FastModelRecipe.LoadHarmLexicon();
        foreach (var (category, entries) in emoji)
        {
            Assert.True(lexicon.ContainsKey(category), $"emoji.json names '{category}', which the default recipe does not load");
            Assert.All(entries, e => Assert.Contains(e, lexicon[category]));
        }
        Assert.Contains("🖕", lexicon["profanity"]);
        Assert.Contains("🔪", lexicon[HarmLexicon.ViolenceCategory]);
        var without = FastModelRecipe.LoadHarmLexicon(RecipeOptions.Default with { Emoji = false });
        Assert.DoesNotContain("🖕", without["profanity"]);
        Assert.DoesNotContain("🔪", without[HarmLexicon.ViolenceCategory]);
    }

    [Fact]
    public void The_default_recipe_weighs_reddit_down_and_a_named_weight_replaces_it()
    {
        Assert.Equal(0.1f, RecipeOptions.Default.Apply(new FastTrainerOptions()).DatasetBoosts["reddit_cssrs_suicide"]);
        var named = RecipeOptions.Default with { DatasetWeights = new Dictionary<string, float> { ["reddit_cssrs_suicide"] = 1f } };
        Assert.Equal(1f, named.Apply(new FastTrainerOptions()).DatasetBoosts["reddit_cssrs_suicide"]);
        Assert.True(RecipeOptions.Default.Apply(new FastTrainerOptions()).ImpliedNegativesSpareSelfHarmPhrases);
        Assert.False((RecipeOptions.Default with { SpareSelfHarmPhrases = false }).Apply(new FastTrainerOptions()).ImpliedNegativesSpareSelfHarmPhrases);
    }

    [Fact]
    public void The_default_recipe_inserts_lexicon_insults_only_where_there_are_no_contrast_sets()
    {
        Assert.True(RecipeOptions.Default.LexiconInsertions);
        Assert.True(RecipeOptions.Default.SelfHarmInsertions);
        var recipe = RecipeOptions.Default with { IdentityMentions = false };
        var corpus = FastModelRecipe.LoadCorpus(DatasetRegistry.CreateDefault(), TextWriter.Null, recipe);
        var inserted = corpus.Train.Where(t => t.Dataset == LexiconInsertions.DatasetName).ToList();
        Assert.NotEmpty(inserted);
        Assert.DoesNotContain(inserted, t => ContrastSets.Languages().Contains(t.Language));
        Assert.DoesNotContain(corpus.Validation, t => t.Dataset == LexiconInsertions.DatasetName);
        var ablation = FastModelRecipe.LoadCorpus(DatasetRegistry.CreateDefault(), TextWriter.Null, recipe with { LexiconInsertions = false });
        Assert.DoesNotContain(ablation.Train, t => t.Dataset == LexiconInsertions.DatasetName);
    }

    [Theory]
    [InlineData("illegals")]
    [InlineData("asylant*")]
    [InlineData("clandestini")]
    public void Words_with_a_stance_are_not_group_names(string word) =>
        Assert.DoesNotContain(word, HarmLexiconFile.LoadIdentityTerms()[HarmLexicon.GroupCategory]);

    [Fact]
    public void Harm_lexicon_file_merges_languages_per_category()
    {
        const string json = """{"languages": {"en": {"insult": ["idiot*", "Moron"]}, "de": {"insult": ["idiot*", "depp"], "threat": ["bring dich um"]}}}""";
        var lexicon = HarmLexiconFile.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Equal(["depp", "idiot*", "moron"], lexicon["insult"]);
        Assert.Equal(["bring dich um"], lexicon["threat"]);
    }

    [Theory]
    [InlineData("en", "You are an idiot.", "insult")]
    [InlineData("de", "Ihr seid doch alle Idioten", "insult")]
    [InlineData("en", "i will kill you tomorrow", "threat")]
    [InlineData("en", "they are vermin", "dehumanising")]
    public void Shipped_lexicon_matches_common_harm_in_context(string language, string text, string category)
    {
        _ = language;
        var lexicon = new HarmLexicon(new FeatureHasher(12), HarmLexiconFile.LoadEmbedded());
        var mask = lexicon.Match(FeaturePipeline.ForFeatures(text));
        var bit = 1UL << lexicon.Categories.ToList().IndexOf(category);
        Assert.True((mask & bit) != 0, $"'{text}' does not match {category}");
    }

    [Theory]
    [InlineData("The killer whale swam past the boat.")]
    [InlineData("Thanks for your help with the assignment yesterday.")]
    [InlineData("Die Sitzung wurde auf Donnerstag verschoben.")]
    public void Shipped_lexicon_stays_quiet_on_ordinary_text(string text)
    {
        var lexicon = new HarmLexicon(new FeatureHasher(12), HarmLexiconFile.LoadEmbedded());
        Assert.Equal(0UL, lexicon.Match(FeaturePipeline.ForFeatures(text)));
    }

    [Fact]
    public void Holdout_suite_is_embedded_with_all_categories()
    {
        var main = FunctionalSuites.Load(FunctionalSuites.Main);
        var holdout = FunctionalSuites.Load(FunctionalSuites.Holdout);
        // The held-out suite has every category of the main one, plus threats (written later, also blind to the training data).
        Assert.Equal(main.Select(c => c.Category).Append("threat").Distinct().Order(), holdout.Select(c => c.Category).Distinct().Order());
        Assert.Empty(holdout.Select(c => c.Text).Intersect(main.Select(c => c.Text)));
    }

    [Fact]
    public void Languages_suite_has_ten_cases_per_language_five_of_them_harmful()
    {
        var cases = FunctionalSuites.Load(FunctionalSuites.Languages);
        var byLanguage = cases.GroupBy(c => c.Language).ToList();
        Assert.Equal(53, byLanguage.Count);
        Assert.All(byLanguage, l => Assert.Equal((10, 5), (l.Count(), l.Count(c => c.ExpectFlagged))));
        var others = FunctionalSuites.Load(FunctionalSuites.Main).Concat(FunctionalSuites.Load(FunctionalSuites.Holdout)).Select(c => c.Text);
        Assert.Empty(cases.Select(c => c.Text).Intersect(others));
        Assert.Equal(cases.Count, cases.Select(c => c.Text).Distinct().Count());
    }

    [Fact]
    public void Literal_suite_has_sixteen_harmless_cases_per_language_none_of_them_trained_on()
    {
        var cases = FunctionalSuites.Load(FunctionalSuites.Literal);
        var byLanguage = cases.GroupBy(c => c.Language).ToList();
        Assert.Equal(39, byLanguage.Count);
        Assert.All(byLanguage, l => Assert.Equal(16, l.Count()));
        Assert.DoesNotContain(cases, c => c.ExpectFlagged);
        Assert.Equal(cases.Count, cases.Select(c => c.Text).Distinct().Count());
        // Written as training texts and then not trained on: none may be in the hand-written harmless messages.
        var chat = EverydayChat.Generate().Select(t => t.Text).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(cases, c => chat.Contains(c.Text));
    }

    [Fact]
    public void Stretched_suite_has_six_abusive_and_six_harmless_cases_per_language_each_with_a_stretched_letter()
    {
        var cases = FunctionalSuites.Load(FunctionalSuites.Stretched);
        var byLanguage = cases.GroupBy(c => c.Language).ToList();
        Assert.Equal(22, byLanguage.Count);
        Assert.All(byLanguage, l => Assert.Equal((12, 6), (l.Count(), l.Count(c => c.ExpectFlagged))));
        Assert.All(cases, c => Assert.True(Regex.IsMatch(c.Text, @"(\p{L})\1\1"), c.Text));
        Assert.Equal(cases.Count, cases.Select(c => c.Text).Distinct().Count());
    }

    [Fact]
    public void Dataset_selection_keeps_only_the_named_training_sets_and_leaves_validation_whole()
    {
        var registry = DatasetRegistry.CreateDefault();
        var recipe = RecipeOptions.Default with { IdentityMentions = false, NeutralWebText = false, LexiconInsertions = false };
        var whole = FastModelRecipe.LoadCorpus(registry, TextWriter.Null, recipe);
        var only = FastModelRecipe.LoadCorpus(registry, TextWriter.Null, recipe with { OnlyDatasets = ["germeval2018", ContrastSets.DatasetName] });
        Assert.Equal(["germeval2018", ContrastSets.DatasetName], only.Train.Select(t => t.Dataset).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(whole.Train.Count(t => t.Dataset is "germeval2018" or ContrastSets.DatasetName), only.Train.Count);
        Assert.Equal(whole.Validation.Count, only.Validation.Count);

        var without = FastModelRecipe.LoadCorpus(registry, TextWriter.Null, recipe with { ExcludeDatasets = ["olid"] });
        Assert.DoesNotContain(without.Train, t => t.Dataset == "olid");
        Assert.Equal(whole.Train.Count - whole.Train.Count(t => t.Dataset == "olid"), without.Train.Count);

        var error = Assert.Throws<ArgumentException>(() => FastModelRecipe.LoadCorpus(registry, TextWriter.Null, recipe with { ExcludeDatasets = ["no_such_set"] }));
        Assert.Contains("no_such_set", error.Message);
        Assert.Contains("germeval2018", error.Message);
    }

    [Fact]
    public void Second_person_words_cover_every_harm_lexicon_language_and_only_enter_with_the_switch()
    {
        static System.Text.Json.JsonDocument Embedded(string name) =>
            System.Text.Json.JsonDocument.Parse(typeof(HarmLexiconFile).Assembly.GetManifestResourceStream("Warden.Training." + name)!);
        using var lexicon = Embedded("harm_lexicon.json");
        using var addressee = Embedded("second_person.json");
        var languages = lexicon.RootElement.GetProperty("languages").EnumerateObject().Select(p => p.Name).ToList();
        var covered = addressee.RootElement.GetProperty("languages").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetArrayLength());
        Assert.All(languages, l => Assert.True(covered.GetValueOrDefault(l) > 0, $"no second-person words for {l}"));

        var words = HarmLexiconFile.LoadAddresseeTerms()[HarmLexicon.AddresseeCategory];
        Assert.Contains("you", words);
        Assert.Contains("wewe", words);
        Assert.DoesNotContain("u", words); // single letters would fire in every language
        Assert.DoesNotContain(HarmLexicon.AddresseeCategory, FastModelRecipe.LoadHarmLexicon().Keys);
        Assert.Contains(HarmLexicon.AddresseeCategory, FastModelRecipe.LoadHarmLexicon(RecipeOptions.Default with { AddresseeConjunctions = true }).Keys);
    }
}
