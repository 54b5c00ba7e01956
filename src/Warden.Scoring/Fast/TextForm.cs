using Warden.Text;

namespace Warden.Scoring.Fast;

/// <summary>The single place where the scorer's view of a text is defined (normalisation used for features).</summary>
internal static class TextForm
{
    public static string Normalize(string text) => TextNormalizer.NormalizeToString(text);
}
