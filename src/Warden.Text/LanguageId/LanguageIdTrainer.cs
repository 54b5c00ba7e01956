using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Warden.Text.LanguageId;

/// <summary>Knobs of <see cref="LanguageIdTrainer"/>. Defaults produce the shipped model.</summary>
public sealed record LanguageIdTrainingOptions
{
    /// <summary>log2 of the number of hash buckets; 16 → 65,536 buckets × 64 languages × 1 byte = 4 MiB.</summary>
    public int HashBits { get; init; } = 16;

    /// <summary>Naive-Bayes additive smoothing values tried on the validation split (best one kept).</summary>
    public IReadOnlyList<double> Alphas { get; init; } = [0.01, 0.03, 0.1, 0.3];

    /// <summary>Add a romanised Hindi class ("hi-Latn", reported as "hi") from TRAC-1 comments.</summary>
    public bool IncludeRomanizedHindi { get; init; } = true;

    /// <summary>Folder with TRAC-1 agr_hi_train.csv / agr_hi_dev.csv; null → the sibling dataset folder
    /// "trac1_aggression" next to the sentences dataset, when it exists.</summary>
    public string? Trac1Directory { get; init; }

    /// <summary>Number of romanised Hindi comments sampled (deterministically, by seed).</summary>
    public int RomanizedHindiSamples { get; init; } = 1000;

    /// <summary>Only the first N sentences of each language (tests use a small subset).</summary>
    public int MaxSentencesPerLanguage { get; init; } = int.MaxValue;

    /// <summary>Only these languages (null = all files in the folder).</summary>
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>
    /// Informal texts of known language (social-media posts and chat from the labelled datasets, Warden's hand-written
    /// sentences), which the edited web prose of the sentence files does not cover. Training texts join the training
    /// counts, validation texts join the smoothing, temperature and threshold choice, test texts are reported apart
    /// (<see cref="LanguageIdReport.Informal"/>). Labels must be languages of the sentence files (or "hi-Latn"); others are skipped.
    /// </summary>
    public InformalTexts? Informal { get; init; }
}

/// <summary>Informal texts per split for <see cref="LanguageIdTrainingOptions.Informal"/>, and where they came from.</summary>
public sealed record InformalTexts(
    IReadOnlyList<(string Label, string Text)> Train,
    IReadOnlyList<(string Label, string Text)> Validation,
    IReadOnlyList<(string Label, string Text)> Test,
    string Description);

/// <summary>A trained model with its held-out evaluation.</summary>
public sealed record LanguageIdTrainingResult(LanguageIdModel Model, LanguageIdReport Report);

/// <summary>
/// Trains the language identifier on the Lingua sentence files (one file per language, one sentence per
/// line). Deterministic: files in ordinal order, lines in file order, integer counts, fixed hash seed.
/// Split by line index per language: i % 10 == 9 → test (reported), i % 10 == 8 → validation (smoothing,
/// temperature, "und" threshold), the rest → training. The final model is retrained on training +
/// validation with the chosen settings and evaluated once on the test split.
/// </summary>
public static class LanguageIdTrainer
{
    private const int ShortChars = 20;

    /// <summary>Trains, saves the model to <paramref name="outputPath"/> and writes MODEL_CARD.md next to it.
    /// Returns the evaluation report (see <see cref="LanguageIdReport.ToMarkdown"/>).</summary>
    public static LanguageIdReport TrainAndSave(string sentencesDirectory, string outputPath, int seed = 1, TextWriter? log = null, LanguageIdTrainingOptions? options = null)
    {
        var result = TrainWithReport(sentencesDirectory, seed, options, log);
        result.Model.Save(outputPath);
        var report = result.Report with { ModelBytes = new FileInfo(outputPath).Length };
        var card = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outputPath))!, "MODEL_CARD.md");
        File.WriteAllText(card, ModelCard.Render(report));
        log?.WriteLine($"langid: wrote {outputPath} ({report.ModelBytes / 1024.0 / 1024.0:F2} MiB) and {card}");
        return report;
    }

    public static LanguageIdModel Train(string sentencesDirectory, int seed, LanguageIdTrainingOptions? options = null, TextWriter? log = null) =>
        TrainWithReport(sentencesDirectory, seed, options, log).Model;

    public static LanguageIdTrainingResult TrainWithReport(string sentencesDirectory, int seed, LanguageIdTrainingOptions? options = null, TextWriter? log = null)
    {
        options ??= new LanguageIdTrainingOptions();
        var sw = Stopwatch.StartNew();
        var corpus = LoadCorpus(sentencesDirectory, seed, options, log, out string? hindiNote);
        if (corpus.Count < 2) throw new InvalidDataException($"language-id training needs at least two languages in {sentencesDirectory}");
        uint hashSeed = (uint)seed * 0x9E3779B9u ^ 0x2545F491u;
        int bits = options.HashBits;

        // Class layout: scripts with a single language (or Han/Kana/Hangul) are answered by the script.
        var classes = new List<LanguageClass>();
        var scripts = corpus.Select(l => DominantScript(l.Sentences)).ToArray();
        int rows = 0;
        for (int i = 0; i < corpus.Count; i++)
        {
            var s = scripts[i];
            bool scored = s is not (Script.Han or Script.Kana or Script.Hangul or Script.Other) && scripts.Count(x => x == s) > 1;
            string label = corpus[i].Label;
            string code = label.Split('-')[0];
            classes.Add(new LanguageClass(label, code, s is Script.Kana ? Script.Han : s, scored ? rows++ : -1));
        }
        int stride = Math.Max(32, (rows + 31) / 32 * 32);
        log?.WriteLine($"langid: {corpus.Count} languages ({rows} scored by n-grams, {corpus.Count - rows} by script), {1 << bits} buckets, loaded in {sw.Elapsed.TotalSeconds:F1}s");

        var train = Split(corpus, i => i % 10 < 8);
        var valid = Split(corpus, i => i % 10 == 8);
        var trainValid = Split(corpus, i => i % 10 != 9);
        var test = Split(corpus, i => i % 10 == 9);
        List<(string Label, string Text)> informalTest = [];
        if (options.Informal is { } informal)
        {
            var known = classes.Select(c => c.Label).ToHashSet(StringComparer.Ordinal);
            List<(string Label, string Text)> Known(IReadOnlyList<(string Label, string Text)> texts, string split)
            {
                var kept = texts.Where(t => known.Contains(t.Label) && t.Text.Trim().Length > 0).ToList();
                log?.WriteLine($"langid: {kept.Count:N0} informal {split} texts in {kept.Select(t => t.Label).Distinct().Count()} languages ({texts.Count - kept.Count:N0} in other languages skipped)");
                return kept;
            }
            var informalTrain = Known(informal.Train, "training");
            var informalValid = Known(informal.Validation, "validation");
            informalTest = Known(informal.Test, "test");
            train.AddRange(informalTrain);
            valid.AddRange(informalValid);
            trainValid.AddRange(informalTrain);
            trainValid.AddRange(informalValid);
        }

        // 1. Smoothing on the validation split.
        var counts = Count(train, classes, bits, hashSeed, stride);
        double bestAlpha = options.Alphas[0];
        double bestAcc = -1;
        LanguageIdModel? model = null;
        foreach (double alpha in options.Alphas)
        {
            var m = BuildModel(counts, classes, bits, hashSeed, stride, alpha, 1f, 0f);
            double acc = TopOneAccuracy(new LanguageIdentifier(m), valid);
            log?.WriteLine($"langid: alpha={alpha.ToString(CultureInfo.InvariantCulture)} validation top-1 (short+long) {acc:P2}");
            if (acc > bestAcc)
            {
                bestAcc = acc;
                bestAlpha = alpha;
                model = m;
            }
        }

        // 2. Temperature (calibration) and the "und" threshold on the validation split.
        var (temperature, threshold) = Calibrate(new LanguageIdentifier(model!), valid, classes);
        log?.WriteLine($"langid: alpha={bestAlpha.ToString(CultureInfo.InvariantCulture)}, temperature={temperature:G4}, und threshold={threshold:F2}");

        // 3. Final model on training + validation, evaluated once on test.
        var finalCounts = Count(trainValid, classes, bits, hashSeed, stride);
        var final = BuildModel(finalCounts, classes, bits, hashSeed, stride, bestAlpha, temperature, threshold);
        var report = Evaluate(new LanguageIdentifier(final), test) with
        {
            Alpha = bestAlpha,
            HashBits = bits,
            Seed = seed,
            TrainSentences = trainValid.Count,
            ModelBytes = final.ToBytes().LongLength,
            TrainingSeconds = sw.Elapsed.TotalSeconds,
            RomanizedHindi = hindiNote,
            Informal = informalTest.Count == 0 ? null : Evaluate(new LanguageIdentifier(final), informalTest),
            InformalDescription = options.Informal?.Description,
        };
        if (report.Informal is { } inf)
            log?.WriteLine($"langid: informal test accuracy short {inf.ShortAccuracy:P2}, long {inf.LongAccuracy:P2} ({informalTest.Count:N0} texts)");
        log?.WriteLine($"langid: test accuracy short {report.ShortAccuracy:P2}, long {report.LongAccuracy:P2}, overall {report.Accuracy:P2} ({sw.Elapsed.TotalSeconds:F1}s)");
        return new LanguageIdTrainingResult(final, report);
    }

    /// <summary>
    /// Accuracy per language on <paramref name="test"/> sentences, each evaluated as the full sentence
    /// ("long") and as its first words up to 20 characters ("short", see <see cref="ShortPrefix"/>).
    /// "und" counts as an error.
    /// </summary>
    public static LanguageIdReport Evaluate(LanguageIdentifier identifier, IReadOnlyList<(string Label, string Text)> test)
    {
        var perLang = new SortedDictionary<string, int[]>(StringComparer.Ordinal); // n, shortOk, longOk, shortUnd, longUnd, shortTop1, longTop1
        var confusions = new Dictionary<(string, string), int>();
        foreach (var (label, text) in test)
        {
            if (!perLang.TryGetValue(label, out var a)) perLang[label] = a = new int[7];
            a[0]++;
            for (int form = 0; form < 2; form++)
            {
                string t = form == 0 ? ShortPrefix(text) : text;
                var p = identifier.Predict(t);
                bool top1 = p.Label == label;
                if (top1) a[5 + form]++;
                if (!p.IsConfident) a[3 + form]++;
                else if (top1) a[1 + form]++;
                else
                {
                    var key = (label, p.Label);
                    confusions[key] = confusions.GetValueOrDefault(key) + 1;
                }
            }
        }
        var langs = perLang.Select(kv => new LanguageAccuracy(kv.Key, kv.Value[0],
            Ratio(kv.Value[1], kv.Value[0]), Ratio(kv.Value[2], kv.Value[0]),
            Ratio(kv.Value[3], kv.Value[0]), Ratio(kv.Value[4], kv.Value[0]))).ToArray();
        int n = perLang.Values.Sum(a => a[0]);
        return new LanguageIdReport
        {
            Languages = langs,
            ShortAccuracy = Ratio(perLang.Values.Sum(a => a[1]), n),
            LongAccuracy = Ratio(perLang.Values.Sum(a => a[2]), n),
            Accuracy = Ratio(perLang.Values.Sum(a => a[1] + a[2]), 2 * n),
            ShortTop1 = Ratio(perLang.Values.Sum(a => a[5]), n),
            LongTop1 = Ratio(perLang.Values.Sum(a => a[6]), n),
            ShortUnd = Ratio(perLang.Values.Sum(a => a[3]), n),
            LongUnd = Ratio(perLang.Values.Sum(a => a[4]), n),
            TestSentences = n,
            Threshold = identifier.Threshold,
            Temperature = identifier.Model.Temperature,
            TopConfusions = confusions.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal)
                .Take(15).Select(kv => new Confusion(kv.Key.Item1, kv.Key.Item2, kv.Value)).ToArray(),
        };
    }

    /// <summary>The "short text" form of a sentence: whole words from its start while they fit in 20
    /// characters (at least one word, cut at 20 characters); scripts without spaces: the first 20 characters.</summary>
    public static string ShortPrefix(string sentence, int maxChars = ShortChars)
    {
        var s = sentence.Trim();
        if (s.Length <= maxChars) return s;
        int cut = s.LastIndexOf(' ', maxChars);
        return cut > 0 ? s[..cut].TrimEnd() : s[..maxChars];
    }

    private static double Ratio(int a, int b) => b == 0 ? 0 : (double)a / b;

    // ------------------------------------------------------------------------------- data

    private sealed record LangSentences(string Label, List<string> Sentences);

    private static List<(string Label, string Text)> Split(List<LangSentences> corpus, Func<int, bool> take)
    {
        var list = new List<(string, string)>();
        foreach (var l in corpus)
            for (int i = 0; i < l.Sentences.Count; i++)
                if (take(i)) list.Add((l.Label, l.Sentences[i]));
        return list;
    }

    private static List<LangSentences> LoadCorpus(string dir, int seed, LanguageIdTrainingOptions options, TextWriter? log, out string? hindiNote)
    {
        hindiNote = null;
        string root = Path.GetFullPath(dir);
        if (Directory.Exists(Path.Combine(root, "sentences"))) root = Path.Combine(root, "sentences");
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"language-id sentences folder not found: {dir}");
        var files = Directory.GetFiles(root, "*.txt").OrderBy(f => f, StringComparer.Ordinal).ToList();
        var corpus = new List<LangSentences>();
        foreach (var f in files)
        {
            string label = Path.GetFileNameWithoutExtension(f);
            if (options.Languages is not null && !options.Languages.Contains(label)) continue;
            // Split on '\n' only: some files contain U+0085 (NEL) inside sentences.
            var lines = File.ReadAllText(f, Encoding.UTF8).Split('\n')
                .Select(l => l.TrimEnd('\r').Trim()).Where(l => l.Length > 0)
                .Take(options.MaxSentencesPerLanguage).ToList();
            if (lines.Count > 0) corpus.Add(new LangSentences(label, lines));
        }
        if (options.IncludeRomanizedHindi)
        {
            string? trac = options.Trac1Directory;
            if (trac is null)
            {
                // <datasets>/lingua_langid_sentences[/sentences] → <datasets>/trac1_aggression
                for (var d = new DirectoryInfo(root); d is not null && trac is null; d = d.Parent)
                {
                    var candidate = Path.Combine(d.FullName, "trac1_aggression");
                    if (Directory.Exists(candidate)) trac = candidate;
                }
            }
            if (trac is not null && Directory.Exists(trac))
            {
                int max = Math.Min(options.RomanizedHindiSamples, options.MaxSentencesPerLanguage);
                var hi = RomanizedHindi.Sample(trac, seed, max, out int pool);
                if (hi.Count > 0)
                {
                    corpus.Add(new LangSentences("hi-Latn", hi));
                    corpus.Sort((a, b) => string.CompareOrdinal(a.Label, b.Label));
                    hindiNote = $"{hi.Count} romanised Hindi comments sampled (seed {seed}) from {pool} TRAC-1 agr_hi train+dev comments without Devanagari and with ≥ 2 Hindi function words and ≥ 25% of them";
                    log?.WriteLine($"langid: {hindiNote}");
                }
            }
            else
            {
                log?.WriteLine("langid: TRAC-1 folder not found; no romanised Hindi class");
            }
        }
        return corpus;
    }

    private static Script DominantScript(List<string> sentences)
    {
        Span<int> census = stackalloc int[(int)Script.Han + 1];
        foreach (var s in sentences) LangIdFeatures.ScriptCensus(s, census);
        int dom = 0;
        for (int i = 1; i < census.Length; i++) if (census[i] > census[dom]) dom = i;
        // Japanese text often has more Kanji than Kana; Kana is what makes it Japanese.
        if (dom == (int)Script.Han && census[(int)Script.Kana] * 5 > census[(int)Script.Han]) return Script.Kana;
        return (Script)dom;
    }

    // ------------------------------------------------------------------------------- naive Bayes

    private sealed class Counts(int rows, int buckets)
    {
        public readonly int[] N = new int[rows * buckets]; // row-major: [row][bucket]
        public readonly long[] Total = new long[rows];
        public readonly int Buckets = buckets;
    }

    private struct CountSink(int[] counts, int offset) : IFeatureSink
    {
        public int Added;

        public void Add(int bucket)
        {
            counts[offset + bucket]++;
            Added++;
        }
    }

    private static Counts Count(List<(string Label, string Text)> data, List<LanguageClass> classes, int bits, uint seed, int stride)
    {
        int buckets = 1 << bits;
        var rowOf = classes.ToDictionary(c => c.Label, c => c.Row, StringComparer.Ordinal);
        int rows = classes.Count(c => c.Row >= 0);
        var counts = new Counts(rows, buckets);
        foreach (var (label, text) in data)
        {
            int row = rowOf[label];
            if (row < 0) continue;
            var sink = new CountSink(counts.N, row * buckets);
            LangIdFeatures.Extract(text, seed, bits, ref sink);
            counts.Total[row] += sink.Added;
        }
        return counts;
    }

    private static LanguageIdModel BuildModel(Counts counts, List<LanguageClass> classes, int bits, uint seed, int stride, double alpha, float temperature, float threshold)
    {
        int buckets = counts.Buckets;
        int rows = counts.Total.Length;
        // log P(bucket | language), centred per bucket: a constant shared by all languages does not
        // change their ranking or softmax, and centring shrinks the range the int8 quantiser must cover.
        var logDen = counts.Total.Select(t => Math.Log(t + alpha * buckets)).ToArray();
        var w = new float[buckets * stride];
        double maxAbs = 0;
        var col = new double[rows];
        for (int b = 0; b < buckets; b++)
        {
            double mean = 0;
            for (int r = 0; r < rows; r++)
            {
                col[r] = Math.Log(counts.N[r * buckets + b] + alpha) - logDen[r];
                mean += col[r];
            }
            mean /= rows;
            for (int r = 0; r < rows; r++)
            {
                double v = col[r] - mean;
                w[b * stride + r] = (float)v;
                if (Math.Abs(v) > maxAbs) maxAbs = Math.Abs(v);
            }
        }
        float scale = (float)(maxAbs / 127.0);
        if (scale <= 0) scale = 1f;
        var q = new sbyte[w.Length];
        for (int i = 0; i < w.Length; i++) q[i] = (sbyte)Math.Clamp(MathF.Round(w[i] / scale), -127, 127);
        return new LanguageIdModel(bits, seed, scale, temperature, threshold, stride, classes, q);
    }

    private static double TopOneAccuracy(LanguageIdentifier id, List<(string Label, string Text)> data)
    {
        int ok = 0;
        var classes = id.Model.Classes;
        foreach (var (label, text) in data)
        {
            int c = id.PredictClass(ShortPrefix(text), out _);
            if (c >= 0 && classes[c].Label == label) ok++;
            c = id.PredictClass(text, out _);
            if (c >= 0 && classes[c].Label == label) ok++;
        }
        return (double)ok / (2 * data.Count);
    }

    /// <summary>
    /// Temperature: minimises the validation log-loss of the softmax over same-script languages.
    /// Threshold: answer "und" when the top probability is below it; chosen to maximise
    /// (correct answers − wrong answers) on validation, i.e. abstain where a guess is more often wrong than right.
    /// </summary>
    private static (float Temperature, float Threshold) Calibrate(LanguageIdentifier id, List<(string Label, string Text)> valid, List<LanguageClass> classes)
    {
        var items = new List<(string Label, string Text)>(valid.Count * 2);
        foreach (var (l, t) in valid)
        {
            items.Add((l, ShortPrefix(t)));
            items.Add((l, t));
        }
        var raw = items.Select(it => id.Scores(it.Text)).ToArray(); // probabilities at temperature 1
        // Recover the logits (log p at T = 1, up to a constant) to re-temper them cheaply.
        float bestT = 1f;
        double bestNll = double.MaxValue;
        for (double logT = -4; logT <= 1.0001; logT += 0.05)
        {
            double t = Math.Pow(10, logT);
            double nll = 0;
            for (int i = 0; i < items.Count; i++)
            {
                var sc = raw[i];
                if (sc.Count < 2) continue;
                double z = 0, truth = double.NegativeInfinity;
                foreach (var (label, p) in sc)
                {
                    double logit = Math.Log(Math.Max(p, 1e-300)) * t;
                    z += Math.Exp(logit);
                    if (label == items[i].Label) truth = logit;
                }
                nll += double.IsNegativeInfinity(truth) ? 50 : Math.Log(z) - truth;
            }
            if (nll < bestNll)
            {
                bestNll = nll;
                bestT = (float)t;
            }
        }
        var tempered = new LanguageIdentifier(id.Model.With(temperature: bestT, threshold: 0f));
        var scored = items.Select(it =>
        {
            var p = tempered.Predict(it.Text);
            return (p.Confidence, Correct: p.Label == it.Label);
        }).OrderBy(x => x.Confidence).ToArray();
        // Sweep thresholds: utility = correct accepted − wrong accepted.
        int utility = scored.Sum(x => x.Correct ? 1 : -1);
        int bestUtility = utility;
        float bestThreshold = 0f;
        for (int i = 0; i < scored.Length; i++)
        {
            utility -= scored[i].Correct ? 1 : -1;
            float th = i + 1 < scored.Length ? scored[i + 1].Confidence : 1f;
            if (utility > bestUtility && th > scored[i].Confidence)
            {
                bestUtility = utility;
                bestThreshold = (scored[i].Confidence + th) / 2;
            }
        }
        return (bestT, MathF.Round(bestThreshold, 3));
    }
}
