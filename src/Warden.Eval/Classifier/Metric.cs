namespace Warden.Eval.Classifier;

/// <summary>The metrics that get a value and a bootstrap CI. The order is the row order of every report.</summary>
public enum Metric
{
    Accuracy,
    Precision,
    Recall,
    F1,
    F1Negative,
    MacroF1,
    Auroc,
    Auprc,
    Ece,
    Brier,
}

public static class Metrics
{
    public const int Count = 10;

    /// <summary>All metrics in report order.</summary>
    public static readonly Metric[] All = Enum.GetValues<Metric>();

    private static readonly string[] WireNames =
        ["accuracy", "precision", "recall", "f1", "f1_negative", "macro_f1", "auroc", "auprc", "ece", "brier"];

    private static readonly string[] DisplayNames =
        ["accuracy", "precision", "recall", "F1", "F1 (neg)", "macro-F1", "AUROC", "AUPRC", "ECE", "Brier"];

    /// <summary>The snake_case key used in JSON; part of the output format, never rename.</summary>
    public static string WireName(this Metric metric) => WireNames[(int)metric];

    /// <summary>A short human label for tables.</summary>
    public static string DisplayName(this Metric metric) => DisplayNames[(int)metric];

    /// <summary>True for metrics that depend on the decision threshold (the confusion-matrix ones).</summary>
    public static bool DependsOnThreshold(this Metric metric) => metric <= Metric.MacroF1;

    /// <summary>True where a lower value is better (ECE and Brier are errors).</summary>
    public static bool LowerIsBetter(this Metric metric) => metric is Metric.Ece or Metric.Brier;
}
