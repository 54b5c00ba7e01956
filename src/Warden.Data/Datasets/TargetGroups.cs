namespace Warden.Data.Datasets;

/// <summary>
/// One vocabulary for <see cref="Warden.Core.LabeledText.TargetGroup"/> across datasets: lower-case plural group
/// names ("women", "muslims", "lgbtq"), so per-group metrics line up. Unknown names are lower-cased with
/// spaces as underscores; "individual", "other", "none" and the like are not groups and give null.
/// </summary>
public static class TargetGroups
{
    private static readonly Dictionary<string, string?> Map = new(StringComparer.OrdinalIgnoreCase)
    {
        // not a group
        ["individual"] = null, ["other"] = null, ["none"] = null, ["others"] = null, ["all"] = null, [""] = null,
        // gender
        ["woman"] = "women", ["women"] = "women", ["female"] = "women", ["females"] = "women", ["misogyny"] = "women",
        ["american_actresses"] = "women", ["man"] = "men", ["men"] = "men", ["male"] = "men", ["american_actors"] = "men",
        // sexual orientation and gender identity
        ["gay"] = "lgbtq", ["lesbian"] = "lgbtq", ["bisexual"] = "lgbtq", ["trans"] = "lgbtq", ["transgender"] = "lgbtq",
        ["lgbt"] = "lgbtq", ["lgbtq"] = "lgbtq", ["lgbtq+"] = "lgbtq", ["homophobia"] = "lgbtq", ["queer"] = "lgbtq",
        // race, ethnicity, origin
        ["black"] = "black", ["african_descent"] = "black", ["african_americans"] = "black", ["african-american"] = "black",
        ["asian"] = "asians", ["asians"] = "asians", ["asian_americans"] = "asians",
        ["chinese"] = "chinese",
        ["latino"] = "latinos", ["latinos"] = "latinos", ["latinx"] = "latinos", ["hispanic"] = "latinos", ["hispanics"] = "latinos",
        ["hispanic_and_latino_americans"] = "latinos",
        ["mexican"] = "mexicans", ["mexicans"] = "mexicans",
        ["white"] = "white", ["european_americans"] = "white",
        ["native_american"] = "native_americans", ["native_americans"] = "native_americans", ["indigenous"] = "native_americans",
        ["middle_east"] = "middle_eastern", ["arab"] = "arabs", ["arabs"] = "arabs",
        ["indian/hindu"] = "indians", ["indian"] = "indians",
        ["immigrant"] = "immigrants", ["immigrants"] = "immigrants", ["refugees"] = "refugees", ["xenophobia"] = "foreigners",
        ["racism"] = "ethnic_minorities",
        // religion
        ["muslim"] = "muslims", ["muslims"] = "muslims", ["islam"] = "muslims",
        ["jewish"] = "jews", ["jews"] = "jews", ["judaism"] = "jews",
        ["christian"] = "christians", ["christians"] = "christians", ["christianity"] = "christians",
        ["hinduism"] = "hindus", ["buddhism"] = "buddhists", ["sikhism"] = "sikhs", ["atheism"] = "atheists",
        // disability
        ["mental_disability"] = "disabled", ["physical_disability"] = "disabled", ["special_needs"] = "disabled", ["disability"] = "disabled",
        // politics (not a protected identity, kept because the data names it)
        ["left_wing_people"] = "left_wing",
    };

    /// <summary>The normalised group name, or null when <paramref name="raw"/> names no group.</summary>
    public static string? Normalize(string? raw)
    {
        if (raw is null) return null;
        var key = raw.Trim();
        if (Map.TryGetValue(key, out var mapped)) return mapped;
        key = key.Replace(' ', '_');
        if (Map.TryGetValue(key, out mapped)) return mapped;
        return key.ToLowerInvariant();
    }
}
