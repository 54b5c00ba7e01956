using System.Text.Json.Nodes;
using Warden.Core;

namespace Warden.Backends.Onnx;

public enum Activation { Sigmoid, Softmax }

/// <summary>
/// How a classifier's output labels become Warden attributes: read from <c>warden-labels.json</c> next to
/// the model, or, without that file, derived from config.json's id2label through the Detoxify/Jigsaw
/// aliases below (so Detoxify's exports work out of the box). Several labels mapped to one attribute
/// combine by maximum; a label mapped to nothing is ignored.
/// <code>
/// { "activation": "sigmoid", "max_length": 512, "stride": 256,
///   "labels": { "toxic": "toxicity", "obscene": {"attribute": "profanity", "threshold": 0.6}, "neutral": null } }
/// </code>
/// </summary>
public sealed class LabelMapping
{
    public const string FileName = "warden-labels.json";

    /// <summary>Label names of the Jigsaw/Detoxify models and their Warden attribute.</summary>
    public static readonly IReadOnlyDictionary<string, HarmAttribute> Aliases = new Dictionary<string, HarmAttribute>(StringComparer.OrdinalIgnoreCase)
    {
        ["toxic"] = HarmAttribute.Toxicity,
        ["toxicity"] = HarmAttribute.Toxicity,
        ["severe_toxic"] = HarmAttribute.SevereToxicity,
        ["severe_toxicity"] = HarmAttribute.SevereToxicity,
        // Jigsaw's "obscene" is swearing and obscene language: Perspective's PROFANITY, not sexual content.
        ["obscene"] = HarmAttribute.Profanity,
        ["threat"] = HarmAttribute.Threat,
        ["insult"] = HarmAttribute.Insult,
        ["identity_hate"] = HarmAttribute.IdentityAttack,
        ["identity_attack"] = HarmAttribute.IdentityAttack,
        ["sexual_explicit"] = HarmAttribute.SexuallyExplicit,
        ["sexually_explicit"] = HarmAttribute.SexuallyExplicit,
        ["self_harm"] = HarmAttribute.SelfHarm,
        ["profanity"] = HarmAttribute.Profanity,
        ["hate"] = HarmAttribute.IdentityAttack,
    };

    /// <param name="attributeOfOutput">attribute of each model output index, null when the output is ignored</param>
    public LabelMapping(IReadOnlyList<string> labels, IReadOnlyList<HarmAttribute?> attributeOfOutput, Activation activation,
        IReadOnlyList<float> thresholds, int? maxLength = null, int? stride = null)
    {
        if (labels.Count != attributeOfOutput.Count) throw new ArgumentException("one attribute (or null) per label");
        if (thresholds.Count != HarmAttributes.Count) throw new ArgumentException("one threshold per attribute");
        Labels = labels;
        AttributeOfOutput = attributeOfOutput;
        Activation = activation;
        Thresholds = thresholds;
        MaxLength = maxLength;
        Stride = stride;
    }

    /// <summary>Model output labels by output index (config.json id2label).</summary>
    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyList<HarmAttribute?> AttributeOfOutput { get; }
    public Activation Activation { get; }
    public IReadOnlyList<float> Thresholds { get; }
    public int? MaxLength { get; }
    public int? Stride { get; }

    public bool Covers(HarmAttribute attribute) => AttributeOfOutput.Contains(attribute);

    /// <summary>Turns one row of logits into the eight attribute scores (uncovered attributes stay 0).</summary>
    public void Apply(ReadOnlySpan<float> logits, Span<float> scores)
    {
        Span<float> probabilities = stackalloc float[logits.Length];
        if (Activation == Activation.Sigmoid)
        {
            for (var i = 0; i < logits.Length; i++) probabilities[i] = 1f / (1f + MathF.Exp(-logits[i]));
        }
        else
        {
            var max = float.NegativeInfinity;
            foreach (var l in logits) max = MathF.Max(max, l);
            var sum = 0f;
            for (var i = 0; i < logits.Length; i++) sum += probabilities[i] = MathF.Exp(logits[i] - max);
            for (var i = 0; i < logits.Length; i++) probabilities[i] /= sum;
        }
        scores.Clear();
        for (var i = 0; i < logits.Length; i++)
            if (AttributeOfOutput[i] is { } a) scores[(int)a] = MathF.Max(scores[(int)a], probabilities[i]);
    }

    /// <summary>Reads config.json's id2label (and problem_type) and the optional warden-labels.json of a model folder.</summary>
    public static LabelMapping Load(string folder, JsonObject config)
    {
        var id2label = config["id2label"]?.AsObject()
            ?? throw new InvalidDataException($"{folder}/config.json has no id2label");
        var labels = new string[id2label.Count];
        foreach (var (key, value) in id2label)
        {
            if (!int.TryParse(key, out var id) || id < 0 || id >= labels.Length)
                throw new InvalidDataException($"{folder}/config.json: id2label key '{key}' is not an index 0..{labels.Length - 1}");
            labels[id] = value?.GetValue<string>() ?? "";
        }

        // HF's own convention: multi-label heads are trained with BCE (sigmoid), single-label with cross-entropy.
        var activation = config["problem_type"]?.GetValue<string>() == "single_label_classification" ? Activation.Softmax : Activation.Sigmoid;
        var thresholds = Enumerable.Repeat(0.5f, HarmAttributes.Count).ToArray();
        var attributes = labels.Select(l => Aliases.TryGetValue(l, out var a) ? a : (HarmAttribute?)null).ToArray();
        int? maxLength = null, stride = null;

        var path = Path.Combine(folder, FileName);
        if (File.Exists(path))
        {
            var json = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InvalidDataException($"{path}: not a JSON object");
            if (json["activation"]?.GetValue<string>() is { } act)
                activation = act.ToLowerInvariant() switch
                {
                    "sigmoid" => Activation.Sigmoid,
                    "softmax" => Activation.Softmax,
                    _ => throw new InvalidDataException($"{path}: activation must be sigmoid or softmax, not '{act}'"),
                };
            maxLength = json["max_length"]?.GetValue<int>();
            stride = json["stride"]?.GetValue<int>();
            if (json["labels"]?.AsObject() is { } map)
            {
                // An explicit mapping replaces the aliases entirely: the user said what each label means.
                Array.Fill(attributes, null);
                foreach (var (label, target) in map)
                {
                    var index = Array.IndexOf(labels, label);
                    if (index < 0) throw new InvalidDataException($"{path}: label '{label}' is not in config.json id2label ({string.Join(", ", labels)})");
                    if (target is null) continue;
                    var name = target is JsonObject o ? o["attribute"]?.GetValue<string>() : target.GetValue<string>();
                    if (name is null) continue;
                    var attribute = HarmAttributes.Parse(name);
                    attributes[index] = attribute;
                    if (target is JsonObject { } obj && obj["threshold"] is { } t) thresholds[(int)attribute] = t.GetValue<float>();
                }
            }
        }
        if (attributes.All(a => a is null))
            throw new InvalidDataException(
                $"{folder}: none of the labels ({string.Join(", ", labels)}) maps to a Warden attribute; write a {FileName}");
        return new LabelMapping(labels, attributes, activation, thresholds, maxLength, stride);
    }
}
