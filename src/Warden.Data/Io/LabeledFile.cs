using Warden.Core;

namespace Warden.Data.Io;

/// <summary>Reads a user's labelled file (any <see cref="TextInput"/> format) into <see cref="LabeledText"/> records for evaluation.</summary>
public static class LabeledFile
{
    public static readonly string[] DefaultPositiveValues = ["1", "true", "yes", "positive", "toxic", "offensive", "off", "hate", "abusive", "abuse"];

    /// <summary>
    /// Rows whose label is missing are reported on <paramref name="errors"/> with their line number and skipped.
    /// Labels that parse as a number in [0, 1] are kept as soft labels; others are positive when listed in
    /// <paramref name="positiveValues"/> (case-insensitive) and negative otherwise.
    /// </summary>
    public static IReadOnlyList<LabeledText> Read(string path, string? textField, string labelField, IReadOnlyList<string>? positiveValues,
        HarmAttribute attribute, string? languageField, string? groupField, TextWriter errors)
    {
        var positives = new HashSet<string>((positiveValues is { Count: > 0 } ? positiveValues : DefaultPositiveValues).Select(v => v.Trim()), StringComparer.OrdinalIgnoreCase);
        var records = new List<LabeledText>();
        var bad = 0;
        foreach (var row in TextInput.Read(path, textField))
        {
            if (!row.IsValid) { errors.WriteLine($"warden: line {row.LineNumber}: {row.Error} (skipped)"); bad++; continue; }
            if (!row.Fields.TryGetValue(labelField, out var raw) || string.IsNullOrWhiteSpace(raw))
            {
                errors.WriteLine($"warden: line {row.LineNumber}: no '{labelField}' value (skipped)");
                bad++;
                continue;
            }
            var value = raw.Trim();
            var label = positives.Contains(value) ? 1f
                : float.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var f) && f is >= 0 and <= 1 ? f
                : 0f;
            var language = languageField is not null && row.Fields.TryGetValue(languageField, out var l) && !string.IsNullOrWhiteSpace(l) ? l.Trim().ToLowerInvariant() : "und";
            var group = groupField is not null && row.Fields.TryGetValue(groupField, out var g) && !string.IsNullOrWhiteSpace(g) ? g.Trim().ToLowerInvariant() : null;
            records.Add(new LabeledText(Path.GetFileName(path), row.IdOrIndex.ToString(), row.Text!, language, new AttributeLabels().Set(attribute, label), Split.Test, group));
        }
        if (bad > 0) errors.WriteLine($"warden: {bad} row(s) skipped");
        return records;
    }
}
