using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Warden.Core;

namespace Warden.Scoring.Fast;

/// <summary>
/// The built-in fast scorer: a multi-label linear model over hashed n-grams with per-attribute Platt
/// calibration. Thread-safe and allocation-light; a text's scores never depend on the rest of the batch.
/// </summary>
public sealed class FastScorer : IScorer
{
    private readonly float[] _weights;
    private readonly CalibrationTable _calibrations;
    private readonly float[] _thresholds;
    private readonly ILanguageIdentifier _languages;
    private readonly SpanFinder _spans;
    private readonly float[]? _lengthCorrection;
    // Direct lexicon features that mark a sentence whose own scores a longer text keeps, with the attributes raised.
    private readonly (int Feature, HarmAttribute[] Raised)[] _sentenceEvidence;
    // The lexicon features that count UnlabelledLexiconWeight times outside the labelled languages: plain hits, the
    // profanity list and the conjunctions.
    private readonly int[] _weighted;
    // Per attribute, the share of the toxicity logit added before calibration; null when the model adds none.
    private readonly float[]? _stacking;

    public FastScorer(FastModel model, ILanguageIdentifier languages)
    {
        Model = model;
        _weights = model.Weights;
        _calibrations = new CalibrationTable(model.Metadata);
        _thresholds = [.. model.Metadata.Thresholds];
        _languages = languages;
        _lengthCorrection = model.Metadata.LengthCorrection is { Count: HarmAttributes.Count } correction ? [.. correction] : null;
        Pipeline = FeaturePipeline.ForModel(model.Metadata, model.Metadata.BucketBits);
        _sentenceEvidence = SentenceEvidence(Pipeline);
        // Hits in a negation's scope or in quotation marks keep their weight: counting them more undid negation and
        // counter-speech in the languages suite (twenty-third round).
        _weighted = WeightedLexiconFeatures(Pipeline);
        _stacking = ToxicityStacking.Of(model.Metadata);
        _spans = new SpanFinder(this);
    }

    public FastModel Model { get; }
    internal FeaturePipeline Pipeline { get; }

    public string ModelName => $"{Model.Metadata.Name}@{Model.Metadata.Version}";

    public IReadOnlyList<float> Thresholds => _thresholds;

    public ScoreResult Score(string text, ScoreOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scores = new float[HarmAttributes.Count];
        var language = _languages.LanguageOf(text, options);
        var profile = ProfileOf(language);
        ScoreInto(text, language, profile.Calibrations, scores);
        var spans = options?.Spans == true ? _spans.Find(text, language, scores, _thresholds) : null;
        return new ScoreResult(language, scores, spans, profile.LowEvidence);
    }

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null)
    {
        var results = new ScoreResult[texts.Count];
        if (texts.Count < 64)
        {
            for (var i = 0; i < texts.Count; i++) results[i] = Score(texts[i], options);
        }
        else
        {
            Parallel.For(0, texts.Count, i => results[i] = Score(texts[i], options));
        }
        return results;
    }

    /// <summary>The attributes without labelled training evidence in a language (all of them for "und").</summary>
    public IReadOnlyList<HarmAttribute> LowEvidence(string language) => ProfileOf(language).LowEvidence;

    /// <summary>What scoring needs to know about a language, looked up once per text rather than once per use.</summary>
    private sealed record LanguageProfile(Calibration[] Calibrations, HarmAttribute[] LowEvidence, float LexiconWeight, int[] Weighted);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, LanguageProfile> _profiles = new(StringComparer.Ordinal);

    private LanguageProfile ProfileOf(string language) =>
        _profiles.TryGetValue(language, out var profile) ? profile : _profiles.GetOrAdd(language, NewProfile);

    private LanguageProfile NewProfile(string language)
    {
        var calibrationLanguage = CalibrationLanguage(language);
        return new LanguageProfile(
            [.. _calibrations.For(language)],
            [.. HarmAttributes.All.Where(a => !(Model.Metadata.EvidenceLanguages.TryGetValue(a.WireName(), out var languages)
                && languages.Contains(calibrationLanguage)))],
            LexiconWeightFor(calibrationLanguage),
            Model.Metadata.UnweightedLexiconFeatures.TryGetValue(calibrationLanguage, out var common) ? [.. _weighted.Except(common)] : _weighted);
    }

    /// <summary>How many times the lexicon features count in a (base) language: <see cref="FastModelMetadata.UnlabelledLexiconWeight"/>
    /// outside the languages with labelled data of their own, else 1; 1 where the language is unknown ("und": mostly
    /// short texts, often in a labelled language).</summary>
    public float LexiconWeightFor(string language) =>
        Model.Metadata.UnlabelledLexiconWeight == 1f || language == "und" || Model.Metadata.LabelledLanguages.Contains(CalibrationTable.BaseLanguage(language))
            ? 1f : Model.Metadata.UnlabelledLexiconWeight;

    /// <summary>The lexicon features that <see cref="FastModelMetadata.UnlabelledLexiconWeight"/> applies to: plain hits,
    /// the profanity list and the conjunctions, not hits in a negation's scope or in quotation marks.</summary>
    public static int[] WeightedLexiconFeatures(FeaturePipeline pipeline)
    {
        if (!pipeline.DirectLexicon) return [];
        // Words for vermin and for disgust are everyday words alone ("cockroaches in the kitchen", "I hate Mondays"):
        // counted more, they flagged the literal suite's pests and everyday messages; with a group word they are
        // conjunctions, which do count more.
        var everyday = new[] { pipeline.Harm.PlainFeature("dehumanising"), pipeline.Harm.PlainFeature(HarmLexicon.ContemptCategory) };
        return [.. pipeline.Harm.PlainAndConjunctionFeatures.Append(pipeline.ProfanityFeature).Except(everyday).Distinct().Order()];
    }

    private bool WeighsLexiconByLanguage => Model.Metadata.UnlabelledLexiconWeight != 1f;

    /// <summary>Calibrated scores of one text in a (detected) language into <paramref name="scores"/> (length 8).</summary>
    public void ScoreInto(string text, string language, Span<float> scores) => ScoreInto(text, language, ProfileOf(language).Calibrations, scores);

    private void ScoreInto(string text, string language, Calibration[] calibrations, Span<float> scores)
    {
        Span<float> logits = stackalloc float[HarmAttributes.Count];
        RawLogits(text, language, logits);
        for (var a = 0; a < HarmAttributes.Count; a++) scores[a] = calibrations[a].Apply(logits[a]);
    }

    /// <summary>The calibration set of a language: its own where validation data allowed one, the global one otherwise.</summary>
    public IReadOnlyList<Calibration> CalibrationsFor(string language) => ProfileOf(language).Calibrations;

    /// <summary>Calibration is per base language: romanised Hindi ("hi-Latn") shares Hindi's.</summary>
    public static string CalibrationLanguage(string language) => CalibrationTable.BaseLanguage(language);

    /// <summary>Uncalibrated logits (used for calibration fitting and the cascade); the language is identified only if
    /// the model has language words or weighs its lexicon by language.</summary>
    public void RawLogits(string text, Span<float> logits) =>
        RawLogits(text, Pipeline.LanguageWords || WeighsLexiconByLanguage ? _languages.Identify(text) : null, logits);

    // The hot loops below are compiled fully optimised at once: `warden score` on a file runs for seconds, and tiered
    // compilation spent the first of them in unoptimised code (hot methods showed as QuickJitted in `perf`).
    /// <summary>Uncalibrated logits of a text whose language is already known.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void RawLogits(string text, string? language, Span<float> logits)
    {
        var count = Pipeline.Extract(text, out var features, out var reporting, language: language);
        var (lexiconWeight, weighted) = (1f, _weighted);
        if (language is not null && WeighsLexiconByLanguage)
        {
            var profile = ProfileOf(language);
            (lexiconWeight, weighted) = (profile.LexiconWeight, profile.Weighted);
        }
        // A text that reports what someone says or calls others is as often counter-speech as abuse: its hits keep
        // their trained weight (counting them more cost the languages suite's counter-speech 13 of 53 cases).
        if (lexiconWeight != 1f && reporting) lexiconWeight = 1f;
        try
        {
            LogitsOf(features.AsSpan(0, count), logits, lexiconWeight, weighted);
            if (HasSentenceEvidence(features.AsSpan(0, count))) RaiseToSentences(text, language, lexiconWeight, weighted, logits);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(features);
        }
        Stack(logits);
    }

    /// <summary>Adds the model's share of the toxicity logit to the other attributes (<see cref="ToxicityStacking"/>):
    /// the last step before calibration, for texts and for span words alike.</summary>
    internal void Stack(Span<float> logits)
    {
        if (_stacking is not null) ToxicityStacking.Apply(_stacking, logits);
    }

    private static (int Feature, HarmAttribute[] Raised)[] SentenceEvidence(FeaturePipeline pipeline)
    {
        var lexicon = pipeline.Harm;
        var (phrase, conjunction) = lexicon.ThreatFeatures;
        HarmAttribute[] threat = [HarmAttribute.Threat, HarmAttribute.Toxicity];
        HarmAttribute[] insult = [HarmAttribute.Insult, HarmAttribute.Toxicity];
        HarmAttribute[] identity = [HarmAttribute.IdentityAttack, HarmAttribute.Toxicity];
        (int Feature, HarmAttribute[] Raised)[] all =
        [
            (phrase, threat), (conjunction, threat),
            (lexicon.PlainFeature("insult"), insult),
            (lexicon.PlainFeature("slur"), identity), (lexicon.PlainFeature("dehumanising"), identity),
        ];
        // Lexicon features are appended complemented where they are added unscaled ("direct"); a category the lexicon
        // lacks has none.
        var direct = pipeline.DirectLexicon;
        return [.. all.Where(e => e.Feature >= 0).Select(e => (direct ? ~e.Feature : e.Feature, e.Raised))];
    }

    private bool HasSentenceEvidence(ReadOnlySpan<int> features)
    {
        foreach (var (feature, _) in _sentenceEvidence)
            if (features.Contains(feature)) return true;
        return false;
    }

    /// <summary>Sets <paramref name="raise"/> to the attributes the evidence in <paramref name="features"/> explains;
    /// whether there is any.</summary>
    private bool MarkRaised(ReadOnlySpan<int> features, Span<bool> raise)
    {
        raise.Clear();
        var any = false;
        foreach (var (feature, raised) in _sentenceEvidence)
        {
            if (!features.Contains(feature)) continue;
            foreach (var a in raised) raise[(int)a] = true;
            any = true;
        }
        return any;
    }

    /// <summary>
    /// Abuse is said in one sentence, and the n-grams of the sentences around it drown it: "Die gehören alle
    /// aufgehängt." scored threat 0.64 alone and 0.05 after one sentence about the government (twenty-first round);
    /// "You are a complete idiot." toxicity 0.76 alone and 0.35 between a thank-you and "See you on Monday"
    /// (twenty-second round). In a text of several sentences whose lexicon features hold a plain threat phrase, the
    /// intent + violence conjunction, or a plain insult, slur or dehumanising word, each sentence with such a feature
    /// is scored alone and the attributes that evidence explains (threat, insult or identity_attack, and toxicity) are
    /// raised to the highest such sentence's logits. Only texts with that evidence are scored again.
    /// </summary>
    private void RaiseToSentences(string text, string? language, float lexiconWeight, int[] weighted, Span<float> logits)
    {
        Span<float> sentence = stackalloc float[HarmAttributes.Count];
        Span<bool> raise = stackalloc bool[HarmAttributes.Count];
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !EndsSentence(text, i)) continue;
            var end = Math.Min(i + 1, text.Length);
            // The whole text is one sentence: nothing to raise.
            if (start == 0 && end == text.Length) return;
            var piece = text.AsSpan(start, end - start).Trim();
            if (piece.Length > 0)
            {
                var count = Pipeline.Extract(piece.ToString(), out var features, language: language);
                try
                {
                    var span = features.AsSpan(0, count);
                    if (MarkRaised(span, raise))
                    {
                        LogitsOf(span, sentence, lexiconWeight, weighted);
                        for (var a = 0; a < HarmAttributes.Count; a++)
                            if (raise[a]) logits[a] = Math.Max(logits[a], sentence[a]);
                    }
                }
                finally
                {
                    ArrayPool<int>.Shared.Return(features);
                }
            }
            start = end;
        }
    }

    /// <summary>Sentence-final punctuation followed by a space or the end, or a line break.</summary>
    private static bool EndsSentence(string text, int i)
    {
        var c = text[i];
        if (c == '\n') return true;
        if (c is not ('.' or '!' or '?' or ';' or '。' or '！' or '？' or '؟')) return false;
        return i + 1 == text.Length || char.IsWhiteSpace(text[i + 1]) || text[i + 1] is '。' or '！' or '？';
    }

    /// <summary>Adds <paramref name="extra"/> times the rows of the weighted lexicon features present (direct, as ~index).</summary>
    private void AddWeightedLexicon(ReadOnlySpan<int> features, Span<float> logits, float extra, int[] weighted)
    {
        foreach (var f in features)
        {
            if (f >= 0 || Array.BinarySearch(weighted, ~f) < 0) continue;
            var row = _weights.AsSpan(~f * HarmAttributes.Count, HarmAttributes.Count);
            for (var a = 0; a < HarmAttributes.Count; a++) logits[a] += extra * row[a];
        }
    }

    /// <summary>
    /// Uncalibrated logits of extracted features: the model's <see cref="SumRows"/>, plus its length correction c·√n
    /// (n from the n-gram scale 1/√n that SumRows returns). The one place both are applied, for texts and for span words.
    /// </summary>
    internal void LogitsOf(ReadOnlySpan<int> features, Span<float> logits, float lexiconWeight = 1f, int[]? weighted = null)
    {
        var scale = SumRows(_weights, features, logits, Model.Metadata.MinScaleFeatures);
        if (lexiconWeight != 1f && weighted is { Length: > 0 }) AddWeightedLexicon(features, logits, lexiconWeight - 1f, weighted);
        if (_lengthCorrection is null || scale <= 0) return;
        var root = 1f / scale;
        for (var a = 0; a < logits.Length; a++) logits[a] += _lengthCorrection[a] * root;
    }

    /// <summary>
    /// Sum of the weight rows of the n-gram features, scaled by 1/sqrt(their count) so long texts are not
    /// over-confident, plus the rows of the direct (lexicon) features, stored as ~index, unscaled: a lexicon hit is
    /// evidence about the whole text whatever its length, and scaled it moved a tweet's logit by a tenth of its weight.
    /// Returns the n-gram scale, which training needs for the gradient. The count under the square root is at least
    /// <paramref name="minScaled"/> (<see cref="FastModelMetadata.MinScaleFeatures"/>), so a text of a few characters
    /// ("?", "k") is not scored as confidently as a sentence on the strength of four n-grams.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float SumRows(float[] weights, ReadOnlySpan<int> features, Span<float> logits, int minScaled = 0)
    {
        ref var origin = ref MemoryMarshal.GetArrayDataReference(weights);
        var acc = Vector256<float>.Zero;
        var direct = Vector256<float>.Zero;
        var scaled = 0;
        foreach (var f in features)
        {
            if (f >= 0)
            {
                acc += Vector256.LoadUnsafe(ref origin, (nuint)f * HarmAttributes.Count);
                scaled++;
            }
            else direct += Vector256.LoadUnsafe(ref origin, (nuint)(~f) * HarmAttributes.Count);
        }
        var scale = scaled == 0 ? 0f : 1f / MathF.Sqrt(Math.Max(scaled, minScaled));
        (acc * scale + direct).CopyTo(logits);
        return scale;
    }
}
