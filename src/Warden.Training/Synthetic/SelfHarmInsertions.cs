using Warden.Core;
using Warden.Data.Datasets;

namespace Warden.Training.Synthetic;

/// <summary>
/// Everyday sentences with a self-harm phrase of the harm lexicon put in ("I'm so tired of this week, I want to die."),
/// as self_harm training texts in every language of the lexicon, each beside the same sentence without the phrase. The
/// only real self_harm labels are English (per-user Reddit labels, a few prompt categories) and the hand-written pairs
/// cover 32 languages, so in the other 39 the lexicon's self-harm feature was all a text had, and it weighed too little to
/// flag anything. Like <see cref="LexiconInsertions"/>, each pair differs only by the phrase, so what it teaches is the
/// phrase, not the language. toxicity and threat stay unannotated: telling someone to kill themselves is toxic, saying one wants to
/// die is not, and the lexicon holds both. Only training lines of the everyday sentences are used.
/// </summary>
public static class SelfHarmInsertions
{
    public const string DatasetName = "warden_self_harm_insertions";

    /// <summary>Sentences per language.</summary>
    public const int PerLanguage = 24;

    public static IReadOnlyList<LabeledText> Generate(IReadOnlyList<LabeledText> neutral) =>
        LexiconInsertions.PhrasePairs(DatasetName, PhrasesByLanguage(), neutral, PerLanguage, '.',
            () => new AttributeLabels().Set(HarmAttribute.SelfHarm, 1f), () => LexiconInsertions.Harmless().Set(HarmAttribute.SelfHarm, 0f));

    /// <summary>The self_harm entries of each language: whole words and phrases, never bare stems ("selbstmord*").</summary>
    internal static Dictionary<string, List<string>> PhrasesByLanguage() =>
        LexiconInsertions.EntriesByLanguage("self_harm").ToDictionary(p => p.Key, p => p.Value.Where(e => !e.EndsWith('*')).ToList(), StringComparer.Ordinal);
}
