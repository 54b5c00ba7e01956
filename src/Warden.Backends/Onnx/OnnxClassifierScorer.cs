using System.Text.Json.Nodes;
using Microsoft.ML.OnnxRuntime;
using Warden.Core;
using Warden.Text.LanguageId;

namespace Warden.Backends.Onnx;

public sealed record OnnxScorerOptions
{
    /// <summary>Tokens per window including the two special tokens; default warden-labels.json's max_length, else 512.</summary>
    public int? MaxLength { get; init; }

    /// <summary>Step between window starts in tokens; default warden-labels.json's stride, else half the window.</summary>
    public int? Stride { get; init; }

    /// <summary>Windows per ONNX Runtime call. Larger batches amortise call overhead; padding grows with length spread.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>ONNX Runtime intra-op threads; default all cores.</summary>
    public int IntraOpNumThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Try the CUDA execution provider first (it needs the Microsoft.ML.OnnxRuntime.Gpu package at run time).</summary>
    public bool TryCuda { get; init; } = true;

    /// <summary>Where load-time decisions (tokenizer, execution provider) are reported; default stderr.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Language identifier for <see cref="ScoreResult.Language"/>; default Warden's built-in one.</summary>
    public ILanguageIdentifier? Languages { get; init; }
}

/// <summary>
/// A bring-your-own Hugging Face sequence classifier exported to ONNX. The folder holds <c>model.onnx</c>, a
/// tokenizer (<see cref="ModelTokenizer"/>), <c>config.json</c> with <c>id2label</c>, and optionally
/// <c>warden-labels.json</c> (<see cref="LabelMapping"/>). Texts longer than one window are scored by
/// overlapping windows and take the maximum per attribute (a toxic sentence anywhere makes the text toxic).
/// Windows are batched, padded to the longest window of their batch, with an attention mask; thread-safe
/// (ONNX Runtime sessions allow concurrent Run). Scores are the model's own probabilities: calibrate on
/// your data before trusting a threshold.
/// </summary>
public sealed class OnnxClassifierScorer : IScorer, IAttributeCoverage, IDisposable
{
    private readonly InferenceSession _session;
    private readonly ModelTokenizer _tokenizer;
    private readonly LabelMapping _labels;
    private readonly ILanguageIdentifier _languages;
    private readonly int _maxLength;
    private readonly int _stride;
    private readonly int _batchSize;
    private readonly bool _hasTokenTypes;
    private readonly bool _hasAttentionMask;
    private readonly string _outputName;

    public OnnxClassifierScorer(string folder, OnnxScorerOptions? options = null)
    {
        options ??= new OnnxScorerOptions();
        var log = options.Log ?? (m => Console.Error.WriteLine(m));
        var modelPath = Path.Combine(folder, "model.onnx");
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{folder}: no model.onnx", modelPath);
        var configPath = Path.Combine(folder, "config.json");
        var config = File.Exists(configPath)
            ? JsonNode.Parse(File.ReadAllText(configPath))?.AsObject() ?? throw new InvalidDataException($"{configPath}: not a JSON object")
            : throw new FileNotFoundException($"{folder}: no config.json (it names the labels, id2label)", configPath);

        _labels = LabelMapping.Load(folder, config);
        _tokenizer = ModelTokenizer.Load(folder, config);
        _languages = options.Languages ?? LanguageIdentifier.LoadDefault();
        _maxLength = options.MaxLength ?? _labels.MaxLength ?? DefaultMaxLength(config);
        if (_maxLength < 3) throw new ArgumentException($"max length {_maxLength} leaves no room for text between the special tokens");
        _stride = Math.Clamp(options.Stride ?? _labels.Stride ?? (_maxLength - 2) / 2, 1, _maxLength - 2);
        _batchSize = Math.Max(1, options.BatchSize);

        _session = CreateSession(modelPath, options, log, out var provider);
        var inputs = _session.InputMetadata.Keys.ToHashSet();
        if (!inputs.Contains("input_ids"))
            throw new InvalidDataException($"{modelPath}: no input named input_ids (inputs: {string.Join(", ", inputs)})");
        _hasAttentionMask = inputs.Contains("attention_mask");
        _hasTokenTypes = inputs.Contains("token_type_ids");
        _outputName = _session.OutputMetadata.ContainsKey("logits") ? "logits" : _session.OutputMetadata.Keys.First();
        var outputs = _session.OutputMetadata[_outputName].Dimensions;
        if (outputs.Length != 2 || (outputs[1] > 0 && outputs[1] != _labels.Labels.Count))
            throw new InvalidDataException($"{modelPath}: output {_outputName} has shape [{string.Join(", ", outputs)}], expected [batch, {_labels.Labels.Count}] as in id2label");

        ExecutionProvider = provider;
        ModelName = $"onnx:{Path.GetFileName(Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar))}";
        log($"warden: {ModelName}: {_tokenizer.Kind}, windows of {_maxLength} tokens with stride {_stride}, " +
            $"{_labels.Activation.ToString().ToLowerInvariant()} over {_labels.Labels.Count} labels, {provider}");
    }

    public string ModelName { get; }

    /// <summary>"CUDA" or "CPU (n threads)".</summary>
    public string ExecutionProvider { get; }

    public IReadOnlyList<float> Thresholds => _labels.Thresholds;

    public LabelMapping Labels => _labels;

    public bool Covers(HarmAttribute attribute) => _labels.Covers(attribute);

    public ScoreResult Score(string text, ScoreOptions? options = null) => ScoreBatch([text], options)[0];

    public IReadOnlyList<ScoreResult> ScoreBatch(IReadOnlyList<string> texts, ScoreOptions? options = null)
    {
        // Every window of every text, tagged with its text; scored in batches, folded back by maximum.
        var windows = new List<(int Text, int[] Ids)>();
        for (var t = 0; t < texts.Count; t++)
        {
            ArgumentNullException.ThrowIfNull(texts[t]);
            foreach (var w in Windows(_tokenizer.EncodeContent(texts[t]))) windows.Add((t, w));
        }
        // Sorting by length keeps similar lengths together, so little compute is spent on padding.
        windows.Sort((a, b) => a.Ids.Length.CompareTo(b.Ids.Length));

        var scores = new float[texts.Count][];
        for (var t = 0; t < texts.Count; t++) scores[t] = new float[HarmAttributes.Count];
        var row = new float[HarmAttributes.Count];
        for (var start = 0; start < windows.Count; start += _batchSize)
        {
            var batch = windows.GetRange(start, Math.Min(_batchSize, windows.Count - start));
            var logits = Run(batch.Select(w => w.Ids).ToArray(), out var labelCount);
            for (var b = 0; b < batch.Count; b++)
            {
                _labels.Apply(logits.AsSpan(b * labelCount, labelCount), row);
                var target = scores[batch[b].Text];
                for (var a = 0; a < row.Length; a++) target[a] = MathF.Max(target[a], row[a]);
            }
        }
        return texts.Select((text, t) => new ScoreResult(_languages.LanguageOf(text, options), scores[t])).ToArray();
    }

    /// <summary>
    /// Splits content ids into windows of at most MaxLength-2 tokens, starting every Stride tokens, the last
    /// one aligned with the end; each framed by the begin and end tokens. An empty text is one empty window.
    /// </summary>
    internal IEnumerable<int[]> Windows(IReadOnlyList<int> content)
    {
        var body = _maxLength - 2;
        for (var start = 0; ; start += _stride)
        {
            var begin = Math.Min(start, Math.Max(0, content.Count - body));
            var length = Math.Min(body, content.Count - begin);
            var ids = new int[length + 2];
            ids[0] = _tokenizer.BeginId;
            for (var i = 0; i < length; i++) ids[i + 1] = content[begin + i];
            ids[^1] = _tokenizer.EndId;
            yield return ids;
            if (begin + length >= content.Count) yield break;
        }
    }

    private float[] Run(int[][] batch, out int labelCount)
    {
        var seq = batch.Max(w => w.Length);
        var ids = new long[batch.Length * seq];
        var mask = new long[batch.Length * seq];
        for (var b = 0; b < batch.Length; b++)
        {
            var w = batch[b];
            for (var i = 0; i < seq; i++)
            {
                var real = i < w.Length;
                ids[b * seq + i] = real ? w[i] : _tokenizer.PadId;
                mask[b * seq + i] = real ? 1 : 0;
            }
        }
        long[] shape = [batch.Length, seq];
        var names = new List<string> { "input_ids" };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(ids, shape) };
        try
        {
            if (_hasAttentionMask)
            {
                names.Add("attention_mask");
                values.Add(OrtValue.CreateTensorValueFromMemory(mask, shape));
            }
            if (_hasTokenTypes)
            {
                names.Add("token_type_ids"); // single-segment input: all zeros
                values.Add(OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape));
            }
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, names, values, [_outputName]);
            var output = outputs[0];
            var outShape = output.GetTensorTypeAndShape().Shape;
            labelCount = (int)outShape[^1];
            if (labelCount != _labels.Labels.Count)
                throw new InvalidDataException($"model returned {labelCount} logits per text, config.json id2label has {_labels.Labels.Count}");
            return output.GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    private static InferenceSession CreateSession(string modelPath, OnnxScorerOptions options, Action<string> log, out string provider)
    {
        if (options.TryCuda)
        {
            var cuda = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
            try
            {
                cuda.AppendExecutionProvider_CUDA(0);
                provider = "CUDA";
                return new InferenceSession(modelPath, cuda);
            }
            catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                // The CPU-only Microsoft.ML.OnnxRuntime package has no CUDA provider: expected, not an error.
                log($"warden: CUDA execution provider unavailable ({FirstLine(e.Message)}); using CPU");
                cuda.Dispose();
            }
        }
        var cpu = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            IntraOpNumThreads = Math.Max(1, options.IntraOpNumThreads),
        };
        provider = $"CPU ({cpu.IntraOpNumThreads} threads)";
        return new InferenceSession(modelPath, cpu);
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();

    private static int DefaultMaxLength(JsonObject config)
    {
        var positions = config["max_position_embeddings"]?.GetValue<int>() ?? 512;
        // RoBERTa-family models reserve pad_token_id+1 positions (514 in config for 512 usable).
        var reserved = config["model_type"]?.GetValue<string>() is "roberta" or "xlm-roberta" or "camembert" ? 2 : 0;
        return Math.Min(512, positions - reserved);
    }

    public void Dispose() => _session.Dispose();
}
