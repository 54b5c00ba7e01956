using System.Globalization;

namespace Warden.Eval.Classifier;

/// <summary>A metric's point estimate with its 95% bootstrap interval (NaN where undefined or not computed).</summary>
public readonly record struct MetricValue(double Value, Interval Ci95)
{
    public bool IsDefined => !double.IsNaN(Value);

    /// <summary>"0.912 [0.900, 0.925]", "0.912" without a CI, "n/a" when undefined.</summary>
    public string Format(int decimals = 3)
    {
        if (!IsDefined) return "n/a";
        var value = FormatNumber(Value, decimals);
        return Ci95.IsDefined
            ? $"{value} [{FormatNumber(Ci95.Low, decimals)}, {FormatNumber(Ci95.High, decimals)}]"
            : value;
    }

    public static string FormatNumber(double value, int decimals = 3) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    public override string ToString() => Format();
}

/// <summary>One row of a metrics table.</summary>
public sealed record MetricRow(Metric Metric, MetricValue Value)
{
    public string Name => Metric.WireName();
    public string DisplayName => Metric.DisplayName();
}

/// <summary>Metrics of one slice of the data: everything, one language or one target group.</summary>
public sealed record GroupReport
{
    public required string Name { get; init; }
    public required int Count { get; init; }
    public required int Positives { get; init; }

    /// <summary>Fewer than the minimum group size: counts only, no metrics.</summary>
    public bool TooFew { get; init; }

    /// <summary>Point metrics at the report threshold (null when <see cref="TooFew"/>).</summary>
    public BinaryMetrics? Metrics { get; init; }

    /// <summary>Every <see cref="Metric"/> in order with value and CI; empty when <see cref="TooFew"/>.</summary>
    public IReadOnlyList<MetricRow> Rows { get; init; } = [];

    /// <summary>Null when too few, or when not searched for this slice.</summary>
    public BestThresholds? BestThresholds { get; init; }

    public MetricValue this[Metric metric] =>
        Rows.Count > 0 ? Rows[(int)metric].Value : new MetricValue(double.NaN, Interval.None);
}

/// <summary>The result of <see cref="ClassifierEvaluator.Evaluate(IReadOnlyList{EvalExample}, EvalOptions)"/>.</summary>
public sealed record ClassifierReport
{
    /// <summary>What was scored, e.g. "toxicity" or "max(toxicity,insult)".</summary>
    public string Score { get; init; } = "score";

    /// <summary>The attribute the labels are for, when known.</summary>
    public string? Label { get; init; }

    public string? Model { get; init; }
    public string? Dataset { get; init; }

    /// <summary>Records left out because the label attribute was not annotated.</summary>
    public int SkippedUnlabeled { get; init; }

    public required double Threshold { get; init; }
    public required int BootstrapResamples { get; init; }
    public required int Seed { get; init; }
    public required int MinGroupSize { get; init; }
    public required LanguageSource LanguageSource { get; init; }

    public required GroupReport Overall { get; init; }

    /// <summary>Per language, ordered by language code (ordinal).</summary>
    public required IReadOnlyList<GroupReport> ByLanguage { get; init; }

    /// <summary>Per target group (examples without one are only in overall and per-language), ordered by name.</summary>
    public required IReadOnlyList<GroupReport> ByGroup { get; init; }
}
