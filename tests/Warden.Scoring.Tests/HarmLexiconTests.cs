using Warden.Scoring.Fast;

namespace Warden.Scoring.Tests;

/// <summary>A pipeline's features of a text as a plain array (the rented buffer goes back to the pool).</summary>
internal static class PipelineFeatures
{
    public static int[] Of(FeaturePipeline pipeline, string text, bool maskPlainHits = false)
    {
        var count = pipeline.Extract(text, out var buffer, maskPlainHits);
        var features = buffer[..count];
        System.Buffers.ArrayPool<int>.Shared.Return(buffer);
        return features;
    }
}

public class HarmLexiconTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        ["insult"] = ["idiot*", "moron", "dumb fool"],
        ["threat"] = ["kill you", "i will kill", "should be hang*"],
        ["slur"] = ["傻逼", "馬鹿野郎"],
    };

    private static HarmLexicon Lexicon() => new(new FeatureHasher(12), Categories);

    private static ulong Bits(HarmLexicon lexicon, params string[] categories) =>
        categories.Aggregate(0UL, (mask, c) => mask | 1UL << lexicon.Categories.ToList().IndexOf(c));

    [Theory]
    [InlineData("you moron", "insult")]
    [InlineData("Idioten!", "insult")]
    [InlineData("what an idiot", "insult")]
    [InlineData("you dumb fool", "insult")]
    [InlineData("I will kill you", "threat")]
    [InlineData("they should be hanged", "threat")]
    [InlineData("你这个傻逼", "slur")]
    [InlineData("1d10t", "insult")]
    public void Matches_words_stems_phrases_and_unspaced_scripts(string text, string category)
    {
        var lexicon = Lexicon();
        Assert.Equal(Bits(lexicon, category), lexicon.Match(FeaturePipeline.ForFeatures(text)));
    }

    // Twenty-first round: an entry of a script written without spaces is found with some of its characters masked, one
    // '*' a character, when at least two of them are written out.
    [Theory]
    [InlineData("お前はバカ野郎だ", "馬鹿野郎", false)]
    [InlineData("馬**郎", "馬鹿野郎", true)]
    [InlineData("お前は馬鹿*郎だ", "馬鹿野郎", true)]
    [InlineData("馬鹿野*", "馬鹿野郎", true)]
    [InlineData("馬***", "馬鹿野郎", false)]   // one character written out says nothing
    [InlineData("馬*郎", "馬鹿野郎", false)]    // a mask of the wrong length
    [InlineData("傻*", "傻逼", false)]          // two-character entries never match a mask
    public void Masked_entries_of_unspaced_scripts_match(string text, string entry, bool masked)
    {
        var lexicon = Lexicon();
        var normalized = FeaturePipeline.ForFeatures(text);
        var start = normalized.IndexOf(entry[0]);
        Assert.Equal(masked, start >= 0 && HarmLexicon.IsMaskedAt(normalized.AsSpan(start), entry));
        Assert.Equal(masked ? Bits(lexicon, "slur") : 0UL, lexicon.Match(normalized));
    }

    [Theory]
    [InlineData("idi")]
    [InlineData("the killer whale")]
    [InlineData("kill the process")]
    [InlineData("you are a fool")]
    [InlineData("should be fine")]
    [InlineData("你好")]
    public void Does_not_match_partial_entries(string text) =>
        Assert.Equal(0UL, Lexicon().Match(FeaturePipeline.ForFeatures(text)));

    [Fact]
    public void Caps_features_per_category()
    {
        var lexicon = Lexicon();
        var hasher = new FeatureHasher(12);
        var normalized = FeaturePipeline.ForFeatures(string.Join(' ', Enumerable.Repeat("moron", 20)) + " i will kill you");
        var buffer = new int[hasher.MaxFeatures(normalized.Length) + lexicon.MaxFeatures];
        var count = lexicon.Extract(hasher, normalized, buffer) - hasher.Extract(normalized, buffer);
        Assert.Equal(HarmLexicon.MaxPerCategory + 2, count); // 3 insults (capped) + "i will kill" + "kill you"
    }

    [Fact]
    public void Pipeline_adds_lexicon_features_only_when_configured()
    {
        var hasher = new FeatureHasher(12);
        var plain = new FeaturePipeline(hasher, []);
        var withLexicon = new FeaturePipeline(hasher, [], Categories);
        var plainCount = plain.Extract("you moron", out var a);
        var lexiconCount = withLexicon.Extract("you moron", out var b);
        System.Buffers.ArrayPool<int>.Shared.Return(a);
        System.Buffers.ArrayPool<int>.Shared.Return(b);
        Assert.Equal(plainCount + 1, lexiconCount);
        Assert.True(withLexicon.BufferSize(10) > plain.BufferSize(10));
    }
}

public class HarmLexiconContextTests
{
    private static readonly Dictionary<string, List<string>> Categories = new() { ["insult"] = ["idiot*", "moron"] };

    private static IReadOnlyList<(string Category, string Context)> Explain(string text) =>
        new HarmLexicon(new FeatureHasher(12), Categories).Explain(FeaturePipeline.ForFeatures(text));

    [Theory]
    [InlineData("You are a moron!", "plain")]
    [InlineData("moron.", "plain")]
    [InlineData("You are not a moron.", "negated")]
    [InlineData("You aren't an idiot", "negated")]
    [InlineData("Du bist kein Idiot.", "negated")]
    [InlineData("Tu n'es pas un idiot", "negated")]
    [InlineData("He called me a \"moron\" in public", "quoted")]
    [InlineData("Er sagte «Idiot» zu mir", "quoted")]
    [InlineData("Not bad. You moron", "plain")] // the clause ended the negation
    [InlineData("no, you are a complete and total moron", "plain")] // beyond the window and after a comma
    public void Classifies_the_context_of_a_hit(string text, string context) =>
        Assert.Equal([("insult", context)], Explain(text));

    [Theory]
    [InlineData("You don't belong here.", "plain")]           // the negator is part of the phrase
    [InlineData("They are not welcome here", "plain")]
    [InlineData("No son bienvenidos aquí", "plain")]
    [InlineData("I never said you don't belong here", "negated")] // negated before the phrase begins
    [InlineData("You are not a dumb fool", "negated")]
    public void A_phrase_is_in_the_context_of_its_first_word(string text, string context)
    {
        var lexicon = new HarmLexicon(new FeatureHasher(12), new Dictionary<string, List<string>>
        {
            ["exclusion"] = ["don't belong here", "not welcome here", "no son bienvenidos"],
            ["insult"] = ["dumb fool"],
        });
        Assert.Equal(context, Assert.Single(lexicon.Explain(FeaturePipeline.ForFeatures(text))).Context);
    }

    // Twenty-second round: a negator that follows what it denies (Turkish, Hindi, Persian, Korean) turns the plain hits
    // waiting in its clause into negated ones; hits after it and in other clauses stay plain. Hits wait for the end of
    // their clause only where the lexicon has idioms to cancel them, so this lexicon has one.
    [Theory]
    [InlineData("Sen aptal değilsin.", new[] { "negated" })]
    [InlineData("Sen aptalsın.", new[] { "plain" })]
    [InlineData("Değil, sen aptalsın.", new[] { "plain" })]                      // the comma ended the clause
    [InlineData("Sen aptal değilsin, o aptal.", new[] { "negated", "plain" })]
    [InlineData("तुम बेवकूफ नहीं हो", new[] { "negated" })]
    [InlineData("तुम बेवकूफ हो", new[] { "plain" })]
    [InlineData("تو احمق نیستی", new[] { "negated" })]
    [InlineData("너 바보 아니야", new[] { "negated" })]
    public void A_negator_after_the_hit_negates_it_in_post_negating_languages(string text, string[] contexts)
    {
        var lexicon = new HarmLexicon(new FeatureHasher(12), new Dictionary<string, List<string>>
        {
            ["insult"] = ["aptal*", "बेवकूफ", "احمق", "바보"],
            [HarmLexicon.IdiomCategory] = ["kill time"],
        });
        var hits = lexicon.Explain(FeaturePipeline.ForFeatures(text));
        Assert.All(hits, h => Assert.Equal("insult", h.Category));
        Assert.Equal(contexts, hits.Select(h => h.Context).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Negated_and_plain_hits_in_one_text_give_both_features()
    {
        var contexts = Explain("I am not a moron, you are the idiot").Select(h => h.Context).Order().ToList();
        Assert.Equal(["negated", "plain"], contexts);
    }

    [Fact]
    public void Profanity_lexicon_matches_words_with_punctuation_attached()
    {
        var pipeline = new FeaturePipeline(new FeatureHasher(12), ["shit"]);
        var lexiconFeature = pipeline.Hasher.WordFeature("\u0001lexicon:profanity");
        Assert.Contains(lexiconFeature, PipelineFeatures.Of(pipeline, "oh shit"));
        Assert.Contains(lexiconFeature, PipelineFeatures.Of(pipeline, "oh shit!"));
    }
}

public class HarmLexiconMaskingTests
{
    private static readonly Dictionary<string, List<string>> Categories = new() { ["insult"] = ["idiot*", "moron"] };

    private static HashSet<int> Features(FeaturePipeline pipeline, string text) => [.. PipelineFeatures.Of(pipeline, text)];

    [Theory]
    [InlineData("you are not an idiot", true)]
    [InlineData("you are an idiot", false)]
    [InlineData("you are nothing but an idiot", false)] // "nothing but" does not deny
    [InlineData("you're not just an idiot", false)]
    public void Negated_hits_lose_their_own_ngrams(string text, bool masked)
    {
        var hasher = new FeatureHasher(16);
        var plain = new FeaturePipeline(hasher, []);
        var lexical = new FeaturePipeline(hasher, [], Categories);
        var idiot = hasher.WordFeature("idiot");
        Assert.Contains(idiot, Features(plain, text.Replace("\"", "")));
        Assert.Equal(!masked, Features(lexical, text).Contains(idiot));
    }

    [Fact]
    public void Masking_is_the_same_for_long_texts_that_need_a_rented_buffer()
    {
        // Trimmed word features, so "moron." is the word "moron"; as many negated insults as masks are allowed.
        var hasher = new FeatureHasher(16) { TrimWordPunctuation = true };
        var lexical = new FeaturePipeline(hasher, [], Categories);
        var text = string.Join(' ', Enumerable.Repeat("this is fine and you are not a moron.", HarmLexicon.MaxMasks));
        Assert.True(text.Length > 512); // past the stack buffer
        Assert.DoesNotContain(hasher.WordFeature("moron"), Features(lexical, text));
        // One more than the limit leaves the last one unmasked.
        var over = text + " you are not a moron.";
        Assert.Contains(hasher.WordFeature("moron"), Features(lexical, over));
    }
}

public class HarmLexiconGroupConjunctionTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        ["dehumanising"] = ["parasit*", "vermin"],
        [HarmLexicon.GroupCategory] = ["immigrant*", "muslims", "移民"],
        [HarmLexicon.GeneralisationCategory] = ["all", "always"],
    };

    private static IReadOnlyList<(string Category, string Context)> Explain(string text) =>
        new HarmLexicon(new FeatureHasher(12), Categories).Explain(FeaturePipeline.ForFeatures(text));

    [Fact]
    public void Group_and_harm_in_one_clause_give_the_conjunction()
    {
        var hits = Explain("Immigrants are parasites");
        Assert.Contains(("dehumanising", "plain"), hits);
        Assert.Contains(("dehumanising", "group"), hits);
    }

    [Fact]
    public void Group_and_generalisation_give_their_own_conjunction() =>
        Assert.Equal([("generalisation", "group")], Explain("Muslims are all the same"));

    [Theory]
    [InlineData("Many immigrants work in hospitals")]       // a group alone is not a feature
    [InlineData("Immigrants are welcome. Vermin is a pest problem in the barn.")] // different clauses
    [InlineData("Immigrants are not parasites")]            // negated hits do not pair with the group
    [InlineData("Calling immigrants \"parasites\" is racist")] // quoted hits do not either
    public void No_conjunction_without_a_plain_hit_in_the_same_clause(string text) =>
        Assert.DoesNotContain(Explain(text), h => h.Context == "group");

    [Fact]
    public void Unspaced_scripts_count_as_one_clause()
    {
        var categories = new Dictionary<string, List<string>>(Categories) { ["dehumanising"] = ["寄生虫"] };
        var hits = new HarmLexicon(new FeatureHasher(12), categories).Explain(FeaturePipeline.ForFeatures("移民都是寄生虫"));
        Assert.Contains(("dehumanising", "group"), hits);
    }

    [Fact]
    public void Group_words_are_not_features_on_their_own()
    {
        var hasher = new FeatureHasher(12);
        var withGroups = new FeaturePipeline(hasher, [], Categories);
        var without = new FeaturePipeline(hasher, [], new Dictionary<string, List<string>> { ["dehumanising"] = ["parasit*", "vermin"] });
        Assert.Equal(PipelineFeatures.Of(withGroups, "Many immigrants work in hospitals").Order(),
            PipelineFeatures.Of(without, "Many immigrants work in hospitals").Order());
    }
}

public class HarmLexiconMaskedWordTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        ["insult"] = ["idiot*", "moron", "mjinga", "дебил"],
        ["threat"] = ["kill you"],
        [HarmLexicon.GroupCategory] = ["immigrants"],
    };

    private static IReadOnlyList<(string Category, string Context)> Explain(string text) =>
        new HarmLexicon(new FeatureHasher(12), Categories).Explain(FeaturePipeline.ForFeatures(text));

    [Theory]
    [InlineData("you are an id*ot")]
    [InlineData("you are a m*ron")]
    [InlineData("wewe ni mj*nga")]
    [InlineData("ты д*бил")]
    [InlineData("ihr seid id**ten")]   // a stem: the masked word may go on past it
    [InlineData("you are a m#ron")]    // '#' masks like '*'
    public void Masked_words_match_the_entries_they_stand_for(string text) =>
        Assert.Equal([("insult", "plain")], Explain(text));

    [Fact]
    public void A_masked_word_in_a_negation_is_negated() =>
        Assert.Equal([("insult", "negated")], Explain("you are not an id*ot"));

    [Theory]
    [InlineData("five *stars* for the hotel")] // stars at word edges are not masks
    [InlineData("m* favourite")]               // one letter is not enough to match anything
    [InlineData("the mo*ntain is high")]       // the letters around the mask must fit the entry
    [InlineData("immigr*nts arrived")]         // conjunction-only categories are not matched through masks
    public void Other_starred_words_match_nothing(string text) => Assert.Empty(Explain(text));

    [Fact]
    public void Random_masked_words_never_throw_and_match_the_same_way_twice()
    {
        // Stars, letters of several scripts and punctuation glued together at random, scored twice with one lexicon
        // (the second time from the cache of masked words) and once with a fresh one: same hits every time.
        string[] pieces = ["*", "**", "#", "i", "d", "o", "t", "m", "r", "n", "a", "д", "б", "и", "л", "ı", "ğ", "ש", "'", ".", " ", "!"];
        var random = new Random(11);
        var lexicon = new HarmLexicon(new FeatureHasher(12), Categories);
        for (var iteration = 0; iteration < 5_000; iteration++)
        {
            var text = FeaturePipeline.ForFeatures(string.Concat(Enumerable.Range(0, random.Next(1, 40)).Select(_ => pieces[random.Next(pieces.Length)])));
            var first = lexicon.Explain(text);
            Assert.Equal(first, lexicon.Explain(text));
            Assert.Equal(first, new HarmLexicon(new FeatureHasher(12), Categories).Explain(text));
        }
    }

    [Fact]
    public void Masked_profanity_gives_the_profanity_feature()
    {
        var pipeline = new FeaturePipeline(new FeatureHasher(12), ["shit"]);
        var lexiconFeature = pipeline.Hasher.WordFeature("\u0001lexicon:profanity");
        Assert.Contains(lexiconFeature, PipelineFeatures.Of(pipeline, "oh sh*t"));
        Assert.DoesNotContain(lexiconFeature, PipelineFeatures.Of(pipeline, "oh sh*p"));
    }
}

public class HarmLexiconElongationTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        ["insult"] = ["idiot*", "moron", "puttana", "kunda", "дебил"],
        [HarmLexicon.GroupCategory] = ["immigrants"],
    };

    private static readonly HarmLexicon Lexicon = new(new FeatureHasher(12), Categories);

    [Theory]
    [InlineData("you are an idiooooot")]   // a stretched letter cut to one
    [InlineData("what a moooooron")]
    [InlineData("sei una puttttttana")]     // cut to two: the entry has a natural double letter
    [InlineData("ты дебииииил")]
    [InlineData("IDIOOOOTEN")]              // stems too
    public void Stretched_letters_still_find_the_entry(string text) =>
        Assert.Equal([("insult", "plain")], Lexicon.Explain(FeaturePipeline.ForFeatures(text)));

    [Theory]
    [InlineData("wanataka kuunda kampuni")] // Swahili "to build": a natural double letter is never undone
    [InlineData("you are an idioot")]        // two letters may be natural, so they are not undone either
    [InlineData("mooooorning everyone")]
    public void Doubled_letters_and_other_words_find_nothing(string text) =>
        Assert.Empty(Lexicon.Explain(FeaturePipeline.ForFeatures(text)));

    [Fact]
    public void Word_categories_see_stretched_letters()
    {
        Assert.NotEqual(0UL, Lexicon.WordCategories("moooron"));
        Assert.NotEqual(0UL, Lexicon.WordCategories("immigraaants"));
        Assert.Equal(0UL, Lexicon.WordCategories("kuunda"));
    }

    [Fact]
    public void The_profanity_feature_sees_stretched_letters()
    {
        var hasher = new FeatureHasher(12);
        var pipeline = new FeaturePipeline(hasher, ["fuck", "shit"]);
        Assert.True(pipeline.IsProfane(FeaturePipeline.ForFeatures("fuuuuuck")));
        Assert.False(pipeline.IsProfane(FeaturePipeline.ForFeatures("fuuck")));
        var profanity = hasher.WordFeature("\u0001lexicon:profanity");
        Assert.Contains(profanity, PipelineFeatures.Of(pipeline, "shiiiiit happens"));
        Assert.DoesNotContain(profanity, PipelineFeatures.Of(pipeline, "shiit happens"));
    }
}

public class HarmLexiconGroupTraitTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        ["insult"] = ["idiot"],
        [HarmLexicon.GroupCategory] = ["immigrant*", "zigeuner", "移民"],
        [HarmLexicon.GeneralisationCategory] = ["all"],
        [HarmLexicon.TraitCategory] = ["steal", "klauen", "lazy", "less intelligent", "偷", "cockroaches", "rats"],
        [HarmLexicon.ReportingCategory] = ["saying", "claiming", "tell", "bezeichn*", "behaupt*", "the myth that", "声称"],
    };

    // As the default recipe builds it: group words masked, no group + harm conjunctions, the trait conjunction still on.
    private static IReadOnlyList<(string Category, string Context)> Explain(string text) =>
        new HarmLexicon(new FeatureHasher(12), Categories, maskGroupWords: true, groupConjunctions: false).Explain(FeaturePipeline.ForFeatures(text));

    [Theory]
    [InlineData("Immigrants steal our jobs")]
    [InlineData("Zigeuner klauen nun mal")]
    [InlineData("some immigrants are just less intelligent")]
    [InlineData("移民都会偷东西")]
    public void A_group_and_a_trait_in_one_clause_give_the_conjunction(string text) =>
        Assert.Equal([(HarmLexicon.TraitCategory, "group")], Explain(text));

    [Theory]
    [InlineData("They steal the show every night")]             // a trait word alone is no feature
    [InlineData("Immigrants arrived. Thieves steal bikes here.")] // different clauses
    [InlineData("Immigrants do not steal jobs")]                 // a negated trait does not pair with the group
    [InlineData("There are cockroaches in the kitchen")]         // a pest without a group
    public void No_trait_conjunction_without_a_group_and_a_plain_trait_in_one_clause(string text) =>
        Assert.Empty(Explain(text));

    [Fact]
    public void A_harm_word_in_the_clause_speaks_for_it_instead_of_the_trait_conjunction() =>
        Assert.DoesNotContain((HarmLexicon.TraitCategory, "group"), Explain("Immigrants are idiot thieves who steal"));

    [Theory]
    [InlineData("Saying that immigrants are rats is disgusting")]
    [InlineData("Posts claiming immigrants steal should be reported")]
    [InlineData("It is never okay to tell immigrants they are lazy")]
    [InlineData("Zu behaupten, dass Zigeuner klauen, ist widerlich")]
    [InlineData("the myth that immigrants steal")]
    [InlineData("有人声称移民都会偷东西")]
    public void A_clause_that_reports_the_stereotype_gives_no_conjunction(string text) =>
        Assert.Empty(Explain(text));

    [Theory]
    [InlineData("Saying that is fine. Immigrants are rats")]     // the report is in another clause
    [InlineData("Immigrants are cockroaches")]
    public void Reporting_words_block_only_their_own_clause(string text) =>
        Assert.Equal([(HarmLexicon.TraitCategory, "group")], Explain(text));

    [Fact]
    public void Reporting_words_are_not_features_on_their_own()
    {
        var hasher = new FeatureHasher(12);
        var with = new FeaturePipeline(hasher, [], Categories, maskGroupWords: true, groupConjunctions: false);
        var without = new FeaturePipeline(hasher, [], new Dictionary<string, List<string>>(Categories.Where(c => c.Key != HarmLexicon.ReportingCategory)),
            maskGroupWords: true, groupConjunctions: false);
        foreach (var text in new[] { "She keeps saying hello", "Immigrants steal our jobs" })
            Assert.Equal(PipelineFeatures.Of(without, text).Order(), PipelineFeatures.Of(with, text).Order());
    }

    [Fact]
    public void Trait_words_are_not_features_on_their_own()
    {
        var hasher = new FeatureHasher(12);
        var withTraits = new FeaturePipeline(hasher, [], Categories, maskGroupWords: true, groupConjunctions: false);
        var without = new FeaturePipeline(hasher, [], new Dictionary<string, List<string>>(Categories.Where(c => c.Key != HarmLexicon.TraitCategory)),
            maskGroupWords: true, groupConjunctions: false);
        Assert.Equal(PipelineFeatures.Of(withTraits, "They steal the show every night").Order(),
            PipelineFeatures.Of(without, "They steal the show every night").Order());
        Assert.NotEqual(PipelineFeatures.Of(withTraits, "Immigrants steal our jobs").Order(),
            PipelineFeatures.Of(without, "Immigrants steal our jobs").Order());
    }
}

public class HarmLexiconGroupContemptTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        [HarmLexicon.ContemptCategory] = ["hate", "odio", "disgusting", "walg*"],
        ["insult"] = ["idiot"],
        [HarmLexicon.GroupCategory] = ["immigrant*", "inmigrantes", "moslims"],
        [HarmLexicon.ReportingCategory] = ["saying", "claiming"],
    };

    // As the default recipe builds it: group words masked, the other group conjunctions off.
    private static IReadOnlyList<(string Category, string Context)> Explain(string text, bool groupContempt = true) =>
        new HarmLexicon(new FeatureHasher(12), Categories, maskGroupWords: true, groupConjunctions: false, groupContempt: groupContempt)
            .Explain(FeaturePipeline.ForFeatures(text));

    [Theory]
    [InlineData("I hate immigrants")]
    [InlineData("Odio a los inmigrantes.")]
    [InlineData("Moslims zijn walgelijk.")]
    public void A_group_and_contempt_in_one_clause_give_the_conjunction(string text)
    {
        Assert.Contains((HarmLexicon.ContemptCategory, "group"), Explain(text));
        Assert.Contains((HarmLexicon.ContemptCategory, "plain"), Explain(text));
        Assert.DoesNotContain((HarmLexicon.ContemptCategory, "group"), Explain(text, groupContempt: false));
    }

    [Theory]
    [InlineData("I hate Mondays")]                                   // contempt without a group
    [InlineData("Immigrants arrived. I hate the traffic.")]          // different clauses
    [InlineData("I don't hate immigrants")]                          // negated contempt
    [InlineData("Saying that you hate immigrants is disgusting")]    // a report of it
    [InlineData("Immigrants are idiots")]                            // other harm stays without a group conjunction
    public void No_contempt_conjunction_without_a_group_and_plain_contempt_in_an_unreported_clause(string text) =>
        Assert.DoesNotContain(Explain(text), h => h.Context == "group");
}

public class HarmLexiconGroupMaskingTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        ["dehumanising"] = ["parasit*", "vermin"],
        [HarmLexicon.GroupCategory] = ["immigrant*", "muslims", "trans people"],
        [HarmLexicon.GeneralisationCategory] = ["all"],
    };

    private static int[] Features(FeaturePipeline pipeline, string text) => [.. PipelineFeatures.Of(pipeline, text).Order()];

    private static FeaturePipeline Masking(FeatureHasher hasher) => new(hasher, [], Categories, maskGroupWords: true, groupConjunctions: false);

    [Theory]
    [InlineData("Immigrants are parasites", "Muslims are parasites")]
    [InlineData("Many immigrants work in our hospitals", "Many muslims work in our hospitals")]
    [InlineData("I met immigrants today", "I met muslims today")]
    public void Group_names_are_interchangeable(string one, string other)
    {
        var pipeline = Masking(new FeatureHasher(16));
        Assert.Equal(Features(pipeline, one), Features(pipeline, other));
        var unmasked = new FeaturePipeline(new FeatureHasher(16), [], Categories, maskGroupWords: false, groupConjunctions: false);
        Assert.NotEqual(Features(unmasked, one), Features(unmasked, other));
    }

    [Fact]
    public void The_stand_in_alone_is_no_feature_but_its_context_is()
    {
        var hasher = new FeatureHasher(16);
        var pipeline = Masking(hasher);
        Assert.DoesNotContain(hasher.WordFeature("immigrants"), Features(pipeline, "immigrants are parasites"));
        // A text that is only a group word has no features beyond those of the empty text: the stand-in carries no
        // weight of its own, so naming a group cannot score as harmful.
        Assert.Subset(Features(new FeaturePipeline(hasher, []), "").ToHashSet(), Features(pipeline, "immigrants").ToHashSet());
        // Its context stays: "␂ are" is a word bigram of the masked text.
        Assert.NotEqual(Features(pipeline, "immigrants are"), Features(pipeline, "immigrants were"));
    }

    [Fact]
    public void Phrase_entries_are_masked_whole_and_harm_words_are_never_masked()
    {
        var hasher = new FeatureHasher(16);
        var pipeline = Masking(hasher);
        Assert.Equal(Features(pipeline, "trans people deserve healthcare"), Features(pipeline, "muslims deserve healthcare"));
        Assert.Equal(Features(pipeline, "i know trans people and muslims"), Features(pipeline, "i know muslims and immigrants"));
        Assert.Contains(hasher.WordFeature("people"), Features(pipeline, "people deserve healthcare"));
        Assert.Contains(hasher.WordFeature("parasites"), Features(pipeline, "immigrants are parasites"));
    }

    [Fact]
    public void Without_conjunctions_no_group_feature_is_emitted()
    {
        var hits = new HarmLexicon(new FeatureHasher(12), Categories, maskGroupWords: true, groupConjunctions: false)
            .Explain(FeaturePipeline.ForFeatures("Immigrants are all parasites"));
        Assert.Contains(("dehumanising", "plain"), hits);
        Assert.DoesNotContain(hits, h => h.Item2 == "group");
    }
}

public class HarmLexiconScriptTests
{
    [Theory]
    [InlineData("तुम कीड़े हो", "कीड़े")]        // Devanagari: the word ends in a vowel sign (a combining mark)
    [InlineData("ওরা তেলাপোকা", "তেলাপোকা")]     // Bengali
    [InlineData("\"कीड़े\" कहा", "कीड़े")]        // and punctuation around it is still trimmed
    public void Words_ending_in_combining_marks_match(string text, string entry)
    {
        var lexicon = new HarmLexicon(new FeatureHasher(12), new Dictionary<string, List<string>> { ["dehumanising"] = [entry] });
        Assert.Contains(lexicon.Explain(FeaturePipeline.ForFeatures(text)), h => h.Category == "dehumanising");
    }

    [Fact]
    public void Word_features_keep_combining_marks() =>
        Assert.Equal("कीड़े", FeatureHasher.TrimEdges("कीड़े!").ToString());
}

public class HarmLexiconAddresseeConjunctionTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        ["insult"] = ["idiot*", "moron", "mjinga"],
        ["threat"] = ["kill you", "nitakuua"],
        [HarmLexicon.AddresseeCategory] = ["you", "your", "du", "wewe", "你"],
    };

    private static IReadOnlyList<(string Category, string Context)> Explain(string text) =>
        new HarmLexicon(new FeatureHasher(12), Categories).Explain(FeaturePipeline.ForFeatures(text));

    [Theory]
    [InlineData("You are an idiot", "insult")]
    [InlineData("Du bist ein Idiot!", "insult")]
    [InlineData("wewe ni mjinga", "insult")]
    [InlineData("I will kill you", "threat")] // the phrase holds the second-person word itself
    [InlineData("你是白痴", "insult")]
    public void Second_person_and_a_plain_hit_in_one_clause_give_the_conjunction(string text, string category)
    {
        var categories = new Dictionary<string, List<string>>(Categories) { ["insult"] = [.. Categories["insult"], "白痴"] };
        var hits = new HarmLexicon(new FeatureHasher(12), categories).Explain(FeaturePipeline.ForFeatures(text));
        Assert.Contains((category, "plain"), hits);
        Assert.Contains((category, HarmLexicon.AddresseeCategory), hits);
    }

    [Theory]
    [InlineData("He is an idiot")]                          // no one addressed
    [InlineData("You are not an idiot")]                    // negated hits do not pair
    [InlineData("Did you hear him say \"moron\" on air")]   // nor quoted ones
    [InlineData("Thank you. That moron at the office left")] // different clauses
    [InlineData("See you tomorrow")]                        // second person alone is no feature
    public void No_conjunction_without_a_plain_hit_in_the_same_clause(string text) =>
        Assert.DoesNotContain(Explain(text), h => h.Context == HarmLexicon.AddresseeCategory);

    [Fact]
    public void Second_person_words_are_not_features_on_their_own()
    {
        var hasher = new FeatureHasher(12);
        var with = new FeaturePipeline(hasher, [], Categories);
        var without = new FeaturePipeline(hasher, [], new Dictionary<string, List<string>> { ["insult"] = Categories["insult"], ["threat"] = Categories["threat"] });
        Assert.Equal(PipelineFeatures.Of(with, "See you tomorrow, your friend").Order(),
            PipelineFeatures.Of(without, "See you tomorrow, your friend").Order());
    }
}

public class HarmLexiconDropoutTests
{
    private static readonly Dictionary<string, List<string>> Categories = new() { ["insult"] = ["idiot*", "moron"] };

    private static int[] Features(FeaturePipeline pipeline, string text, bool dropped) => PipelineFeatures.Of(pipeline, text, dropped);

    [Fact]
    public void Dropout_masks_plain_hits_out_of_the_ngrams_but_keeps_the_category_feature()
    {
        var hasher = new FeatureHasher(16);
        var pipeline = new FeaturePipeline(hasher, [], Categories);
        var kept = Features(pipeline, "you absolute moron", dropped: false);
        var dropped = Features(pipeline, "you absolute moron", dropped: true);
        var moron = hasher.WordFeature("moron");
        Assert.Contains(moron, kept);
        Assert.DoesNotContain(moron, dropped);
        Assert.Equal(kept.Where(f => f < 0).Order(), dropped.Where(f => f < 0).Order()); // the same lexicon features
        Assert.Contains(hasher.WordFeature("absolute"), dropped);
    }

    [Fact]
    public void Dropout_gives_way_to_a_group_phrase_that_starts_at_the_dropped_word()
    {
        // "gay" is a plain insult hit and the first word of the group phrase "gay couples": the group mask replaces the
        // dropped word's mask instead of overlapping it (which threw in training with --lexicon-dropout).
        var categories = new Dictionary<string, List<string>> { ["insult"] = ["gay"], [HarmLexicon.GroupCategory] = ["gay couples"] };
        var hasher = new FeatureHasher(16);
        var pipeline = new FeaturePipeline(hasher, [], categories, maskGroupWords: true);
        var dropped = Features(pipeline, "those gay couples again", dropped: true);
        Assert.DoesNotContain(hasher.WordFeature("gay"), dropped);
        Assert.Contains(hasher.WordFeature("again"), dropped);
    }

    [Fact]
    public void Dropout_changes_nothing_in_texts_without_plain_hits()
    {
        var pipeline = new FeaturePipeline(new FeatureHasher(16), [], Categories);
        foreach (var text in new[] { "see you tomorrow", "you are not a moron" })
            Assert.Equal(Features(pipeline, text, dropped: false), Features(pipeline, text, dropped: true));
    }
}

public class HarmLexiconThreatConjunctionTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        ["insult"] = ["idiot"],
        [HarmLexicon.ThreatPhraseCategory] = ["kill you", "ojalá te mueras"],
        [HarmLexicon.IntentCategory] = ["i will", "i'm going to", "should be", "ich werde", "voy a", "我要", "öldüreceğim"],
        [HarmLexicon.ViolenceCategory] = ["stab", "kill", "shot", "umbringen", "matar", "杀了", "öldüreceğim"],
    };

    private static IReadOnlyList<(string Category, string Context)> Explain(string text) =>
        new HarmLexicon(new FeatureHasher(12), Categories).Explain(FeaturePipeline.ForFeatures(text));

    [Theory]
    [InlineData("I'm going to stab him tomorrow")]
    [InlineData("I will find you and kill him")]
    [InlineData("All of them should be shot")]
    [InlineData("Ich werde dich umbringen!")]
    [InlineData("Te voy a matar")]
    [InlineData("我要杀了你")]
    [InlineData("Seni öldüreceğim")] // one word holds both
    public void Intent_and_a_violent_verb_in_one_clause_give_the_conjunction(string text) =>
        Assert.Equal([(HarmLexicon.ViolenceCategory, "intent")], Explain(text));

    [Theory]
    [InlineData("Police said he tried to stab a guard")]     // violence without intent
    [InlineData("I will call you tomorrow")]                 // intent without violence
    [InlineData("I will be there. They kill time at the bar")] // different clauses
    [InlineData("I will never kill anyone")]                 // the violent verb is negated
    [InlineData("I will kill you")]                          // a fixed threat phrase speaks for the clause
    public void No_threat_conjunction_without_intent_and_a_plain_violent_verb_in_one_clause(string text) =>
        Assert.DoesNotContain(Explain(text), h => h.Context == "intent");

    [Fact]
    public void Intent_and_violence_words_are_not_features_on_their_own()
    {
        var hasher = new FeatureHasher(12);
        var with = new FeaturePipeline(hasher, [], Categories);
        var without = new FeaturePipeline(hasher, [], new Dictionary<string, List<string>> { ["insult"] = Categories["insult"], ["threat"] = Categories["threat"] });
        foreach (var text in new[] { "I will call you tomorrow", "Police said he tried to stab a guard" })
            Assert.Equal(PipelineFeatures.Of(without, text).Order(), PipelineFeatures.Of(with, text).Order());
        Assert.NotEqual(PipelineFeatures.Of(without, "I will kill him").Order(), PipelineFeatures.Of(with, "I will kill him").Order());
    }

    [Theory]
    [InlineData("I'm going to kill myself tonight", true)]
    [InlineData("Ich werde mich umbringen", true)]
    [InlineData("I'm going to kill him, then kill myself", false)] // the threat's clause ends at the comma
    [InlineData("I'm going to kill him. I hate myself", false)]   // no self-harm phrase in the threat's clause
    public void A_self_harm_phrase_withholds_the_threat_conjunction_only_when_asked(string text, bool withheld)
    {
        var categories = new Dictionary<string, List<string>>(Categories)
        {
            [HarmLexicon.SelfHarmCategory] = ["kill myself", "mich umbringen"],
        };
        var hasher = new FeatureHasher(12);
        Assert.Contains(new HarmLexicon(hasher, categories).Explain(FeaturePipeline.ForFeatures(text)), h => h.Context == "intent");
        var blocking = new HarmLexicon(hasher, categories, selfHarmBlocksThreatConjunction: true).Explain(FeaturePipeline.ForFeatures(text));
        Assert.Equal(withheld, !blocking.Any(h => h.Context == "intent"));
    }
}

public class HarmLexiconViolentIdiomTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        ["insult"] = ["idiot"],
        [HarmLexicon.ThreatPhraseCategory] = ["kill you", "voy a matar", "going to kill"],
        [HarmLexicon.IntentCategory] = ["i will", "voy a"],
        [HarmLexicon.ViolenceCategory] = ["kill", "matar"],
        [HarmLexicon.IdiomCategory] = ["kill time", "matar el tiempo", "killing me", "kill me"],
    };

    private static IReadOnlyList<(string Category, string Context)> Explain(string text, Dictionary<string, List<string>>? categories = null) =>
        new HarmLexicon(new FeatureHasher(12), categories ?? Categories).Explain(FeaturePipeline.ForFeatures(text));

    [Theory]
    [InlineData("Voy a matar el tiempo leyendo un libro")] // the threat phrase and the idiom share "matar"
    [InlineData("I'm going to kill time at the airport")]
    [InlineData("I will kill time at the bar")]           // the intent + violence conjunction too
    public void An_idiom_cancels_the_threat_hits_of_its_clause(string text)
    {
        var hits = Explain(text);
        Assert.DoesNotContain(hits, h => h.Category == HarmLexicon.ThreatPhraseCategory || h.Context == "intent" || h.Category == HarmLexicon.IdiomCategory);
        var without = Categories.Where(c => c.Key != HarmLexicon.IdiomCategory).ToDictionary(c => c.Key, c => c.Value);
        Assert.Contains(Explain(text, without), h => h.Category == HarmLexicon.ThreatPhraseCategory || h.Context == "intent");
    }

    [Theory]
    [InlineData("Voy a matar el tiempo. Y luego voy a matar a tu hermano")] // another sentence
    [InlineData("I'm going to kill time, then I'm going to kill your dog")]   // another clause
    public void The_idiom_reaches_only_its_own_clause(string text) =>
        Assert.Contains((HarmLexicon.ThreatPhraseCategory, "plain"), Explain(text));

    [Theory]
    [InlineData("I will kill you before you kill me", HarmLexicon.ThreatPhraseCategory, "plain")] // "kill me" does not overlap "kill you"
    [InlineData("Voy a matar el tiempo y luego voy a matar a tu hermano", HarmLexicon.ThreatPhraseCategory, "plain")] // the second threat, same clause
    [InlineData("I will kill him before he can kill me", HarmLexicon.ViolenceCategory, "intent")] // the first "kill" is outside the idiom
    public void An_idiom_cancels_only_the_threat_hits_it_overlaps(string text, string category, string context) =>
        Assert.Contains((category, context), Explain(text));

    // Four threat hits wait for the end of their clause; a fifth counts at once, and the clause keeps its threat even
    // when idioms cancel the four (so the intent + violence conjunction does not stand in for it).
    [Fact]
    public void A_threat_hit_past_the_deferred_ones_keeps_the_clause_a_threat()
    {
        var hits = Explain("voy a matar el tiempo y voy a matar el tiempo y voy a matar el tiempo y voy a matar el tiempo y voy a matar a tu hermano");
        Assert.Contains((HarmLexicon.ThreatPhraseCategory, "plain"), hits);
        Assert.DoesNotContain((HarmLexicon.ViolenceCategory, "intent"), hits);
    }

    [Fact]
    public void An_idiom_is_masked_out_of_the_ngrams()
    {
        var hasher = new FeatureHasher(12);
        var lexicon = new HarmLexicon(hasher, Categories);
        var buffer = new int[4096];
        var features = buffer[..lexicon.Extract(hasher, FeaturePipeline.ForFeatures("I will kill time today"), buffer)].Order();
        var expected = new int[4096];
        Assert.Equal(expected[..hasher.Extract("i will " + HarmLexicon.IdiomMask + " today", expected)].Order(), features);
        Assert.Empty(lexicon.NegatedWords(FeaturePipeline.ForFeatures("I will kill time today")));
    }

    // A false friend (an idiom-category phrase, "till slut": finally) gives its last word the harmless sense.
    [Theory]
    [InlineData("till slut kom bussen", false)]
    [InlineData("what a slut", true)]
    public void A_false_friend_takes_the_other_hits_of_its_last_word_away(string text, bool insult)
    {
        var categories = new Dictionary<string, List<string>>(Categories) { ["insult"] = ["idiot", "slut"], [HarmLexicon.IdiomCategory] = [.. Categories[HarmLexicon.IdiomCategory], "till slut"] };
        Assert.Equal(insult, Explain(text, categories).Contains(("insult", "plain")));
    }

    [Fact]
    public void An_idiom_leaves_other_categories_alone() =>
        Assert.Contains(("insult", "plain"), Explain("This idiot is killing me"));
}

public class HarmLexiconElisionTests
{
    private static readonly Dictionary<string, List<string>> Categories = new()
    {
        ["insult"] = ["idiota", "imbecill*", "abruti*"],
        [HarmLexicon.IntentCategory] = ["je vais"],
        [HarmLexicon.ViolenceCategory] = ["égorg*"],
    };

    private static IReadOnlyList<(string Category, string Context)> Explain(string text) =>
        new HarmLexicon(new FeatureHasher(12), Categories).Explain(FeaturePipeline.ForFeatures(text));

    [Theory]
    [InlineData("Sei proprio un'idiota")]
    [InlineData("Sei proprio un’idiota")]       // typed with a curly apostrophe
    [InlineData("Quell'imbecille di tuo fratello")]
    [InlineData("Bande d'abrutis")]
    public void A_word_after_an_elided_article_is_looked_up(string text) => Assert.Contains(("insult", "plain"), Explain(text));

    [Fact]
    public void An_elided_pronoun_does_not_hide_a_violent_verb() =>
        Assert.Contains((HarmLexicon.ViolenceCategory, "intent"), Explain("Je vais t'égorger"));

    [Theory]
    [InlineData("o'idiota")]   // not an elision
    [InlineData("l'")]
    [InlineData("qualcosa'idiota")]
    public void Only_known_elisions_are_cut(string word) => Assert.Equal(-1, Warden.Text.TextNormalizer.ElidedWordStart(word));

    [Fact]
    public void The_profanity_feature_sees_through_elisions()
    {
        var pipeline = new FeaturePipeline(new FeatureHasher(12), ["stronzo"]);
        Assert.True(pipeline.IsProfane("dell'stronzo"));
        Assert.True(pipeline.IsProfane("quell'stronzo"));
        Assert.False(pipeline.IsProfane("o'stronzo"));
    }
}

public class HarmLexiconNamesTests
{
    [Fact]
    public void Features_have_names_and_reporting_words_are_found_while_extracting()
    {
        var categories = new Dictionary<string, List<string>> { ["insult"] = ["idiot"], [HarmLexicon.ReportingCategory] = ["calling", "dicono"] };
        var lexicon = new HarmLexicon(new FeatureHasher(16), categories);
        Assert.Equal("insult", lexicon.FeatureName(lexicon.PlainFeature("insult")));
        Assert.Contains(lexicon.PlainAndConjunctionFeatures, f => lexicon.FeatureName(f) == "insult");
        Assert.DoesNotContain(lexicon.PlainAndConjunctionFeatures, f => lexicon.FeatureName(f) is "insult@negated" or "insult@quoted");
        Assert.Null(lexicon.FeatureName(12345));
        bool Reporting(string text)
        {
            var normalized = FeaturePipeline.ForScoring(text);
            lexicon.Extract(new FeatureHasher(16), normalized, new int[4096], out var reporting);
            return reporting;
        }
        Assert.True(Reporting("Stop calling people idiots!"));
        Assert.True(Reporting("Dicono che sono idioti."));
        Assert.False(Reporting("You are an idiot."));
    }
}

/// <summary>Emoji as lexicon entries (twenty-seventh round): an emoji token is a word, whatever its skin tone and repeats.</summary>
public class HarmLexiconEmojiTests
{
    private static readonly HarmLexicon Lexicon = new(new FeatureHasher(12), new Dictionary<string, List<string>>
    {
        ["profanity"] = ["🖕"],
        ["insult"] = ["idiot"],
        [HarmLexicon.GroupCategory] = ["🏳️‍🌈", "gays"],
        [HarmLexicon.TraitCategory] = ["🐀", "🤮"],
        [HarmLexicon.IntentCategory] = ["i will"],
        [HarmLexicon.ViolenceCategory] = ["🔪"],
    });

    private static List<string> Features(string text)
    {
        var buffer = new int[4096];
        var count = Lexicon.Extract(new FeatureHasher(12), FeaturePipeline.ForFeatures(text), buffer, direct: true);
        return [.. buffer[..count].Where(f => f < 0).Select(f => Lexicon.FeatureName(~f) ?? "?").Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("🖕")]
    [InlineData("🖕 you")]
    [InlineData("go🖕yourself")]
    [InlineData("🖕🖕🖕🖕")]
    [InlineData("🖕🏿🖕🏿 you")]
    [InlineData("😂🖕")]
    public void An_emoji_matches_alone_glued_repeated_with_a_skin_tone_or_beside_another(string text) =>
        Assert.Equal(["profanity"], Features(text));

    [Fact]
    public void A_negated_emoji_is_a_negated_hit() => Assert.Equal(["profanity@negated"], Features("not 🖕"));

    [Fact]
    public void Emoji_for_groups_traits_and_weapons_count_only_in_their_conjunctions()
    {
        Assert.Equal([HarmLexicon.GroupCategory + "+" + HarmLexicon.TraitCategory], Features("🏳️‍🌈 are 🐀"));
        Assert.Equal([HarmLexicon.GroupCategory + "+" + HarmLexicon.TraitCategory], Features("gays 🤮🤮"));
        Assert.Empty(Features("🐀 in the kitchen again 🤮"));
        Assert.Equal([HarmLexicon.IntentCategory + "+" + HarmLexicon.ViolenceCategory], Features("I will 🔪 you"));
        Assert.Empty(Features("🔪 the onions first"));
    }

    [Fact]
    public void Other_emoji_and_symbols_match_nothing_and_words_still_match_beside_them() =>
        Assert.Equal(["insult"], Features("🙂 ★ you idiot 🎉"));
}
