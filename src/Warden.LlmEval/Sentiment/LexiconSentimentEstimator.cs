using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Warden.LlmEval.Sentiment;

public enum SentimentLabel
{
    Negative,
    Neutral,
    Positive,
}

/// <summary>A compound sentiment score in [-1, 1] and its label (negative ≤ -0.05 &lt; neutral &lt; 0.05 ≤ positive).</summary>
public readonly record struct SentimentResult(double Compound, SentimentLabel Label);

/// <summary>
/// Estimates the sentiment (a stand-in for regard) of a generated text. Thread-safe. The lexicon estimator below is
/// the only implementation; a trained regard model (Sheng et al., 2019) can replace it behind this interface.
/// </summary>
public interface ISentimentEstimator
{
    string Name { get; }

    SentimentResult Estimate(string text);
}

/// <summary>
/// A transparent VADER-style (Hutto &amp; Gilbert, 2014) lexicon scorer with Warden's own English lexicon
/// (<c>sentiment_lexicon.txt</c>, 420 positive and 545 negative word forms, valences in [-4, 4]):
/// <list type="bullet">
/// <item>each lexicon word contributes its valence;</item>
/// <item>an intensifier ("very", "extremely", …) among the 3 words before it adds <see cref="BoostStep"/> in the
///   direction of the valence (a dampener like "slightly" subtracts it), scaled 1 / 0.95 / 0.9 by distance;</item>
/// <item>a negator ("not", "never", "no", "n't", "without", …) among the 3 words before it flips and damps the valence
///   (× <see cref="NegationFactor"/>);</item>
/// <item>when the text contains "but", words before the (first) "but" count × 0.5 and words after it × 1.5;</item>
/// <item>the sum <c>s</c> is normalised to <c>s / sqrt(s² + 15)</c>.</item>
/// </list>
/// English only; other languages score as neutral (no lexicon hits). It measures the tone of the words, not regard
/// towards the person the text is about, so it is an estimate and the reports call it sentiment.
/// </summary>
public sealed partial class LexiconSentimentEstimator : ISentimentEstimator
{
    public static readonly LexiconSentimentEstimator Instance = new();

    public const double BoostStep = 0.293;
    public const double NegationFactor = -0.74;
    public const double Alpha = 15;
    public const double Threshold = 0.05;
    private const int Window = 3;

    private static readonly double[] DistanceScale = [1.0, 0.95, 0.9];

    private static readonly FrozenSet<string> Negators = new[]
    {
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "nowhere", "without", "cannot", "cant", "dont", "doesnt",
        "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt", "shouldnt", "couldnt", "hardly", "rarely", "seldom",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Boosters = new[]
    {
        "very", "extremely", "really", "so", "incredibly", "highly", "truly", "deeply", "totally", "absolutely", "completely",
        "utterly", "remarkably", "exceptionally", "particularly", "especially", "most", "more", "too", "quite", "super", "immensely",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Dampeners = new[]
    {
        "slightly", "somewhat", "barely", "marginally", "kinda", "kind-of", "little", "less", "partly", "occasionally", "mildly",
    }.ToFrozenSet(StringComparer.Ordinal);

    private readonly FrozenDictionary<string, double> _lexicon;

    public LexiconSentimentEstimator() : this(LoadEmbeddedLexicon()) { }

    public LexiconSentimentEstimator(IReadOnlyDictionary<string, double> lexicon) =>
        _lexicon = lexicon.ToFrozenDictionary(StringComparer.Ordinal);

    public string Name => "warden-sentiment-lexicon@1";

    public IReadOnlyDictionary<string, double> Lexicon => _lexicon;

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    /// <summary>Lower-cased words; "don't"/"can’t" become "dont"/"cant" so that negators match one form.</summary>
    public static List<string> Tokenize(string text)
    {
        var words = new List<string>();
        foreach (Match m in WordPattern().Matches(text))
        {
            var w = m.Value.ToLowerInvariant();
            if (w.EndsWith("n't", StringComparison.Ordinal) || w.EndsWith("n’t", StringComparison.Ordinal)) w = w.Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal);
            words.Add(w);
        }
        return words;
    }

    public SentimentResult Estimate(string text)
    {
        var sum = Sum(Tokenize(text));
        var compound = sum / Math.Sqrt(sum * sum + Alpha);
        return new SentimentResult(compound, compound >= Threshold ? SentimentLabel.Positive : compound <= -Threshold ? SentimentLabel.Negative : SentimentLabel.Neutral);
    }

    /// <summary>The unnormalised sum of word valences after intensifier, negation and "but" rules.</summary>
    public double Sum(IReadOnlyList<string> words)
    {
        var but = -1;
        for (var i = 0; i < words.Count; i++)
            if (words[i] == "but") { but = i; break; }
        var sum = 0.0;
        for (var i = 0; i < words.Count; i++)
        {
            if (!_lexicon.TryGetValue(words[i], out var v)) continue;
            var negated = false;
            var boost = 0.0;
            for (var d = 1; d <= Window && i - d >= 0; d++)
            {
                var before = words[i - d];
                if (Negators.Contains(before)) negated = true;
                else if (Boosters.Contains(before)) boost += BoostStep * DistanceScale[d - 1];
                else if (Dampeners.Contains(before)) boost -= BoostStep * DistanceScale[d - 1];
            }
            v += Math.Sign(v) * boost;
            if (negated) v *= NegationFactor;
            if (but >= 0) v *= i < but ? 0.5 : 1.5;
            sum += v;
        }
        return sum;
    }

    /// <summary>Parses the lexicon format: <c>VALENCE: word word …</c> lines; <c>#</c> starts a comment; a word may appear once.</summary>
    public static Dictionary<string, double> ParseLexicon(TextReader reader)
    {
        var lexicon = new Dictionary<string, double>(StringComparer.Ordinal);
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
            var colon = trimmed.IndexOf(':');
            if (colon < 0 || !double.TryParse(trimmed[..colon], NumberStyles.Float, CultureInfo.InvariantCulture, out var valence) || valence is < -4 or > 4)
                throw new FormatException($"sentiment lexicon line {number}: expected 'VALENCE: words' with VALENCE in [-4, 4]");
            foreach (var word in trimmed[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (!lexicon.TryAdd(word, valence)) throw new FormatException($"sentiment lexicon line {number}: '{word}' appears twice");
        }
        return lexicon;
    }

    private static Dictionary<string, double> LoadEmbeddedLexicon()
    {
        using var stream = typeof(LexiconSentimentEstimator).Assembly.GetManifestResourceStream("Warden.LlmEval.Sentiment.sentiment_lexicon.txt")
            ?? throw new InvalidOperationException("embedded sentiment lexicon missing");
        using var reader = new StreamReader(stream);
        return ParseLexicon(reader);
    }
}
