using System.CommandLine;
using System.Globalization;
using Warden.Backends.Cascade;
using Warden.Backends.Judges;
using Warden.Backends.Onnx;
using Warden.Core;
using Warden.Data.Datasets;
using Warden.Scoring;

namespace Warden.Cli;

/// <summary>
/// Model specs for <c>--model</c> that name a backend instead of a built-in model, and
/// <c>warden cascade fit-bands</c>. Specs:
/// <list type="bullet">
/// <item><c>onnx:PATH</c> — a Hugging Face classifier exported to ONNX (docs/backends.md)</item>
/// <item><c>llamaguard:URL#model[?role=agent&amp;categories=FILE&amp;chat=true]</c></item>
/// <item><c>shieldgemma:URL#model[?role=agent&amp;policies=FILE]</c></item>
/// <item><c>judge:URL#model?policy=FILE[&amp;role=agent]</c></item>
/// <item><c>cascade:FAST+SLOW_SPEC[|bands=FILE]</c> — e.g. <c>cascade:warden-fast+onnx:models/toxic-bert|bands=bands.json</c></item>
/// <item>anything else: a built-in model name or path (<see cref="Scorer.Load"/>)</item>
/// </list>
/// </summary>
public static class BackendCommands
{
    /// <summary>Help text of every --model option: what <see cref="ResolveScorer"/> accepts.</summary>
    public const string ModelSpecDescription = "model name, path, a+b ensemble (a*2+b weighs a twice), or backend spec (onnx:PATH, llamaguard:URL#model, shieldgemma:URL#model, judge:URL#model?policy=FILE, cascade:FAST+SLOW); see docs/backends.md";

    public static IScorer ResolveScorer(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var colon = spec.IndexOf(':');
        var scheme = colon > 0 ? spec[..colon].ToLowerInvariant() : "";
        var rest = colon > 0 ? spec[(colon + 1)..] : spec;
        switch (scheme)
        {
            case "onnx":
                return new OnnxClassifierScorer(rest);
            case "llamaguard":
            {
                var (endpoint, query) = Endpoint(rest, scheme);
                var options = new LlamaGuardOptions
                {
                    Role = Role(query),
                    UseServerChatTemplate = query.TryGetValue("chat", out var chat) && bool.Parse(chat),
                    Categories = query.TryGetValue("categories", out var file) ? LlamaGuardOptions.LoadCategories(file) : LlamaGuardOptions.MLCommonsCategories,
                };
                return new LlamaGuardJudge(endpoint, options);
            }
            case "shieldgemma":
            {
                var (endpoint, query) = Endpoint(rest, scheme);
                var options = new ShieldGemmaOptions
                {
                    Role = Role(query),
                    Policies = query.TryGetValue("policies", out var file) ? ShieldGemmaOptions.LoadPolicies(file) : ShieldGemmaOptions.DefaultPolicies,
                };
                return new ShieldGemmaJudge(endpoint, options);
            }
            case "judge":
            {
                var (endpoint, query) = Endpoint(rest, scheme);
                if (!query.TryGetValue("policy", out var policy))
                    throw new UsageException($"'{spec}': a judge needs a policy file: judge:URL#model?policy=FILE");
                return new JsonPolicyJudge(endpoint, JudgePolicy.Load(policy), Role(query));
            }
            case "cascade":
                return ResolveCascade(rest, spec);
            default:
                // A named cascade (models/NAME/cascade.json) before the built-in loader, which knows single models and ensembles.
                if (FindNamedCascade(spec) is { } cascadeFile) return LoadNamedCascade(cascadeFile);
                // Not a backend scheme (a Windows drive letter or a plain name/path): the built-in loader decides.
                return Scorer.Load(spec);
        }
    }

    /// <summary>File name of a named cascade: <c>models/NAME/cascade.json</c>, e.g. the shipped <c>warden-cascade</c>.</summary>
    public const string CascadeFileName = "cascade.json";

    /// <summary>The cascade.json a spec names (a model name, a folder holding one, or the file itself), or null.</summary>
    private static string? FindNamedCascade(string spec)
    {
        if (spec.Contains('+')) return null;
        if (File.Exists(spec)) return Path.GetFileName(spec) == CascadeFileName ? Path.GetFullPath(spec) : null;
        if (Directory.Exists(spec) && File.Exists(Path.Combine(spec, CascadeFileName))) return Path.GetFullPath(Path.Combine(spec, CascadeFileName));
        return Scorer.ModelDirectories().Select(models => Path.Combine(models, spec, CascadeFileName)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// A cascade described by a file, <c>{"fast": SPEC, "slow": SPEC, "bands": FILE}</c>, the bands file relative to it:
    /// the same scorer as <c>cascade:FAST+SLOW|bands=FILE</c>, under one name.
    /// </summary>
    private static CascadeScorer LoadNamedCascade(string file)
    {
        System.Text.Json.Nodes.JsonObject json;
        try
        {
            json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(file))?.AsObject() ?? throw new UsageException($"{file}: not a JSON object");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new UsageException($"{file}: {e.Message}");
        }
        string Field(string name) => json[name]?.GetValue<string>() is { Length: > 0 } value
            ? value : throw new UsageException($"{file}: \"{name}\" is missing (expected {{\"fast\": SPEC, \"slow\": SPEC, \"bands\": FILE}})");
        var (fastSpec, slowSpec) = (Field("fast"), Field("slow"));
        var bandsPath = Path.Combine(Path.GetDirectoryName(file)!, Field("bands"));
        if (!File.Exists(bandsPath)) throw new UsageException($"{file}: bands file {bandsPath} not found");
        return NewCascade(fastSpec, slowSpec, CascadeBands.Load(bandsPath));
    }

    /// <summary>A cascade of two resolved specs that reports slow-backend failures on stderr and keeps the fast scores.</summary>
    private static CascadeScorer NewCascade(string fastSpec, string slowSpec, CascadeBands bands) =>
        new(ResolveScorer(fastSpec), ResolveScorer(slowSpec), bands)
        {
            OnSlowFailure = e => Console.Error.WriteLine($"warden: slow backend failed, keeping fast scores: {e.Message}"),
        };

    private static CascadeScorer ResolveCascade(string rest, string spec)
    {
        CascadeBands? bands = null;
        var bar = rest.LastIndexOf("|bands=", StringComparison.Ordinal);
        if (bar >= 0)
        {
            bands = CascadeBands.Load(rest[(bar + "|bands=".Length)..]);
            rest = rest[..bar];
        }
        var plus = rest.IndexOf('+');
        if (plus <= 0 || plus == rest.Length - 1) throw new UsageException($"'{spec}': expected cascade:FAST+SLOW_SPEC[|bands=FILE]");
        if (bands is null)
        {
            bands = CascadeBands.Uniform(0.2f, 0.8f);
            Console.Error.WriteLine("warden: cascade without |bands=FILE: escalating scores in [0.2, 0.8) for every attribute; fit bands with `warden cascade fit-bands`");
        }
        return NewCascade(rest[..plus], rest[(plus + 1)..], bands);
    }

    /// <summary>Splits <c>URL#model?key=value&amp;...</c>.</summary>
    private static (JudgeEndpoint Endpoint, Dictionary<string, string> Query) Endpoint(string rest, string scheme)
    {
        var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var hash = rest.IndexOf('#');
        var question = hash >= 0 ? rest.IndexOf('?', hash) : -1;
        if (question >= 0)
        {
            foreach (var pair in rest[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                query[kv[0]] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "true";
            }
            rest = rest[..question];
        }
        try
        {
            return (JudgeEndpoint.Parse(rest), query);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{scheme}: {e.Message}");
        }
    }

    private static ChatRole Role(Dictionary<string, string> query) =>
        !query.TryGetValue("role", out var role) ? ChatRole.User : role.ToLowerInvariant() switch
        {
            "user" => ChatRole.User,
            "agent" or "assistant" => ChatRole.Agent,
            _ => throw new UsageException($"role must be user or agent, not '{role}'"),
        };

    /// <summary><c>warden cascade fit-bands --model FAST --dataset NAME [--split validation] [--target 0.95] --output FILE</c></summary>
    public static Command CreateCascadeCommand()
    {
        var model = new Option<string>("--model", "-m") { Description = "the fast scorer", DefaultValueFactory = _ => Scorer.DefaultModel };
        var datasets = new Option<string[]>("--dataset", "-d") { Description = "labelled dataset(s) to fit on", Required = true, AllowMultipleArgumentsPerToken = true };
        var split = new Option<string>("--split") { Description = "split to fit on (never test)", DefaultValueFactory = _ => "validation" };
        var target = new Option<double>("--target") { Description = "precision (above the band) and NPV (below it) the fast scorer must reach", DefaultValueFactory = _ => CascadeBands.DefaultTarget };
        var output = new Option<string>("--output", "-o") { Description = "bands file to write", Required = true };
        var fit = new Command("fit-bands", "Fit the per-attribute uncertainty bands of a cascade on validation data") { model, datasets, split, target, output };
        fit.SetAction(parse => ExitCodes.Guard(() => FitBands(
            parse.GetValue(model)!, parse.GetValue(datasets)!, parse.GetValue(split)!, parse.GetValue(target), parse.GetValue(output)!)));
        return new Command("cascade", "Cascade of a fast scorer and a slow backend") { fit };
    }

    private static int FitBands(string modelSpec, string[] datasetNames, string splitName, double target, string output)
    {
        var split = EvalCommand.ParseSplit(splitName);
        if (split == Split.Test) throw new UsageException("fit bands on validation (or train) data, never on the test split");
        var scorer = ResolveScorer(modelSpec);
        var registry = DatasetRegistry.CreateDefault();
        var records = datasetNames.SelectMany(d => registry.Load(d, split)).ToList();
        if (records.Count == 0) throw new UsageException("no records to fit on");
        var scores = scorer.ScoreBatch(records.Select(r => r.Text).ToArray()).Select(r => (IReadOnlyList<float>)r.Scores).ToList();
        var bands = CascadeBands.Fit(scores, records.Select(r => r.Labels).ToList(), target);
        bands.Save(output);
        var escalated = scores.Count(bands.ShouldEscalate);
        Console.WriteLine(bands);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{records.Count} texts; {escalated} ({100.0 * escalated / records.Count:0.0}%) would escalate; written to {output}"));
        return ExitCodes.Success;
    }
}
