using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Warden.Core;

namespace Warden.Scoring.Fast;

/// <summary>Platt scaling of a raw logit: p = sigmoid(Scale * z + Offset).</summary>
public sealed record Calibration(float Scale, float Offset)
{
    public static readonly Calibration Identity = new(1f, 0f);
    public float Apply(float logit) => 1f / (1f + MathF.Exp(-(Scale * logit + Offset)));
}

/// <summary>Everything about a fast model except its weights; stored as JSON in the model file.</summary>
public sealed class FastModelMetadata
{
    public string Name { get; set; } = "warden-fast";
    public string Version { get; set; } = "0.0.0";
    public int BucketBits { get; set; } = 20;
    public int MinCharN { get; set; } = 2;
    public int MaxCharN { get; set; } = 5;
    /// <summary>Whether word features trim punctuation at word edges (<see cref="FeatureHasher.TrimWordPunctuation"/>); false in older models.</summary>
    public bool TrimWordPunctuation { get; set; }
    /// <summary>Whether character n-grams of spaces alone are left out (<see cref="FeatureHasher.SkipBlankCharNgrams"/>); false in older models.</summary>
    public bool SkipBlankCharNgrams { get; set; }
    /// <summary>The n-gram sum is scaled by 1/√max(count, this) (<see cref="FastScorer.SumRows"/>); 0 in older models.</summary>
    public int MinScaleFeatures { get; set; }
    /// <summary>Whether lexicon features are direct (unscaled, stored as ~index); false in older models and in neural models.</summary>
    public bool DirectLexiconFeatures { get; set; }
    /// <summary>Whether words naming demographic groups are masked before the n-grams are computed (<see cref="HarmLexicon.MasksGroupWords"/>).</summary>
    public bool MaskGroupWords { get; set; }
    /// <summary>Whether the lexicon's group-conjunction features are emitted when its group category is present (true in older models).</summary>
    public bool GroupConjunctionFeatures { get; set; } = true;
    /// <summary>Whether a group word and a contempt hit in one clause without a reporting word give their conjunction feature
    /// when the other group conjunctions are off (<see cref="HarmLexicon"/>); false in older models.</summary>
    public bool GroupContemptFeature { get; set; }
    /// <summary>Whether a self-harm phrase withholds the intent + violence conjunction in its clause (<see cref="HarmLexicon"/>);
    /// false in older models.</summary>
    public bool SelfHarmBlocksThreatConjunction { get; set; }
    /// <summary>Whether each word also has a feature in the text's detected language (<see cref="FeaturePipeline.LanguageWords"/>); false in older models.</summary>
    public bool LanguageWordFeatures { get; set; }
    public int Seed { get; set; }
    /// <summary>
    /// Per attribute, c·√n is added to the raw logit of a text with n n-gram features (<see cref="FastScorer.RawLogits"/>);
    /// empty in older models. Most n-grams carry a small negative weight, so without it a harmless text's logit falls with
    /// its length and long harmful texts rank below short harmless ones (<see cref="FastTrainerOptions.LengthCorrection"/>).
    /// </summary>
    public List<float> LengthCorrection { get; set; } = [];
    /// <summary>
    /// Per attribute, how many times the raw toxicity logit is added to the attribute's raw logit before calibration
    /// (<see cref="Fast.ToxicityStacking"/>, fitted on validation data); empty in older models (none added).
    /// </summary>
    public List<float> ToxicityStacking { get; set; } = [];
    public List<Calibration> Calibrations { get; set; } = [];
    public List<float> Thresholds { get; set; } = [];
    /// <summary>Per detected language, per attribute, a calibration fitted on that language's validation texts (null: use the global one).</summary>
    public Dictionary<string, List<Calibration?>> LanguageCalibrations { get; set; } = [];
    /// <summary>Per attribute, the languages with labelled training evidence; other languages are scored but marked low-evidence.</summary>
    public Dictionary<string, List<string>> EvidenceLanguages { get; set; } = [];
    /// <summary>Languages where a labelled dataset (not one of Warden's generated sets, nor one of
    /// <see cref="FastTrainerOptions.PromptDatasets"/>) holds at least 100 toxic and 100 non-toxic training texts; empty in
    /// older models.</summary>
    public List<string> LabelledLanguages { get; set; } = [];
    /// <summary>How many times the lexicon features count in a language outside <see cref="LabelledLanguages"/>
    /// (<see cref="FastTrainerOptions.UnlabelledLexiconWeight"/>); 1 in older models.</summary>
    public float UnlabelledLexiconWeight { get; set; } = 1f;
    /// <summary>Per language, the lexicon features that fire in at least 1% of its harmless web sentences and so keep their
    /// trained weight there even outside <see cref="LabelledLanguages"/>.</summary>
    public Dictionary<string, List<int>> UnweightedLexiconFeatures { get; set; } = [];
    /// <summary>Lower-cased, normalised words and two-word phrases of the profanity lexicon (LDNOOBW, CC BY 4.0).</summary>
    public List<string> ProfanityLexicon { get; set; } = [];
    /// <summary>Category → words and phrases of Warden's multilingual harm lexicon (empty in older models).</summary>
    public Dictionary<string, List<string>> HarmLexicon { get; set; } = [];
    /// <summary>Datasets and record counts the weights were trained on.</summary>
    public Dictionary<string, int> TrainingData { get; set; } = [];
    public Dictionary<string, string> Notes { get; set; } = [];
}

/// <summary>A trained fast model: hashed-feature weights (one row of 8 attribute weights per bucket) plus metadata.</summary>
public sealed class FastModel
{
    private static readonly byte[] Magic = "WRDNFST1"u8.ToArray();
    private const int FormatVersion = 1;

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public FastModel(FastModelMetadata metadata, float[] weights)
    {
        var expected = (1L << metadata.BucketBits) * HarmAttributes.Count;
        if (weights.Length != expected) throw new ArgumentException($"expected {expected} weights, got {weights.Length}", nameof(weights));
        if (metadata.Calibrations.Count == 0) metadata.Calibrations = Enumerable.Repeat(Calibration.Identity, HarmAttributes.Count).ToList();
        if (metadata.Thresholds.Count == 0) metadata.Thresholds = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToList();
        if (metadata.Calibrations.Count != HarmAttributes.Count || metadata.Thresholds.Count != HarmAttributes.Count)
            throw new ArgumentException("one calibration and one threshold per attribute", nameof(metadata));
        Metadata = metadata;
        Weights = weights;
    }

    public FastModelMetadata Metadata { get; }

    /// <summary>Row-major [bucket, attribute] weights.</summary>
    public float[] Weights { get; }

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Write then rename, so a reader never sees a half-written model.
        var temporary = path + ".tmp";
        using (var stream = File.Create(temporary)) Save(stream);
        File.Move(temporary, path, overwrite: true);
    }

    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        var json = JsonSerializer.SerializeToUtf8Bytes(Metadata, JsonOptions);
        writer.Write(json.Length);
        writer.Write(json);
        // Half precision keeps a 2^20-bucket model at 16 MB; the loss against float32 is below 1e-3 in scores.
        var buffer = new byte[Weights.Length * 2];
        for (var i = 0; i < Weights.Length; i++)
            BitConverter.TryWriteBytes(buffer.AsSpan(i * 2, 2), (Half)Weights[i]);
        writer.Write(buffer);
    }

    public static FastModel Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    public static FastModel Load(Stream stream, string source = "stream")
    {
        try
        {
            return Read(stream, source);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or ArgumentException or OverflowException or IOException and not FileNotFoundException)
        {
            throw new InvalidDataException($"{source} is not a valid Warden fast model: {e.Message}", e);
        }
    }

    private static FastModel Read(Stream stream, string source)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        var magic = reader.ReadBytes(Magic.Length);
        if (!magic.AsSpan().SequenceEqual(Magic)) throw new InvalidDataException($"{source} is not a Warden fast model (bad magic)");
        var version = reader.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"{source}: unsupported fast model format version {version}");
        var jsonLength = reader.ReadInt32();
        if (jsonLength is <= 0 or > 64 << 20) throw new InvalidDataException($"{source}: bad metadata length {jsonLength}");
        var json = reader.ReadBytes(jsonLength);
        if (json.Length != jsonLength) throw new InvalidDataException($"{source}: truncated metadata");
        var metadata = JsonSerializer.Deserialize<FastModelMetadata>(json, JsonOptions)
                       ?? throw new InvalidDataException($"{source}: empty metadata");
        if (metadata.BucketBits is < 10 or > 26) throw new InvalidDataException($"{source}: bad bucket bits {metadata.BucketBits}");
        var count = (int)((1L << metadata.BucketBits) * HarmAttributes.Count);
        var bytes = reader.ReadBytes(count * 2);
        if (bytes.Length != count * 2) throw new InvalidDataException($"{source}: truncated weights");
        var weights = new float[count];
        for (var i = 0; i < count; i++) weights[i] = (float)BitConverter.ToHalf(bytes, i * 2);
        return new FastModel(metadata, weights);
    }
}
