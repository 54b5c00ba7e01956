using System.Text.Json;
using Warden.Core;
using Warden.Guard;
using Warden.Server.Http;

namespace Warden.Server.Endpoints;

/// <summary>The one JSON shape of a <see cref="GuardVerdict"/>, used by /v1/guard and in the proxy's <c>warden</c> field.</summary>
public static class VerdictJson
{
    public static void Write(Utf8JsonWriter w, GuardVerdict verdict, bool includeMessages)
    {
        w.WriteStartObject();
        w.WriteString("verdict", verdict.Label);
        w.WriteBoolean("safe", verdict.Safe);
        w.WriteString("policy", verdict.Policy);
        w.WriteString("action", verdict.Action.ToString().ToLowerInvariant());
        if (verdict.MessageIndex is { } index) w.WriteNumber("message_index", index);
        else w.WriteNull("message_index");
        w.WriteString("reason", verdict.Reason);
        w.WriteStartArray("violations");
        foreach (var v in verdict.Violations)
        {
            w.WriteStartObject();
            w.WriteString("category", v.Category);
            w.WriteScore("score", v.Score);
            w.WriteScore("threshold", v.Threshold);
            w.WriteNumber("message_index", v.MessageIndex);
            WriteSpans(w, v.Spans);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (includeMessages)
        {
            w.WriteStartArray("messages");
            foreach (var m in verdict.Messages)
            {
                w.WriteStartObject();
                w.WriteNumber("index", m.MessageIndex);
                w.WriteString("role", m.Role);
                w.WriteString("language", m.Scores.Language);
                w.WriteBoolean("safe", m.Safe);
                w.WriteStartObject("scores");
                foreach (var a in HarmAttributes.All) w.WriteScore(a.WireName(), m.Scores[a]);
                w.WriteEndObject();
                // Spans of every attribute the scorer found drivers for, not only violations: the playground highlights them.
                WriteSpans(w, m.Scores.Spans.Select(s => new GuardSpan(s.Start, s.Length, s.Attribute.WireName(), s.Score, s.Text))
                    .Concat(m.Violations.Where(v => v.Category == Guard.Guard.DenyTermCategory).SelectMany(v => v.Spans)).ToList());
                if (m.Redacted is not null) w.WriteString("redacted", m.Redacted);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteString("model", verdict.Model);
        w.WriteEndObject();
    }

    private static void WriteSpans(Utf8JsonWriter w, IReadOnlyList<GuardSpan> spans)
    {
        w.WriteStartArray("spans");
        foreach (var s in spans)
        {
            w.WriteStartObject();
            w.WriteNumber("start", s.Start);
            w.WriteNumber("end", s.End);
            w.WriteString("category", s.Category);
            w.WriteScore("score", s.Score);
            w.WriteString("text", s.Text);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
