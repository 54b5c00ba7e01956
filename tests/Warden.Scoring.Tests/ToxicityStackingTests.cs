using Warden.Core;
using Warden.Scoring.Fast;

namespace Warden.Scoring.Tests;

public class ToxicityStackingTests
{
    private const int Toxicity = (int)HarmAttribute.Toxicity;
    private const int IdentityAttack = (int)HarmAttribute.IdentityAttack;

    [Fact]
    public void Apply_adds_each_attributes_share_of_the_toxicity_logit_and_leaves_toxicity_alone()
    {
        float[] logits = [2f, -1f, 0.5f, 0f, 0f, 0f, 0f, 3f];
        float[] weights = [0.9f, 0.5f, 0.25f, 0f, 0f, 0f, 0f, 1f];
        ToxicityStacking.Apply(weights, logits);
        Assert.Equal([2f, 0f, 1f, 0f, 0f, 0f, 0f, 5f], logits);
    }

    [Fact]
    public void Auroc_counts_ties_as_half()
    {
        Assert.Equal(0.75, ToxicityStacking.Auroc([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]), 6);
        Assert.Equal(0.5, ToxicityStacking.Auroc([1f, 1f], [true, false]), 6);
        Assert.Equal(1.0, ToxicityStacking.Auroc([0f, 2f, 1f], [false, true, true]), 6);
        Assert.Equal(0.5, ToxicityStacking.Auroc([0f, 1f], [true, true]), 6);
    }

    /// <summary>
    /// Validation rows in <paramref name="datasets"/> datasets: every combination of "names a group" and "is hostile",
    /// ten times each. The identity_attack logit knows only whether a group is named, the toxicity logit only whether
    /// the text is hostile; the label is <paramref name="label"/>(group, hostile).
    /// </summary>
    private static (List<float[]> Logits, List<LabeledText> Rows) GroupAndHostility(int datasets, Func<bool, bool, bool> label)
    {
        var logits = new List<float[]>();
        var rows = new List<LabeledText>();
        for (var d = 0; d < datasets; d++)
            foreach (var group in new[] { false, true })
                foreach (var hostile in new[] { false, true })
                    for (var k = 0; k < 10; k++)
                    {
                        var row = new float[HarmAttributes.Count];
                        row[IdentityAttack] = group ? 1f : -1f;
                        row[Toxicity] = hostile ? 1f : -1f;
                        logits.Add(row);
                        var labels = new AttributeLabels().Set(HarmAttribute.IdentityAttack, label(group, hostile) ? 1f : 0f).Set(HarmAttribute.Toxicity, hostile ? 1f : 0f);
                        rows.Add(new LabeledText($"set{d}", $"{d}-{group}-{hostile}-{k}", "text", "en", labels, Split.Validation));
                    }
        return (logits, rows);
    }

    [Fact]
    public void Fit_adds_toxicity_where_the_attribute_needs_hostility_as_well_as_a_group()
    {
        var (logits, rows) = GroupAndHostility(3, (group, hostile) => group && hostile);
        var weights = ToxicityStacking.Fit(logits, rows, [HarmAttribute.IdentityAttack], maxWeight: 1f, TextWriter.Null);
        Assert.True(weights[IdentityAttack] > 0f, $"λ = {weights[IdentityAttack]}");
        Assert.True(weights[IdentityAttack] < 1f, "the smallest λ that separates the classes is enough");
        Assert.Equal(0f, weights[Toxicity]);
        // Attributes no row annotates get none.
        Assert.Equal(0f, weights[(int)HarmAttribute.Threat]);
    }

    [Fact]
    public void Fit_leaves_attributes_it_is_not_asked_for_alone()
    {
        var (logits, rows) = GroupAndHostility(3, (group, hostile) => group && hostile);
        Assert.Equal(0f, ToxicityStacking.Fit(logits, rows, [HarmAttribute.Insult], maxWeight: 1f, TextWriter.Null)[IdentityAttack]);
    }

    [Fact]
    public void Fit_adds_nothing_where_toxicity_does_not_help()
    {
        var (logits, rows) = GroupAndHostility(3, (group, _) => group);
        Assert.Equal(0f, ToxicityStacking.Fit(logits, rows, [HarmAttribute.IdentityAttack], maxWeight: 1f, TextWriter.Null)[IdentityAttack]);
    }

    [Fact]
    public void Fit_needs_two_datasets_that_annotate_the_attribute_unless_told_otherwise()
    {
        var (logits, rows) = GroupAndHostility(1, (group, hostile) => group && hostile);
        Assert.Equal(0f, ToxicityStacking.Fit(logits, rows, [HarmAttribute.IdentityAttack], maxWeight: 1f, TextWriter.Null)[IdentityAttack]);
        Assert.True(ToxicityStacking.Fit(logits, rows, [HarmAttribute.IdentityAttack], maxWeight: 1f, TextWriter.Null, minDatasets: 1)[IdentityAttack] > 0f);
        var (three, threeRows) = GroupAndHostility(3, (group, hostile) => group && hostile);
        Assert.Equal(0f, ToxicityStacking.Fit(three, threeRows, [HarmAttribute.IdentityAttack], maxWeight: 1f, TextWriter.Null, minDatasets: 4)[IdentityAttack]);
    }

    [Fact]
    public void Fit_rejects_logits_that_do_not_match_the_rows()
    {
        var (logits, rows) = GroupAndHostility(3, (group, hostile) => group && hostile);
        Assert.Throws<ArgumentException>(() => ToxicityStacking.Fit(logits.Take(5).ToList(), rows, [HarmAttribute.IdentityAttack], 1f, TextWriter.Null));
    }

    private static FastModel RandomModel(List<float>? stacking)
    {
        const int bits = 12;
        var random = new Random(7);
        var weights = new float[(1 << bits) * HarmAttributes.Count];
        for (var i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextDouble() - 0.5);
        return new FastModel(new FastModelMetadata { BucketBits = bits, ToxicityStacking = stacking ?? [] }, weights);
    }

    private static FastModel RoundTrip(FastModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        return FastModel.Load(stream);
    }

    [Fact]
    public void The_fast_scorer_adds_the_stacked_share_to_its_raw_logits_and_a_saved_model_keeps_it()
    {
        List<float> stacking = [0f, 0f, 0.5f, 0.25f, 0f, 0f, 0f, 0f];
        // Both through a file, whose half-precision weights are what a loaded model scores with.
        var plain = new FastScorer(RoundTrip(RandomModel(null)), new FixedLanguage("en"));
        var stacked = new FastScorer(RoundTrip(RandomModel(stacking)), new FixedLanguage("en"));
        Assert.Equal(stacking, stacked.Model.Metadata.ToxicityStacking);

        Span<float> before = stackalloc float[HarmAttributes.Count];
        Span<float> after = stackalloc float[HarmAttributes.Count];
        plain.RawLogits("they are all the same, those people", before);
        stacked.RawLogits("they are all the same, those people", after);
        Assert.NotEqual(0f, before[Toxicity]);
        for (var a = 0; a < HarmAttributes.Count; a++)
            Assert.Equal(before[a] + stacking[a] * before[Toxicity], after[a], 5);
    }
}
