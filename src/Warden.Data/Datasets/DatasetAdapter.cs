using Warden.Core;

namespace Warden.Data.Datasets;

/// <summary>
/// Base of the built-in adapters. A subclass only parses its files and maps labels (<see cref="Read"/>); the
/// rules every dataset shares are applied here once:
/// <list type="bullet">
/// <item>texts are trimmed; an empty text is a bad row (skipped and reported);</item>
/// <item>an exact duplicate text is dropped, keeping the first: adapters yield official test rows first, so a
/// text in the official test split never also appears in train or validation;</item>
/// <item>ids must be unique within the dataset (a repeated id is reported and skipped);</item>
/// <item>a labelled set's record with no annotated attribute is left out (counted as unmapped);</item>
/// <item>a <see cref="DatasetUse.TestOnly"/> or <see cref="DatasetUse.Eval"/> dataset yields only <see cref="Split.Test"/>.</item>
/// </list>
/// </summary>
public abstract class DatasetAdapter : IDatasetAdapter
{
    public abstract DatasetInfo Info { get; }

    public IEnumerable<LabeledText> Load(string datasetDirectory) => Load(datasetDirectory, null);

    /// <summary>Streams the records; bad rows, duplicates and unmapped rows are counted in <paramref name="report"/>.</summary>
    public IEnumerable<LabeledText> Load(string datasetDirectory, LoadReport? report)
    {
        var context = new LoadContext(Info, datasetDirectory, report ?? new LoadReport());
        var texts = new HashSet<string>(StringComparer.Ordinal);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var testOnly = Info.Use is DatasetUse.TestOnly or DatasetUse.Eval;

        foreach (var raw in Read(context))
        {
            var text = raw.Text.Trim();
            if (text.Length == 0)
            {
                context.Skip("(record)", 0, $"empty text for id {raw.Id}");
                continue;
            }
            if (Info.Use is DatasetUse.Train or DatasetUse.TestOnly && !raw.Labels.Any())
            {
                // Nothing annotated (e.g. a RealToxicityPrompts continuation with null scores): teaches nothing.
                context.Unmapped();
                continue;
            }
            if (!texts.Add(text))
            {
                context.Report.AddDuplicate();
                continue;
            }
            if (!ids.Add(raw.Id))
            {
                context.Skip("(record)", 0, $"repeated id {raw.Id} with a different text");
                continue;
            }
            var record = ReferenceEquals(text, raw.Text) ? raw : raw with { Text = text };
            // Defence in depth: the adapters already put these rows in Test; a licence must not depend on that.
            if (testOnly && record.Split != Split.Test) record = record with { Split = Split.Test };
            yield return record;
        }
    }

    /// <summary>Parses the dataset's files. Deterministic order; official test rows before validation before train.</summary>
    protected abstract IEnumerable<LabeledText> Read(LoadContext context);
}

/// <summary>Per-load state and helpers handed to <see cref="DatasetAdapter.Read"/>.</summary>
public sealed class LoadContext
{
    internal LoadContext(DatasetInfo info, string directory, LoadReport report)
    {
        Info = info;
        Directory = directory;
        Report = report;
    }

    public DatasetInfo Info { get; }

    public string Dataset => Info.Name;

    public string Directory { get; }

    public LoadReport Report { get; }

    public string PathOf(string relativePath) => Path.Combine(Directory, relativePath);

    public void Skip(string file, long line, string reason) => Report.AddSkipped(new SkippedRow(Dataset, file, line, reason));

    /// <summary>A well-formed row that the label mapping leaves out on purpose.</summary>
    public void Unmapped() => Report.AddUnmapped();

    /// <summary>The 80/10/10 hash split of a dataset without an official one (Test only for test-only sets).</summary>
    public Split HashSplit(string key) => IsTestOnly ? Split.Test : DeterministicSplit.Assign(Dataset, key);

    /// <summary>Rows of an official training file: 90% train, 10% validation by hash (Test only for test-only sets).</summary>
    public Split TrainOrValidation(string key) => IsTestOnly ? Split.Test : DeterministicSplit.TrainOrValidation(Dataset, key);

    private bool IsTestOnly => Info.Use is DatasetUse.TestOnly or DatasetUse.Eval;

    /// <summary>Creates a record of this dataset.</summary>
    public LabeledText Record(string id, string text, string language, AttributeLabels labels, Split split, string? targetGroup = null) =>
        new(Dataset, id, text, language, labels, split, targetGroup);

    /// <summary>
    /// Reads a delimited file of this dataset. Rows whose field count differs from the header (or from
    /// <paramref name="fieldCount"/> for files without a header) are reported and skipped; trailing empty
    /// fields beyond the expected count are tolerated (some exports pad rows with empty columns).
    /// </summary>
    public IEnumerable<TableRow> ReadTable(string file, char delimiter = ',', bool hasHeader = true, bool quoted = true, int fieldCount = 0)
    {
        var path = PathOf(file);
        Dictionary<string, int>? columns = null;
        var expected = fieldCount;
        foreach (var (line, fields) in Io.DelimitedReader.ReadFile(path, delimiter, quoted))
        {
            if (hasHeader && columns is null)
            {
                columns = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < fields.Length; i++) columns.TryAdd(fields[i].Trim(), i);
                expected = fields.Length;
                continue;
            }
            if (fields.Length == 1 && fields[0].Length == 0) continue; // blank line
            if (fields.Length < expected || (fields.Length > expected && fields.Skip(expected).Any(f => f.Length > 0)))
            {
                Skip(file, line, $"expected {expected} fields, found {fields.Length}");
                continue;
            }
            yield return new TableRow(file, line, fields, columns);
        }
    }

    /// <summary>Lines of a plain text file (UTF-8, BOM removed), with 1-based line numbers; split on LF only, a trailing CR is removed.</summary>
    public IEnumerable<(long Line, string Text)> ReadLines(string file)
    {
        using var reader = new StreamReader(PathOf(file), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var number = 0L;
        // ReadLine would also break on lone CR; the files here use LF or CRLF only, and some texts hold U+0085.
        var content = reader.ReadToEnd();
        var start = 0;
        while (start < content.Length)
        {
            var end = content.IndexOf('\n', start);
            if (end < 0) end = content.Length;
            var line = content.AsSpan(start, end - start);
            if (line.EndsWith("\r")) line = line[..^1];
            yield return (++number, line.ToString());
            start = end + 1;
        }
    }
}

/// <summary>One row of a delimited file, with access by column name when the file has a header.</summary>
public sealed class TableRow(string file, long line, string[] fields, IReadOnlyDictionary<string, int>? columns)
{
    public string File { get; } = file;

    public long Line { get; } = line;

    public string[] Fields { get; } = fields;

    public string this[int index] => Fields[index];

    public string this[string column] =>
        columns is not null && columns.TryGetValue(column, out var i) ? Fields[i] : throw new KeyNotFoundException($"{File}: no column '{column}'");

    public bool HasColumn(string column) => columns?.ContainsKey(column) == true;
}
