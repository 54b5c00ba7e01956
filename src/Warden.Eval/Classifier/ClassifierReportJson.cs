using System.Text;
using System.Text.Json;

namespace Warden.Eval.Classifier;

/// <summary>
/// Writes a <see cref="ClassifierReport"/> as JSON. Property names are spelled out here (snake_case) rather
/// than derived from C# names, so that renaming a property never changes the file format. NaN → null;
/// numbers are rounded to 6 decimals so that reports diff cleanly.
/// </summary>
public static class ClassifierReportJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true };

    public static string ToJson(ClassifierReport report)
    {
        using var stream = new MemoryStream();
        Write(report, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(ClassifierReport report, Stream stream)
    {
        using var w = new Utf8JsonWriter(stream, Options);
        w.WriteStartObject();
        w.WriteString("score", report.Score);
        w.WriteString("label", report.Label);
        w.WriteString("model", report.Model);
        w.WriteString("dataset", report.Dataset);
        Number(w, "threshold", report.Threshold);
        w.WriteStartObject("bootstrap");
        w.WriteString("method", "percentile");
        w.WriteNumber("resamples", report.BootstrapResamples);
        w.WriteNumber("seed", report.Seed);
        w.WriteEndObject();
        w.WriteNumber("min_group_size", report.MinGroupSize);
        w.WriteString("language_source", report.LanguageSource == LanguageSource.Detected ? "detected" : "dataset");
        w.WriteNumber("skipped_unlabeled", report.SkippedUnlabeled);
        w.WritePropertyName("overall");
        Group(w, report.Overall);
        w.WriteStartArray("by_language");
        foreach (var g in report.ByLanguage) Group(w, g);
        w.WriteEndArray();
        w.WriteStartArray("by_group");
        foreach (var g in report.ByGroup) Group(w, g);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Group(Utf8JsonWriter w, GroupReport g)
    {
        w.WriteStartObject();
        w.WriteString("name", g.Name);
        w.WriteNumber("n", g.Count);
        w.WriteNumber("positives", g.Positives);
        w.WriteBoolean("too_few", g.TooFew);
        if (g.Metrics is { } m)
        {
            Confusion(w, m);
            w.WriteStartObject("metrics");
            foreach (var row in g.Rows)
            {
                w.WriteStartObject(row.Name);
                Number(w, "value", row.Value.Value);
                w.WriteStartArray("ci95");
                Number(w, row.Value.Ci95.Low);
                Number(w, row.Value.Ci95.High);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        if (g.BestThresholds is { } best)
        {
            w.WriteStartObject("best_threshold");
            Choice(w, "macro_f1", best.MacroF1);
            Choice(w, "f1", best.F1);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Choice(Utf8JsonWriter w, string name, ThresholdChoice choice)
    {
        w.WriteStartObject(name);
        Number(w, "threshold", choice.Threshold);
        Confusion(w, choice.Metrics);
        // Threshold-free metrics (AUROC, ...) are the same as at the report threshold: not repeated.
        foreach (var metric in Metrics.All)
            if (metric.DependsOnThreshold()) Number(w, metric.WireName(), choice.Metrics[metric]);
        w.WriteEndObject();
    }

    private static void Confusion(Utf8JsonWriter w, BinaryMetrics m)
    {
        w.WriteStartObject("confusion");
        w.WriteNumber("tp", m.TruePositives);
        w.WriteNumber("fp", m.FalsePositives);
        w.WriteNumber("tn", m.TrueNegatives);
        w.WriteNumber("fn", m.FalseNegatives);
        w.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        Number(w, value);
    }

    private static void Number(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value)) w.WriteNumberValue(Math.Round(value, 6));
        else w.WriteNullValue();
    }
}
