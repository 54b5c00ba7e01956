using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Warden.Core;

namespace Warden.Backends.Judges;

/// <summary>A Llama Guard hazard category: its code (S1...), the name shown to the model, an optional description, and the Warden attributes it scores.</summary>
public sealed record GuardCategory(string Code, string Name, string? Description, HarmAttribute[] Attributes);

public sealed record LlamaGuardOptions
{
    /// <summary>
    /// The MLCommons hazard taxonomy as Llama Guard 3 was trained on it (names as in its prompt). Only four
    /// hazards have a Warden attribute; the others are still judged and appear in the raw verdict.
    /// </summary>
    public static readonly IReadOnlyList<GuardCategory> MLCommonsCategories =
    [
        new("S1", "Violent Crimes", null, [HarmAttribute.Threat]),
        new("S2", "Non-Violent Crimes", null, []),
        new("S3", "Sex Crimes", null, []),
        new("S4", "Child Exploitation", null, []),
        new("S5", "Defamation", null, []),
        new("S6", "Specialized Advice", null, []),
        new("S7", "Privacy", null, []),
        new("S8", "Intellectual Property", null, []),
        new("S9", "Indiscriminate Weapons", null, []),
        new("S10", "Hate", null, [HarmAttribute.IdentityAttack]),
        new("S11", "Self-Harm", null, [HarmAttribute.SelfHarm]),
        new("S12", "Sexual Content", null, [HarmAttribute.SexuallyExplicit]),
        new("S13", "Elections", null, []),
        new("S14", "Code Interpreter Abuse", null, []),
    ];

    public IReadOnlyList<GuardCategory> Categories { get; init; } = MLCommonsCategories;

    public ChatRole Role { get; init; } = ChatRole.User;

    /// <summary>
    /// Send the conversation to /chat/completions and let the server apply the model's chat template (which
    /// has the default S1–S14 built in, so custom categories are ignored). Default: build the exact prompt and
    /// send it to /completions.
    /// </summary>
    public bool UseServerChatTemplate { get; init; }

    /// <summary>Put <c>&lt;|begin_of_text|&gt;</c> in the prompt. Off by default: vLLM and llama.cpp add BOS themselves, and a doubled BOS degrades the model.</summary>
    public bool IncludeBeginOfText { get; init; }

    public int MaxTokens { get; init; } = 20;

    /// <summary>Reads categories from JSON: <c>[{"code":"S1","name":"Violent Crimes","description":"...","attributes":["threat"]}]</c>.</summary>
    public static IReadOnlyList<GuardCategory> LoadCategories(string path)
    {
        var array = JsonNode.Parse(File.ReadAllText(path))?.AsArray() ?? throw new InvalidDataException($"{path}: expected a JSON array of categories");
        return array.Select(n => new GuardCategory(
            n?["code"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: a category has no code"),
            n["name"]?.GetValue<string>() ?? throw new InvalidDataException($"{path}: a category has no name"),
            n["description"]?.GetValue<string>(),
            (n["attributes"] as JsonArray)?.Select(a => HarmAttributes.Parse(a!.GetValue<string>())).ToArray() ?? [])).ToArray();
    }
}

/// <summary>
/// Llama Guard 3 (Meta) as a judge: builds its exact prompt (task, categories, conversation, instructions, in
/// the Llama 3 chat format), parses <c>safe</c> / <c>unsafe\nS1,S10</c>, and when the server returns
/// log-probabilities takes P(first token = "unsafe") as the score.
/// Scores: an unsafe verdict gives its named categories P(unsafe) (1 without log-probabilities); a safe verdict
/// gives every mapped attribute P(unsafe) — an upper bound, since the model does not say which category it
/// hesitated on — or 0 without log-probabilities.
/// </summary>
public sealed partial class LlamaGuardJudge : JudgeScorer
{
    private readonly LlamaGuardOptions _options;

    public LlamaGuardJudge(JudgeEndpoint endpoint, LlamaGuardOptions? options = null, HttpMessageHandler? handler = null, ILanguageIdentifier? languages = null)
        : this(new JudgeClient(endpoint, handler), options ?? new LlamaGuardOptions(), languages)
    {
    }

    private LlamaGuardJudge(JudgeClient client, LlamaGuardOptions options, ILanguageIdentifier? languages)
        : base(client, options.Categories.ToDictionary(c => c.Code, c => c.Attributes, StringComparer.OrdinalIgnoreCase), options.Role, languages)
    {
        _options = options;
    }

    public override string ModelName => $"llamaguard:{Client.Endpoint.Model}";

    public IReadOnlyList<GuardCategory> Categories => _options.Categories;

    public override async Task<JudgeVerdict> JudgeAsync(IReadOnlyList<ChatTurn> conversation, CancellationToken cancellationToken = default)
    {
        if (conversation.Count == 0) throw new ArgumentException("empty conversation", nameof(conversation));
        var completion = _options.UseServerChatTemplate
            ? await Client.ChatAsync(conversation.Select(t => (t.Role == ChatRole.User ? "user" : "assistant", t.Content)), _options.MaxTokens, cancellationToken).ConfigureAwait(false)
            : await Client.CompleteAsync(BuildPrompt(conversation, _options), _options.MaxTokens, cancellationToken).ConfigureAwait(false);
        return ParseVerdict(completion)
            ?? throw new JudgeException($"{ModelName}: answer is neither 'safe' nor 'unsafe' + categories: \"{completion.Text.Trim()}\"");
    }

    /// <summary>Llama Guard 3's prompt, assessing the last turn of <paramref name="conversation"/> (whose role names the agent being checked).</summary>
    public static string BuildPrompt(IReadOnlyList<ChatTurn> conversation, LlamaGuardOptions options)
    {
        var role = conversation[^1].Role == ChatRole.User ? "User" : "Agent";
        var text = new StringBuilder();
        if (options.IncludeBeginOfText) text.Append("<|begin_of_text|>");
        text.Append("<|start_header_id|>user<|end_header_id|>\n\n");
        // "according our" (sic) is the wording the model was trained on.
        text.Append($"Task: Check if there is unsafe content in '{role}' messages in conversations according our safety policy with the below categories.\n\n");
        text.Append("<BEGIN UNSAFE CONTENT CATEGORIES>\n");
        foreach (var c in options.Categories)
        {
            text.Append($"{c.Code}: {c.Name}.\n");
            if (!string.IsNullOrWhiteSpace(c.Description)) text.Append(c.Description.Trim()).Append('\n');
        }
        text.Append("<END UNSAFE CONTENT CATEGORIES>\n\n");
        text.Append("<BEGIN CONVERSATION>\n\n");
        foreach (var turn in conversation)
            text.Append(turn.Role == ChatRole.User ? "User: " : "Agent: ").Append(turn.Content.Trim()).Append("\n\n");
        text.Append("<END CONVERSATION>\n\n");
        text.Append($"Provide your safety assessment for ONLY THE LAST {role} message in the above conversation:\n");
        text.Append(" - First line must read 'safe' or 'unsafe'.\n");
        text.Append(" - If unsafe, a second line must include a comma-separated list of violated categories.");
        text.Append("<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n");
        return text.ToString();
    }

    /// <summary>Parses the answer; null when it is neither form.</summary>
    public static JudgeVerdict? ParseVerdict(JudgeCompletion completion)
    {
        var answer = completion.Text.Trim();
        var lines = answer.Split('\n', 2, StringSplitOptions.TrimEntries);
        var first = lines[0].ToLowerInvariant();
        var probability = JudgeClient.BinaryProbability(completion.FirstContentToken, "unsafe", "safe");
        if (first == "safe")
            return new JudgeVerdict(false, [], probability, answer);
        if (!first.StartsWith("unsafe", StringComparison.Ordinal)) return null;
        // Categories are on the second line ("S1,S10"); some servers put them after a space on the first.
        var rest = answer["unsafe".Length..];
        var codes = CategoryCode().Matches(rest).Select(m => m.Value.ToUpperInvariant()).Distinct().ToArray();
        var score = (float)(probability ?? 1.0);
        return new JudgeVerdict(true, codes.Select(c => new CategoryScore(c, score)).ToArray(), probability, answer);
    }

    public override float[] ToScores(JudgeVerdict verdict)
    {
        if (verdict.Unsafe || verdict.UnsafeProbability is not { } p) return base.ToScores(verdict);
        var scores = new float[HarmAttributes.Count];
        foreach (var a in HarmAttributes.All)
            if (Covers(a)) scores[(int)a] = (float)p;
        return scores;
    }

    [GeneratedRegex(@"\bS\d{1,2}\b", RegexOptions.IgnoreCase)]
    private static partial Regex CategoryCode();
}
