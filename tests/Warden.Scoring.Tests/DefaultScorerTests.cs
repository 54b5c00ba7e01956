using Warden.Core;
using Xunit.Abstractions;

namespace Warden.Scoring.Tests;

/// <summary>Behaviour of the shipped default model. No exact score values: the model is retrained from time to time.</summary>
public class DefaultScorerTests(ITestOutputHelper output)
{
    private static IScorer Scorer => DefaultModel.Scorer;

    private void Dump(string text, ScoreResult r) =>
        output.WriteLine($"{text} [{r.Language}] " + string.Join(" ", r.Named.Select(kv => $"{kv.Key}={kv.Value:0.000}"))
                         + (r.Spans.Count > 0 ? " spans: " + string.Join("; ", r.Spans.Select(s => $"{s.Attribute.WireName()} [{s.Start},{s.Start + s.Length}) '{s.Text}' {s.Score:0.00}")) : ""));

    /// <summary>Scores <paramref name="text"/>, writes its scores to the test output and checks whether it is flagged.</summary>
    private void AssertFlagged(string text, bool flagged)
    {
        var r = Scorer.Score(text);
        Dump(text, r);
        Assert.Equal(flagged, Scorer.IsFlagged(r));
    }

    [Fact]
    public void Clear_insult_scores_high_and_is_flagged()
    {
        var r = Scorer.Score("you are an idiot");
        Dump("you are an idiot", r);
        Assert.True(r[HarmAttribute.Toxicity] >= 0.5f, $"toxicity {r[HarmAttribute.Toxicity]}");
        Assert.True(r[HarmAttribute.Insult] >= 0.5f, $"insult {r[HarmAttribute.Insult]}");
        Assert.True(Scorer.IsFlagged(r));
    }

    /// <summary>
    /// Plain first-person statements of suicidal intent in English (twenty-seventh round: at full weight the per-user
    /// labels of reddit_cssrs_suicide taught "kill myself" and "suicide" to count against self_harm), beside news and
    /// prevention sentences that name suicide.
    /// </summary>
    [Theory]
    [InlineData("I want to kill myself", true)]
    [InlineData("I'm going to kill myself tonight", true)]
    [InlineData("I am going to commit suicide", true)]
    [InlineData("I want to end my life", true)]
    [InlineData("just kys already", true)]
    [InlineData("The suicide rate rose in 2020.", false)]
    [InlineData("The suicide prevention hotline is open day and night.", false)]
    public void English_first_person_suicidal_statements_score_high_on_self_harm(string text, bool selfHarm)
    {
        var r = Scorer.Score(text, new ScoreOptions { Language = "en" });
        Dump(text, r);
        Assert.Equal(selfHarm, r[HarmAttribute.SelfHarm] >= 0.5f);
    }

    /// <summary>Danish "kys" (kiss) is the English self-harm abbreviation "kys"; its everyday phrases are false friends.</summary>
    [Theory]
    [InlineData("Kys og kram fra mormor")]
    [InlineData("Giv mig et kys")]
    public void Danish_kisses_are_not_self_harm(string text) => AssertFlagged(text, false);

    /// <summary>Emoji that stand for a word (twenty-seventh round, emoji.json), beside the same emoji used harmlessly.</summary>
    [Theory]
    [InlineData("🖕", true)]
    [InlineData("gays 🤮🤮", true)]
    [InlineData("Muslims are 🐀", true)]
    [InlineData("🔪 the onions and fry them", false)]
    [InlineData("Happy Pride 🏳️‍🌈❤️", false)]
    [InlineData("my hamster 🐀 is so cute", false)]
    public void Emoji_that_stand_for_abuse_are_flagged_and_the_same_emoji_used_harmlessly_are_not(string text, bool flagged) =>
        AssertFlagged(text, flagged);

    [Fact]
    public void A_language_hint_replaces_identification_and_scores_as_that_language()
    {
        // Short English is often identified as another language ("die" is an Afrikaans, Dutch and German article).
        var fast = Assert.IsType<Fast.FastScorer>(Scorer);
        const string text = "I want to die.";
        var hinted = Scorer.Score(text, new ScoreOptions { Language = "en-GB" });
        Dump(text, hinted);
        Assert.Equal("en", hinted.Language);
        Span<float> expected = stackalloc float[HarmAttributes.Count];
        fast.ScoreInto(text, "en", expected);
        Assert.Equal(expected.ToArray(), hinted.Scores);
        // The batch path and the ensemble honour it too, and without a hint each text is identified as before.
        Assert.All(Scorer.ScoreBatch([text, "Das ist gut."], new ScoreOptions { Language = "en" }), r => Assert.Equal("en", r.Language));
        Assert.Equal("de", Scorer.Score("Das ist ein sehr schönes Haus.").Language);
        var ensemble = new EnsembleScorer([Scorer, Scorer]);
        Assert.Equal("tr", ensemble.Score(text, new ScoreOptions { Language = "tr", Spans = true }).Language);
    }

    [Fact]
    public void Polite_text_is_not_flagged()
    {
        var r = Scorer.Score("thank you for your help");
        Dump("thank you for your help", r);
        Assert.False(Scorer.IsFlagged(r));
        Assert.True(r[HarmAttribute.Toxicity] < 0.5f);
    }

    // Fourteenth round: vermin phrases in the harm lexicon ("sind Ratten", "son ratas") flagged these literal
    // sentences, since a copula or an existential "sind" reads the same with or without a group; they were reverted
    // (docs/models.md). These cases keep any later attempt honest.
    [Theory]
    [InlineData("There are rats in the basement.")]
    [InlineData("Im Keller sind Ratten.")]
    [InlineData("Da sind Ratten im Keller.")]
    [InlineData("Ratten sind kluge Tiere.")]
    [InlineData("Los gatos cazan ratas.")]
    public void Literal_sentences_about_vermin_are_not_flagged(string text) => AssertFlagged(text, false);

    // Twentieth round: literal_pests.json masks phrases such as "intestinal parasites" like the false friends; a phrase
    // over the dehumanising word also cancels its lexicon hit, wherever in the phrase the word is (since the twenty-first
    // round a plain hit waits for the end of its clause); the same word said of people is still one, also in the clause
    // of such a phrase.
    [Theory]
    [InlineData("Intestinal parasites are common in puppies.", false)]
    [InlineData("Ho comprato una trappola per scarafaggi.", false)]
    [InlineData("Our vet checks for parasites in dogs every spring.", false)]
    [InlineData("Wir hatten Parasiten bei Hunden im Tierheim.", false)]
    [InlineData("These migrants are parasites.", true)]
    [InlineData("Sono scarafaggi, tutti quanti.", true)]
    [InlineData("These migrants are parasites, like parasites in dogs.", true)]
    public void Literal_pest_phrases_cancel_the_dehumanising_hit(string text, bool dehumanising)
    {
        var pipeline = Assert.IsType<Warden.Scoring.Fast.FastScorer>(Scorer).Pipeline;
        var hits = pipeline.Harm.Explain(Warden.Scoring.Fast.FeaturePipeline.ForScoring(text));
        output.WriteLine($"{text}: {string.Join(", ", hits)}");
        Assert.Equal(dehumanising, hits.Any(h => h.Category == "dehumanising"));
    }

    // A sentence with evidence the lexicon sees in plain context keeps its own scores in a longer text, for the attribute
    // the evidence explains and toxicity. Twenty-first round: a threat phrase or an intent + violence pair ("Die gehören
    // alle aufgehängt." 0.64 alone, 0.05 after one sentence about the government before). Twenty-second round: an
    // insult, slur or dehumanising word; pleasantries in other sentences no longer dilute it ("You are a complete
    // idiot." 0.76 alone, 0.35 in the English text below before).
    [Theory]
    [InlineData("Die Regierung hat wieder versagt, die Grenzen sind offen und keiner tut was. ", "Die gehören alle aufgehängt.", "", HarmAttribute.Threat)]
    [InlineData("I have had enough of this place. ", "I'm going to kill you.", " Nobody will stop me.", HarmAttribute.Threat)]
    [InlineData("Ya no aguanto más a ese tipo.\n", "Voy a matarlo.", "", HarmAttribute.Threat)]
    [InlineData("Thanks for the update on the meeting schedule. ", "You are a complete idiot.", " See you on Monday at the office.", HarmAttribute.Insult)]
    [InlineData("Gracias por avisar lo de la reunión del lunes. ", "Eres un imbécil de verdad.", " Nos vemos en la oficina a las nueve.", HarmAttribute.Insult)]
    [InlineData("Спасибо, что напомнил про встречу в понедельник. ", "Ты полный идиот.", " Увидимся в офисе в девять.", HarmAttribute.Insult)]
    [InlineData("We moved here last spring and the school is lovely.\n", "Those immigrants are filthy vermin, every single one of them.", "\nAnyway, the garden is finally done.", HarmAttribute.IdentityAttack)]
    public void Abuse_is_not_drowned_by_the_sentences_around_it(string before, string abuse, string after, HarmAttribute explained)
    {
        var alone = Scorer.Score(abuse);
        var inText = Scorer.Score(before + abuse + after);
        Dump(abuse, alone);
        Dump(before + abuse + after, inText);
        Assert.True(Scorer.IsFlagged(alone), "the abusive sentence alone is flagged");
        Assert.True(Scorer.IsFlagged(inText), "the text with the abusive sentence is flagged");
        foreach (var attribute in new[] { explained, HarmAttribute.Toxicity })
            Assert.True(inText[attribute] >= alone[attribute] - 0.02f,
                $"{attribute.WireName()} {inText[attribute]:0.00} in the text against {alone[attribute]:0.00} alone");
    }

    // Only a plain hit is evidence: a negated or quoted insult gives its sentence no score of its own.
    [Theory]
    [InlineData("You are not an idiot. Everyone gets confused by tax forms the first time.")]
    [InlineData("Thanks for the update on the meeting schedule. See you on Monday at the office.")]
    public void Texts_without_plain_abuse_are_not_raised_by_a_sentence(string text) => AssertFlagged(text, false);

    [Fact]
    public void Scores_are_probabilities_and_thresholds_are_sane()
    {
        Assert.Equal(HarmAttributes.Count, Scorer.Thresholds.Count);
        Assert.All(Scorer.Thresholds, t => Assert.InRange(t, 0.01f, 0.99f));
        Assert.False(string.IsNullOrWhiteSpace(Scorer.ModelName));
        foreach (var text in new[] { "", " ", "you are an idiot", "😀😀😀", new string('a', 10_000), "\u0000\u0001 control" })
        {
            var r = Scorer.Score(text);
            Assert.Equal(HarmAttributes.Count, r.Scores.Length);
            Assert.All(r.Scores, s => Assert.InRange(s, 0f, 1f));
            Assert.False(string.IsNullOrEmpty(r.Language));
        }
    }

    [Theory]
    [InlineData("!")]
    [InlineData("!!!")]
    [InlineData("?! ...")]
    [InlineData("«»")]
    public void Punctuation_alone_scores_as_an_empty_text(string text)
    {
        var r = Scorer.Score(text);
        Dump(text, r);
        Assert.Equal(Scorer.Score("").Scores, r.Scores);
        Assert.False(Scorer.IsFlagged(r));
    }

    [Fact]
    public void Punctuation_still_counts_beside_words_and_in_obfuscated_ones()
    {
        Assert.NotEqual(Scorer.Score("!").Scores, Scorer.Score("no!").Scores);
        Assert.True(Scorer.IsFlagged(Scorer.Score("sh!t")));
    }

    [Fact]
    public void Null_text_is_rejected() => Assert.Throws<ArgumentNullException>(() => Scorer.Score(null!));

    [Fact]
    public void Same_input_gives_same_output()
    {
        const string text = "what a stupid idea, you moron";
        var first = Scorer.Score(text, new ScoreOptions { Spans = true });
        for (var i = 0; i < 5; i++)
        {
            var again = Scorer.Score(text, new ScoreOptions { Spans = true });
            Assert.Equal(first.Scores, again.Scores);
            Assert.Equal(first.Language, again.Language);
            Assert.Equal(first.Spans, again.Spans);
        }
    }

    private static List<string> OtherTexts(int count)
    {
        var random = new Random(11);
        string[] words = ["the", "idiot", "weather", "you", "are", "great", "stupid", "thanks", "das", "ist", "schön", "puta", "merci", "f*ck", "kill", "love", "hate", "muslims", "women"];
        return [.. Enumerable.Range(0, count).Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(1, 15)).Select(_ => words[random.Next(words.Length)])))];
    }

    [Theory]
    [InlineData("you are an idiot")]
    [InlineData("thank you for your help")]
    [InlineData("Das ist eine ganz normale Nachricht über das Wetter.")]
    public void Batch_independence_score_alone_equals_score_inside_a_parallel_batch(string text)
    {
        var alone = Scorer.Score(text);
        var batch = OtherTexts(200);
        batch.Insert(137, text);
        var results = Scorer.ScoreBatch(batch);
        Assert.Equal(batch.Count, results.Count);
        Assert.Equal(alone.Scores, results[137].Scores);
        Assert.Equal(alone.Language, results[137].Language);
        // And every batch result belongs to its own text.
        for (var i = 0; i < batch.Count; i += 17) Assert.Equal(Scorer.Score(batch[i]).Scores, results[i].Scores);
    }

    [Fact]
    public void Small_batch_equals_individual_scores()
    {
        var texts = OtherTexts(10);
        var results = Scorer.ScoreBatch(texts, new ScoreOptions { Spans = true });
        for (var i = 0; i < texts.Count; i++)
        {
            var single = Scorer.Score(texts[i], new ScoreOptions { Spans = true });
            Assert.Equal(single.Scores, results[i].Scores);
            Assert.Equal(single.Spans, results[i].Spans);
        }
        Assert.Empty(Scorer.ScoreBatch([]));
    }

    [Fact]
    public void Thread_safety_eight_threads_scoring_the_same_list_agree()
    {
        var texts = OtherTexts(300);
        var expected = texts.Select(t => Scorer.Score(t, new ScoreOptions { Spans = true })).ToList();
        var results = new List<ScoreResult>[8];
        using var start = new Barrier(8);
        var threads = Enumerable.Range(0, 8).Select(k => new Thread(() =>
        {
            start.SignalAndWait();
            var mine = new List<ScoreResult>(texts.Count);
            foreach (var t in texts) mine.Add(Scorer.Score(t, new ScoreOptions { Spans = true }));
            results[k] = mine;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        for (var k = 0; k < 8; k++)
        {
            Assert.NotNull(results[k]);
            for (var i = 0; i < texts.Count; i++)
            {
                Assert.Equal(expected[i].Scores, results[k][i].Scores);
                Assert.Equal(expected[i].Language, results[k][i].Language);
                Assert.Equal(expected[i].Spans, results[k][i].Spans);
            }
        }
    }

    [Fact]
    public void Score_returns_the_language_code()
    {
        var r = Scorer.Score("Thank you very much for the wonderful dinner yesterday, we all enjoyed it a lot.");
        Assert.Equal("en", r.Language);
        var de = Scorer.Score("Vielen Dank für das wunderbare Abendessen gestern, es hat uns allen sehr gefallen.");
        Assert.Equal("de", de.Language);
    }

    // Harm-lexicon words and phrases are reported for the attributes their category explains, even where the model
    // trusts them only together with their neighbours ("you" in Warden's templates, not the insult, scored alone).
    [Theory]
    [InlineData("אתה ד.ב.י.ל", "insult", "ד.ב.י.ל")]
    [InlineData("I hope you die in a fire.", "threat", "hope you die")]
    [InlineData("Immigrants are an inferior race.", "identity_attack", "inferior race")]
    public void Spans_cover_the_lexicon_words_and_phrases_that_explain_a_flag(string text, string attribute, string covered)
    {
        var r = Scorer.Score(text, new ScoreOptions { Spans = true });
        Dump(text, r);
        Assert.Contains(r.Spans, s => s.Attribute.WireName() == attribute && s.Text.Contains(covered, StringComparison.Ordinal));
    }

    // A negated insult was masked out of the text's n-grams, so it is no driver even though it scores high alone.
    // ("You are not an idiot. You are a moron." scores 0.48 since the twenty-first round's model and is not flagged.)
    [Theory]
    [InlineData("You are not an idiot. You are a stupid moron.", "moron", "idiot")]
    [InlineData("Du bist kein Idiot, du bist ein Arschloch.", "Arschloch", "Idiot")]
    public void Spans_leave_out_negated_words(string text, string reported, string negated)
    {
        var r = Scorer.Score(text, new ScoreOptions { Spans = true });
        Dump(text, r);
        Assert.Contains(r.Spans, s => s.Text.Contains(reported, StringComparison.Ordinal));
        Assert.DoesNotContain(r.Spans, s => s.Text.Contains(negated, StringComparison.Ordinal));
    }

    [Fact]
    public void No_spans_unless_asked()
    {
        Assert.Empty(Scorer.Score("you are such an idiot").Spans);
        Assert.Empty(Scorer.Score("thank you for your help", new ScoreOptions { Spans = true }).Spans);
    }

    private static void AssertSpanCovers(string text, ScoreResult r, string expected, params HarmAttribute[] attributes)
    {
        var start = text.IndexOf(expected, StringComparison.Ordinal);
        Assert.True(start >= 0);
        var span = r.Spans.FirstOrDefault(s => attributes.Contains(s.Attribute) && s.Start == start && s.Length == expected.Length);
        Assert.True(span is not null,
            $"no {string.Join("/", attributes)} span [{start},{start + expected.Length}) '{expected}' in: "
            + string.Join("; ", r.Spans.Select(s => $"{s.Attribute.WireName()} [{s.Start},{s.Start + s.Length}) '{s.Text}'")));
        Assert.Equal(expected, span!.Text);
        Assert.Equal(expected, text.Substring(span.Start, span.Length));
        Assert.InRange(span.Score, 0f, 1f);
    }

    [Fact]
    public void Span_covers_exactly_the_insult()
    {
        const string text = "you are such an idiot";
        var r = Scorer.Score(text, new ScoreOptions { Spans = true });
        Dump(text, r);
        AssertSpanCovers(text, r, "idiot", HarmAttribute.Toxicity, HarmAttribute.Insult);
        // Every span is a valid range of the original text and reports its own text.
        Assert.All(r.Spans, s =>
        {
            Assert.InRange(s.Start, 0, text.Length - 1);
            Assert.InRange(s.Start + s.Length, s.Start + 1, text.Length);
            Assert.Equal(text.Substring(s.Start, s.Length), s.Text);
        });
    }

    [Fact]
    public void Span_of_an_obfuscated_insult_maps_back_to_the_original_characters()
    {
        const string text = "you are an 1d10t";
        var r = Scorer.Score(text, new ScoreOptions { Spans = true });
        Dump(text, r);
        AssertSpanCovers(text, r, "1d10t", HarmAttribute.Toxicity, HarmAttribute.Insult);
    }

    [Fact]
    public void Span_of_spaced_out_profanity_covers_the_spaced_letters()
    {
        // About offsets: "f u c k you" sits at the profanity threshold (0.49 since the twenty-sixth round's lexicon), this
        // one well above it.
        const string text = "what the f u c k";
        var r = Scorer.Score(text, new ScoreOptions { Spans = true });
        Dump(text, r);
        AssertSpanCovers(text, r, "f u c k", HarmAttribute.Profanity);
    }

    [Fact]
    public void Spans_in_a_longer_text_point_into_the_original_string()
    {
        // About offsets, not judgement: since the seventh round the sarcastically polite "... Have a nice day." ending
        // pulls this text to 0.45 (a weakness listed in the model card), so it ends otherwise.
        const string text = "Well, I read your post.   Honestly, you are such an IDIOT!!! Nobody cares.";
        var r = Scorer.Score(text, new ScoreOptions { Spans = true });
        Dump(text, r);
        Assert.NotEmpty(r.Spans);
        Assert.All(r.Spans, s => Assert.Equal(text.Substring(s.Start, s.Length), s.Text));
        Assert.Contains(r.Spans, s => s.Text.Contains("IDIOT", StringComparison.Ordinal));
    }

    // Death wishes and intimidation without a swear word (eighth round: the harm lexicon's threat phrases). Before
    // them, "I hope you die in a fire." scored threat 0.28 and was not flagged.
    [Theory]
    [InlineData("I hope you die in a fire.", "en")]
    [InlineData("Someone should shoot him!", "en")]
    [InlineData("Ich hoffe, du stirbst.", "de")]
    [InlineData("Ojalá te mueras.", "es")]
    public void Death_wishes_and_calls_to_shoot_are_flagged_as_threats(string text, string language)
    {
        var r = Scorer.Score(text);
        Dump(text, r);
        Assert.True(Scorer.IsFlagged(r));
        Assert.True(r[HarmAttribute.Threat] >= 0.5f, $"threat {r[HarmAttribute.Threat]:0.00}");
        Assert.Equal(language, r.Language);
    }

    // Harmless idioms with a violent word cancel the threat phrases they overlap (seventeenth round); before, "Voy a
    // matar el tiempo leyendo un libro." scored toxicity 0.79. A threat beside an idiom is still one.
    [Theory]
    [InlineData("Voy a matar el tiempo leyendo un libro.", false)]
    [InlineData("I'm going to kill time at the airport.", false)]
    [InlineData("I will kill this exam", false)]                          // twenty-seventh round's idioms
    [InlineData("I'm going to shoot some hoops later", false)]
    [InlineData("Te voy a matar.", true)]
    [InlineData("I will kill you before you kill me.", true)]
    [InlineData("Voy a matar el tiempo y luego te voy a matar.", true)] // the idiom gives no cover to the threat after it
    [InlineData("I'm going to kill time, you idiot.", true)]              // nor to an insult
    public void Violent_idioms_are_not_threats_and_threats_beside_them_still_are(string text, bool flagged) =>
        AssertFlagged(text, flagged);

    // A curly apostrophe before a clitic ("’n", the Afrikaans article) opened a quotation, and the insult after it was
    // read as reported speech: toxicity 0.48 against 0.81 with a straight apostrophe.
    [Fact]
    public void An_insult_after_a_curly_apostrophe_clitic_is_flagged()
    {
        var curly = Scorer.Score("Jy is ’n idioot.");
        Assert.True(Scorer.IsFlagged(curly));
        Assert.Equal(Scorer.Score("Jy is 'n idioot.")[HarmAttribute.Toxicity], curly[HarmAttribute.Toxicity]);
    }

    // Direct threats in the future and intent forms of each language (threat lists, eighteenth round), beside the same
    // constructions with a harmless verb.
    [Theory]
    [InlineData("Ik ga je vermoorden.", true)]
    [InlineData("Te voi omorî.", true)]
    [InlineData("Zrobię ci krzywdę.", true)]
    [InlineData("Meg foglak ölni.", true)]
    [InlineData("Ich werde dich vermissen.", false)]
    [InlineData("Te voi suna mâine.", false)]
    public void Direct_threats_in_future_forms_are_flagged(string text, bool flagged) =>
        AssertFlagged(text, flagged);

    // Threats against a third person or a group (harm_lexicon.json, nineteenth round), beside the same frames with a
    // harmless verb. Before the round "I will stab her.", "Vou matar ele amanhã." and "Zabiję go jutro." were not flagged.
    [Theory]
    [InlineData("I will stab her.", true)]
    [InlineData("Vou matar ele amanhã.", true)]
    [InlineData("Zabiję go jutro.", true)]
    [InlineData("Je vais le tuer ce soir.", true)]
    [InlineData("I will visit her tomorrow.", false)]
    [InlineData("Vou ligar para ele amanhã.", false)]
    [InlineData("Zadzwonię do niego jutro.", false)]
    [InlineData("Je vais le voir ce soir.", false)]
    public void Threats_against_a_third_person_are_flagged(string text, bool flagged) =>
        AssertFlagged(text, flagged);

    // Words spelled like another language's insult, in their everyday sense (false_friends.json, eighteenth round),
    // beside the insult itself.
    [Theory]
    [InlineData("Désolé pour le retard.", false)]
    [InlineData("Il est en retard.", false)]
    [InlineData("Tengo un gato negro.", false)]
    [InlineData("Pane e burro per colazione.", false)]
    [InlineData("You are a retard.", true)]
    public void False_friends_are_not_flagged_and_the_insult_still_is(string text, bool flagged) =>
        AssertFlagged(text, flagged);

    // "burro" (donkey) calls someone stupid in Portuguese and Spanish; only the insulting phrases are in the harm lexicon,
    // so a negation masks them ("não é burro" scored 0.50 before they were).
    [Theory]
    [InlineData("Você é burro.", true)]
    [InlineData("Eres un burro.", true)]
    [InlineData("Você não é burro, só precisa de mais prática.", false)]
    [InlineData("No eres un burro, solo te falta práctica.", false)]
    public void Burro_as_an_insult_is_flagged_and_negated_is_not(string text, bool flagged) =>
        AssertFlagged(text, flagged);

    // Short informal texts, which the language identifier's web prose alone answered with und, es → ca or en → hi.
    [Theory]
    [InlineData("Eres un idiota.", "es")]
    [InlineData("Sei un idiota.", "it")]
    [InlineData("Tu es un connard.", "fr")]
    [InlineData("Muslims are terrorists.", "en")]
    [InlineData("I hope you die.", "en")]
    public void Short_informal_texts_get_their_language(string text, string language) =>
        Assert.Equal(language, Scorer.Score(text).Language);

    // Letters split by dots or hyphens in any alphabetic script, and leet digits among them, are read as one word.
    [Theory]
    [InlineData("אתה ד.ב.י.ל")]
    [InlineData("you are a 1-d-1-o-t")]
    [InlineData("Ти си и.д.и.о.т")]
    public void Insults_split_into_letters_are_flagged(string text)
    {
        var r = Scorer.Score(text);
        Dump(text, r);
        Assert.True(Scorer.IsFlagged(r));
    }

    // Hatred and disgust said of a group, in languages the labelled data barely cover (the harm lexicon's contempt
    // category, eleventh round), beside the same words aimed at things.
    [Theory]
    [InlineData("Odio a los inmigrantes.", true)]
    [InlineData("Ich hasse Ausländer.", true)]
    [InlineData("Μισώ τους μετανάστες.", true)]
    [InlineData("Les musulmans sont dégoûtants.", true)]
    [InlineData("I loathe cold coffee.", false)]
    [InlineData("Non sopporto il traffico.", false)]
    public void Hatred_of_a_group_is_flagged_and_of_a_thing_is_not(string text, bool flagged) =>
        AssertFlagged(text, flagged);

    // Inferiority without a swear word (the harm lexicon's dehumanising phrases), and its negation. Where no group is
    // named ("They ...") identity_attack need not reach 0.5 (0.48 since the toxicity stacking of the twenty-fourth
    // round, 0.63 before), but it must still outrank insult: the sentence is about a kind of people, not one person.
    [Theory]
    [InlineData("They are genetically inferior.", true, 0.4f)]
    [InlineData("Immigrants are an inferior race.", true, 0.5f)]
    [InlineData("Flüchtlinge sind eine minderwertige Rasse.", true, 0.5f)]
    [InlineData("Immigrants are not an inferior race.", false, 0f)]
    public void Statements_of_inferiority_are_identity_attacks(string text, bool attack, float minimumIdentityAttack)
    {
        var r = Scorer.Score(text);
        Dump(text, r);
        Assert.Equal(attack, Scorer.IsFlagged(r));
        if (!attack) return;
        Assert.True(r[HarmAttribute.IdentityAttack] >= minimumIdentityAttack, $"identity_attack {r[HarmAttribute.IdentityAttack]:0.00}");
        Assert.True(r[HarmAttribute.IdentityAttack] > r[HarmAttribute.Insult], $"identity_attack {r[HarmAttribute.IdentityAttack]:0.00}, insult {r[HarmAttribute.Insult]:0.00}");
    }

    [Theory]
    [InlineData("f u c k you f u c k")]
    [InlineData("s h i t s h i t s h i t")]
    [InlineData("f.u.c.k you, you f*cking 1d10t")]
    [InlineData("idiot idiot idiot IDIOT!!!idiot")]
    [InlineData("a s s h o l e and b i t c h")]
    [InlineData("ｙｏｕ ａｒｅ ａｎ ｉｄｉｏｔ")]
    [InlineData("you are an idiot 😀😀 ❤️ idiot")]
    [InlineData("Du bist ein Idiot, du Arschloch!")]
    [InlineData("   idiot   ")]
    public void Spans_of_tricky_texts_are_valid_ranges_of_the_original(string text)
    {
        var r = Scorer.Score(text, new ScoreOptions { Spans = true });
        Dump(text, r);
        Assert.All(r.Spans, s =>
        {
            Assert.InRange(s.Start, 0, text.Length - 1);
            Assert.InRange(s.Length, 1, text.Length - s.Start);
            Assert.Equal(text.Substring(s.Start, s.Length), s.Text);
            Assert.True(Scorer.IsFlagged(r));
        });
        // Spans of one attribute never overlap.
        foreach (var group in r.Spans.GroupBy(s => s.Attribute))
        {
            var ordered = group.OrderBy(s => s.Start).ToList();
            for (var i = 1; i < ordered.Count; i++) Assert.True(ordered[i].Start >= ordered[i - 1].Start + ordered[i - 1].Length);
        }
    }

    // Group names are masked into one stand-in with no weight of its own (HarmLexicon.MasksGroupWords).
    [Theory]
    [InlineData("immigrants")]
    [InlineData("Muslims")]
    [InlineData("Many immigrants work in our hospitals.")]
    [InlineData("Flüchtlinge")]
    [InlineData("Gli immigrati hanno aperto un nuovo ristorante.")]
    [InlineData("Los musulmanes celebran el fin del Ramadán.")]
    public void Naming_a_group_is_not_flagged(string text) => AssertFlagged(text, false);

    [Fact]
    public void Loading_a_missing_model_throws_FileNotFoundException_with_a_clear_message()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Warden.Scoring.Scorer.Load("no-such-model"));
        Assert.Contains("no-such-model", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Loading_a_model_by_file_path_and_by_folder_works()
    {
        var path = Warden.Scoring.Scorer.ResolveModelPath(Warden.Scoring.Scorer.DefaultModel);
        Assert.True(File.Exists(path));
        Assert.EndsWith(Warden.Scoring.Scorer.ModelFileName, path);
        Assert.Equal(path, Warden.Scoring.Scorer.ResolveModelPath(Path.GetDirectoryName(path)!));
    }
}
