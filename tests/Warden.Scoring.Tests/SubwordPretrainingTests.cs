using System.Numerics.Tensors;
using Warden.Scoring.Fast;
using Warden.Scoring.Neural;

namespace Warden.Scoring.Tests;

public class SubwordPretrainingTests
{
    private const int Dimensions = 16;

    /// <summary>
    /// "wug" and "blicket" only ever stand between the same words; "zorp" stands between others. A skip-gram
    /// has to bring the first two together, which a table left as drawn does not.
    /// </summary>
    private static string[] Corpus()
    {
        var random = new Random(1);
        string[] leftA = ["the", "a", "my", "your", "that"], rightA = ["runs", "sleeps", "eats", "barks", "jumps"];
        string[] leftB = ["seven", "green", "quickly", "under", "beyond"], rightB = ["melts", "glows", "rusts", "hums", "folds"];
        var texts = new List<string>();
        for (var i = 0; i < 3000; i++)
        {
            var (left, right) = i % 3 == 2 ? (leftB, rightB) : (leftA, rightA);
            var word = (i % 3) switch { 0 => "wug", 1 => "blicket", _ => "zorp" };
            texts.Add($"{left[random.Next(5)]} {word} {right[random.Next(5)]} {left[random.Next(5)]}");
        }
        return [.. texts];
    }

    private static (float[] Table, FeatureHasher Hasher) Pretrain(int epochs, int seed = 3)
    {
        var hasher = new FeatureHasher(14);
        var random = new Random(9);
        var table = new float[hasher.Buckets * Dimensions];
        for (var i = 0; i < table.Length; i++) table[i] = (random.NextSingle() * 2 - 1) * 0.05f;
        var options = new SubwordPretrainingOptions { Epochs = epochs, Window = 2, Negatives = 5, LearningRate = 0.05f, SubsampleThreshold = 1 };
        SubwordPretraining.Run(Corpus(), hasher, null, table, Dimensions, options, seed);
        return (table, hasher);
    }

    private static float[] WordVector(float[] table, FeatureHasher hasher, string word)
    {
        var features = new int[hasher.MaxFeatures(word.Length)];
        var count = hasher.Extract(word, features);
        var vector = new float[Dimensions];
        foreach (var f in features.AsSpan(0, count)) TensorPrimitives.Add(vector, table.AsSpan(f * Dimensions, Dimensions), vector);
        return vector;
    }

    private static float Similarity(float[] table, FeatureHasher hasher, string a, string b) =>
        TensorPrimitives.CosineSimilarity(WordVector(table, hasher, a), WordVector(table, hasher, b));

    [Fact]
    public void Words_in_the_same_contexts_end_up_close()
    {
        var (table, hasher) = Pretrain(epochs: 5);
        var same = Similarity(table, hasher, "wug", "blicket");
        var other = Similarity(table, hasher, "wug", "zorp");
        Assert.True(same > other + 0.3f, $"wug~blicket {same:0.000}, wug~zorp {other:0.000}");
    }

    [Fact]
    public void Zero_epochs_leave_the_table_as_drawn_and_runs_are_deterministic()
    {
        var (untouched, _) = Pretrain(epochs: 0);
        var random = new Random(9);
        var drawn = new float[untouched.Length];
        for (var i = 0; i < drawn.Length; i++) drawn[i] = (random.NextSingle() * 2 - 1) * 0.05f;
        Assert.Equal(drawn, untouched);
        Assert.Equal(Pretrain(epochs: 1).Table, Pretrain(epochs: 1).Table);
        Assert.NotEqual(Pretrain(epochs: 1).Table, Pretrain(epochs: 1, seed: 4).Table);
    }
}
