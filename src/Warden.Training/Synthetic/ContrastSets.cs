using System.Text.Json;
using Warden.Core;
using Warden.Data.Datasets;

namespace Warden.Training.Synthetic;

/// <summary>
/// Minimal contrast sets in 69 languages, generated from hand-written templates (contrast_templates.json, part
/// of Warden): direct insults beside their negations, group hate beside counter-speech that restates and condemns
/// it, reported insults, and supportive sentences with the words hate usually carries. A bag of n-grams cannot
/// parse "not" or a quotation; shown such pairs, it learns which n-grams (negators, "is a lie", "he called me")
/// cancel the harmful ones. Written without looking at the functional test suites, which measure the effect.
/// </summary>
public static class ContrastSets
{
    public const string DatasetName = "warden_contrast";

    /// <summary>
    /// The group-hate sentences as their own (one-class) set, when asked for. Off by default: a one-class set shares the
    /// common intercept while the benign group sentences keep the contrast set's own, and that asymmetry teaches the
    /// group words themselves to look hateful (docs/models.md).
    /// </summary>
    public const string HateDatasetName = "warden_contrast_hate";

    /// <summary>
    /// The veiled-threat pairs (tenth round) as a set of their own, so their weight can be set apart from the other
    /// contrast sets (<see cref="RecipeOptions.VeiledThreatWeight"/>).
    /// </summary>
    public const string VeiledDatasetName = "warden_contrast_veiled";

    /// <summary>
    /// The implicit-hate pairs as a set of their own, when asked for, so their weight can be set apart
    /// (<see cref="RecipeOptions.ImplicitHateWeight"/>).
    /// </summary>
    public const string ImplicitDatasetName = "warden_contrast_implicit";

    /// <summary>
    /// The self-harm pairs (twenty-fifth round) as a set of their own, with its own intercept and weight
    /// (<see cref="RecipeOptions.SelfHarmWeight"/>).
    /// </summary>
    public const string SelfHarmDatasetName = "warden_contrast_self_harm";

    private static readonly HashSet<string> ImplicitCategories = new(StringComparer.Ordinal) { "implicit_group_hate", "group_neutral" };

    /// <summary>The categories that go into <see cref="VeiledDatasetName"/> rather than <see cref="DatasetName"/>.</summary>
    private static readonly HashSet<string> VeiledCategories = new(StringComparer.Ordinal) { "veiled_threat", "violent_everyday", "negated_threat" };

    /// <summary>Groups filled into each group template: a few, rotating, so group templates do not outweigh the rest.</summary>
    public const int GroupsPerTemplate = 3;

    private static readonly (string Category, bool Toxic, HarmAttribute? Kind)[] Categories =
    [
        ("direct_insult", true, HarmAttribute.Insult),
        ("negated_insult", false, null),
        ("group_hate", true, HarmAttribute.IdentityAttack),
        ("counter_speech", false, null),
        ("reported_insult", false, null),
        ("supportive", false, null),
        // Hate without abusive words beside benign sentences of the same shapes about the same groups; threats and
        // calls to violence beside violent vocabulary used harmlessly (idioms, sport, news).
        ("implicit_group_hate", true, HarmAttribute.IdentityAttack),
        ("group_neutral", false, null),
        ("threat", true, HarmAttribute.Threat),
        ("violent_benign", false, null),
        // Insults wrapped in pleasantries beside civil criticism wrapped in the same pleasantries: the harmless polite
        // prompts of XSafety taught that "thank you" and "have a nice day" outweigh "you idiot" (ninth round).
        ("polite_insult", true, HarmAttribute.Insult),
        ("polite_criticism", false, null),
        // Veiled and conditional threats without violent words ("it would be a shame if something happened to your
        // shop") beside more violent words used harmlessly (cooking, sport, work, news) and negated threats and
        // reassurances ("I would never hurt you"), 12 each in the same 32 languages (tenth round).
        ("veiled_threat", true, HarmAttribute.Threat),
        ("violent_everyday", false, null),
        ("negated_threat", false, null),
        // Talk about abuse that abuses no one: moderators' notices, reports, requests to stop, policy questions and
        // apologies ("Please keep it civil, personal attacks will be removed"), 12 per language in the same 32
        // languages (tenth round; off by default, RecipeOptions.DefaultContrastExclude).
        ("moderation_talk", false, null),
        // Hatred, disgust and contempt said of a group ("I hate {g}", "{g} are disgusting", "{g} make me sick") beside
        // the same words aimed at things and situations, or at the mistreatment of a group ("I hate Mondays", "It
        // disgusts me that {g} still face discrimination"), 12 each in the same 32 languages (eleventh round).
        ("group_contempt", true, HarmAttribute.IdentityAttack),
        ("contempt_everyday", false, null),
        // Hate against groups as comment sections and social media write it, mostly without swear words, beside harmless
        // comments on the same topics and groups (policy debate, news, neighbours, solidarity), 24 each in 24 languages
        // without labelled hate speech of their own (twenty-first round).
        ("group_hate_comment", true, HarmAttribute.IdentityAttack),
        ("group_topic_comment", false, null),
        // Calls for violence against groups, public figures and unnamed people, approval and glorification of violence
        // that happened, and readiness to use it, as comment sections write them, beside the same topics and words in
        // harmless use (news and court reports, condemnation, solidarity, history, fiction, policy debate), 24 each in
        // the 32 languages with polite pairs (twenty-second round; off by default, RecipeOptions.DefaultContrastExclude).
        // The threat templates above are mostly threats to the addressee; German calls to violence scored threat at
        // chance (germeval2026_violence AUROC 0.464).
        ("violence_call", true, HarmAttribute.Threat),
        ("violence_news", false, null),
        // The writer calling themselves an insult in an everyday mishap ("What an idiot I am, I left my keys in the car
        // again."), alone or between ordinary sentences, 16 in each of the 32 languages with polite pairs (twenty-second
        // round; off by default, RecipeOptions.DefaultContrastExclude): since a sentence keeps its own score,
        // self-deprecation in a longer message was flagged more often.
        ("self_deprecation", false, null),
        // First-person suicidal ideation, self-injury and eating-disorder intent (self_harm; toxicity unannotated), telling
        // someone to kill or hurt themselves (self_harm and toxic), beside the same words harmlessly: the language's own
        // hyperboles ("this exam is killing me"), prevention and support messages, news and medicine, literal cuts,
        // fasting and diets. 20, 8 and 28 in each of the 32 languages with polite pairs (twenty-fifth round). The only
        // other self_harm labels are English (per-user Reddit labels, a few prompt categories).
        ("self_harm_statement", false, HarmAttribute.SelfHarm),
        ("self_harm_encouragement", true, HarmAttribute.SelfHarm),
        ("self_harm_benign", false, null),
    ];

    /// <summary>The categories that annotate self_harm; the others leave it to the implied negatives.</summary>
    private static readonly HashSet<string> SelfHarmCategories = new(StringComparer.Ordinal) { "self_harm_statement", "self_harm_encouragement", "self_harm_benign" };

    /// <summary>All template categories, for ablations (<c>--contrast-exclude</c>).</summary>
    public static IReadOnlyList<string> CategoryNames => [.. Categories.Select(c => c.Category)];

    /// <summary>The languages with contrast templates.</summary>
    public static IReadOnlySet<string> Languages()
    {
        using var document = TrainingResources.Load("contrast_templates.json");
        return document.RootElement.GetProperty("languages").EnumerateObject().Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
    }

    public static IReadOnlyList<LabeledText> Generate(bool splitGroupHate = false, IReadOnlyCollection<string>? excludeCategories = null, bool splitImplicit = false)
    {
        using var document = TrainingResources.Load("contrast_templates.json");
        var records = new List<LabeledText>();
        foreach (var language in document.RootElement.GetProperty("languages").EnumerateObject())
        {
            var groups = language.Value.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!).ToList();
            foreach (var (category, toxic, kind) in Categories)
            {
                if (excludeCategories?.Contains(category) == true) continue;
                if (!language.Value.TryGetProperty(category, out var templates)) continue;
                var index = 0;
                foreach (var element in templates.EnumerateArray())
                {
                    var template = element.GetString()!;
                    var t = index++;
                    List<string?> fills = template.Contains("{g}", StringComparison.Ordinal)
                        ? [.. Enumerable.Range(0, Math.Min(GroupsPerTemplate, groups.Count)).Select(k => groups[(t * GroupsPerTemplate + k) % groups.Count])]
                        : [null];
                    foreach (var group in fills)
                    {
                        var text = group is null ? template : template.Replace("{g}", group, StringComparison.Ordinal);
                        if (text.Length > 0) text = char.ToUpper(text[0]) + text[1..];
                        // One split per template, so no template reaches validation with another group filled in.
                        var templateId = $"{language.Name}:{category}:{t}";
                        var labels = new AttributeLabels();
                        if (category != "self_harm_statement") labels.Set(HarmAttribute.Toxicity, toxic ? 1f : 0f);
                        // Self-harm says nothing about threats either way ("I'm going to kill myself" shares its words with
                        // one): left unannotated, it cost threats in languages without labelled data when taught as 0.
                        if (kind != HarmAttribute.SelfHarm) labels.Set(HarmAttribute.Threat, kind == HarmAttribute.Threat ? 1f : 0f);
                        // A threat against a group may or may not be an identity attack: left unannotated.
                        if (!(kind == HarmAttribute.Threat && group is not null))
                            labels.Set(HarmAttribute.IdentityAttack, kind == HarmAttribute.IdentityAttack ? 1f : 0f);
                        if (SelfHarmCategories.Contains(category)) labels.Set(HarmAttribute.SelfHarm, kind == HarmAttribute.SelfHarm ? 1f : 0f);
                        // Group hate may or may not insult; that attribute stays unannotated (masked) for it.
                        if (kind == HarmAttribute.Insult || !toxic) labels.Set(HarmAttribute.Insult, toxic ? 1f : 0f);
                        var dataset = splitGroupHate && category == "group_hate" ? HateDatasetName
                            : VeiledCategories.Contains(category) ? VeiledDatasetName
                            : SelfHarmCategories.Contains(category) ? SelfHarmDatasetName
                            : splitImplicit && ImplicitCategories.Contains(category) ? ImplicitDatasetName : DatasetName;
                        records.Add(new LabeledText(dataset, $"{templateId}:{group}", text, language.Name, labels,
                            DeterministicSplit.Assign(DatasetName, templateId), group?.ToLowerInvariant()));
                    }
                }
            }
        }
        return records;
    }
}
