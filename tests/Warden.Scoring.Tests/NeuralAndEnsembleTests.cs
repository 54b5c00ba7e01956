using Warden.Core;
using Warden.Scoring.Fast;
using Warden.Scoring.Neural;

namespace Warden.Scoring.Tests;

public class NeuralAndEnsembleTests
{
    private static readonly string[] Lexicon = ["dumbass"];

    private static NeuralModel TrainTiny(int seed, int convFilters = 0, int pretrainEpochs = 0, float wordDropout = 0, float hiddenDropout = 0,
        EmbeddingPrecision precision = EmbeddingPrecision.Int8, int directBits = 0, bool maskWords = false)
    {
        var (train, validation) = SyntheticCorpus.Build();
        var options = new NeuralTrainerOptions
        {
            BucketBits = 12, EmbeddingSize = 8, HiddenSize = 8, Epochs = 8, Seed = seed,
            EmbeddingLearningRate = 0.2f, DenseLearningRate = 0.05f, ConvFilters = convFilters, WordCategories = convFilters > 0,
            Pretraining = new SubwordPretrainingOptions { Epochs = pretrainEpochs },
            WordDropout = wordDropout, HiddenDropout = hiddenDropout, EmbeddingPrecision = precision, DirectBits = directBits, MaskWords = maskWords,
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

    /// <summary>Loads a model from its file bytes (through a temporary file, deleted after).</summary>
    private static NeuralModel Load(byte[] bytes)
    {
        var path = Path.Combine(Path.GetTempPath(), $"warden-neural-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, bytes);
            return NeuralModel.Load(path);
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
            // Dense layers are stored as float32 and the embeddings were rounded to int8 rows before calibration: scores agree closely.
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
        Assert.Throws<InvalidDataException>(() => Load(bytes[..(bytes.Length / 2)]));
    }

    [Fact]
    public void Convolutional_model_learns_the_synthetic_task_deterministically()
    {
        var model = TrainTiny(7, convFilters: 6);
        Assert.Equal(6, model.Shape.ConvFilters);
        Assert.Contains(model.Convolution, w => w != 0);
        var scorer = new NeuralScorer(model, new FixedLanguage("en"));
        var toxic = SyntheticCorpus.HeldOutToxic.Average(t => scorer.Score(t)[HarmAttribute.Toxicity]);
        var clean = SyntheticCorpus.HeldOutClean.Average(t => scorer.Score(t)[HarmAttribute.Toxicity]);
        Assert.True(toxic > clean + 0.3, $"toxic mean {toxic:0.000}, clean mean {clean:0.000}");
        Assert.Equal(Bytes(model), Bytes(TrainTiny(7, convFilters: 6)));
        Assert.NotEqual(Bytes(model), Bytes(TrainTiny(7)));
    }

    [Fact]
    public void Pretrained_model_learns_the_synthetic_task_deterministically()
    {
        var model = TrainTiny(7, convFilters: 6, pretrainEpochs: 2);
        var scorer = new NeuralScorer(model, new FixedLanguage("en"));
        var toxic = SyntheticCorpus.HeldOutToxic.Average(t => scorer.Score(t)[HarmAttribute.Toxicity]);
        var clean = SyntheticCorpus.HeldOutClean.Average(t => scorer.Score(t)[HarmAttribute.Toxicity]);
        Assert.True(toxic > clean + 0.3, $"toxic mean {toxic:0.000}, clean mean {clean:0.000}");
        Assert.Equal(Bytes(model), Bytes(TrainTiny(7, convFilters: 6, pretrainEpochs: 2)));
        Assert.NotEqual(Bytes(model), Bytes(TrainTiny(7, convFilters: 6)));
    }

    [Theory]
    [InlineData(0.1f, 0f)]
    [InlineData(0f, 0.3f)]
    public void Model_trained_with_dropout_learns_the_synthetic_task_deterministically(float wordDropout, float hiddenDropout)
    {
        var model = TrainTiny(7, convFilters: 6, wordDropout: wordDropout, hiddenDropout: hiddenDropout);
        var scorer = new NeuralScorer(model, new FixedLanguage("en"));
        var toxic = SyntheticCorpus.HeldOutToxic.Average(t => scorer.Score(t)[HarmAttribute.Toxicity]);
        var clean = SyntheticCorpus.HeldOutClean.Average(t => scorer.Score(t)[HarmAttribute.Toxicity]);
        Assert.True(toxic > clean + 0.3, $"toxic mean {toxic:0.000}, clean mean {clean:0.000}");
        Assert.Equal(Bytes(model), Bytes(TrainTiny(7, convFilters: 6, wordDropout: wordDropout, hiddenDropout: hiddenDropout)));
        Assert.NotEqual(Bytes(model), Bytes(TrainTiny(7, convFilters: 6)));
    }

    [Theory]
    [InlineData(1f, 0f)]
    [InlineData(0f, -0.1f)]
    public void Dropout_outside_zero_to_one_is_rejected(float wordDropout, float hiddenDropout)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TrainTiny(7, wordDropout: wordDropout, hiddenDropout: hiddenDropout));
        Assert.Contains("dropout must be in [0, 1)", error.Message);
    }

    [Fact]
    public void Convolutional_model_round_trips_and_half_precision_bag_models_keep_the_first_format()
    {
        var model = TrainTiny(5, convFilters: 4, precision: EmbeddingPrecision.Half);
        var bytes = Bytes(model);
        Assert.Equal(2, BitConverter.ToInt32(bytes, 8)); // after the 8-byte magic
        Assert.Equal(1, BitConverter.ToInt32(Bytes(TrainTiny(5, precision: EmbeddingPrecision.Half)), 8));
        var loaded = Load(bytes);
        Assert.Equal(model.Shape, loaded.Shape);
        Assert.Equal(model.Convolution, loaded.Convolution);
        foreach (var text in new[] { "you are an idiot", "", "the garden was lovely today and the concert starts at noon" })
        {
            var a = new NeuralScorer(model, new FixedLanguage("en")).Score(text);
            var b = new NeuralScorer(loaded, new FixedLanguage("en")).Score(text);
            for (var i = 0; i < HarmAttributes.Count; i++) Assert.Equal(a.Scores[i], b.Scores[i], 2);
        }
        Assert.Throws<InvalidDataException>(() => Load(bytes[..(bytes.Length - 100)]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void Int8_model_round_trips_to_the_weights_it_was_calibrated_on(int convFilters)
    {
        var model = TrainTiny(5, convFilters: convFilters);
        Assert.Equal(EmbeddingPrecision.Int8, model.Precision);
        var bytes = Bytes(model);
        Assert.Equal(3, BitConverter.ToInt32(bytes, 8));
        var half = Bytes(TrainTiny(5, convFilters: convFilters, precision: EmbeddingPrecision.Half));
        var table = model.Shape.Buckets * model.Shape.EmbeddingSize;
        // 8 bytes per row of 8 values plus a 4-byte scale, against 16 bytes per row as float16 (the metadata differs
        // by a few bytes: its calibration was fitted on the rounded weights).
        var expected = half.Length - table * 2 + model.Shape.Buckets * (model.Shape.EmbeddingSize + 4) + (convFilters == 0 ? 12 : 0);
        Assert.InRange(bytes.Length, expected - 64, expected + 64);
        var loaded = Load(bytes);
        Assert.Equal(EmbeddingPrecision.Int8, loaded.Precision);
        Assert.Equal(model.Shape, loaded.Shape);
        for (var i = 0; i < model.Embeddings.Length; i++)
            Assert.True(MathF.Abs(model.Embeddings[i] - loaded.Embeddings[i]) <= 1e-6f * MathF.Max(1f, MathF.Abs(model.Embeddings[i])), $"embedding {i}");
        foreach (var text in new[] { "you are an idiot", "", "the garden was lovely today and the concert starts at noon" })
        {
            var a = new NeuralScorer(model, new FixedLanguage("en")).Score(text);
            var b = new NeuralScorer(loaded, new FixedLanguage("en")).Score(text);
            for (var i = 0; i < HarmAttributes.Count; i++) Assert.Equal(a.Scores[i], b.Scores[i], 5);
        }
        Assert.Equal(bytes, Bytes(loaded)); // saving a loaded model writes the same file
        Assert.Throws<InvalidDataException>(() => Load(bytes[..(bytes.Length / 2)]));
    }

    [Fact]
    public void Direct_lexicon_path_adds_each_hit_unscaled_and_round_trips()
    {
        var model = TrainTiny(5, convFilters: 4, directBits: 8);
        Assert.Equal(256, model.Shape.DirectRows);
        Assert.True(model.Metadata.DirectLexiconFeatures);
        var scorer = new NeuralScorer(model, new FixedLanguage("en"));
        var row = scorer.Pipeline.Hasher.WordFeature("\u0001lexicon:profanity") & (model.Shape.DirectRows - 1);
        // "dumbass" is the profanity lexicon: training gave its row weight towards toxicity.
        Assert.True(model.Direct[row * HarmAttributes.Count + (int)HarmAttribute.Toxicity] > 0.1f,
            $"direct toxicity weight {model.Direct[row * HarmAttributes.Count]:0.000}");
        var withoutDirect = new NeuralScorer(new NeuralModel(model.Metadata, model.Shape, model.Embeddings, model.Hidden, model.HiddenBias, model.Output,
            model.OutputBias, model.Convolution, model.ConvolutionBias, model.Precision), new FixedLanguage("en"));
        foreach (var text in new[] { "dumbass", "the garden was lovely today and the concert starts at noon and we talked about the museum for hours dumbass" })
        {
            var with = new float[HarmAttributes.Count];
            var without = new float[HarmAttributes.Count];
            scorer.RawLogits(text, with);
            withoutDirect.RawLogits(text, without);
            // The whole difference is the hit's row, the same in a one-word text and a long one.
            for (var a = 0; a < HarmAttributes.Count; a++) Assert.Equal(model.Direct[row * HarmAttributes.Count + a], with[a] - without[a], 4);
        }
        var loaded = Load(Bytes(model));
        Assert.Equal(model.Shape, loaded.Shape);
        Assert.Equal(model.Direct, loaded.Direct);
        var scored = scorer.Score("shut up you dumbass");
        var reloaded = new NeuralScorer(loaded, new FixedLanguage("en")).Score("shut up you dumbass");
        for (var i = 0; i < HarmAttributes.Count; i++) Assert.Equal(scored.Scores[i], reloaded.Scores[i], 5);
        Assert.Equal(Bytes(model), Bytes(TrainTiny(5, convFilters: 4, directBits: 8)));
        Assert.NotEqual(Bytes(model), Bytes(TrainTiny(5, convFilters: 4)));
    }

    [Fact]
    public void Int8_rounding_keeps_each_row_within_half_a_step()
    {
        float[] table = [0.5f, -1.27f, 0.003f, 0.9f, 0f, 0f, 0f, 0f, 2e-3f, -1e-3f, 5e-4f, 0f];
        var original = (float[])table.Clone();
        NeuralModel.RoundToInt8Rows(table, 4);
        for (var row = 0; row < 3; row++)
        {
            var scale = original.Skip(row * 4).Take(4).Max(MathF.Abs) / 127f;
            for (var i = row * 4; i < row * 4 + 4; i++)
            {
                Assert.True(MathF.Abs(table[i] - original[i]) <= scale / 2 + 1e-7f, $"value {i}: {original[i]} → {table[i]}");
                if (scale > 0) Assert.Equal(MathF.Round(table[i] / scale), table[i] / scale, 3); // a whole number of steps
            }
        }
        Assert.Equal(-1.27f, table[1], 6); // the largest magnitude of a row is kept
        Assert.Equal(0f, table[2]); // below half a step of its row
        Assert.All(table[4..8], v => Assert.Equal(0f, v)); // a zero row stays zero
        var again = (float[])table.Clone();
        NeuralModel.RoundToInt8Rows(again, 4);
        for (var i = 0; i < table.Length; i++) Assert.Equal(table[i], again[i], 6);
    }

    [Fact]
    public void The_convolution_sees_which_word_comes_first()
    {
        // Every feature of "xyzzy" embeds as (1, 0), every feature of "qvqvq" as (0, 1); one filter of width 2 asks
        // for "xyzzy" then "qvqvq". A bag of the two words could not tell the orders apart.
        var metadata = new FastModelMetadata { Name = "order", MinCharN = 1, MaxCharN = 3, TrimWordPunctuation = true, SkipBlankCharNgrams = true };
        var shape = new NeuralShape(BucketBits: 12, EmbeddingSize: 2, HiddenSize: 1, ConvFilters: 1, ConvWidth: 2);
        var hasher = new FeatureHasher(12, 1, 3) { TrimWordPunctuation = true, SkipBlankCharNgrams = true };
        var embeddings = new float[shape.Buckets * 2];
        var buffer = new int[64];
        foreach (var (word, column) in new[] { ("xyzzy", 0), ("qvqvq", 1) })
            foreach (var f in buffer.AsSpan(0, hasher.Extract(word, buffer))) embeddings[f * 2 + column] = 1;
        var model = new NeuralModel(metadata, shape, embeddings, hidden: new float[3], hiddenBias: [0f], output: new float[8], outputBias: new float[8],
            convolution: [1f, 0f, 0f, 1f], convolutionBias: [0f]);

        float Pooled(string text)
        {
            var work = new ConvolutionWorkspace();
            WordConvolution.ExtractWords(hasher, FeaturePipeline.ForScoring(text), work);
            var pooled = new float[1];
            WordConvolution.Forward(model, work, pooled);
            return pooled[0];
        }

        var forward = Pooled("xyzzy qvqvq");
        var backward = Pooled("qvqvq xyzzy");
        Assert.True(forward > backward + 1, $"in order {forward:0.00}, reversed {backward:0.00}");
        Assert.Equal(0f, Pooled(""));
        Assert.Equal(0f, Pooled("?!"));
    }

    [Fact]
    public void Word_vectors_carry_the_lexicon_categories_of_each_word()
    {
        var hasher = new FeatureHasher(14, 1, 3) { TrimWordPunctuation = true, SkipBlankCharNgrams = true };
        var lexicon = new HarmLexicon(hasher, new Dictionary<string, List<string>>
        {
            ["insult"] = ["idiot*", "dumb clown"],
            [HarmLexicon.GroupCategory] = ["immigrants"],
        });
        Assert.Equal(1UL << lexicon.Categories.ToList().IndexOf("insult"), lexicon.WordCategories("idioten")); // stem
        Assert.Equal(1UL << lexicon.Categories.ToList().IndexOf(HarmLexicon.GroupCategory), lexicon.WordCategories("immigrants"));
        Assert.Equal(0UL, lexicon.WordCategories("clown")); // only as part of its phrase
        Assert.Equal(0UL, lexicon.WordCategories("garden"));
        Assert.True(lexicon.IsNegator("not") && lexicon.IsNegator("don't"));
        Assert.False(lexicon.IsNegator("garden"));

        var words = new WordLexicon(lexicon, hasher);
        var features = new int[words.MaxFeatures];
        Assert.Equal([hasher.WordFeature("\u0001word:insult")], features[..words.Extract("idiots", features)]);
        Assert.Equal([hasher.WordFeature("\u0001word:negator")], features[..words.Extract("nicht", features)]);
        Assert.Equal(0, words.Extract("garden", features));

        // The workspace holds each word's n-grams, then its category features.
        var work = new ConvolutionWorkspace();
        Assert.Equal(3, WordConvolution.ExtractWords(hasher, "you idiot garden", work, words));
        var idiot = work.Features[work.WordEnds[0]..work.WordEnds[1]];
        Assert.Equal(hasher.WordFeature("\u0001word:insult"), idiot[^1]);
        Assert.Equal(hasher.Extract("idiot", new int[64]) + 1, idiot.Length);
    }

    [Fact]
    public void Masked_words_lose_their_ngrams_as_in_the_bag()
    {
        var hasher = new FeatureHasher(14, 1, 3) { TrimWordPunctuation = true, SkipBlankCharNgrams = true };
        var lexicon = new HarmLexicon(hasher, new Dictionary<string, List<string>>
        {
            ["insult"] = ["idiot*"],
            [HarmLexicon.GroupCategory] = ["immigrants"],
        }, maskGroupWords: true);
        var words = new WordLexicon(lexicon, hasher);
        int[] Word(string text, int index, bool mask)
        {
            var work = new ConvolutionWorkspace();
            WordConvolution.ExtractWords(hasher, FeaturePipeline.ForScoring(text), work, words, mask);
            return work.Features[(index == 0 ? 0 : work.WordEnds[index - 1])..work.WordEnds[index]];
        }
        var insult = hasher.WordFeature("\u0001word:insult");
        var negatedInsult = hasher.WordFeature("\u0001word:insult@negated");
        var negated = hasher.WordFeature("\u0001word:negated");
        var group = hasher.WordFeature("\u0001word:" + HarmLexicon.GroupCategory);

        // A plain insult keeps its n-grams and category, masked or not.
        Assert.Equal(Word("you are an idiot", 3, mask: false), Word("you are an idiot", 3, mask: true));
        Assert.Contains(insult, Word("you are an idiot", 3, mask: true));
        // Negated: without masking the word is as in a plain insult; with it, only "negated" and the negated category.
        Assert.Equal(Word("you are an idiot", 3, mask: false), Word("you are not an idiot", 4, mask: false));
        Assert.Equal([negated, negatedInsult], Word("you are not an idiot!", 4, mask: true));
        Assert.Equal(Word("you", 0, mask: false), Word("you are not an idiot", 0, mask: true)); // other words untouched
        // A group name keeps its category only.
        Assert.Equal([group], Word("the immigrants arrived", 1, mask: true));
        Assert.True(Word("the immigrants arrived", 1, mask: false).Length > 1);
        Assert.Equal(Word("arrived", 0, mask: false), Word("the immigrants arrived", 2, mask: true));

        // The switch is part of the model's shape and survives a round trip (format version 4).
        var model = TrainTiny(5, convFilters: 4, maskWords: true);
        Assert.True(model.Shape.MaskWords);
        var bytes = Bytes(model);
        Assert.Equal(4, BitConverter.ToInt32(bytes, 8));
        Assert.Equal(model.Shape, Load(bytes).Shape);
        Assert.Equal(3, BitConverter.ToInt32(Bytes(TrainTiny(5, convFilters: 4)), 8));
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
    public void Ensemble_spec_takes_member_weights()
    {
        var fast = Scorer.Load("warden-fast");
        var neural = Scorer.Load("warden-neural");
        var weighted = Scorer.Load("warden-fast*3+warden-neural");
        Assert.Equal($"{fast.ModelName}+{neural.ModelName}", weighted.ModelName);
        const string text = "you are an idiot and everyone knows it";
        static float Logit(float p) => MathF.Log(p / (1 - p));
        var a = fast.Score(text).Scores;
        var b = neural.Score(text).Scores;
        var combined = weighted.Score(text).Scores;
        for (var i = 0; i < HarmAttributes.Count; i++)
        {
            var expected = 1f / (1f + MathF.Exp(-(0.75f * Logit(a[i]) + 0.25f * Logit(b[i]))));
            Assert.Equal(expected, combined[i], 3);
        }
        Assert.Throws<ArgumentException>(() => Scorer.Load("warden-fast*0+warden-neural"));
        Assert.Throws<ArgumentException>(() => Scorer.Load("warden-fast*x+warden-neural"));
    }

    [Fact]
    public void Ensemble_rejects_a_single_member_and_bad_weights()
    {
        Assert.Throws<ArgumentException>(() => new EnsembleScorer([new ConstantScorer(0.5f, "en")]));
        Assert.Throws<ArgumentException>(() => new EnsembleScorer([new ConstantScorer(0.5f, "en"), new ConstantScorer(0.5f, "en")], [1f, 0f]));
    }

    [Theory]
    [InlineData(32)]
    [InlineData(16)]
    [InlineData(40)]
    public void Embedding_rows_sum_bit_for_bit_as_one_addition_per_row(int width)
    {
        var random = new Random(width);
        var table = Enumerable.Range(0, 64 * width).Select(_ => (float)(random.NextDouble() * 2 - 1) * (random.Next(4) == 0 ? 1e-6f : 1f)).ToArray();
        foreach (var count in new[] { 0, 1, 7, 450 })
        {
            // Direct lexicon features are stored as ~row and take the same row in the bag.
            var features = Enumerable.Range(0, count).Select(_ => random.Next(2) == 0 ? random.Next(64) : ~random.Next(64)).ToArray();
            var expected = new float[width];
            foreach (var f in features) System.Numerics.Tensors.TensorPrimitives.Add(expected, table.AsSpan((f >= 0 ? f : ~f) * width, width), expected);
            var actual = new float[width];
            Warden.Scoring.Neural.NeuralScorer.SumRows(table, width, features, actual);
            Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        }
    }
}
