using System.Text;
using Warden.Core;

namespace Warden.Data.Datasets;

/// <summary>
/// The one place where records without an official split get one: a stable 64-bit hash of
/// (dataset name, record id) decides, so a record keeps its split across runs, machines and .NET versions
/// (string.GetHashCode is randomised per process and must not be used). 80% train / 10% validation / 10% test.
/// </summary>
public static class DeterministicSplit
{
    public const int TrainPercent = 80;
    public const int ValidationPercent = 10;

    /// <summary>The 80/10/10 hash split for a dataset with no official split.</summary>
    public static Split Assign(string dataset, string id)
    {
        var bucket = Bucket(dataset, id);
        return bucket < TrainPercent ? Split.Train
            : bucket < TrainPercent + ValidationPercent ? Split.Validation
            : Split.Test;
    }

    /// <summary>For an official training file without a validation file: 90% stays train, 10% becomes validation.</summary>
    public static Split TrainOrValidation(string dataset, string id) =>
        Bucket(dataset, id) < 90 ? Split.Train : Split.Validation;

    /// <summary>A number in [0, 100) that depends only on the dataset name and the id.</summary>
    public static int Bucket(string dataset, string id) => (int)(StableHash.Of(dataset, id) % 100);
}

/// <summary>FNV-1a over UTF-8 with a 64-bit finaliser (FNV alone mixes its low bits poorly). Stable forever: never change it.</summary>
public static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    public static ulong Of(string text) => Finalise(Fnv(OffsetBasis, text));

    /// <summary>Hash of two strings with a separator, so ("ab","c") and ("a","bc") differ.</summary>
    public static ulong Of(string first, string second)
    {
        var hash = Fnv(OffsetBasis, first);
        hash = (hash ^ 0x1F) * Prime;
        return Finalise(Fnv(hash, second));
    }

    /// <summary>16 hex digits, for ids of records whose source has none (the hash of their text).</summary>
    public static string Hex(string text) => Of(text).ToString("x16");

    private static ulong Fnv(ulong hash, string text)
    {
        Span<byte> buffer = stackalloc byte[512];
        var bytes = Encoding.UTF8.GetByteCount(text) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(text, buffer)] : Encoding.UTF8.GetBytes(text);
        foreach (var b in bytes) hash = (hash ^ b) * Prime;
        return hash;
    }

    private static ulong Finalise(ulong h)
    {
        // MurmurHash3 fmix64.
        h ^= h >> 33; h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33; h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
