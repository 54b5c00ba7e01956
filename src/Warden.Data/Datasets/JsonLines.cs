using System.Text.Json;

namespace Warden.Data.Datasets;

/// <summary>JSON Lines reading shared by the JSONL datasets: one object per line, bad lines reported.</summary>
internal static class JsonLines
{
    public static IEnumerable<(long Line, JsonElement Value)> Read(LoadContext context, string file)
    {
        foreach (var (line, text) in context.ReadLines(file))
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonElement value;
            try
            {
                using var document = JsonDocument.Parse(text);
                value = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                context.Skip(file, line, "invalid JSON: " + e.Message);
                continue;
            }
            if (value.ValueKind != JsonValueKind.Object)
            {
                context.Skip(file, line, "not a JSON object");
                continue;
            }
            yield return (line, value);
        }
    }
}
