using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Warden.Data.Io;

public enum InputFormat { Text, JsonLines, Csv, Tsv }

/// <summary>
/// One input row: its position, its id (the input's <c>id</c> field when there is one, else the 0-based
/// row number), its text, its other fields, or why it could not be read.
/// </summary>
public sealed record InputRow(long LineNumber, long Index, JsonNode? Id, string? Text, IReadOnlyDictionary<string, string?> Fields, string? Error)
{
    public bool IsValid => Error is null;

    /// <summary>The id as written to outputs: the input's own id, else the 0-based row number.</summary>
    public JsonNode IdOrIndex => Id?.DeepClone() ?? JsonValue.Create(Index);
}

/// <summary>How far reading a file has got, in bytes of the file on disk (compressed bytes for .gz/.zst).</summary>
public sealed class ReadProgress
{
    private Stream? _file;

    /// <summary>The file's size, when reading a file (not stdin).</summary>
    public long? TotalBytes { get; private set; }

    public long BytesRead
    {
        get
        {
            try { return _file?.Position ?? 0; }
            catch (ObjectDisposedException) { return TotalBytes ?? 0; }
        }
    }

    internal void Attach(FileStream file)
    {
        _file = file;
        TotalBytes = file.Length;
    }
}

/// <summary>
/// Streams texts from .txt (one per line), .jsonl, .csv or .tsv files, optionally .gz or .zst compressed,
/// or stdin ("-"). Memory stays bounded by the longest row whatever the file size. Rows that cannot be
/// read are yielded with an <see cref="InputRow.Error"/> and their line number, never dropped silently.
/// </summary>
public static class TextInput
{
    public static InputFormat DetectFormat(string path)
    {
        var name = StripCompression(Path.GetFileName(path)).ToLowerInvariant();
        return Path.GetExtension(name) switch
        {
            ".jsonl" or ".ndjson" or ".json" => InputFormat.JsonLines,
            ".csv" => InputFormat.Csv,
            ".tsv" or ".tab" => InputFormat.Tsv,
            _ => InputFormat.Text,
        };
    }

    public static InputFormat? ParseFormat(string? name) => name?.ToLowerInvariant() switch
    {
        null or "" => null,
        "txt" or "text" => InputFormat.Text,
        "jsonl" or "json" or "ndjson" => InputFormat.JsonLines,
        "csv" => InputFormat.Csv,
        "tsv" => InputFormat.Tsv,
        _ => throw new ArgumentException($"unknown input format '{name}' (txt, jsonl, csv, tsv)"),
    };

    /// <summary>Opens a path (decompressing .gz/.zst) or stdin for "-".</summary>
    public static TextReader OpenReader(string path, ReadProgress? progress = null)
    {
        if (path == "-") return new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false), true, 1 << 16);
        if (!File.Exists(path)) throw new FileNotFoundException($"input file not found: {path}", path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        progress?.Attach(file);
        Stream stream = file;
        var lower = path.ToLowerInvariant();
        if (lower.EndsWith(".gz")) stream = new GZipStream(stream, CompressionMode.Decompress);
        else if (lower.EndsWith(".zst") || lower.EndsWith(".zstd")) stream = new ZstdSharp.DecompressionStream(stream);
        return new StreamReader(stream, new UTF8Encoding(false), true, 1 << 16);
    }

    /// <summary>Reads rows; <paramref name="textField"/> defaults to "text" for jsonl/csv/tsv.</summary>
    public static IEnumerable<InputRow> Read(string path, string? textField = null, InputFormat? format = null, string idField = "id", ReadProgress? progress = null)
    {
        var actual = format ?? (path == "-" ? InputFormat.Text : DetectFormat(path));
        var reader = OpenReader(path, progress);
        return ReadFrom(reader, actual, textField ?? "text", idField, dispose: true);
    }

    public static IEnumerable<InputRow> ReadFrom(TextReader reader, InputFormat format, string textField = "text", string idField = "id", bool dispose = false)
    {
        try
        {
            var rows = format switch
            {
                InputFormat.Text => ReadText(reader),
                InputFormat.JsonLines => ReadJsonLines(reader, textField, idField),
                InputFormat.Csv => ReadDelimited(reader, ',', textField, idField),
                InputFormat.Tsv => ReadDelimited(reader, '\t', textField, idField),
                _ => throw new ArgumentOutOfRangeException(nameof(format)),
            };
            foreach (var row in rows) yield return row;
        }
        finally
        {
            if (dispose) reader.Dispose();
        }
    }

    private static readonly IReadOnlyDictionary<string, string?> NoFields = new Dictionary<string, string?>();

    private static IEnumerable<InputRow> ReadText(TextReader reader)
    {
        long line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            yield return string.IsNullOrWhiteSpace(text)
                ? new InputRow(line, line - 1, null, null, NoFields, "empty line")
                : new InputRow(line, line - 1, null, text, NoFields, null);
        }
    }

    /// <summary>Lines parsed together, on all cores: parsed one by one on the reader thread, JSON held back the scorers.</summary>
    private const int JsonBlock = 1024;

    private static IEnumerable<InputRow> ReadJsonLines(TextReader reader, string textField, string idField)
    {
        long line = 0;
        var raws = new List<(string Raw, long Line)>(JsonBlock);
        var parsed = new InputRow[JsonBlock];
        while (true)
        {
            raws.Clear();
            while (raws.Count < JsonBlock && reader.ReadLine() is { } raw)
            {
                line++;
                if (!string.IsNullOrWhiteSpace(raw)) raws.Add((raw, line)); // blank separator lines are not rows
            }
            if (raws.Count == 0) yield break;
            if (raws.Count < 64)
                for (var i = 0; i < raws.Count; i++) parsed[i] = ParseJsonRow(raws[i].Raw, raws[i].Line, textField, idField);
            else
                Parallel.For(0, raws.Count, i => parsed[i] = ParseJsonRow(raws[i].Raw, raws[i].Line, textField, idField));
            for (var i = 0; i < raws.Count; i++) yield return parsed[i];
        }
    }

    private static InputRow ParseJsonRow(string raw, long line, string textField, string idField)
    {
        JsonObject? obj;
        try
        {
            obj = JsonNode.Parse(raw) as JsonObject;
        }
        catch (JsonException e)
        {
            return new InputRow(line, line - 1, null, null, NoFields, $"invalid JSON: {e.Message}");
        }
        if (obj is null) return new InputRow(line, line - 1, null, null, NoFields, "not a JSON object");
        var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in obj)
            fields[key] = value switch { null => null, JsonValue v when v.TryGetValue<string>(out var s) => s, _ => value.ToJsonString() };
        var id = obj[idField] is JsonValue idValue ? idValue.DeepClone() : null;
        if (!obj.TryGetPropertyValue(textField, out var textNode) || textNode is null)
            return new InputRow(line, line - 1, id, null, fields, $"no '{textField}' field");
        if (textNode is not JsonValue tv || !tv.TryGetValue<string>(out var text))
            return new InputRow(line, line - 1, id, null, fields, $"'{textField}' is not a string");
        if (string.IsNullOrWhiteSpace(text)) return new InputRow(line, line - 1, id, null, fields, $"empty '{textField}'");
        return new InputRow(line, line - 1, id, text, fields, null);
    }

    private static IEnumerable<InputRow> ReadDelimited(TextReader reader, char delimiter, string textField, string idField)
    {
        string[]? header = null;
        int textColumn = -1, idColumn = -1;
        long index = 0;
        foreach (var (line, cells) in DelimitedReader.Read(reader, delimiter))
        {
            if (header is null)
            {
                header = cells;
                textColumn = Array.FindIndex(header, h => string.Equals(h.Trim(), textField, StringComparison.OrdinalIgnoreCase));
                idColumn = Array.FindIndex(header, h => string.Equals(h.Trim(), idField, StringComparison.OrdinalIgnoreCase));
                if (textColumn < 0)
                    throw new InvalidDataException($"line {line}: no '{textField}' column in the header ({string.Join(", ", header)}); use --text-field");
                continue;
            }
            var rowIndex = index++;
            if (cells.Length == 1 && cells[0].Length == 0) { index--; continue; } // blank line
            var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var c = 0; c < header.Length && c < cells.Length; c++) fields[header[c]] = cells[c];
            JsonNode? id = idColumn >= 0 && idColumn < cells.Length ? JsonValue.Create(cells[idColumn]) : null;
            if (cells.Length != header.Length)
                yield return new InputRow(line, rowIndex, id, null, fields, $"{cells.Length} columns, the header has {header.Length}");
            else if (string.IsNullOrWhiteSpace(cells[textColumn]))
                yield return new InputRow(line, rowIndex, id, null, fields, $"empty '{textField}'");
            else
                yield return new InputRow(line, rowIndex, id, cells[textColumn], fields, null);
        }
    }

    private static string StripCompression(string name)
    {
        foreach (var suffix in new[] { ".gz", ".zst", ".zstd" })
            if (name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) return name[..^suffix.Length];
        return name;
    }
}
