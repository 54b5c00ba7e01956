using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>Reddit C-SSRS: r/SuicideWatch users with a psychiatrist-rated risk level (mapping: docs/label-mapping.md).</summary>
public sealed class RedditCssrsAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "reddit_cssrs_suicide",
        "English Reddit posts of 500 users with a per-user Columbia suicide-severity level (weak per-post labels)",
        ["en"], "CC BY (Zenodo metadata; version not seen)", DatasetUse.Train, [SelfHarm],
        "hash 80/10/10 on the user, so all posts of one user share a split");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var row in context.ReadTable("500_Reddit_users_posts_labels.csv"))
        {
            var user = row["User"].Trim();
            var selfHarm = Map(row["Label"]);
            if (selfHarm is null)
            {
                context.Skip(row.File, row.Line, $"unknown label '{row["Label"]}'");
                continue;
            }
            var posts = PythonLiterals.ParseStringList(row["Post"]);
            if (float.IsNaN(selfHarm.Value))
            {
                for (var i = 0; i < posts.Count; i++) context.Unmapped();
                continue;
            }
            var split = context.HashSplit(user);
            for (var i = 0; i < posts.Count; i++)
                yield return context.Record($"{user}:{i}", posts[i], "en", new AttributeLabels().Set(SelfHarm, selfHarm.Value), split);
        }
    }

    /// <summary>
    /// The label is the user's, not the post's: a user at risk also writes posts without self-harm content. So the
    /// labels are soft and only where the level is clear: Ideation 0.6, Behavior 0.7, Attempt 0.7 (high risk);
    /// Supportive (users who only support others) 0.1, a weak negative; Indicator (at-risk language without
    /// ideation) is too ambiguous and left out (NaN).
    /// </summary>
    internal static float? Map(string label) => label.Trim() switch
    {
        "Supportive" => 0.1f,
        "Indicator" => float.NaN,
        "Ideation" => 0.6f,
        "Behavior" => 0.7f,
        "Attempt" => 0.7f,
        _ => null,
    };
}
