using System.Numerics.Tensors;
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
/// <param name="DirectBits">log2 of the rows of the direct lexicon path (0: none): each harm-lexicon and profanity feature also
/// adds its own row of 8 weights straight to the logits, unscaled, as in the fast model (<see cref="FastScorer.SumRows"/>).</param>
/// <param name="MaskWords">The convolution's words are masked as the embedding bag's n-grams are
/// (<see cref="WordConvolution.ExtractWords"/>): negated harm words and group names lose their n-grams.</param>
public sealed record NeuralShape(int BucketBits, int EmbeddingSize, int HiddenSize, int ConvFilters = 0, int ConvWidth = 3, bool WordCategories = false, int DirectBits = 0,
    bool MaskWords = false)
{
    public int Buckets => 1 << BucketBits;

    /// <summary>Rows of the direct lexicon path; 0 when the model has none.</summary>
    public int DirectRows => DirectBits > 0 ? 1 << DirectBits : 0;

    /// <summary>Width of the hidden layer's input: the embedding bag, then the pooled filters.</summary>
    public int HiddenInput => EmbeddingSize + ConvFilters;
}

/// <summary>How the embedding table is stored in the model file (the dense layers are always float32).</summary>
public enum EmbeddingPrecision
{
    /// <summary>float16 per value (format versions 1 and 2).</summary>
    Half,
    /// <summary>
    /// int8 per value with one float32 scale per row (format version 3 and later): half the size of <see cref="Half"/>, so both
    /// shipped models together fit the default model's 25 MB budget.
    /// </summary>
    Int8,
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
    // Version 3: the fields of version 2, then the embedding precision and the direct path's bits; the direct path's
    // weights follow the dense layers. Models with float16 embeddings and no direct path are still written as 1 or 2.
    private const int PrecisionFormatVersion = 3;
    // Version 4: the fields of version 3, then whether the convolution's words are masked.
    private const int MaskedWordsFormatVersion = 4;

    public NeuralModel(FastModelMetadata metadata, NeuralShape shape, float[] embeddings, float[] hidden, float[] hiddenBias, float[] output, float[] outputBias,
        float[]? convolution = null, float[]? convolutionBias = null, EmbeddingPrecision precision = EmbeddingPrecision.Half, float[]? direct = null)
    {
        if (embeddings.Length != (long)shape.Buckets * shape.EmbeddingSize) throw new ArgumentException("embedding size", nameof(embeddings));
        convolution ??= [];
        convolutionBias ??= [];
        if (convolution.Length != shape.ConvFilters * shape.ConvWidth * shape.EmbeddingSize || convolutionBias.Length != shape.ConvFilters)
            throw new ArgumentException("convolution size", nameof(convolution));
        if (hidden.Length != shape.HiddenSize * shape.HiddenInput || hiddenBias.Length != shape.HiddenSize) throw new ArgumentException("hidden layer size", nameof(hidden));
        if (output.Length != HarmAttributes.Count * shape.HiddenSize || outputBias.Length != HarmAttributes.Count) throw new ArgumentException("output layer size", nameof(output));
        direct ??= new float[shape.DirectRows * HarmAttributes.Count];
        if (direct.Length != shape.DirectRows * HarmAttributes.Count) throw new ArgumentException("direct path size", nameof(direct));
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
        Precision = precision;
        Direct = direct;
    }

    /// <summary>How <see cref="Save"/> stores the embeddings. With <see cref="EmbeddingPrecision.Int8"/> the trainer
    /// rounds the table (<see cref="RoundToInt8Rows"/>) before calibrating, so the calibration fits the weights that ship.</summary>
    public EmbeddingPrecision Precision { get; }

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
    /// <summary>[direct row, attribute] row-major: the direct lexicon path (empty without one).</summary>
    public float[] Direct { get; }
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
            var int8 = Precision == EmbeddingPrecision.Int8;
            var version = Shape.MaskWords ? MaskedWordsFormatVersion
                : int8 || Shape.DirectBits > 0 ? PrecisionFormatVersion
                : Shape.ConvFilters > 0 ? ConvolutionFormatVersion : BagFormatVersion;
            writer.Write(Magic);
            writer.Write(version);
            var json = JsonSerializer.SerializeToUtf8Bytes(Metadata, FastModel.JsonOptions);
            writer.Write(json.Length);
            writer.Write(json);
            writer.Write(Shape.BucketBits);
            writer.Write(Shape.EmbeddingSize);
            writer.Write(Shape.HiddenSize);
            if (version >= ConvolutionFormatVersion)
            {
                writer.Write(Shape.ConvFilters);
                writer.Write(Shape.ConvWidth);
                writer.Write(Shape.WordCategories ? 1 : 0);
            }
            if (version >= PrecisionFormatVersion)
            {
                writer.Write((int)Precision);
                writer.Write(Shape.DirectBits);
            }
            if (version >= MaskedWordsFormatVersion) writer.Write(Shape.MaskWords ? 1 : 0);
            if (int8) WriteInt8Rows(writer, Embeddings, Shape.EmbeddingSize);
            else WriteHalves(writer, Embeddings);
            foreach (var dense in new[] { Convolution, ConvolutionBias, Hidden, HiddenBias, Output, OutputBias, Direct })
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
            if (version is not (BagFormatVersion or ConvolutionFormatVersion or PrecisionFormatVersion or MaskedWordsFormatVersion)) throw new InvalidDataException($"{path}: unsupported neural model format version {version}");
            var jsonLength = reader.ReadInt32();
            if (jsonLength is <= 0 or > 64 << 20) throw new InvalidDataException($"{path}: bad metadata length");
            var json = reader.ReadBytes(jsonLength);
            if (json.Length != jsonLength) throw new InvalidDataException($"{path}: truncated metadata");
            var metadata = JsonSerializer.Deserialize<FastModelMetadata>(json, FastModel.JsonOptions) ?? throw new InvalidDataException($"{path}: empty metadata");
            var shape = new NeuralShape(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32());
            if (version >= ConvolutionFormatVersion) shape = shape with { ConvFilters = reader.ReadInt32(), ConvWidth = reader.ReadInt32(), WordCategories = reader.ReadInt32() != 0 };
            var precision = EmbeddingPrecision.Half;
            if (version >= PrecisionFormatVersion)
            {
                var stored = reader.ReadInt32();
                if (!Enum.IsDefined((EmbeddingPrecision)stored)) throw new InvalidDataException($"{path}: unknown embedding precision {stored}");
                precision = (EmbeddingPrecision)stored;
                shape = shape with { DirectBits = reader.ReadInt32() };
            }
            if (version >= MaskedWordsFormatVersion) shape = shape with { MaskWords = reader.ReadInt32() != 0 };
            if (shape.BucketBits is < 10 or > 24 || shape.EmbeddingSize is < 1 or > 1024 || shape.HiddenSize is < 1 or > 4096
                || shape.ConvFilters is < 0 or > 4096 || shape.ConvWidth is < 1 or > 9 || shape.DirectBits is < 0 or > 20)
                throw new InvalidDataException($"{path}: bad shape {shape}");
            var embeddings = precision == EmbeddingPrecision.Int8
                ? ReadInt8Rows(reader, shape.Buckets, shape.EmbeddingSize, path)
                : ReadHalves(reader, shape.Buckets * shape.EmbeddingSize, path);
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
            var direct = Dense(shape.DirectRows * HarmAttributes.Count);
            return new NeuralModel(metadata, shape, embeddings, hidden, hiddenBias, output, outputBias, convolution, convolutionBias, precision, direct);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path} is not a valid Warden neural model: {e.Message}", e);
        }
    }

    /// <summary>
    /// Rounds every row of a [rows, width] table to what int8 storage keeps: one scale per row (its largest magnitude
    /// over 127) times a whole number in [-127, 127]. Idempotent, so saving a rounded table and loading it gives the
    /// same values back.
    /// </summary>
    public static void RoundToInt8Rows(Span<float> table, int width)
    {
        for (var start = 0; start + width <= table.Length; start += width)
        {
            var row = table.Slice(start, width);
            var scale = Int8Scale(row);
            for (var i = 0; i < row.Length; i++) row[i] = scale == 0 ? 0f : MathF.Round(row[i] / scale) * scale;
        }
    }

    private static float Int8Scale(ReadOnlySpan<float> row) =>
        row.IsEmpty ? 0f : MathF.Abs(TensorPrimitives.MaxMagnitude(row)) is var max && max > 0 && float.IsFinite(max) ? max / 127f : 0f;

    private static void WriteInt8Rows(BinaryWriter writer, float[] values, int width)
    {
        var rows = values.Length / width;
        var buffer = new byte[rows * (4 + width)];
        for (var r = 0; r < rows; r++)
        {
            var row = values.AsSpan(r * width, width);
            var scale = Int8Scale(row);
            var at = r * (4 + width);
            BitConverter.TryWriteBytes(buffer.AsSpan(at, 4), scale);
            for (var i = 0; i < width; i++)
                buffer[at + 4 + i] = (byte)(sbyte)(scale == 0 ? 0 : Math.Clamp(MathF.Round(row[i] / scale), -127f, 127f));
        }
        writer.Write(buffer);
    }

    private static float[] ReadInt8Rows(BinaryReader reader, int rows, int width, string path)
    {
        var bytes = reader.ReadBytes(rows * (4 + width));
        if (bytes.Length != rows * (4 + width)) throw new InvalidDataException($"{path}: truncated embeddings");
        var values = new float[rows * width];
        for (var r = 0; r < rows; r++)
        {
            var at = r * (4 + width);
            var scale = BitConverter.ToSingle(bytes, at);
            if (!float.IsFinite(scale) || scale < 0) throw new InvalidDataException($"{path}: bad embedding scale in row {r}");
            for (var i = 0; i < width; i++) values[r * width + i] = (sbyte)bytes[at + 4 + i] * scale;
        }
        return values;
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
