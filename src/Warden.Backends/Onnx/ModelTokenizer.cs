using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML.Tokenizers;

namespace Warden.Backends.Onnx;

/// <summary>
/// The tokenizer of a Hugging Face-style classifier folder, reduced to what a sequence classifier needs:
/// content token ids without special tokens (so long texts can be windowed), and the ids that frame a
/// window (CLS/BOS before, SEP/EOS after) and pad a batch.
/// </summary>
public sealed class ModelTokenizer
{
    private readonly Func<string, IReadOnlyList<int>> _encode;

    private ModelTokenizer(string kind, Func<string, IReadOnlyList<int>> encode, int begin, int end, int pad)
    {
        Kind = kind;
        _encode = encode;
        BeginId = begin;
        EndId = end;
        PadId = pad;
    }

    /// <summary>Which file and algorithm were used, e.g. "vocab.txt (WordPiece)"; shown in the model name and logs.</summary>
    public string Kind { get; }
    public int BeginId { get; }
    public int EndId { get; }
    public int PadId { get; }

    /// <summary>Token ids of the text, without special tokens. Thread-safe (the underlying tokenizers are).</summary>
    public IReadOnlyList<int> EncodeContent(string text) => _encode(text);

    /// <summary>
    /// Loads the tokenizer of a model folder. Order: vocab.txt (WordPiece, as BERT), sentencepiece.bpe.model
    /// (XLM-R), tokenizer.json (WordPiece or byte-level BPE; a Unigram tokenizer.json cannot be loaded by
    /// Microsoft.ML.Tokenizers, which is why XLM-R needs its sentencepiece file).
    /// </summary>
    public static ModelTokenizer Load(string folder, JsonObject config)
    {
        var modelType = config["model_type"]?.GetValue<string>() ?? "";
        var lowerCase = ReadLowerCase(folder);

        var vocab = Path.Combine(folder, "vocab.txt");
        if (File.Exists(vocab))
        {
            var bert = BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = lowerCase ?? true });
            return new ModelTokenizer("vocab.txt (WordPiece)", t => bert.EncodeToIds(t, addSpecialTokens: false),
                bert.ClassificationTokenId, bert.SeparatorTokenId, bert.PaddingTokenId);
        }

        foreach (var name in new[] { "sentencepiece.bpe.model", "spiece.model", "tokenizer.model" })
        {
            var path = Path.Combine(folder, name);
            if (File.Exists(path)) return LoadSentencePiece(path, name, modelType, config);
        }

        var json = Path.Combine(folder, "tokenizer.json");
        if (File.Exists(json)) return LoadTokenizerJson(json, lowerCase);

        throw new FileNotFoundException(
            $"{folder}: no tokenizer found (expected vocab.txt, sentencepiece.bpe.model or tokenizer.json)");
    }

    private static ModelTokenizer LoadSentencePiece(string path, string name, string modelType, JsonObject config)
    {
        using var stream = File.OpenRead(path);
        var sp = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        // XLM-R and CamemBERT were trained with fairseq's dictionary, which puts <s>, <pad>, </s>, <unk> at
        // 0..3 and shifts every SentencePiece id by one; without this shift every token id is off by one.
        if (modelType is "xlm-roberta" or "camembert" or "xlm-roberta-xl")
        {
            const int bos = 0, pad = 1, eos = 2, unk = 3;
            var spUnk = sp.UnknownId;
            return new ModelTokenizer($"{name} (SentencePiece, fairseq ids)",
                t => sp.EncodeToIds(t, addBeginningOfSentence: false, addEndOfSentence: false)
                    .Select(id => id == spUnk ? unk : id + 1).ToArray(),
                bos, eos, pad);
        }
        var padId = config["pad_token_id"]?.GetValue<int>() ?? 0;
        return new ModelTokenizer($"{name} (SentencePiece)",
            t => sp.EncodeToIds(t, addBeginningOfSentence: false, addEndOfSentence: false),
            sp.BeginningOfSentenceId, sp.EndOfSentenceId, padId);
    }

    private static ModelTokenizer LoadTokenizerJson(string path, bool? lowerCase)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path}: not JSON");
        var model = root["model"]?.AsObject() ?? throw new InvalidDataException($"{path}: no \"model\"");
        var type = model["type"]?.GetValue<string>();
        var vocab = model["vocab"]?.AsObject() ?? throw new InvalidDataException($"{path}: model.vocab is not a token→id map (type {type})");
        var added = root["added_tokens"]?.AsArray().Select(t => (Content: t!["content"]!.GetValue<string>(), Id: t["id"]!.GetValue<int>()))
            .ToDictionary(t => t.Content, t => t.Id) ?? [];
        int Special(params string[] names)
        {
            foreach (var n in names)
            {
                if (added.TryGetValue(n, out var id)) return id;
                if (vocab[n] is { } v) return v.GetValue<int>();
            }
            throw new InvalidDataException($"{path}: none of the special tokens {string.Join(", ", names)} is defined");
        }

        switch (type)
        {
            case "WordPiece":
            {
                // Microsoft.ML.Tokenizers reads WordPiece vocabularies in vocab.txt form: one token per line, line = id.
                var byId = vocab.Select(kv => (kv.Key, Id: kv.Value!.GetValue<int>())).OrderBy(t => t.Id).ToArray();
                var text = new StringBuilder();
                for (var i = 0; i < byId.Length; i++)
                {
                    if (byId[i].Id != i) throw new InvalidDataException($"{path}: WordPiece ids are not contiguous at {i}");
                    text.Append(byId[i].Key).Append('\n');
                }
                var lower = lowerCase ?? root["normalizer"]?["lowercase"]?.GetValue<bool>() ?? true;
                using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
                var bert = BertTokenizer.Create(stream, new BertOptions { LowerCaseBeforeTokenization = lower });
                return new ModelTokenizer("tokenizer.json (WordPiece)", t => bert.EncodeToIds(t, addSpecialTokens: false),
                    Special("[CLS]"), Special("[SEP]"), Special("[PAD]"));
            }
            case "BPE":
            {
                // Byte-level BPE (RoBERTa, GPT-2 family): CodeGenTokenizer reads exactly vocab.json + merges.txt.
                var merges = model["merges"]?.AsArray() ?? throw new InvalidDataException($"{path}: model.merges missing");
                var mergesText = new StringBuilder("#version: 0.2\n");
                foreach (var m in merges)
                    mergesText.Append(m is JsonArray pair ? $"{pair[0]} {pair[1]}" : m!.GetValue<string>()).Append('\n');
                var prefixSpace = root["pre_tokenizer"]?["add_prefix_space"]?.GetValue<bool>() ?? false;
                using var vocabStream = new MemoryStream(Encoding.UTF8.GetBytes(vocab.ToJsonString()));
                using var mergesStream = new MemoryStream(Encoding.UTF8.GetBytes(mergesText.ToString()));
                var bpe = CodeGenTokenizer.Create(vocabStream, mergesStream, prefixSpace, false, false);
                return new ModelTokenizer("tokenizer.json (byte-level BPE)",
                    t => bpe.EncodeToIds(t, addPrefixSpace: prefixSpace, addBeginningOfSentence: false, addEndOfSentence: false),
                    Special("<s>", "[CLS]"), Special("</s>", "[SEP]"), Special("<pad>", "[PAD]"));
            }
            default:
                throw new NotSupportedException(
                    $"{path}: tokenizer model type '{type}' cannot be loaded with Microsoft.ML.Tokenizers; put the model's vocab.txt or sentencepiece.bpe.model in the folder");
        }
    }

    private static bool? ReadLowerCase(string folder)
    {
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path)) return null;
        return JsonNode.Parse(File.ReadAllText(path))?["do_lower_case"]?.GetValue<bool>();
    }
}
