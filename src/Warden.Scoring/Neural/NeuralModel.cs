using System.Text;
using System.Text.Json;
using Warden.Core;
using Warden.Scoring.Fast;

namespace Warden.Scoring.Neural;

/// <summary>
/// Shape of a neural model: hashed n-gram embeddings (a bag, and with <see cref="ConvFilters"/> &gt; 0 also a
/// convolution over word vectors) → one ReLU hidden layer → 8 attribute logits.
/// </summary>
/// <param name="WordCategories">Each word vector of the convolution also holds the word's harm-lexicon categories.</param>
public sealed record NeuralShape(int BucketBits, int EmbeddingSize, int HiddenSize, int ConvFilters = 0, int ConvWidth = 3, bool WordCategories = false)
{
    public int Buckets => 1 << BucketBits;

    /// <summary>Width of the hidden layer's input: the embedding bag, then the pooled filters.</summary>
    public int HiddenInput => EmbeddingSize + ConvFilters;
}

/// <summary>
/// A trained neural scorer: an embedding bag over the same hashed features as the fast model, a hidden layer
/// that lets features interact (e.g. a negation with an insult), and one output per attribute. Stored with the
/// same metadata (calibration, lexicon, training data) as the fast model.
/// </summary>
public sealed class NeuralModel
{
    private static readonly byte[] Magic = "WRDNNRL1"u8.ToArray();
    // Version 1: the embedding bag alone. Version 2 adds the convolution branch; models without one are still written as version 1.
    private const int BagFormatVersion = 1;
    private const int ConvolutionFormatVersion = 2;

    public NeuralModel(FastModelMetadata metadata, NeuralShape shape, float[] embeddings, float[] hidden, float[] hiddenBias, float[] output, float[] outputBias,
        float[]? convolution = null, float[]? convolutionBias = null)
    {
        if (embeddings.Length != (long)shape.Buckets * shape.EmbeddingSize) throw new ArgumentException("embedding size", nameof(embeddings));
        convolution ??= [];
        convolutionBias ??= [];
        if (convolution.Length != shape.ConvFilters * shape.ConvWidth * shape.EmbeddingSize || convolutionBias.Length != shape.ConvFilters)
            throw new ArgumentException("convolution size", nameof(convolution));
        if (hidden.Length != shape.HiddenSize * shape.HiddenInput || hiddenBias.Length != shape.HiddenSize) throw new ArgumentException("hidden layer size", nameof(hidden));
        if (output.Length != HarmAttributes.Count * shape.HiddenSize || outputBias.Length != HarmAttributes.Count) throw new ArgumentException("output layer size", nameof(output));
        if (metadata.Calibrations.Count == 0) metadata.Calibrations = Enumerable.Repeat(Calibration.Identity, HarmAttributes.Count).ToList();
        if (metadata.Thresholds.Count == 0) metadata.Thresholds = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToList();
        Metadata = metadata;
        Shape = shape;
        Embeddings = embeddings;
        Hidden = hidden;
        HiddenBias = hiddenBias;
        Output = output;
        OutputBias = outputBias;
        Convolution = convolution;
        ConvolutionBias = convolutionBias;
    }

    public FastModelMetadata Metadata { get; }
    public NeuralShape Shape { get; }
    /// <summary>[bucket, embedding] row-major.</summary>
    public float[] Embeddings { get; }
    /// <summary>[filter, width × embedding] row-major: each filter's weights over a window of consecutive word vectors.</summary>
    public float[] Convolution { get; }
    public float[] ConvolutionBias { get; }
    /// <summary>[hidden, embedding + filters] row-major.</summary>
    public float[] Hidden { get; }
    public float[] HiddenBias { get; }
    /// <summary>[attribute, hidden] row-major.</summary>
    public float[] Output { get; }
    public float[] OutputBias { get; }

    public static bool IsNeuralModelFile(string path)
    {
        using var stream = File.OpenRead(path);
        var head = new byte[Magic.Length];
        return stream.Read(head) == head.Length && head.AsSpan().SequenceEqual(Magic);
    }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8))
        {
            var convolutional = Shape.ConvFilters > 0;
            writer.Write(Magic);
            writer.Write(convolutional ? ConvolutionFormatVersion : BagFormatVersion);
            var json = JsonSerializer.SerializeToUtf8Bytes(Metadata, FastModel.JsonOptions);
            writer.Write(json.Length);
            writer.Write(json);
            writer.Write(Shape.BucketBits);
            writer.Write(Shape.EmbeddingSize);
            writer.Write(Shape.HiddenSize);
            if (convolutional)
            {
                writer.Write(Shape.ConvFilters);
                writer.Write(Shape.ConvWidth);
                writer.Write(Shape.WordCategories ? 1 : 0);
            }
            WriteHalves(writer, Embeddings);
            foreach (var dense in new[] { Convolution, ConvolutionBias, Hidden, HiddenBias, Output, OutputBias })
                foreach (var v in dense) writer.Write(v);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static NeuralModel Load(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw new InvalidDataException($"{path} is not a Warden neural model (bad magic)");
            var version = reader.ReadInt32();
            if (version is not (BagFormatVersion or ConvolutionFormatVersion)) throw new InvalidDataException($"{path}: unsupported neural model format version {version}");
            var jsonLength = reader.ReadInt32();
            if (jsonLength is <= 0 or > 64 << 20) throw new InvalidDataException($"{path}: bad metadata length");
            var json = reader.ReadBytes(jsonLength);
            if (json.Length != jsonLength) throw new InvalidDataException($"{path}: truncated metadata");
            var metadata = JsonSerializer.Deserialize<FastModelMetadata>(json, FastModel.JsonOptions) ?? throw new InvalidDataException($"{path}: empty metadata");
            var shape = new NeuralShape(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
            if (version == ConvolutionFormatVersion) shape = shape with { ConvFilters = reader.ReadInt32(), ConvWidth = reader.ReadInt32(), WordCategories = reader.ReadInt32() != 0 };
            if (shape.BucketBits is < 10 or > 24 || shape.EmbeddingSize is < 1 or > 1024 || shape.HiddenSize is < 1 or > 4096
                || shape.ConvFilters is < 0 or > 4096 || shape.ConvWidth is < 1 or > 9)
                throw new InvalidDataException($"{path}: bad shape {shape}");
            var embeddings = ReadHalves(reader, shape.Buckets * shape.EmbeddingSize, path);
            float[] Dense(int n)
            {
                var bytes = reader.ReadBytes(n * 4);
                if (bytes.Length != n * 4) throw new InvalidDataException($"{path}: truncated weights");
                var values = new float[n];
                Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
                return values;
            }
            var convolution = Dense(shape.ConvFilters * shape.ConvWidth * shape.EmbeddingSize);
            var convolutionBias = Dense(shape.ConvFilters);
            var hidden = Dense(shape.HiddenSize * shape.HiddenInput);
            var hiddenBias = Dense(shape.HiddenSize);
            var output = Dense(HarmAttributes.Count * shape.HiddenSize);
            var outputBias = Dense(HarmAttributes.Count);
            return new NeuralModel(metadata, shape, embeddings, hidden, hiddenBias, output, outputBias, convolution, convolutionBias);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path} is not a valid Warden neural model: {e.Message}", e);
        }
    }

    private static void WriteHalves(BinaryWriter writer, float[] values)
    {
        var buffer = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++) BitConverter.TryWriteBytes(buffer.AsSpan(i * 2, 2), (Half)values[i]);
        writer.Write(buffer);
    }

    private static float[] ReadHalves(BinaryReader reader, int count, string path)
    {
        var bytes = reader.ReadBytes(count * 2);
        if (bytes.Length != count * 2) throw new InvalidDataException($"{path}: truncated embeddings");
        var values = new float[count];
        for (var i = 0; i < count; i++) values[i] = (float)BitConverter.ToHalf(bytes, i * 2);
        return values;
    }
}
