using System.Globalization;
using System.Text;

namespace Warden.Text.LanguageId;

/// <summary>Held-out accuracy of one language ("und" counts as an error).</summary>
public sealed record LanguageAccuracy(string Language, int Count, double ShortAccuracy, double LongAccuracy, double ShortUnd, double LongUnd);

/// <summary>How often a language was confidently mistaken for another one.</summary>
public sealed record Confusion(string Language, string PredictedAs, int Count);

/// <summary>Evaluation of a language-id model on the held-out test split.</summary>
public sealed record LanguageIdReport
{
    public IReadOnlyList<LanguageAccuracy> Languages { get; init; } = [];
    /// <summary>Accuracy on short texts (first words, ≤ 20 characters).</summary>
    public double ShortAccuracy { get; init; }
    /// <summary>Accuracy on full sentences.</summary>
    public double LongAccuracy { get; init; }
    /// <summary>Mean of short and long accuracy.</summary>
    public double Accuracy { get; init; }
    /// <summary>Top-1 accuracy ignoring the "und" threshold.</summary>
    public double ShortTop1 { get; init; }
    public double LongTop1 { get; init; }
    public double ShortUnd { get; init; }
    public double LongUnd { get; init; }
    public IReadOnlyList<Confusion> TopConfusions { get; init; } = [];
    public float Threshold { get; init; }
    public float Temperature { get; init; }
    public double Alpha { get; init; }
    public int HashBits { get; init; }
    public int Seed { get; init; }
    public int TrainSentences { get; init; }
    public int TestSentences { get; init; }
    public long ModelBytes { get; init; }
    public double TrainingSeconds { get; init; }
    public string? RomanizedHindi { get; init; }
    /// <summary>The same evaluation on held-out informal texts (test splits of the labelled sets); null when none were given.</summary>
    public LanguageIdReport? Informal { get; init; }
    /// <summary>Where the informal training and test texts came from.</summary>
    public string? InformalDescription { get; init; }

    /// <summary>The weakest languages by mean of short and long accuracy.</summary>
    public IEnumerable<LanguageAccuracy> Weakest(int n = 10) =>
        Languages.OrderBy(l => l.ShortAccuracy + l.LongAccuracy).ThenBy(l => l.Language, StringComparer.Ordinal).Take(n);

    /// <summary>The informal-text evaluation: the summary, accuracy per language and the top confusions.</summary>
    public string InformalMarkdown()
    {
        if (Informal is not { } r) return "No informal test texts in this build.\n";
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| | short (≤ 20 chars) | long (whole text) |");
        sb.AppendLine("|---|---:|---:|");
        sb.AppendLine(inv, $"| accuracy (\"und\" = error) | {r.ShortAccuracy:P1} | {r.LongAccuracy:P1} |");
        sb.AppendLine(inv, $"| answered \"und\" | {r.ShortUnd:P1} | {r.LongUnd:P1} |");
        sb.AppendLine();
        sb.AppendLine(inv, $"{r.TestSentences:N0} test texts: {InformalDescription}");
        sb.AppendLine();
        AppendLanguageTable(sb, r.Languages);
        sb.AppendLine();
        sb.AppendLine("Most frequent confident confusions: " + (r.TopConfusions.Count == 0 ? "none." :
            string.Join(", ", r.TopConfusions.Take(10).Select(c => string.Create(inv, $"{c.Language} → {c.PredictedAs} ({c.Count})"))) + "."));
        return sb.ToString();
    }

    private static void AppendLanguageTable(StringBuilder sb, IEnumerable<LanguageAccuracy> languages)
    {
        sb.AppendLine("| language | n | short | long | short und | long und |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var l in languages)
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {l.Language} | {l.Count} | {l.ShortAccuracy:P1} | {l.LongAccuracy:P1} | {l.ShortUnd:P1} | {l.LongUnd:P1} |");
    }

    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("| | short (≤ 20 chars) | long (sentence) | overall |");
        sb.AppendLine("|---|---:|---:|---:|");
        sb.AppendLine(inv, $"| accuracy (\"und\" = error) | {ShortAccuracy:P1} | {LongAccuracy:P1} | {Accuracy:P1} |");
        sb.AppendLine(inv, $"| top-1, no threshold | {ShortTop1:P1} | {LongTop1:P1} | {(ShortTop1 + LongTop1) / 2:P1} |");
        sb.AppendLine(inv, $"| answered \"und\" | {ShortUnd:P1} | {LongUnd:P1} | {(ShortUnd + LongUnd) / 2:P1} |");
        sb.AppendLine();
        sb.AppendLine(inv, $"Test sentences: {TestSentences:N0} (every 10th line of each language); training sentences: {TrainSentences:N0}. Seed {Seed}, {1 << HashBits:N0} hash buckets, smoothing α = {Alpha.ToString(inv)}, temperature {Temperature.ToString("G4", inv)}, `und` threshold {Threshold.ToString("F3", inv)}. Model file {ModelBytes / 1024.0 / 1024.0:F2} MiB; training took {TrainingSeconds:F1} s.");
        sb.AppendLine();
        sb.AppendLine("### Per language");
        sb.AppendLine();
        AppendLanguageTable(sb, Languages);
        sb.AppendLine();
        sb.AppendLine("### Weakest languages (mean of short and long)");
        sb.AppendLine();
        sb.AppendLine(string.Join(", ", Weakest(10).Select(l => string.Create(inv, $"{l.Language} ({(l.ShortAccuracy + l.LongAccuracy) / 2:P1})"))));
        sb.AppendLine();
        sb.AppendLine("### Most frequent confident confusions (test, short + long)");
        sb.AppendLine();
        sb.AppendLine("| language | predicted as | count |");
        sb.AppendLine("|---|---|---:|");
        foreach (var c in TopConfusions) sb.AppendLine(inv, $"| {c.Language} | {c.PredictedAs} | {c.Count} |");
        return sb.ToString();
    }
}
