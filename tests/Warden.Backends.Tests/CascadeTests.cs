using Warden.Backends.Cascade;
using Warden.Core;

namespace Warden.Backends.Tests;

public class CascadeTests
{
    // The fast score is encoded in the text ("0.45 ..."), so each test states exactly what the fast scorer says.
    private static float Encoded(string text) => float.Parse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    private static FakeScorer Fast() => new("fast", Encoded);

    [Fact]
    public void Only_texts_in_the_uncertainty_band_escalate_and_their_scores_come_from_the_slow_backend()
    {
        var fast = Fast();
        var slow = new FakeScorer("slow", _ => 0.99f);
        var cascade = new CascadeScorer(fast, slow, CascadeBands.Uniform(0.3f, 0.7f));
        var texts = new[] { "0.05 clear", "0.3 low edge", "0.5 unsure", "0.69 unsure", "0.7 high edge", "0.95 clear" };

        var results = cascade.ScoreBatch(texts);

        Assert.Equal(["0.3 low edge", "0.5 unsure", "0.69 unsure"], slow.Seen.ToArray());
        Assert.Equal([0.05f, 0.99f, 0.99f, 0.99f, 0.7f, 0.95f], results.Select(r => r[HarmAttribute.Toxicity]));
        Assert.Equal(new CascadeStats(6, 3, 0), cascade.Stats);
        Assert.Equal(0.5, cascade.Stats.EscalationRate);
    }

    [Fact]
    public void A_text_scores_the_same_alone_as_in_any_batch()
    {
        var cascade = new CascadeScorer(Fast(), new FakeScorer("slow", t => t.Length / 100f), CascadeBands.Uniform(0.3f, 0.7f));
        var texts = new[] { "0.1 a", "0.5 bb", "0.9 ccc", "0.4 dddd", "0.6 eeeee" };
        var batch = cascade.ScoreBatch(texts);
        var reversed = cascade.ScoreBatch(texts.Reverse().ToArray()).Reverse().ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            var alone = cascade.Score(texts[i]);
            Assert.Equal(alone.Scores, batch[i].Scores);
            Assert.Equal(alone.Scores, reversed[i].Scores);
        }
    }

    [Fact]
    public void The_slow_backend_replaces_only_the_attributes_it_judges_aligned_to_the_fast_threshold()
    {
        var fast = Fast();
        // A judge of threat only, whose own threshold is 0.8: its 0.8 must land on the fast threshold 0.5.
        var slow = new FakeScorer("judge", _ => 0.8f, threshold: 0.8f, covers: [HarmAttribute.Threat]);
        var cascade = new CascadeScorer(fast, slow, CascadeBands.Uniform(0.3f, 0.7f));
        var result = cascade.Score("0.5 unsure");
        Assert.Equal(0.5f, result[HarmAttribute.Threat], 5);
        Assert.Equal(0.5f, result[HarmAttribute.Insult]); // the fast score, untouched
        Assert.Equal(0.25f, CascadeScorer.AlignThreshold(0.4f, 0.8f, 0.5f), 5);
        Assert.Equal(0.75f, CascadeScorer.AlignThreshold(0.9f, 0.8f, 0.5f), 5);
    }

    [Fact]
    public void A_failing_slow_backend_leaves_the_fast_scores_and_is_counted()
    {
        var slow = new FakeScorer("slow", _ => 1f) { Fails = t => t.Contains("bad") };
        var failures = new List<Exception>();
        var cascade = new CascadeScorer(Fast(), slow, CascadeBands.Uniform(0.3f, 0.7f)) { OnSlowFailure = failures.Add };
        var results = cascade.ScoreBatch(["0.5 bad", "0.5 good", "0.1 clear"]);
        Assert.Equal([0.5f, 1f, 0.1f], results.Select(r => r[HarmAttribute.Toxicity]));
        Assert.Equal(1, cascade.Stats.SlowFailures);
        Assert.NotEmpty(failures);
    }

    [Fact]
    public void Bands_are_fitted_where_the_fast_scorer_reaches_the_target_precision_and_npv()
    {
        // Scores 0.00..0.99; texts below 0.3 are all negative, above 0.7 all positive, in between mixed.
        var scores = Enumerable.Range(0, 100).Select(i => i / 100f).ToArray();
        var labels = scores.Select((s, i) => s >= 0.7f || (s >= 0.3f && i % 2 == 0)).ToArray();
        var band = CascadeBands.FitAttribute(scores, labels, target: 0.95);
        // Everything ≥ High is ≥ 95% positive: a few mixed texts just below 0.7 may join; likewise below Low.
        Assert.InRange(band.High, 0.62f, 0.70f);
        Assert.InRange(band.Low, 0.30f, 0.38f);
        var above = scores.Select((s, i) => (s, l: labels[i])).Where(x => x.s >= band.High).ToArray();
        Assert.True(above.Count(x => x.l) / (double)above.Length >= 0.95);
        var below = scores.Select((s, i) => (s, l: labels[i])).Where(x => x.s < band.Low).ToArray();
        Assert.True(below.Count(x => !x.l) / (double)below.Length >= 0.95);
    }

    [Fact]
    public void A_perfect_fast_scorer_gets_an_empty_band_and_unlabelled_attributes_never_escalate()
    {
        var band = CascadeBands.FitAttribute([0.1f, 0.2f, 0.8f, 0.9f], [false, false, true, true]);
        Assert.False(band.Contains(0.5f));
        Assert.False(band.Contains(0.15f));

        var scores = new[] { new float[8], new float[8] };
        var labels = new[] { new AttributeLabels().Set(HarmAttribute.Toxicity, 1f), new AttributeLabels().Set(HarmAttribute.Toxicity, 0f) };
        var bands = CascadeBands.Fit(scores, labels);
        Assert.Equal(AttributeBand.Empty, bands[HarmAttribute.Threat]);
    }

    [Fact]
    public void Bands_round_trip_through_json()
    {
        using var dir = new TempDir();
        var bands = new CascadeBands(HarmAttributes.All.Select(a => new AttributeBand(0.1f * (int)a / 2, 0.5f + 0.05f * (int)a)).ToArray());
        bands.Save(dir.File("bands.json"));
        Assert.Equal(bands.Bands, CascadeBands.Load(dir.File("bands.json")).Bands);
    }

    [Fact]
    public void The_cache_answers_repeats_without_the_inner_scorer_and_evicts_the_least_recently_used()
    {
        var inner = Fast();
        var cache = new CachingScorer(inner, capacity: 2);
        cache.Score("0.1 a");
        cache.Score("0.2 b");
        cache.Score("0.1 a");        // hit; "b" is now least recently used
        cache.Score("0.3 c");        // evicts "b"
        cache.ScoreBatch(["0.1 a", "0.2 b", "0.3 c"]); // a, c hit; b scored again
        Assert.Equal(["0.1 a", "0.2 b", "0.3 c", "0.2 b"], inner.Seen.ToArray());
        Assert.Equal(3, cache.Hits);
        Assert.Equal(2, cache.Count);

        var first = cache.Score("0.3 c");
        first.Scores[0] = 42f; // a caller scribbling on its result must not change the cache
        Assert.Equal(0.3f, cache.Score("0.3 c")[HarmAttribute.Toxicity]);
    }

    [Fact]
    public void The_cache_is_safe_under_concurrent_use()
    {
        var cache = new CachingScorer(Fast(), capacity: 50);
        Parallel.For(0, 5000, i =>
        {
            var text = $"0.{i % 97:00} t";
            Assert.Equal(Encoded(text), cache.Score(text)[HarmAttribute.Toxicity]);
        });
        Assert.True(cache.Count <= 50);
    }

    [Fact]
    public void The_builder_puts_the_first_layer_outermost()
    {
        var fast = Fast();
        var slow = new FakeScorer("slow", _ => 0.9f);
        var scorer = new ScorerBuilder(fast).UseCache(100).UseCascade(slow, CascadeBands.Uniform(0.3f, 0.7f)).Build();
        var cache = Assert.IsType<CachingScorer>(scorer);
        var cascade = Assert.IsType<CascadeScorer>(cache.Inner);
        Assert.Same(fast, cascade.Fast);
        scorer.Score("0.5 x");
        scorer.Score("0.5 x");
        Assert.Single(slow.Seen);
        Assert.Equal("cascade(fast+slow)", scorer.ModelName);
    }
}

public class DecoratorEvidenceTests
{
    [Fact]
    public void Low_evidence_caveats_survive_the_cache_and_the_cascade()
    {
        var fast = new EvidenceScorer(0.5f, [HarmAttribute.Threat, HarmAttribute.Insult]);
        var slow = new EvidenceScorer(0.9f, [], covers: HarmAttribute.Threat);
        var scorer = new ScorerBuilder(fast).UseCache(10).UseCascade(slow, CascadeBands.Uniform(0.3f, 0.7f)).Build();
        var result = scorer.Score("x");
        // Threat was re-judged by the slow backend, which has no caveat; insult keeps the fast scorer's.
        Assert.Equal([HarmAttribute.Insult], result.LowEvidence);
        Assert.Equal([HarmAttribute.Insult], scorer.Score("x").LowEvidence); // from the cache
    }

    private sealed class EvidenceScorer(float score, HarmAttribute[] lowEvidence, HarmAttribute? covers = null) : IScorer, IAttributeCoverage
    {
        public string ModelName => "evidence";
        public IReadOnlyList<float> Thresholds { get; } = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray();
        public bool Covers(HarmAttribute attribute) => covers is null || covers == attribute;
        public ScoreResult Score(string text, ScoreOptions? options = null) =>
            new("en", Enumerable.Repeat(score, HarmAttributes.Count).ToArray(), null, lowEvidence);
        public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null) => texts.Select(t => Score(t)).ToArray();
    }
}
