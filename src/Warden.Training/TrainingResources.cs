using System.Text.Json;

namespace Warden.Training;

/// <summary>Warden's own training resources (templates, lexicons), embedded in this assembly as JSON files.</summary>
internal static class TrainingResources
{
    /// <summary>Parses an embedded JSON file by its file name (comments allowed).</summary>
    public static JsonDocument Load(string fileName)
    {
        using var stream = typeof(TrainingResources).Assembly.GetManifestResourceStream("Warden.Training." + fileName)
            ?? throw new InvalidOperationException($"{fileName} is not embedded");
        return JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
    }
}
