using Warden.Core;
using Warden.Scoring.Fast;
using Warden.Scoring.Neural;

namespace Warden.Scoring.Tests;

public class NeuralAndEnsembleTests
{
    private static readonly string[] Lexicon = ["dumbass"];

    private static NeuralModel TrainTiny(int seed)
    {
        var (train, validation) = SyntheticCorpus.Build();
        var options = new NeuralTrainerOptions
        {
            BucketBits = 12, EmbeddingSize = 8, HiddenSize = 8, Epochs = 8, Seed = seed,
            EmbeddingLearningRate = 0.2f, DenseLearningRate = 0.05f,
        };
        return new NeuralTrainer().Train(train, validation, Lexicon, options, new FixedLanguage("en"));
    }

    private static byte[] Bytes(NeuralModel model)
    {
        var path = Path.Combine(Path.GetTempPath(), $"warden-neural-{Guid.NewGuid():N}.bin");
        try
        {
            model.Save(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Neural_model_learns_the_synthetic_task()
    {
        var scorer = new NeuralScorer(TrainTiny(7), new FixedLanguage("en"));
        var toxic = SyntheticCorpus.HeldOutToxic.Average(t => scorer.Score(t)[HarmAttribute.Toxicity]);
        var clean = SyntheticCorpus.HeldOutClean.Average(t => scorer.Score(t)[HarmAttribute.Toxicity]);
        Assert.True(toxic > clean + 0.3, $"toxic mean {toxic:0.000}, clean mean {clean:0.000}");
    }

    [Fact]
    public void Neural_training_is_deterministic_per_seed()
    {
        Assert.Equal(Bytes(TrainTiny(3)), Bytes(TrainTiny(3)));
        Assert.NotEqual(Bytes(TrainTiny(3)), Bytes(TrainTiny(4)));
    }

    [Fact]
    public void Neural_model_round_trips_and_scores_identically()
    {
        var model = TrainTiny(5);
        var path = Path.Combine(Path.GetTempPath(), $"warden-neural-{Guid.NewGuid():N}.bin");
        try
        {
            model.Save(path);
            Assert.True(NeuralModel.IsNeuralModelFile(path));
            var loaded = NeuralModel.Load(path);
            Assert.Equal(model.Shape, loaded.Shape);
            // Embeddings are stored as float16, dense layers as float32: scores agree closely, not bit for bit.
            var a = new NeuralScorer(model, new FixedLanguage("en")).Score("you are an idiot");
            var b = new NeuralScorer(loaded, new FixedLanguage("en")).Score("you are an idiot");
            for (var i = 0; i < HarmAttributes.Count; i++) Assert.Equal(a.Scores[i], b.Scores[i], 2);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Truncated_neural_model_is_rejected()
    {
        var bytes = Bytes(TrainTiny(5));
        var path = Path.Combine(Path.GetTempPath(), $"warden-neural-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
            Assert.Throws<InvalidDataException>(() => NeuralModel.Load(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed class ConstantScorer(float value, string language) : IScorer
    {
        public string ModelName => $"constant-{value}";
        public IReadOnlyList<float> Thresholds { get; } = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray();
        public ScoreResult Score(string text, ScoreOptions? options = null) =>
            new(language, Enumerable.Repeat(value, HarmAttributes.Count).ToArray());
        public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null) =>
            [.. texts.Select(t => Score(t, options))];
    }

    [Fact]
    public void Ensemble_averages_log_odds_and_takes_the_first_members_language()
    {
        // logit(0.8) = ln 4 and logit(0.2) = -ln 4 average to 0 → 0.5; weights 3:1 give ln 4 / 2 → 2/3.
        var equal = new EnsembleScorer([new ConstantScorer(0.8f, "de"), new ConstantScorer(0.2f, "en")]);
        var result = equal.Score("x");
        Assert.Equal("de", result.Language);
        Assert.All(result.Scores, s => Assert.Equal(0.5f, s, 4));
        var weighted = new EnsembleScorer([new ConstantScorer(0.8f, "de"), new ConstantScorer(0.2f, "en")], [3f, 1f]);
        Assert.All(weighted.Score("x").Scores, s => Assert.Equal(2f / 3f, s, 4));
        Assert.Equal("constant-0.8+constant-0.2", equal.ModelName);
    }

    [Fact]
    public void Ensemble_rejects_a_single_member_and_bad_weights()
    {
        Assert.Throws<ArgumentException>(() => new EnsembleScorer([new ConstantScorer(0.5f, "en")]));
        Assert.Throws<ArgumentException>(() => new EnsembleScorer([new ConstantScorer(0.5f, "en"), new ConstantScorer(0.5f, "en")], [1f, 0f]));
    }
}
