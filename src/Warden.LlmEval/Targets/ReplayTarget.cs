using System.Text.Json;
using Warden.Data.Io;

namespace Warden.LlmEval.Targets;

/// <summary>
/// Generations produced elsewhere (published model outputs), served back by prompt id so they can be scored without
/// running a model. JSONL rows or CSV/TSV columns: a prompt id (<c>id</c>, <c>prompt_id</c>) and a completion
/// (<c>completion</c>, <c>response</c>, <c>generation</c>, <c>output</c>, <c>text</c>); several rows with one id are
/// that prompt's k samples, in file order. A row with a <c>prompt</c> field also matches by prompt text, so a file
/// keyed by the original dataset's prompt works too.
/// </summary>
public sealed class ReplayTarget : ITarget
{
    private static readonly string[] IdFields = ["prompt_id", "id"];
    private static readonly string[] CompletionFields = ["completion", "response", "generation", "output", "continuation", "text"];

    private readonly Dictionary<string, List<string>> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _byPrompt = new(StringComparer.Ordinal);
    private readonly string _path;
    private long _requests, _failures;

    public ReplayTarget(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"replay file not found: {path}", path);
        _path = path;
        var rows = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ReadDelimited(path, ',')
            : path.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? ReadDelimited(path, '\t')
            : ReadJsonl(path);
        var line = 0;
        foreach (var row in rows)
        {
            line++;
            var completion = First(row, CompletionFields)
                ?? throw new InvalidDataException($"{path}: row {line} has no completion field ({string.Join(", ", CompletionFields)})");
            var id = First(row, IdFields);
            var prompt = row.GetValueOrDefault("prompt");
            if (id is null && prompt is null) throw new InvalidDataException($"{path}: row {line} has neither a prompt id nor a prompt");
            if (id is not null) Add(_byId, id, completion);
            if (prompt is not null) Add(_byPrompt, prompt, completion);
        }
        if (line == 0) throw new InvalidDataException($"{path}: no rows");
    }

    public string Description => $"replay:{Path.GetFileName(_path)}";

    public TargetUsage Usage => new(Interlocked.Read(ref _requests), 0, Interlocked.Read(ref _failures), 0, 0);

    public Task ProbeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<GenerationResult> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _requests);
        if (!_byId.TryGetValue(request.PromptId, out var found) && !_byPrompt.TryGetValue(request.Prompt, out found))
        {
            Interlocked.Increment(ref _failures);
            throw new GenerationFailedException($"no replayed completion for prompt {request.PromptId}");
        }
        var wanted = request.Parameters.Samples;
        if (found.Count < wanted)
        {
            Interlocked.Increment(ref _failures);
            throw new GenerationFailedException($"prompt {request.PromptId}: {found.Count} replayed completion(s), {wanted} wanted (--samples)");
        }
        return Task.FromResult(new GenerationResult(found.Take(wanted).Select(t => new Completion(t, "replay")).ToList()));
    }

    private static void Add(Dictionary<string, List<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }

    private static string? First(IReadOnlyDictionary<string, string?> row, string[] names)
    {
        foreach (var name in names)
            if (row.TryGetValue(name, out var value) && value is not null) return value;
        return null;
    }

    private static IEnumerable<Dictionary<string, string?>> ReadJsonl(string path)
    {
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonDocument doc;
            try { doc = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new InvalidDataException($"{path}: line {number}: {e.Message}"); }
            using (doc)
            {
                var row = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
                foreach (var p in doc.RootElement.EnumerateObject())
                    row[p.Name] = p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.Number => p.Value.GetRawText(),
                        _ => null,
                    };
                yield return row;
            }
        }
    }

    private static IEnumerable<Dictionary<string, string?>> ReadDelimited(string path, char delimiter)
    {
        string[]? header = null;
        foreach (var (_, fields) in DelimitedReader.ReadFile(path, delimiter))
        {
            if (header is null) { header = fields; continue; }
            var row = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < header.Length && i < fields.Length; i++) row[header[i]] = fields[i];
            yield return row;
        }
    }

    public void Dispose()
    {
    }
}
