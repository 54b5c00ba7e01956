using Warden.Core;
using Warden.Text.LanguageId;

namespace Warden.Backends.Judges;

/// <summary>One judged category (the judge's own name, e.g. "S10") with its score in [0, 1].</summary>
public sealed record CategoryScore(string Category, float Score);

/// <summary>
/// A judge's raw verdict, before mapping to Warden attributes: whether it found the text unsafe, the
/// categories it named with their scores, P(unsafe) when the server returned log-probabilities, and the
/// model's answer text for audit.
/// </summary>
public sealed record JudgeVerdict(bool Unsafe, IReadOnlyList<CategoryScore> Categories, double? UnsafeProbability, string RawAnswer);

/// <summary>Something that judges a conversation's last turn (the LLM judges of this folder).</summary>
public interface IJudge
{
    Task<JudgeVerdict> JudgeAsync(IReadOnlyList<ChatTurn> conversation, CancellationToken cancellationToken = default);
}

/// <summary>
/// Turns an <see cref="IJudge"/> into an <see cref="IScorer"/>: each text is judged as a one-turn
/// conversation in <see cref="Role"/>, and the verdict's categories become attribute scores through
/// <see cref="CategoryAttributes"/> (maximum over categories per attribute). Attributes no category maps
/// onto are not judged (<see cref="IAttributeCoverage"/>) and score 0. A batch is judged concurrently,
/// bounded by the endpoint's MaxConcurrency; a failed or malformed answer throws <see cref="JudgeException"/>
/// (a cascade catches it and keeps the fast scores).
/// </summary>
public abstract class JudgeScorer : IScorer, IJudge, IAttributeCoverage, IDisposable
{
    private readonly float[] _thresholds = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray();
    private readonly ILanguageIdentifier _languages;

    protected JudgeScorer(JudgeClient client, IReadOnlyDictionary<string, HarmAttribute[]> categoryAttributes, ChatRole role, ILanguageIdentifier? languages)
    {
        Client = client;
        CategoryAttributes = categoryAttributes;
        Role = role;
        _languages = languages ?? LanguageIdentifier.LoadDefault();
    }

    protected JudgeClient Client { get; }

    /// <summary>Judge category → the Warden attributes it scores (case-insensitive names).</summary>
    public IReadOnlyDictionary<string, HarmAttribute[]> CategoryAttributes { get; }

    /// <summary>Which turn a scored text is: a user prompt (input moderation) or an agent answer (output moderation).</summary>
    public ChatRole Role { get; }

    public abstract string ModelName { get; }

    public IReadOnlyList<float> Thresholds => _thresholds;

    public bool Covers(HarmAttribute attribute) => CategoryAttributes.Values.Any(list => list.Contains(attribute));

    public abstract Task<JudgeVerdict> JudgeAsync(IReadOnlyList<ChatTurn> conversation, CancellationToken cancellationToken = default);

    public ScoreResult Score(string text, ScoreOptions? options = null) =>
        ScoreAsync(text, options).ConfigureAwait(false).GetAwaiter().GetResult();

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null)
    {
        var results = new ScoreResult[texts.Count];
        // The client's semaphore bounds requests in flight; this only keeps the threads from piling up.
        Parallel.ForEachAsync(Enumerable.Range(0, texts.Count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Client.Endpoint.MaxConcurrency) },
                async (i, ct) => results[i] = await ScoreAsync(texts[i], options, ct).ConfigureAwait(false))
            .ConfigureAwait(false).GetAwaiter().GetResult();
        return results;
    }

    public Task<ScoreResult> ScoreAsync(string text, CancellationToken cancellationToken = default) => ScoreAsync(text, null, cancellationToken);

    /// <summary>Judges one text as a single turn; <see cref="ScoreOptions.Language"/> replaces language identification.</summary>
    public async Task<ScoreResult> ScoreAsync(string text, ScoreOptions? options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var verdict = await JudgeAsync([new ChatTurn(Role, text)], cancellationToken).ConfigureAwait(false);
        return new ScoreResult(_languages.LanguageOf(text, options), ToScores(verdict));
    }

    /// <summary>Attribute scores of a verdict: the maximum of the scores of the categories mapped onto each attribute.</summary>
    public virtual float[] ToScores(JudgeVerdict verdict)
    {
        var scores = new float[HarmAttributes.Count];
        foreach (var c in verdict.Categories)
        {
            if (!CategoryAttributes.TryGetValue(c.Category, out var attributes)) continue;
            foreach (var a in attributes) scores[(int)a] = MathF.Max(scores[(int)a], c.Score);
        }
        return scores;
    }

    public void Dispose()
    {
        Client.Dispose();
        GC.SuppressFinalize(this);
    }
}
