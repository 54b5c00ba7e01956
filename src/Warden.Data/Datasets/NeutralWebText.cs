using Warden.Core;

namespace Warden.Data.Datasets;

/// <summary>
/// Ordinary web sentences in 75 languages (lingua_langid_sentences, from the Leipzig Wortschatz corpora), used as
/// non-toxic training texts. Several languages have labelled data of one class only (the harmful prompts of
/// XSafety and MultiJail) or from one narrow source (GermEval's political tweets), which teaches a bag of n-grams
/// that the language's everyday words are themselves harmful; everyday sentences in every language counter that.
/// Every fifth line (1st, 6th, ...) of each language is held out as <see cref="Split.Test"/> to measure how often
/// ordinary text is flagged (`warden eval neutral`); the rest are training rows. None are validation rows: a one-class
/// set has nothing to validate, and validation rows would shift the pooled calibration.
/// </summary>
public static class NeutralWebText
{
    public const string DatasetName = "lingua_neutral";
    public const string SourceDataset = "lingua_langid_sentences";

    /// <summary>One line in this many is held out for testing.</summary>
    public const int HoldOutEvery = 5;

    /// <summary>Training lines of a language with the usual 1,000 lines; smaller languages are repeated up to it.</summary>
    public const int TypicalTrainingLines = 800;

    /// <summary>What <see cref="LoadHeldOut"/> returns, as reports name it.</summary>
    public const string HeldOutSource = SourceDataset + " (held-out lines)";

    /// <summary>The held-out lines only: what `warden eval neutral` and the model card score.</summary>
    public static IReadOnlyList<LabeledText> LoadHeldOut(string datasetsRoot) => [.. Load(datasetsRoot).Where(r => r.Split == Split.Test)];

    public static IReadOnlyList<LabeledText> Load(string datasetsRoot)
    {
        var directory = Path.Combine(datasetsRoot, SourceDataset, "sentences");
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"neutral web sentences not found: {directory}");
        var records = new List<LabeledText>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.txt").Order(StringComparer.Ordinal))
        {
            var language = Path.GetFileNameWithoutExtension(file);
            // Split on '\n' only: a few files hold U+0085 inside lines.
            var lines = File.ReadAllText(file).Split('\n');
            var rows = new List<LabeledText>();
            for (var i = 0; i < lines.Length; i++)
            {
                var text = lines[i].Trim();
                if (text.Length == 0) continue;
                var labels = new AttributeLabels()
                    .Set(HarmAttribute.Toxicity, 0f).Set(HarmAttribute.IdentityAttack, 0f).Set(HarmAttribute.Insult, 0f)
                    .Set(HarmAttribute.Profanity, 0f).Set(HarmAttribute.Threat, 0f);
                rows.Add(new LabeledText(DatasetName, $"{language}:{i + 1}", text, language, labels, i % HoldOutEvery == 0 ? Split.Test : Split.Train));
            }
            records.AddRange(rows);
            // A language with fewer lines (Japanese 412, Chinese 729) has its training lines repeated up to the others'
            // weight: with 329 lines against 25,000 Chinese training texts that share its Han characters, a third of
            // everyday Japanese sentences were flagged.
            var train = rows.Where(r => r.Split == Split.Train).ToList();
            var copies = train.Count == 0 ? 1 : (TypicalTrainingLines + train.Count - 1) / train.Count;
            for (var k = 1; k < copies; k++) records.AddRange(train.Select(r => r with { Id = $"{r.Id}#{k}" }));
        }
        return records;
    }
}
