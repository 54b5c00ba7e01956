using Warden.Core;
using Warden.Scoring.Fast;
using Warden.Scoring.Neural;
using Warden.Text.LanguageId;

namespace Warden.Scoring;

/// <summary>
/// The one-line entry point: <c>Scorer.LoadDefault().Score("text")</c>. Models are found by name under
/// <c>models/NAME/</c> next to the application (they are copied into every build output) or in a
/// <c>models</c> folder above the current directory; a path to a model file works too.
/// </summary>
public static class Scorer
{
    public const string DefaultModel = "warden-fast";
    public const string ModelFileName = "model.bin";

    private static readonly Lazy<IScorer> Default = new(() => Load(DefaultModel));

    /// <summary>The shared default scorer (loaded once per process; thread-safe).</summary>
    public static IScorer LoadDefault() => Default.Value;

    /// <summary>
    /// Loads a model by name (e.g. "warden-fast") or by path to a model file or folder; "a+b" loads an
    /// <see cref="EnsembleScorer"/> of the named models with equal weights, "a*2+b" with weights 2 and 1.
    /// </summary>
    public static IScorer Load(string nameOrPath)
    {
        if (nameOrPath.Contains('+') && !File.Exists(nameOrPath))
        {
            var members = nameOrPath.Split('+', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Weighted).ToList();
            return new EnsembleScorer([.. members.Select(m => Load(m.Name))], [.. members.Select(m => m.Weight)]);
        }
        var path = ResolveModelPath(nameOrPath);
        return NeuralModel.IsNeuralModelFile(path)
            ? new NeuralScorer(NeuralModel.Load(path), LanguageIdentifier.LoadDefault())
            : new FastScorer(FastModel.Load(path), LanguageIdentifier.LoadDefault());
    }

    /// <summary>"name*2.5" → (name, 2.5); a name without a weight, or one that is an existing file, weighs 1.</summary>
    private static (string Name, float Weight) Weighted(string member)
    {
        var star = member.LastIndexOf('*');
        if (star <= 0 || File.Exists(member)) return (member, 1f);
        if (!float.TryParse(member[(star + 1)..], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var weight)
            || !(weight > 0) || float.IsInfinity(weight))
            throw new ArgumentException($"ensemble member '{member}': the weight after '*' must be a positive number, as in warden-fast*2+warden-neural");
        return (member[..star].Trim(), weight);
    }

    public static string ResolveModelPath(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        if (Directory.Exists(nameOrPath) && File.Exists(Path.Combine(nameOrPath, ModelFileName)))
            return Path.GetFullPath(Path.Combine(nameOrPath, ModelFileName));
        foreach (var models in ModelDirectories())
        {
            var candidate = Path.Combine(models, nameOrPath, ModelFileName);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException(
            $"model '{nameOrPath}' not found: not a file, and no models/{nameOrPath}/{ModelFileName} next to the application or above {Environment.CurrentDirectory}");
    }

    /// <summary>Candidate <c>models</c> folders, nearest first.</summary>
    public static IEnumerable<string> ModelDirectories()
    {
        var env = Environment.GetEnvironmentVariable("WARDEN_MODELS");
        if (!string.IsNullOrEmpty(env)) yield return env;
        // The working tree first, so a freshly trained models/ wins over the copy in the build output.
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var models = Path.Combine(dir.FullName, "models");
                if (Directory.Exists(models)) yield return models;
            }
        }
    }
}
