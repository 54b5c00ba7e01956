namespace Warden.Scoring.Fast;

/// <summary>A model's calibrations: the global one per attribute, and per language where validation data allowed one.</summary>
public sealed class CalibrationTable
{
    private readonly Calibration[] _global;
    private readonly Dictionary<string, Calibration[]> _perLanguage;

    public CalibrationTable(FastModelMetadata metadata)
    {
        _global = [.. metadata.Calibrations];
        _perLanguage = metadata.LanguageCalibrations.ToDictionary(
            kv => kv.Key,
            kv => kv.Value.Select((c, a) => c ?? _global[a]).ToArray());
    }

    /// <summary>The calibration set of a (detected) language: its own where there is one, the global one otherwise.</summary>
    public IReadOnlyList<Calibration> For(string language) =>
        _perLanguage.TryGetValue(BaseLanguage(language), out var own) ? own : _global;

    /// <summary>Calibration is per base language: romanised Hindi ("hi-Latn") shares Hindi's.</summary>
    public static string BaseLanguage(string language)
    {
        var dash = language.IndexOf('-');
        return dash < 0 ? language : language[..dash];
    }
}
