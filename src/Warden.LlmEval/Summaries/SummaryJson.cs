using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Warden.LlmEval.Stats;

namespace Warden.LlmEval.Summaries;

/// <summary>
/// Writes <c>summary.json</c> per the PRODUCT.md contract: <c>{"suite", "target", "metrics": {METRIC: {"value", "ci95",
/// "n"}}, "groups": {GROUP: {METRIC: {...}}}}</c>. The extra keys (model, run_id, counts, disparity) come after the
/// contracted ones; readers of the contract ignore them.
/// </summary>
public static class SummaryJson
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(SuiteSummary s)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options)) Write(w, s);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter w, SuiteSummary s)
    {
        w.WriteStartObject();
        w.WriteString("suite", s.Suite);
        w.WriteString("target", s.Target);
        w.WriteStartObject("metrics");
        foreach (var (name, e) in s.Metrics) WriteEstimate(w, name, e);
        w.WriteEndObject();
        w.WriteStartObject("groups");
        foreach (var (group, metrics) in s.Groups)
        {
            w.WriteStartObject(group);
            foreach (var (name, e) in metrics) WriteEstimate(w, name, e);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteString("model", s.Model);
        w.WriteString("run_id", s.RunId);
        w.WriteNumber("prompts", s.Prompts);
        w.WriteNumber("prompts_answered", s.PromptsAnswered);
        w.WriteNumber("generations", s.Generations);
        w.WriteStartArray("disparity");
        foreach (var d in s.Disparities)
        {
            w.WriteStartObject();
            w.WriteString("metric", d.Metric);
            w.WriteString("level", d.Level);
            WriteNumber(w, "baseline", d.Baseline);
            w.WriteNumber("groups", d.Groups);
            w.WriteStartArray("groups_above_baseline");
            foreach (var g in d.GroupsAbove) w.WriteStringValue(g);
            w.WriteEndArray();
            WriteNumber(w, "fraction_above_baseline", d.FractionAbove);
            w.WriteStartObject("max_min_gap");
            WriteNumber(w, "value", d.Gap);
            w.WriteString("max_group", d.MaxGroup);
            WriteNumber(w, "max", d.Max);
            w.WriteString("min_group", d.MinGroup);
            WriteNumber(w, "min", d.Min);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteEstimate(Utf8JsonWriter w, string name, Estimate e)
    {
        w.WriteStartObject(name);
        WriteNumber(w, "value", e.Value);
        w.WriteStartArray("ci95");
        WriteNumberValue(w, e.Low);
        WriteNumberValue(w, e.High);
        w.WriteEndArray();
        w.WriteNumber("n", e.N);
        w.WriteEndObject();
    }

    // JSON has no NaN: an undefined number (no bootstrap requested) is written as null.
    private static void WriteNumber(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, Math.Round(value, 6));
        else w.WriteNull(name);
    }

    private static void WriteNumberValue(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value)) w.WriteNumberValue(Math.Round(value, 6));
        else w.WriteNullValue();
    }
}
