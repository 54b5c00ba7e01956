using Warden.Backends.Onnx;
using Warden.Core;

namespace Warden.Backends.Tests;

public class OnnxClassifierScorerTests
{
    private static readonly string[] DetoxifyLabels = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"];
    private static readonly FixedLanguage English = new();

    private static OnnxClassifierScorer Load(string folder, int? maxLength = null, int? stride = null, List<string>? log = null) =>
        new(folder, new OnnxScorerOptions
        {
            MaxLength = maxLength, Stride = stride, Languages = English, BatchSize = 4,
            Log = m => log?.Add(m),
        });

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static int[] Ids(string text) =>
        text.ToLowerInvariant().Replace(".", " .").Replace("!", " !").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(TinyOnnxModel.Id).ToArray();

    private static int[] Framed(IEnumerable<int> content) => [TinyOnnxModel.Id("[CLS]"), .. content, TinyOnnxModel.Id("[SEP]")];

    [Fact]
    public void Scores_match_a_managed_computation_of_the_same_graph()
    {
        using var dir = new TempDir();
        var model = new TinyOnnxModel(DetoxifyLabels);
        model.WriteFolder(dir.Path);
        using var scorer = Load(dir.Path);

        var texts = new[] { "you are an idiot!", "hello world", "Nice day.", "" };
        var results = scorer.ScoreBatch(texts);
        for (var t = 0; t < texts.Length; t++)
        {
            var logits = model.Logits(Framed(Ids(texts[t])));
            // Detoxify's labels map by alias: toxic→toxicity, obscene→profanity, identity_hate→identity_attack.
            Assert.Equal(Sigmoid(logits[0]), results[t][HarmAttribute.Toxicity], 5);
            Assert.Equal(Sigmoid(logits[1]), results[t][HarmAttribute.SevereToxicity], 5);
            Assert.Equal(Sigmoid(logits[2]), results[t][HarmAttribute.Profanity], 5);
            Assert.Equal(Sigmoid(logits[3]), results[t][HarmAttribute.Threat], 5);
            Assert.Equal(Sigmoid(logits[4]), results[t][HarmAttribute.Insult], 5);
            Assert.Equal(Sigmoid(logits[5]), results[t][HarmAttribute.IdentityAttack], 5);
            Assert.Equal(0f, results[t][HarmAttribute.SelfHarm]);
            Assert.Equal("en", results[t].Language);
        }
        Assert.True(results[0][HarmAttribute.Insult] > results[1][HarmAttribute.Insult]);
        Assert.False(scorer.Covers(HarmAttribute.SelfHarm));
        Assert.False(scorer.Covers(HarmAttribute.SexuallyExplicit));
        Assert.True(scorer.Covers(HarmAttribute.Profanity));
    }

    [Fact]
    public void A_text_scores_the_same_alone_and_padded_in_a_batch()
    {
        using var dir = new TempDir();
        new TinyOnnxModel(DetoxifyLabels).WriteFolder(dir.Path);
        using var scorer = Load(dir.Path);
        var alone = scorer.Score("you are an idiot");
        var batch = scorer.ScoreBatch(["hello world hello world hello world nice day it is", "you are an idiot", "damn"]);
        for (var a = 0; a < HarmAttributes.Count; a++) Assert.Equal(alone.Scores[a], batch[1].Scores[a], 5);
    }

    [Fact]
    public void Long_texts_are_scored_by_overlapping_windows_with_the_maximum_per_attribute()
    {
        using var dir = new TempDir();
        var model = new TinyOnnxModel(DetoxifyLabels);
        model.WriteFolder(dir.Path);
        const int maxLength = 10, stride = 4;
        using var scorer = Load(dir.Path, maxLength, stride);

        // 60 harmless tokens with one insult deep inside: a single 512-token mean would dilute it 1:60.
        var words = Enumerable.Repeat("hello world nice day", 15).SelectMany(s => s.Split(' ')).ToList();
        words.Insert(37, "idiot");
        var text = string.Join(' ', words);
        var content = Ids(text);

        var windows = scorer.Windows(content).ToList();
        Assert.All(windows, w => Assert.True(w.Length <= maxLength));
        Assert.Equal(content.Length, windows.Last().Length - 2 + (windows.Count - 1) * stride - Math.Max(0, (windows.Count - 1) * stride + maxLength - 2 - content.Length));
        // Every token is inside some window and consecutive windows overlap.
        Assert.Equal(content[^1], windows.Last()[^2]);

        var expected = new float[DetoxifyLabels.Length];
        foreach (var w in windows)
        {
            var logits = model.Logits(w);
            for (var l = 0; l < expected.Length; l++) expected[l] = MathF.Max(expected[l], Sigmoid(logits[l]));
        }
        var result = scorer.Score(text);
        Assert.Equal(expected[4], result[HarmAttribute.Insult], 5);
        Assert.Equal(expected[0], result[HarmAttribute.Toxicity], 5);

        // The window maximum finds the insult that the whole-text mean would dilute.
        var whole = Sigmoid(model.Logits(Framed(content))[4]);
        Assert.True(result[HarmAttribute.Insult] > whole + 0.1f, $"windowed {result[HarmAttribute.Insult]} vs whole {whole}");
    }

    [Fact]
    public void Warden_labels_json_maps_labels_thresholds_and_activation()
    {
        using var dir = new TempDir();
        var model = new TinyOnnxModel(["neutral", "offensive", "sexual"]);
        model.WriteFolder(dir.Path);
        File.WriteAllText(dir.File(LabelMapping.FileName), """
            { "activation": "softmax",
              "labels": { "neutral": null,
                          "offensive": {"attribute": "toxicity", "threshold": 0.7},
                          "sexual": "sexually_explicit" } }
            """);
        using var scorer = Load(dir.Path);

        Assert.Equal(0.7f, scorer.Thresholds[(int)HarmAttribute.Toxicity]);
        Assert.Equal(0.5f, scorer.Thresholds[(int)HarmAttribute.SexuallyExplicit]);
        Assert.True(scorer.Covers(HarmAttribute.SexuallyExplicit));
        Assert.False(scorer.Covers(HarmAttribute.Insult));

        var logits = model.Logits(Framed(Ids("you are an idiot")));
        var max = logits.Max();
        var exp = logits.Select(l => MathF.Exp(l - max)).ToArray();
        var result = scorer.Score("you are an idiot");
        Assert.Equal(exp[1] / exp.Sum(), result[HarmAttribute.Toxicity], 5);
        Assert.Equal(exp[2] / exp.Sum(), result[HarmAttribute.SexuallyExplicit], 5);
        Assert.Equal(0f, result[HarmAttribute.Insult]);
    }

    [Fact]
    public void A_label_mapping_naming_an_unknown_label_is_rejected()
    {
        using var dir = new TempDir();
        new TinyOnnxModel(["neutral", "offensive"]).WriteFolder(dir.Path);
        File.WriteAllText(dir.File(LabelMapping.FileName), """{ "labels": { "toxic": "toxicity" } }""");
        var e = Assert.Throws<InvalidDataException>(() => Load(dir.Path));
        Assert.Contains("'toxic' is not in config.json id2label", e.Message);
    }

    [Fact]
    public void Labels_without_any_mapping_are_rejected_with_a_hint()
    {
        using var dir = new TempDir();
        new TinyOnnxModel(["LABEL_0", "LABEL_1"]).WriteFolder(dir.Path);
        var e = Assert.Throws<InvalidDataException>(() => Load(dir.Path));
        Assert.Contains(LabelMapping.FileName, e.Message);
    }

    [Fact]
    public void Tokenizer_json_with_a_wordpiece_model_gives_the_same_ids_as_vocab_txt()
    {
        using var dir = new TempDir();
        var model = new TinyOnnxModel(DetoxifyLabels);
        model.WriteFolder(dir.Path);
        using var fromVocab = Load(dir.Path);
        var expected = fromVocab.Score("You are an IDIOT, hello world!");

        File.Delete(dir.File("vocab.txt"));
        File.WriteAllText(dir.File("tokenizer.json"), TinyOnnxModel.TokenizerJson());
        var log = new List<string>();
        using var fromJson = Load(dir.Path, log: log);
        Assert.Contains(log, l => l.Contains("tokenizer.json (WordPiece)"));
        Assert.Equal(expected.Scores, fromJson.Score("You are an IDIOT, hello world!").Scores);
    }

    [Fact]
    public void Falls_back_to_cpu_with_a_log_line_when_cuda_is_missing()
    {
        using var dir = new TempDir();
        new TinyOnnxModel(DetoxifyLabels).WriteFolder(dir.Path);
        var log = new List<string>();
        using var scorer = Load(dir.Path, log: log);
        // This package is CPU-only; on a machine with the GPU package the provider is CUDA and no fallback is logged.
        if (scorer.ExecutionProvider.StartsWith("CPU"))
            Assert.Contains(log, l => l.Contains("CUDA execution provider unavailable"));
        Assert.Contains(log, l => l.Contains(scorer.ExecutionProvider));
    }

    private sealed class FixedLanguage : ILanguageIdentifier
    {
        public string Identify(string text) => "en";
        public (string Language, float Confidence) IdentifyWithConfidence(string text) => ("en", 1f);
    }
}
