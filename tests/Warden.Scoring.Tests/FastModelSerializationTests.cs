using System.Buffers.Binary;
using System.Text;
using Warden.Core;
using Warden.Scoring.Fast;

namespace Warden.Scoring.Tests;

public class FastModelSerializationTests
{
    private const int Bits = 12;

    private static FastModel MakeModel()
    {
        var random = new Random(7);
        var weights = new float[(1 << Bits) * HarmAttributes.Count];
        for (var i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextDouble() * 4 - 2);
        var metadata = new FastModelMetadata
        {
            Name = "test-model",
            Version = "9.8.7",
            BucketBits = Bits,
            MinCharN = 3,
            MaxCharN = 6,
            Seed = 1234,
            LengthCorrection = [.. Enumerable.Range(0, HarmAttributes.Count).Select(i => 0.01f * i)],
            Calibrations = [.. Enumerable.Range(0, HarmAttributes.Count).Select(i => new Calibration(1.5f + i, -0.25f * i))],
            Thresholds = [.. Enumerable.Range(0, HarmAttributes.Count).Select(i => 0.3f + 0.05f * i)],
            LanguageCalibrations = new()
            {
                ["de"] = [new Calibration(2f, 0.5f), null, null, new Calibration(0.75f, -1f), null, null, null, null],
                ["tr"] = [.. Enumerable.Repeat<Calibration?>(new Calibration(3f, 1f), HarmAttributes.Count)],
            },
            EvidenceLanguages = new() { ["toxicity"] = ["de", "en"], ["threat"] = [] },
            ProfanityLexicon = ["shit", "fuck", "bad word", "scheiße"],
            HarmLexicon = new() { ["insult"] = ["idiot*", "moron"], ["threat"] = ["kill you"] },
            TrainingData = new() { ["olid"] = 100, ["germeval2018"] = 50 },
            Notes = new() { ["k"] = "v" },
        };
        return new FastModel(metadata, weights);
    }

    private static byte[] SaveToBytes(FastModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Save_then_Load_round_trips_weights_and_metadata()
    {
        var model = MakeModel();
        var bytes = SaveToBytes(model);
        var loaded = FastModel.Load(new MemoryStream(bytes));

        var m = loaded.Metadata;
        Assert.Equal("test-model", m.Name);
        Assert.Equal("9.8.7", m.Version);
        Assert.Equal(Bits, m.BucketBits);
        Assert.Equal(3, m.MinCharN);
        Assert.Equal(6, m.MaxCharN);
        Assert.Equal(1234, m.Seed);
        Assert.Equal(Enumerable.Range(0, HarmAttributes.Count).Select(i => 0.01f * i), m.LengthCorrection);
        Assert.Equal(model.Metadata.Calibrations, m.Calibrations);
        Assert.Equal(model.Metadata.Thresholds, m.Thresholds);
        Assert.Equal(model.Metadata.LanguageCalibrations.Keys.Order(), m.LanguageCalibrations.Keys.Order());
        foreach (var (language, calibrations) in model.Metadata.LanguageCalibrations)
            Assert.Equal(calibrations, m.LanguageCalibrations[language]);
        Assert.Null(m.LanguageCalibrations["de"][1]);
        Assert.Equal(new Calibration(0.75f, -1f), m.LanguageCalibrations["de"][3]);
        Assert.Equal(model.Metadata.ProfanityLexicon, m.ProfanityLexicon);
        Assert.Equal(model.Metadata.HarmLexicon["insult"], m.HarmLexicon["insult"]);
        Assert.Equal(model.Metadata.HarmLexicon["threat"], m.HarmLexicon["threat"]);
        Assert.Equal(model.Metadata.EvidenceLanguages["toxicity"], m.EvidenceLanguages["toxicity"]);
        Assert.Equal(model.Metadata.TrainingData, m.TrainingData);
        Assert.Equal("v", m.Notes["k"]);

        // Weights are stored as half precision: equal to (float)(Half)w.
        Assert.Equal(model.Weights.Length, loaded.Weights.Length);
        for (var i = 0; i < model.Weights.Length; i++)
            Assert.Equal((float)(Half)model.Weights[i], loaded.Weights[i]);

        // Saving the loaded model again gives the same bytes (a fixed point after the first quantisation).
        Assert.Equal(bytes, SaveToBytes(loaded));
    }

    [Fact]
    public void Save_and_Load_through_a_file_path()
    {
        var dir = Directory.CreateTempSubdirectory("warden-model-");
        try
        {
            var path = Path.Combine(dir.FullName, "nested", "model.bin");
            MakeModel().Save(path);
            var loaded = FastModel.Load(path);
            Assert.Equal("test-model", loaded.Metadata.Name);
            // And the loaded model scores: a scorer can be built over it.
            var scorer = new FastScorer(loaded, new FixedLanguage("de"));
            var result = scorer.Score("hallo welt");
            Assert.Equal("de", result.Language);
            Assert.All(result.Scores, s => Assert.InRange(s, 0f, 1f));
            Assert.Equal("test-model@9.8.7", scorer.ModelName);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Language_calibration_is_used_for_its_language_and_falls_back_per_attribute()
    {
        var scorer = new FastScorer(MakeModel(), new FixedLanguage("de"));
        var de = scorer.CalibrationsFor("de");
        Assert.Equal(new Calibration(2f, 0.5f), de[0]);
        Assert.Equal(new Calibration(2.5f, -0.25f), de[1]); // null → global
        Assert.Equal(new Calibration(2f, 0.5f), scorer.CalibrationsFor("de-Latn")[0]);
        Assert.Equal(new Calibration(1.5f, 0f), scorer.CalibrationsFor("fr")[0]);
    }

    [Fact]
    public void Bad_magic_is_rejected()
    {
        var bytes = SaveToBytes(MakeModel());
        bytes[0] ^= 0xFF;
        var e = Assert.Throws<InvalidDataException>(() => FastModel.Load(new MemoryStream(bytes), "corrupt.bin"));
        Assert.Contains("corrupt.bin", e.Message);
    }

    [Fact]
    public void Text_file_is_rejected_as_not_a_model()
    {
        var bytes = Encoding.UTF8.GetBytes("this is not a model file at all, just some text");
        Assert.Throws<InvalidDataException>(() => FastModel.Load(new MemoryStream(bytes)));
    }

    [Fact]
    public void Unsupported_version_is_rejected()
    {
        var bytes = SaveToBytes(MakeModel());
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), 99);
        var e = Assert.Throws<InvalidDataException>(() => FastModel.Load(new MemoryStream(bytes)));
        Assert.Contains("99", e.Message);
    }

    [Fact]
    public void File_truncated_inside_the_weights_is_rejected()
    {
        var bytes = SaveToBytes(MakeModel());
        var truncated = bytes[..(bytes.Length - 10)];
        var e = Assert.Throws<InvalidDataException>(() => FastModel.Load(new MemoryStream(truncated)));
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Empty_file_is_rejected() =>
        Assert.Throws<InvalidDataException>(() => FastModel.Load(new MemoryStream([])));

    private static int HeaderLength(byte[] bytes) => 8 + 4 + 4 + BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));

    [Fact]
    public void File_truncated_inside_the_header_is_rejected_with_InvalidDataException()
    {
        var bytes = SaveToBytes(MakeModel());
        Assert.Throws<InvalidDataException>(() => FastModel.Load(new MemoryStream(bytes[..10])));
    }

    [Fact]
    public void File_truncated_inside_the_metadata_is_rejected_with_InvalidDataException()
    {
        var bytes = SaveToBytes(MakeModel());
        Assert.Throws<InvalidDataException>(() => FastModel.Load(new MemoryStream(bytes[..(HeaderLength(bytes) - 20)])));
    }

    [Fact]
    public void Negative_metadata_length_is_rejected_with_InvalidDataException()
    {
        var bytes = SaveToBytes(MakeModel());
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(12), -5);
        Assert.Throws<InvalidDataException>(() => FastModel.Load(new MemoryStream(bytes)));
    }

    [Fact]
    public void Weights_of_the_wrong_size_are_rejected_by_the_constructor()
    {
        var metadata = new FastModelMetadata { BucketBits = Bits };
        Assert.Throws<ArgumentException>(() => new FastModel(metadata, new float[10]));
        var ok = new FastModel(new FastModelMetadata { BucketBits = Bits }, new float[(1 << Bits) * HarmAttributes.Count]);
        Assert.All(ok.Metadata.Calibrations, c => Assert.Equal(Calibration.Identity, c));
        Assert.All(ok.Metadata.Thresholds, t => Assert.Equal(0.5f, t));
    }
}
