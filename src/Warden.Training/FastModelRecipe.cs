using Warden.Text.LanguageId;
using Warden.Training.Synthetic;
using Warden.Core;
using Warden.Data.Datasets;
using Warden.Scoring.Fast;
using Warden.Scoring.Neural;

namespace Warden.Training;

/// <summary>The training data of the default fast model, as loaded from the registry.</summary>
public sealed record TrainingCorpus(IReadOnlyList<LabeledText> Train, IReadOnlyList<LabeledText> Validation, LoadReport Report);

/// <summary>
/// How the shipped default model is made: every dataset the registry marks <see cref="DatasetUse.Train"/>
/// (never the non-commercial or GPL sets), the LDNOOBW lexicon, and <see cref="FastTrainer"/> with a fixed seed.
/// <c>warden train</c> runs exactly this.
/// </summary>
public static class FastModelRecipe
{
    public const string LexiconDataset = "ldnoobw";

    public static TrainingCorpus LoadCorpus(DatasetRegistry registry, TextWriter log)
    {
        var report = new LoadReport();
        var train = registry.LoadAll(Split.Train, info => info.Use == DatasetUse.Train, report).ToList();
        var validation = registry.LoadAll(Split.Validation, info => info.Use == DatasetUse.Train, report).ToList();
        var synthetic = IdentityMentions.Generate();
        train.AddRange(synthetic.Where(r => r.Split == Split.Train));
        validation.AddRange(synthetic.Where(r => r.Split == Split.Validation));
        log.WriteLine($"corpus: {train.Count:N0} training and {validation.Count:N0} validation texts from {train.Select(t => t.Dataset).Distinct().Count()} datasets");
        return new TrainingCorpus(train, validation, report);
    }

    /// <summary>All LDNOOBW words and phrases of every language, lower-cased, in a stable order.</summary>
    public static IReadOnlyList<string> LoadProfanityLexicon(DatasetRegistry registry)
    {
        var directory = Path.Combine(registry.Root, LexiconDataset);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"profanity lexicon not found: {directory}");
        return Directory.EnumerateFiles(directory, "*.txt")
            .Order(StringComparer.Ordinal)
            .SelectMany(File.ReadLines)
            .Select(l => l.Trim().ToLowerInvariant())
            .Where(l => l.Length > 1)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    public static NeuralModel TrainNeural(DatasetRegistry registry, NeuralTrainerOptions options, TextWriter log)
    {
        var corpus = LoadCorpus(registry, log);
        var lexicon = LoadProfanityLexicon(registry);
        return new NeuralTrainer().Train(corpus.Train, corpus.Validation, lexicon, options, LanguageIdentifier.LoadDefault(), log);
    }

    public static FastModel Train(DatasetRegistry registry, FastTrainerOptions options, TextWriter log)
    {
        var corpus = LoadCorpus(registry, log);
        var lexicon = LoadProfanityLexicon(registry);
        return new FastTrainer().Train(corpus.Train, corpus.Validation, lexicon, options, LanguageIdentifier.LoadDefault(), log);
    }
}
