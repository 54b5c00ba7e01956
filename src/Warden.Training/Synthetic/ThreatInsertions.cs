using System.Text.Json;
using Warden.Core;
using Warden.Data.Datasets;

namespace Warden.Training.Synthetic;

/// <summary>
/// Everyday sentences with an announced act of violence put in ("The bus was late again, I'm going to stab him!"), as
/// threatening training texts in every language of threat_terms.json, each paired with the same sentence alone as a
/// harmless text. The threat is an intent word and a violent verb of the lists ("ich werde" + "abstechen") or a word that
/// fuses both ("öldüreceğim"), so what the pair teaches is the intent + violence conjunction, which carries to
/// combinations no training text shows. Only training lines of the everyday sentences are used.
/// </summary>
public static class ThreatInsertions
{
    public const string DatasetName = "warden_threat_insertions";

    /// <summary>Sentences per language.</summary>
    public const int PerLanguage = 30;

    public static IReadOnlyList<LabeledText> Generate(IReadOnlyList<LabeledText> neutral) =>
        LexiconInsertions.PhrasePairs(DatasetName, ThreatsByLanguage(), neutral, PerLanguage, '!',
            () => new AttributeLabels().Set(HarmAttribute.Toxicity, 1f).Set(HarmAttribute.Threat, 1f).Set(HarmAttribute.IdentityAttack, 0f),
            LexiconInsertions.Harmless);

    /// <summary>
    /// Per language, the fused words and intent + violence pairs of threat_terms.json, whole words only (a stem is often
    /// no word), interleaved so that both kinds are used; the pairs walk both lists at different strides.
    /// </summary>
    internal static Dictionary<string, List<string>> ThreatsByLanguage()
    {
        using var document = TrainingResources.Load("threat_terms.json");
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var language in document.RootElement.GetProperty("languages").EnumerateObject())
        {
            List<string> Words(string list) => language.Value.TryGetProperty(list, out var entries) && entries.ValueKind == JsonValueKind.Array
                ? [.. entries.EnumerateArray().Select(e => e.GetString()?.Trim() ?? "").Where(e => e.Length > 1 && !e.EndsWith('*'))]
                : [];
            var fused = Words("fused");
            var intent = Words("intent");
            var violence = Words("violence");
            var pairs = intent.Count == 0 || violence.Count == 0 ? []
                : Enumerable.Range(0, PerLanguage).Select(k => $"{intent[k % intent.Count]} {violence[k * 7 % violence.Count]}").ToList();
            var phrases = new List<string>();
            for (var k = 0; k < PerLanguage; k++)
            {
                var source = k % 2 == 0 && fused.Count > 0 || pairs.Count == 0 ? fused : pairs;
                if (source.Count > 0) phrases.Add(source[k / 2 % source.Count]);
            }
            result[language.Name] = phrases;
        }
        return result;
    }
}
