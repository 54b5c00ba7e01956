using Warden.Core;
using Warden.Scoring;

namespace Warden.Scoring.Tests;

/// <summary>
/// The shipped default model, loaded once per test run. The lead may be rewriting models/warden-fast/model.bin
/// while tests run; a load that fails on a half-written file is retried once after a pause.
/// (Scorer.LoadDefault() caches its exception in a Lazy, so the retry goes through Scorer.Load.)
/// </summary>
internal static class DefaultModel
{
    private static readonly Lazy<IScorer> Instance = new(LoadWithRetry);

    public static IScorer Scorer => Instance.Value;

    private static IScorer LoadWithRetry()
    {
        try
        {
            return Warden.Scoring.Scorer.LoadDefault();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException or ArgumentException)
        {
            Thread.Sleep(TimeSpan.FromSeconds(5));
            return Warden.Scoring.Scorer.Load(Warden.Scoring.Scorer.DefaultModel);
        }
    }
}

/// <summary>A language identifier that always answers with one language (test double).</summary>
internal sealed class FixedLanguage(string language) : ILanguageIdentifier
{
    public string Identify(string text) => language;
    public (string Language, float Confidence) IdentifyWithConfidence(string text) => (language, 1f);
}
