using System.Text.Json;
using Warden.Core;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Datasets.Adapters;

/// <summary>Gao and Huang 2017: Fox News comments, hateful or not (mapping: docs/label-mapping.md).</summary>
public sealed class FoxNewsAdapter : DatasetAdapter
{
    public override DatasetInfo Info { get; } = new(
        "fox_news_hate_comments",
        "English Fox News comments: hateful (demeaning a person or group by identity) or not",
        ["en"], "MIT (README)", DatasetUse.Train, [Toxicity, IdentityAttack],
        "no official split: hash 80/10/10 on the line number (the file has no ids)");

    protected override IEnumerable<LabeledText> Read(LoadContext context)
    {
        foreach (var (line, json) in JsonLines.Read(context, "fox-news-comments.json"))
        {
            if (!json.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String
                || !json.TryGetProperty("label", out var label) || !label.TryGetInt32(out var value) || value is not (0 or 1))
            {
                context.Skip("fox-news-comments.json", line, "missing text or label");
                continue;
            }
            var id = line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // The annotation guideline defines "hateful" as demeaning or threatening by identity: hate speech. The
            // "user" field (commenter names) is not used. "Not hateful" rules out identity attack only.
            yield return context.Record(id, text.GetString()!, "en", LabelSets.HateSpeech(value == 1), context.HashSplit(id));
        }
    }
}
