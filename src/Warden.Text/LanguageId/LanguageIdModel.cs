using System.Text;

namespace Warden.Text.LanguageId;

/// <summary>One language of the model.</summary>
/// <param name="Label">Training label, e.g. "en" or "hi-Latn".</param>
/// <param name="Code">What <see cref="LanguageIdentifier"/> reports (ISO 639-1; "hi" for "hi-Latn").</param>
/// <param name="Script">Dominant script of the training text.</param>
/// <param name="Row">Column of this language in the weight rows, or -1 when its script alone identifies it.</param>
public sealed record LanguageClass(string Label, string Code, Script Script, int Row);

/// <summary>
/// The trained identifier's parameters. Binary format (little-endian), version 1:
/// <code>
/// "WLID" u16 version  u8 hashBits  u8 reserved  u32 hashSeed
/// f32 scale  f32 temperature  f32 threshold  u16 rowStride  u16 classCount
/// classCount × { string label, string code, u8 script, i16 row }   (string = u8 byte length + UTF-8)
/// (1 &lt;&lt; hashBits) × rowStride × i8 weights (bucket-major: one row of per-language weights per bucket)
/// u32 FNV-1a checksum of everything before it
/// </code>
/// Weight w[b, l] × scale is the centred naive-Bayes log-likelihood of hash bucket b under
/// language l; a text's score for l is the sum over its features.
/// </summary>
public sealed class LanguageIdModel
{
    public const uint Magic = 0x44494C57; // "WLID"
    public const ushort Version = 1;

    public LanguageIdModel(int hashBits, uint hashSeed, float scale, float temperature, float threshold,
        int rowStride, IReadOnlyList<LanguageClass> classes, sbyte[] weights)
    {
        if (hashBits is < 8 or > 24) throw new ArgumentOutOfRangeException(nameof(hashBits));
        if (weights.Length != (1 << hashBits) * rowStride) throw new ArgumentException("weights size does not match hashBits × rowStride", nameof(weights));
        HashBits = hashBits;
        HashSeed = hashSeed;
        Scale = scale;
        Temperature = temperature;
        Threshold = threshold;
        RowStride = rowStride;
        Classes = classes;
        Weights = weights;
    }

    public int HashBits { get; }
    public uint HashSeed { get; }
    public float Scale { get; }
    public float Temperature { get; }
    public float Threshold { get; }
    public int RowStride { get; }
    public IReadOnlyList<LanguageClass> Classes { get; }
    internal sbyte[] Weights { get; }

    public LanguageIdModel With(float? temperature = null, float? threshold = null) =>
        new(HashBits, HashSeed, Scale, temperature ?? Temperature, threshold ?? Threshold, RowStride, Classes, Weights);

    public void Save(string path)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        File.WriteAllBytes(path, ToBytes());
    }

    public byte[] ToBytes()
    {
        using var ms = new MemoryStream(Weights.Length + 4096);
        using (var w = new BinaryWriter(ms, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write((byte)HashBits);
            w.Write((byte)0);
            w.Write(HashSeed);
            w.Write(Scale);
            w.Write(Temperature);
            w.Write(Threshold);
            w.Write((ushort)RowStride);
            w.Write((ushort)Classes.Count);
            foreach (var c in Classes)
            {
                WriteString(w, c.Label);
                WriteString(w, c.Code);
                w.Write((byte)c.Script);
                w.Write((short)c.Row);
            }
            w.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(Weights.AsSpan()));
        }
        uint sum = Fnv(ms.GetBuffer().AsSpan(0, (int)ms.Length));
        ms.Write(BitConverter.GetBytes(sum));
        return ms.ToArray();
    }

    public static LanguageIdModel Load(string path) => FromBytes(File.ReadAllBytes(path));

    public static LanguageIdModel FromBytes(byte[] bytes)
    {
        if (bytes.Length < 40) throw new InvalidDataException("language-id model: file too short");
        uint expected = BitConverter.ToUInt32(bytes, bytes.Length - 4);
        if (Fnv(bytes.AsSpan(0, bytes.Length - 4)) != expected) throw new InvalidDataException("language-id model: checksum mismatch (corrupt or truncated file)");
        using var r = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 4), Encoding.UTF8);
        if (r.ReadUInt32() != Magic) throw new InvalidDataException("language-id model: bad magic (not a Warden langid.bin)");
        ushort version = r.ReadUInt16();
        if (version != Version) throw new InvalidDataException($"language-id model: unsupported version {version} (expected {Version})");
        int hashBits = r.ReadByte();
        r.ReadByte();
        uint seed = r.ReadUInt32();
        float scale = r.ReadSingle(), temperature = r.ReadSingle(), threshold = r.ReadSingle();
        int stride = r.ReadUInt16();
        int count = r.ReadUInt16();
        var classes = new List<LanguageClass>(count);
        for (int i = 0; i < count; i++)
        {
            string label = ReadString(r), code = ReadString(r);
            var script = (Script)r.ReadByte();
            int row = r.ReadInt16();
            if (row >= stride) throw new InvalidDataException("language-id model: class row out of range");
            classes.Add(new LanguageClass(label, code, script, row));
        }
        long size = (1L << hashBits) * stride;
        if (r.BaseStream.Length - r.BaseStream.Position != size) throw new InvalidDataException("language-id model: weight block has the wrong size");
        var weights = new sbyte[size];
        r.BaseStream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(weights.AsSpan()));
        return new LanguageIdModel(hashBits, seed, scale, temperature, threshold, stride, classes, weights);
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        var b = Encoding.UTF8.GetBytes(s);
        w.Write((byte)b.Length);
        w.Write(b);
    }

    private static string ReadString(BinaryReader r)
    {
        int n = r.ReadByte();
        return Encoding.UTF8.GetString(r.ReadBytes(n));
    }

    private static uint Fnv(ReadOnlySpan<byte> data)
    {
        uint h = 2166136261;
        foreach (byte b in data) h = (h ^ b) * 16777619;
        return h;
    }
}
