using System.Text;
using System.Text.Json;
using Google.Protobuf;

namespace Warden.Backends.Tests;

/// <summary>
/// Writes a tiny HF-style classifier folder (model.onnx, vocab.txt, config.json) so the ONNX backend is
/// tested without any download. The graph is a masked mean of token embeddings followed by a linear head:
///   logits = (Σ_s E[ids[b,s]] · mask[b,s]) / Σ_s mask[b,s] · W + bias
/// written directly in ONNX's protobuf wire format (field numbers from onnx.proto), and
/// <see cref="Logits"/> computes the same thing in managed code as the reference.
/// </summary>
internal sealed class TinyOnnxModel
{
    public static readonly string[] Vocab =
    [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world", "you", "are", "an", "idiot",
        "i", "will", "kill", "the", "nice", "day", "damn", "it", "is", "a", ".", "!",
    ];

    public const int Dim = 6;

    public TinyOnnxModel(string[] labels, int seed = 7)
    {
        Labels = labels;
        var rng = new Random(seed);
        Embeddings = new float[Vocab.Length * Dim];
        for (var i = 0; i < Embeddings.Length; i++) Embeddings[i] = (float)(rng.NextDouble() * 2 - 1);
        Weights = new float[Dim * labels.Length];
        for (var i = 0; i < Weights.Length; i++) Weights[i] = (float)(rng.NextDouble() * 2 - 1);
        Bias = new float[labels.Length];
        for (var i = 0; i < Bias.Length; i++) Bias[i] = (float)(rng.NextDouble() - 0.5);
        // Make "idiot" a strong signal for every label, so a window holding it stands out from its neighbours.
        var idiot = Array.IndexOf(Vocab, "idiot");
        for (var d = 0; d < Dim; d++) Embeddings[idiot * Dim + d] = 0;
        Embeddings[idiot * Dim] = 8f;
        for (var l = 0; l < labels.Length; l++) Weights[l] = 1.5f;
    }

    public string[] Labels { get; }
    public float[] Embeddings { get; }
    public float[] Weights { get; }
    public float[] Bias { get; }

    public static int Id(string token) => Array.IndexOf(Vocab, token) is var i and >= 0 ? i : 1;

    /// <summary>The graph's output for one window of token ids, computed in managed code.</summary>
    public float[] Logits(IReadOnlyList<int> ids)
    {
        var mean = new float[Dim];
        foreach (var id in ids)
            for (var d = 0; d < Dim; d++) mean[d] += Embeddings[id * Dim + d];
        for (var d = 0; d < Dim; d++) mean[d] /= ids.Count;
        var logits = new float[Labels.Length];
        for (var l = 0; l < Labels.Length; l++)
        {
            logits[l] = Bias[l];
            for (var d = 0; d < Dim; d++) logits[l] += mean[d] * Weights[d * Labels.Length + l];
        }
        return logits;
    }

    /// <summary>Writes model.onnx, vocab.txt and config.json into <paramref name="folder"/>.</summary>
    public void WriteFolder(string folder, string problemType = "multi_label_classification")
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "model.onnx"), ModelBytes());
        File.WriteAllText(Path.Combine(folder, "vocab.txt"), string.Join("\n", Vocab) + "\n");
        var config = new Dictionary<string, object>
        {
            ["model_type"] = "bert",
            ["problem_type"] = problemType,
            ["max_position_embeddings"] = 512,
            ["id2label"] = Labels.Select((l, i) => (l, i)).ToDictionary(x => x.i.ToString(), x => x.l),
        };
        File.WriteAllText(Path.Combine(folder, "config.json"), JsonSerializer.Serialize(config));
    }

    /// <summary>The same vocabulary as an HF tokenizer.json with a WordPiece model.</summary>
    public static string TokenizerJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["version"] = "1.0",
        ["added_tokens"] = new[] { "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]" }.Select((t, i) => new { id = i, content = t, special = true }),
        ["normalizer"] = new { type = "BertNormalizer", lowercase = true },
        ["model"] = new { type = "WordPiece", unk_token = "[UNK]", vocab = Vocab.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i) },
    });

    private byte[] ModelBytes()
    {
        var labels = Labels.Length;
        var nodes = new[]
        {
            Node("Gather", ["emb", "input_ids"], ["tok"]),
            Node("Cast", ["attention_mask"], ["maskf"], ("to", 1)), // 1 = FLOAT
            Node("Unsqueeze", ["maskf", "axis_last"], ["mask3"]),
            Node("Mul", ["tok", "mask3"], ["masked"]),
            Node("ReduceSum", ["masked", "axis_seq"], ["summed"], ("keepdims", 0)),
            Node("ReduceSum", ["maskf", "axis_seq"], ["count"], ("keepdims", 1)),
            Node("Div", ["summed", "count"], ["mean"]),
            Node("MatMul", ["mean", "w"], ["projected"]),
            Node("Add", ["projected", "bias"], ["logits"]),
        };
        var initializers = new[]
        {
            FloatTensor("emb", [Vocab.Length, Dim], Embeddings),
            FloatTensor("w", [Dim, labels], Weights),
            FloatTensor("bias", [labels], Bias),
            Int64Tensor("axis_seq", [1], [1]),
            Int64Tensor("axis_last", [1], [2]),
        };
        var graph = Message(o =>
        {
            foreach (var n in nodes) Field(o, 1, n);
            Field(o, 2, "tiny-classifier");
            foreach (var t in initializers) Field(o, 5, t);
            Field(o, 11, ValueInfo("input_ids", 7, ["batch", "sequence"]));
            Field(o, 11, ValueInfo("attention_mask", 7, ["batch", "sequence"]));
            Field(o, 12, ValueInfo("logits", 1, ["batch", labels]));
        });
        return Message(o =>
        {
            Varint(o, 1, 7); // ir_version
            Field(o, 2, "warden-tests");
            Field(o, 7, graph);
            Field(o, 8, Message(op => { Field(op, 1, ""); Varint(op, 2, 13); })); // opset_import: ai.onnx 13
        });
    }

    private static byte[] Node(string op, string[] inputs, string[] outputs, params (string Name, long Value)[] ints) => Message(o =>
    {
        foreach (var i in inputs) Field(o, 1, i);
        foreach (var x in outputs) Field(o, 2, x);
        Field(o, 3, op + "_" + outputs[0]);
        Field(o, 4, op);
        foreach (var (name, value) in ints)
            Field(o, 5, Message(a => { Field(a, 1, name); Varint(a, 3, value); Varint(a, 20, 2); })); // type INT
    });

    private static byte[] FloatTensor(string name, long[] dims, float[] values)
    {
        var raw = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return Tensor(name, dims, 1, raw);
    }

    private static byte[] Int64Tensor(string name, long[] dims, long[] values)
    {
        var raw = new byte[values.Length * 8];
        Buffer.BlockCopy(values, 0, raw, 0, raw.Length);
        return Tensor(name, dims, 7, raw);
    }

    // raw_data is little-endian, like this machine.
    private static byte[] Tensor(string name, long[] dims, int dataType, byte[] raw) => Message(o =>
    {
        foreach (var d in dims) Varint(o, 1, d);
        Varint(o, 2, dataType);
        Field(o, 8, name);
        Field(o, 9, raw);
    });

    private static byte[] ValueInfo(string name, int elemType, object[] dims) => Message(o =>
    {
        Field(o, 1, name);
        Field(o, 2, Message(type => Field(type, 1, Message(tensor =>
        {
            Varint(tensor, 1, elemType);
            Field(tensor, 2, Message(shape =>
            {
                foreach (var d in dims)
                    Field(shape, 1, Message(dim =>
                    {
                        if (d is string param) Field(dim, 2, param);
                        else Varint(dim, 1, Convert.ToInt64(d));
                    }));
            }));
        }))));
    });

    private static byte[] Message(Action<CodedOutputStream> write)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        write(output);
        output.Flush();
        return stream.ToArray();
    }

    private static void Varint(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    }

    private static void Field(CodedOutputStream o, int field, string value) => Field(o, field, Encoding.UTF8.GetBytes(value));

    private static void Field(CodedOutputStream o, int field, byte[] value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(ByteString.CopyFrom(value));
    }
}
