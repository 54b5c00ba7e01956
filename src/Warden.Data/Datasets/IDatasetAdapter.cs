using Warden.Core;

namespace Warden.Data.Datasets;

/// <summary>What a dataset may be used for, from its licence and its nature.</summary>
public enum DatasetUse
{
    /// <summary>Labelled data the shipped default model may be trained on.</summary>
    Train,
    /// <summary>Labelled data whose licence forbids training the commercial default model (non-commercial, GPL): out-of-domain tests only.</summary>
    TestOnly,
    /// <summary>Prompt sets and benchmarks for evaluating LLMs, never scorer training data.</summary>
    Eval,
    /// <summary>Word lists (profanity, gendered nouns).</summary>
    Lexicon,
    /// <summary>Sentences per language for the language identifier.</summary>
    LanguageId,
}

public sealed record DatasetInfo(
    string Name,
    string Description,
    IReadOnlyList<string> Languages,
    string Licence,
    DatasetUse Use,
    /// <summary>Attributes this dataset annotates (all others are masked).</summary>
    IReadOnlyList<HarmAttribute> Attributes,
    /// <summary>How the train/validation/test split is made (official split, or the deterministic hash split).</summary>
    string SplitNote);

/// <summary>Reads one dataset folder of ../shared/datasets into <see cref="LabeledText"/> records.</summary>
public interface IDatasetAdapter
{
    DatasetInfo Info { get; }

    /// <summary>Streams the records of the dataset stored in <paramref name="datasetDirectory"/>. Deterministic: same order every time.</summary>
    IEnumerable<LabeledText> Load(string datasetDirectory);
}
