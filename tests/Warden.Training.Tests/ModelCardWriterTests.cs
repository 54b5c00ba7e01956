using Warden.Core;
using Warden.Eval.Functional;
using Warden.Scoring.Fast;
using Warden.Scoring.Neural;

namespace Warden.Training.Tests;

public class ModelCardWriterTests
{
    private static NeuralModel EmptyNeuralModel(Dictionary<string, string> notes, EmbeddingPrecision precision = EmbeddingPrecision.Half, int directBits = 0)
    {
        var shape = new NeuralShape(BucketBits: 4, EmbeddingSize: 2, HiddenSize: 2, DirectBits: directBits);
        var metadata = new FastModelMetadata { Name = "tiny-neural", Notes = notes };
        return new NeuralModel(metadata, shape, new float[shape.Buckets * shape.EmbeddingSize], new float[shape.HiddenSize * shape.HiddenInput],
            new float[shape.HiddenSize], new float[HarmAttributes.Count * shape.HiddenSize], new float[HarmAttributes.Count], precision: precision);
    }

    [Fact]
    public void Neural_card_states_how_the_embeddings_are_stored_and_any_direct_path()
    {
        var half = ModelCardWriter.Render(EmptyNeuralModel([]), [], new FunctionalReport([]), "warden train neural --half-embeddings");
        Assert.Contains("- Embeddings: 2^4 × 2, stored as float16", half);
        Assert.DoesNotContain("direct lexicon path of", half);
        var int8 = ModelCardWriter.Render(EmptyNeuralModel([], EmbeddingPrecision.Int8, directBits: 3), [], new FunctionalReport([]), "warden train neural --direct-bits 3");
        Assert.Contains("- Embeddings: 2^4 × 2, stored as int8 with one float32 scale per row", int8);
        Assert.Contains("a direct lexicon path of 2^3 rows × 8 attributes.", int8);
    }

    [Fact]
    public void Neural_card_names_the_training_switches_a_model_was_trained_with()
    {
        var notes = new Dictionary<string, string> { ["pretraining"] = "skip-gram, 1 epoch(s)", ["word_dropout"] = "0.1" };
        var card = ModelCardWriter.Render(EmptyNeuralModel(notes), [], new FunctionalReport([]), "warden train neural --pretrain-epochs 1 --word-dropout 0.1");
        Assert.Contains("This model was trained with pretraining: skip-gram, 1 epoch(s); word dropout: 0.1.", card);
    }

    [Fact]
    public void Neural_card_of_the_default_recipe_names_no_switches()
    {
        var card = ModelCardWriter.Render(EmptyNeuralModel([]), [], new FunctionalReport([]), "warden train neural");
        Assert.DoesNotContain("This model was trained with", card);
        Assert.Contains("Tried on this model and not kept", card);
    }
}
