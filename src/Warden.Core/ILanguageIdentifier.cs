namespace Warden.Core;

/// <summary>Identifies the language of a text. Thread-safe.</summary>
public interface ILanguageIdentifier
{
    /// <summary>ISO 639-1 code where one exists (else ISO 639-3), or "und" when unsure.</summary>
    string Identify(string text);

    /// <summary>The best language with its probability, and "und" when the probability is below the identifier's confidence threshold.</summary>
    (string Language, float Confidence) IdentifyWithConfidence(string text);
}
