using Warden.Core;

namespace Warden.Eval.Classifier;

/// <summary>Examples scored for one label attribute, with what was left out.</summary>
/// <param name="SkippedUnlabeled">records whose label for <paramref name="LabelAttribute"/> is NaN (not annotated)</param>
public sealed record EvalExampleSet(
    IReadOnlyList<EvalExample> Examples,
    HarmAttribute LabelAttribute,
    ScoreSelector Score,
    string ModelName,
    int SkippedUnlabeled);

/// <summary>Runs an <see cref="IScorer"/> over labelled records to produce <see cref="EvalExample"/>s.</summary>
public static class EvalExampleBuilder
{
    public const int DefaultBatchSize = 1024;

    /// <summary>
    /// Scores every record annotated for <paramref name="label"/> (records where it is NaN are skipped and
    /// counted: a dataset that does not annotate an attribute says nothing about it). Batches of
    /// <paramref name="batchSize"/> go through ScoreBatch in parallel; the output keeps the input order.
    /// Ids are "dataset/id" so that records of several datasets stay distinct.
    /// </summary>
    /// <param name="score">the score compared with the label; default: the label's own attribute</param>
    public static EvalExampleSet Score(
        IScorer scorer,
        IReadOnlyList<LabeledText> records,
        HarmAttribute label,
        ScoreSelector? score = null,
        int batchSize = DefaultBatchSize,
        int maxDegreeOfParallelism = -1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        score ??= ScoreSelector.Single(label);

        var labelled = new List<LabeledText>(records.Count);
        foreach (var r in records)
            if (r.Labels.IsAnnotated(label)) labelled.Add(r);

        var examples = new EvalExample[labelled.Count];
        var batches = (labelled.Count + batchSize - 1) / batchSize;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = maxDegreeOfParallelism,
            CancellationToken = cancellationToken,
        };
        Parallel.For(0, batches, parallel, b =>
        {
            var start = b * batchSize;
            var count = Math.Min(batchSize, labelled.Count - start);
            var texts = new string[count];
            for (var i = 0; i < count; i++) texts[i] = labelled[start + i].Text;
            var results = scorer.ScoreBatch(texts);
            if (results.Count != count)
                throw new InvalidOperationException($"{scorer.ModelName} returned {results.Count} results for {count} texts");
            for (var i = 0; i < count; i++)
            {
                var r = labelled[start + i];
                examples[start + i] = new EvalExample(
                    $"{r.Dataset}/{r.Id}", score.Select(results[i]), r.Labels[label], r.Language,
                    r.TargetGroup, results[i].Language);
            }
        });
        return new EvalExampleSet(examples, label, score, scorer.ModelName, records.Count - labelled.Count);
    }
}
