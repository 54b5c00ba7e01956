namespace Warden.Eval.Classifier;

/// <summary>One scored, labelled example.</summary>
/// <param name="Id">identifier for tracing back to the source record</param>
/// <param name="Score">the model's probability in [0, 1]</param>
/// <param name="Label">1/0, or a soft label in [0, 1] (binarised at ≥ 0.5 by every metric)</param>
/// <param name="Language">language the dataset gives</param>
/// <param name="Group">target group where the dataset says, else null (then only in overall and per-language)</param>
/// <param name="DetectedLanguage">language the scorer detected, when known</param>
public sealed record EvalExample(
    string Id,
    double Score,
    double Label,
    string Language,
    string? Group = null,
    string? DetectedLanguage = null);

/// <summary>Which language an example is grouped under.</summary>
public enum LanguageSource
{
    /// <summary>The dataset's language (<see cref="EvalExample.Language"/>).</summary>
    Dataset,

    /// <summary>The scorer's detected language (<see cref="EvalExample.DetectedLanguage"/>, "und" when missing).</summary>
    Detected,
}

/// <summary>What happens to a language or target group with fewer than <see cref="EvalOptions.MinGroupSize"/> examples.</summary>
public enum SmallGroupPolicy
{
    /// <summary>Listed with its counts and <see cref="GroupReport.TooFew"/> set, but no metrics.</summary>
    Flag,

    /// <summary>Left out of the report.</summary>
    Skip,
}

public sealed record EvalOptions
{
    public static readonly EvalOptions Default = new();

    /// <summary>Decision threshold: an example is flagged when its score is ≥ this.</summary>
    public double Threshold { get; init; } = 0.5;

    /// <summary>Bootstrap resamples for the 95% CIs; 0 turns CIs off.</summary>
    public int BootstrapResamples { get; init; } = Bootstrap.DefaultResamples;

    /// <summary>Seed of the bootstrap: the same seed gives byte-identical reports.</summary>
    public int Seed { get; init; } = Bootstrap.DefaultSeed;

    /// <summary>Languages and target groups with fewer examples get no metrics (too noisy to read).</summary>
    public int MinGroupSize { get; init; } = 20;

    public SmallGroupPolicy SmallGroups { get; init; } = SmallGroupPolicy.Flag;

    public LanguageSource LanguageSource { get; init; } = LanguageSource.Dataset;

    /// <summary>Also search the best thresholds of each language and group, not just overall.</summary>
    public bool BestThresholdsPerGroup { get; init; } = true;

    /// <summary>-1: all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    public void Validate()
    {
        if (!(Threshold >= 0 && Threshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "threshold must be in [0, 1]");
        ArgumentOutOfRangeException.ThrowIfNegative(BootstrapResamples);
        ArgumentOutOfRangeException.ThrowIfNegative(MinGroupSize);
        if (MaxDegreeOfParallelism is 0 or < -1)
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "-1 or a positive count");
    }
}
