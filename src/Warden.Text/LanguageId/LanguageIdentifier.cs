using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Warden.Core;

namespace Warden.Text.LanguageId;

/// <summary>A prediction with the model's label (e.g. "hi-Latn") as well as the reported code ("hi").</summary>
public readonly record struct LanguagePrediction(string Language, string Label, float Confidence, bool IsConfident);

/// <summary>
/// Fast language identifier (ISO 639-1 codes, "und" when unsure). Unambiguous scripts answer
/// directly (Hangul → ko, any Kana → ja, Han without Kana → zh, Greek, Hebrew, Thai, Armenian,
/// Georgian, Bengali, Gujarati, Gurmukhi, Tamil, Telugu); texts in shared scripts (Latin, Cyrillic,
/// Arabic, Devanagari) are scored by a hashed character n-gram naive-Bayes model restricted to the
/// languages of that script. Immutable and thread-safe; a call allocates nothing.
/// </summary>
public sealed class LanguageIdentifier : ILanguageIdentifier
{
    public const string Undetermined = "und";
    private const int ScriptCount = (int)Script.Han + 1;

    private readonly LanguageIdModel _model;
    private readonly sbyte[] _weights;
    private readonly int _stride;
    private readonly int _bits;
    private readonly uint _seed;
    private readonly float _logitScale;
    private readonly int _negligibleGap;
    // Per script: the class answering alone (-1 if none) and the classes scored by the model.
    private readonly int[] _single = new int[ScriptCount];
    private readonly int[][] _candidates = new int[ScriptCount][];
    private readonly int[] _rowOf;
    private readonly int _ja = -1, _zh = -1, _ko = -1;

    public LanguageIdentifier(LanguageIdModel model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _weights = model.Weights;
        _stride = model.RowStride;
        _bits = model.HashBits;
        _seed = model.HashSeed;
        _logitScale = model.Scale * model.Temperature;
        _negligibleGap = _logitScale > 0 ? (int)Math.Min(int.MaxValue, Math.Floor(50 / (double)_logitScale)) : int.MaxValue;
        if (_stride % Vector256<sbyte>.Count != 0) throw new InvalidDataException("language-id model: row stride must be a multiple of 32");
        var classes = model.Classes;
        _rowOf = classes.Select(c => c.Row).ToArray();
        Array.Fill(_single, -1);
        for (int s = 0; s < ScriptCount; s++)
        {
            var inScript = Enumerable.Range(0, classes.Count).Where(i => (int)classes[i].Script == s).ToArray();
            _candidates[s] = inScript.Where(i => classes[i].Row >= 0).ToArray();
            var alone = inScript.Where(i => classes[i].Row < 0).ToArray();
            if (alone.Length == 1 && _candidates[s].Length == 0) _single[s] = alone[0];
        }
        for (int i = 0; i < classes.Count; i++)
        {
            switch (classes[i].Label)
            {
                case "ja": _ja = i; break;
                case "zh": _zh = i; break;
                case "ko": _ko = i; break;
            }
        }
    }

    public LanguageIdModel Model => _model;

    /// <summary>Top probability below which the answer is "und" (chosen on held-out data at training time).</summary>
    public float Threshold => _model.Threshold;

    /// <summary>Languages this identifier can return (ISO 639-1), sorted.</summary>
    public IReadOnlyList<string> Languages => _model.Classes.Select(c => c.Code).Distinct().Order(StringComparer.Ordinal).ToArray();

    public static LanguageIdentifier Load(string path) => new(LanguageIdModel.Load(path));

    private static readonly Lazy<LanguageIdentifier> s_default = new(() =>
        Load(FindDefaultModelPath() ?? throw new FileNotFoundException(
            "Language-id model models/langid/langid.bin not found next to the application or in any parent of it or of the current directory. Train it with `warden train langid`.")));

    /// <summary>The shipped model (loaded once, shared): looks in AppContext.BaseDirectory/models/langid
    /// (the build copies it there), then walks up from AppContext.BaseDirectory and from the current directory.</summary>
    public static LanguageIdentifier LoadDefault() => s_default.Value;

    public static string? FindDefaultModelPath()
    {
        var rel = Path.Combine("models", "langid", "langid.bin");
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, rel);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    public string Identify(string text) => Predict(text).Language;

    public (string Language, float Confidence) IdentifyWithConfidence(string text)
    {
        var p = Predict(text);
        return (p.Language, p.Confidence);
    }

    /// <summary>Full prediction; <see cref="LanguagePrediction.Language"/> is "und" when not confident,
    /// and <see cref="LanguagePrediction.Label"/> is then the best guess (or "und" when there was nothing to go on).</summary>
    public LanguagePrediction Predict(ReadOnlySpan<char> text)
    {
        int best = PredictClass(text, out float p);
        if (best < 0) return new LanguagePrediction(Undetermined, Undetermined, 0f, false);
        var c = _model.Classes[best];
        bool confident = p >= _model.Threshold;
        return new LanguagePrediction(confident ? c.Code : Undetermined, c.Label, p, confident);
    }

    /// <summary>Index into <see cref="LanguageIdModel.Classes"/> of the best class (-1: no letters), and its probability.</summary>
    internal int PredictClass(ReadOnlySpan<char> text, out float probability)
    {
        probability = 0f;
        Span<int> census = stackalloc int[ScriptCount];
        int letters = LangIdFeatures.ScriptCensus(text, census);
        if (letters == 0) return -1;
        int dom = 0;
        for (int s = 1; s < ScriptCount; s++) if (census[s] > census[dom]) dom = s;
        int cjk = census[(int)Script.Han] + census[(int)Script.Kana];
        if (cjk >= census[dom] && cjk > 0)
        {
            // Japanese mixes Kanji with Kana; Han alone is Chinese (a Kanji-only Japanese snippet is rare).
            probability = (float)cjk / letters;
            return census[(int)Script.Kana] > 0 ? _ja : _zh;
        }
        if (dom == (int)Script.Hangul && _ko >= 0)
        {
            probability = (float)census[dom] / letters;
            return _ko;
        }
        if (_single[dom] >= 0)
        {
            probability = (float)census[dom] / letters;
            return _single[dom];
        }
        var cands = _candidates[dom];
        if (cands.Length == 0) return -1;
        Span<int> acc = stackalloc int[_stride];
        acc.Clear();
        if (Accumulate(text, acc) == 0) return -1;
        // Softmax over this script's languages only.
        int top = cands[0];
        int topScore = int.MinValue;
        foreach (int c in cands)
        {
            int sc = acc[_rowOf[c]];
            if (sc > topScore) { topScore = sc; top = c; }
        }
        // A language whose scaled logit is more than 50 below the best's (_negligibleGap) adds under e^-50 to a sum of at
        // least 1, which a double cannot hold: skipping its exp leaves the probability bit for bit the same.
        double sum = 0;
        foreach (int c in cands)
        {
            int behind = topScore - acc[_rowOf[c]];
            if (behind <= _negligibleGap) sum += Math.Exp(-behind * (double)_logitScale);
        }
        probability = (float)(1.0 / sum);
        return top;
    }

    /// <summary>Probabilities of every candidate language of the text's script, best first (diagnostics, evaluation).</summary>
    public IReadOnlyList<(string Label, float Probability)> Scores(string text)
    {
        Span<int> census = stackalloc int[ScriptCount];
        if (LangIdFeatures.ScriptCensus(text, census) == 0) return [];
        int dom = 0;
        for (int s = 1; s < ScriptCount; s++) if (census[s] > census[dom]) dom = s;
        var cands = _candidates[dom];
        if (cands.Length == 0)
        {
            int c = PredictClass(text, out float p);
            return c < 0 ? [] : [(_model.Classes[c].Label, p)];
        }
        var acc = new int[_stride];
        Accumulate(text, acc);
        int max = cands.Max(c => acc[_rowOf[c]]);
        var e = cands.Select(c => (c, v: Math.Exp((acc[_rowOf[c]] - max) * (double)_logitScale))).ToArray();
        double z = e.Sum(x => x.v);
        return e.OrderByDescending(x => x.v).Select(x => (_model.Classes[x.c].Label, (float)(x.v / z))).ToArray();
    }

    /// <summary>Adds the weight rows of the text's features to <paramref name="acc"/> (zeroed, one int per row slot); returns the words seen.</summary>
    private int Accumulate(ReadOnlySpan<char> text, Span<int> acc)
    {
        var sink = new Accumulator(_weights, _stride, acc, stackalloc int[Accumulator.BlockSize]);
        int words = LangIdFeatures.ExtractPadded(text, _seed, _bits, ref sink);
        sink.Flush();
        return words;
    }

    /// <summary>
    /// Sums the int8 weight rows of the feature buckets into the int32 score vector. Buckets are collected in blocks
    /// of <see cref="Block"/> and each block is summed in int16 lanes held in registers (16 lanes per vector, one load
    /// and two widenings per 32 weights), then widened once into the int32 totals: a third of the work of widening
    /// every row to int32 and adding it to memory. The sums are the same integers (a block cannot overflow int16:
    /// 256 × ±128 fits), so predictions are bit for bit those of the straightforward loop.
    /// </summary>
    private ref struct Accumulator : IVectorFeatureSink
    {
        private const int Block = 256;
        private readonly sbyte[] _w;
        private readonly int _stride;
        private readonly Span<int> _acc;
        private readonly Span<int> _pending;
        private int _count;

        public Accumulator(sbyte[] weights, int stride, Span<int> acc, Span<int> pending)
        {
            _w = weights;
            _stride = stride;
            _acc = acc;
            _pending = pending[..Block];
            _count = 0;
        }

        public static int BlockSize => Block;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(Vector256<int> buckets, int count)
        {
            // All eight lanes are stored, so there must be room for eight; a block never holds more than Block buckets
            // (the int16 sums in Flush rely on it).
            if (_count + Vector256<int>.Count > Block) Flush();
            buckets.StoreUnsafe(ref MemoryMarshal.GetReference(_pending), (nuint)_count);
            _count += count;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int bucket)
        {
            _pending[_count++] = bucket;
            if (_count == Block) Flush();
        }

        /// <summary>Adds the buckets collected so far to the totals; call once more after the last <see cref="Add"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Flush()
        {
            ref sbyte weights = ref MemoryMarshal.GetArrayDataReference(_w);
            ref int total = ref MemoryMarshal.GetReference(_acc);
            var buckets = _pending[.._count];
            if (_stride == 64)
            {
                // The shipped model's stride: one pass over the buckets, each row one cache line read once.
                Vector256<short> a = default, b = default, c = default, d = default;
                foreach (int bucket in buckets)
                {
                    ref sbyte row = ref Unsafe.Add(ref weights, (nint)bucket * 64);
                    var (l0, h0) = Vector256.Widen(Vector256.LoadUnsafe(ref row));
                    var (l1, h1) = Vector256.Widen(Vector256.LoadUnsafe(ref row, 32));
                    a += l0;
                    b += h0;
                    c += l1;
                    d += h1;
                }
                AddWidened(ref total, a, b);
                AddWidened(ref Unsafe.Add(ref total, 32), c, d);
                _count = 0;
                return;
            }
            for (int j = 0; j < _stride; j += 32)
            {
                var lo = Vector256<short>.Zero;
                var hi = Vector256<short>.Zero;
                foreach (int bucket in buckets)
                {
                    var (l, h) = Vector256.Widen(Vector256.LoadUnsafe(ref weights, (nuint)bucket * (nuint)_stride + (nuint)j));
                    lo += l;
                    hi += h;
                }
                var (l0, l1) = Vector256.Widen(lo);
                var (h0, h1) = Vector256.Widen(hi);
                ref int dst = ref Unsafe.Add(ref total, j);
                (Vector256.LoadUnsafe(ref dst) + l0).StoreUnsafe(ref dst);
                (Vector256.LoadUnsafe(ref dst, 8) + l1).StoreUnsafe(ref dst, 8);
                (Vector256.LoadUnsafe(ref dst, 16) + h0).StoreUnsafe(ref dst, 16);
                (Vector256.LoadUnsafe(ref dst, 24) + h1).StoreUnsafe(ref dst, 24);
            }
            _count = 0;
        }

        /// <summary>Adds 32 int16 sums (low then high half of 32 weights) to 32 int32 totals.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void AddWidened(ref int dst, Vector256<short> lo, Vector256<short> hi)
        {
            var (l0, l1) = Vector256.Widen(lo);
            var (h0, h1) = Vector256.Widen(hi);
            (Vector256.LoadUnsafe(ref dst) + l0).StoreUnsafe(ref dst);
            (Vector256.LoadUnsafe(ref dst, 8) + l1).StoreUnsafe(ref dst, 8);
            (Vector256.LoadUnsafe(ref dst, 16) + h0).StoreUnsafe(ref dst, 16);
            (Vector256.LoadUnsafe(ref dst, 24) + h1).StoreUnsafe(ref dst, 24);
        }
    }
}
