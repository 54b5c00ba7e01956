namespace Warden.Data.Datasets;

/// <summary>A source row that could not be read and was skipped (never silently: it is counted here).</summary>
public sealed record SkippedRow(string Dataset, string File, long Line, string Reason)
{
    public override string ToString() => $"{Dataset}: {File}:{Line}: {Reason}";
}

/// <summary>
/// What happened while loading: bad rows skipped (with file and line), exact duplicate texts dropped, and rows
/// left out by design because the label mapping gives them no attribute. Thread-safe; pass one to
/// <see cref="DatasetRegistry.Load"/> and read it after enumerating.
/// </summary>
public sealed class LoadReport
{
    /// <summary>How many skipped rows are kept in <see cref="Skipped"/> (the counts are always complete).</summary>
    public const int MaxKeptSkippedRows = 1000;

    private readonly object _gate = new();
    private readonly List<SkippedRow> _skipped = [];
    private long _skippedRows;
    private long _duplicateTexts;
    private long _unmappedRows;

    /// <summary>Called for every skipped row (e.g. to print "file:line: reason" in the CLI, or to fail with --strict).</summary>
    public Action<SkippedRow>? OnSkipped { get; init; }

    public long SkippedRows => Interlocked.Read(ref _skippedRows);

    /// <summary>Records dropped because the same text came earlier in the same dataset (the first one, e.g. the official test copy, is kept).</summary>
    public long DuplicateTexts => Interlocked.Read(ref _duplicateTexts);

    /// <summary>Well-formed rows left out because the mapping gives them no Warden attribute (e.g. XSafety "Privacy" prompts); see docs/label-mapping.md.</summary>
    public long UnmappedRows => Interlocked.Read(ref _unmappedRows);

    public IReadOnlyList<SkippedRow> Skipped
    {
        get { lock (_gate) return [.. _skipped]; }
    }

    internal void AddSkipped(SkippedRow row)
    {
        Interlocked.Increment(ref _skippedRows);
        lock (_gate)
        {
            if (_skipped.Count < MaxKeptSkippedRows) _skipped.Add(row);
        }
        OnSkipped?.Invoke(row);
    }

    internal void AddDuplicate() => Interlocked.Increment(ref _duplicateTexts);

    internal void AddUnmapped() => Interlocked.Increment(ref _unmappedRows);
}
