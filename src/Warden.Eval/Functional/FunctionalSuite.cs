using System.Reflection;
using System.Text.Json;
using Warden.Core;

namespace Warden.Eval.Functional;

/// <summary>
/// One hand-written case: a text and whether a good scorer flags it. With <paramref name="Attribute"/>, only that
/// attribute's flag counts ("expect toxic, attribute self_harm" passes only when self_harm itself is flagged, not when
/// the text is flagged as a threat instead).
/// </summary>
public sealed record FunctionalCase(string Category, string Text, string Language, bool ExpectFlagged, HarmAttribute? Attribute = null);

public sealed record FunctionalOutcome(FunctionalCase Case, bool Flagged, float MaxScore, HarmAttribute TopAttribute)
{
    public bool Passed => Flagged == Case.ExpectFlagged;
}

public sealed record CategoryResult(string Category, string Language, int Cases, int Passed)
{
    public double PassRate => Cases == 0 ? double.NaN : Passed / (double)Cases;
}

public sealed record FunctionalReport(IReadOnlyList<FunctionalOutcome> Outcomes)
{
    public IReadOnlyList<CategoryResult> ByCategory => [.. Outcomes.GroupBy(o => o.Case.Category).OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new CategoryResult(g.Key, "all", g.Count(), g.Count(o => o.Passed)))];

    public IReadOnlyList<CategoryResult> ByCategoryAndLanguage => [.. Outcomes
        .GroupBy(o => (o.Case.Category, o.Case.Language))
        .OrderBy(g => g.Key.Category, StringComparer.Ordinal).ThenBy(g => g.Key.Language, StringComparer.Ordinal)
        .Select(g => new CategoryResult(g.Key.Category, g.Key.Language, g.Count(), g.Count(o => o.Passed)))];

    public string ToMarkdown(bool includeFailures = true)
    {
        var lines = new List<string> { "| category | cases | passed | pass rate | languages (passed/cases) |", "| --- | ---: | ---: | ---: | --- |" };
        foreach (var c in ByCategory)
        {
            var languages = string.Join(", ", ByCategoryAndLanguage.Where(l => l.Category == c.Category).Select(l => $"{l.Language} {l.Passed}/{l.Cases}"));
            lines.Add($"| {c.Category} | {c.Cases} | {c.Passed} | {c.PassRate:P0} | {languages} |");
        }
        lines.Add("");
        lines.Add("| language | cases | passed | harmful flagged | harmless not flagged |");
        lines.Add("| --- | ---: | ---: | ---: | ---: |");
        foreach (var language in Outcomes.GroupBy(o => o.Case.Language).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var harmful = language.Where(o => o.Case.ExpectFlagged).ToList();
            var harmless = language.Where(o => !o.Case.ExpectFlagged).ToList();
            lines.Add($"| {language.Key} | {language.Count()} | {language.Count(o => o.Passed)} | {harmful.Count(o => o.Passed)}/{harmful.Count} | {harmless.Count(o => o.Passed)}/{harmless.Count} |");
        }
        var failures = Outcomes.Where(o => !o.Passed).ToList();
        if (failures.Count > 0 && includeFailures)
        {
            lines.Add("");
            lines.Add("Failures:");
            lines.Add("");
            foreach (var f in failures)
                lines.Add($"- [{f.Case.Category}/{f.Case.Language}] expected {(f.Case.ExpectFlagged ? "flagged" : "not flagged")}{(f.Case.Attribute is { } a ? $" on {a.WireName()}" : "")}, max {f.TopAttribute.WireName()} {f.MaxScore:0.00}: {f.Case.Text}");
        }
        return string.Join('\n', lines);
    }
}

/// <summary>
/// The functional test suites (negation, counter-speech, quoted slurs, identity mentions, implicit hate,
/// obfuscation, explicit and benign texts in several languages), shipped inside this assembly. They test
/// behaviours the public test splits do not isolate; a case passes when the scorer's flag matches the expectation.
/// </summary>
public static class FunctionalSuites
{
    /// <summary>The suite used during development: failures were looked at while building the models.</summary>
    public const string Main = "main";

    /// <summary>
    /// A second suite, written independently of the training templates and lexicons and not looked at case by case
    /// while tuning, so it measures how far the fixes found on <see cref="Main"/> generalise.
    /// </summary>
    public const string Holdout = "holdout";

    /// <summary>
    /// A held-out suite per language for 53 languages without labelled training data (Afrikaans to Zulu), ten
    /// cases each: five harmful (two explicit, a threat, group hate, an obfuscated insult) and five harmless (a negated
    /// insult, counter-speech, a group mention, violent words used harmlessly, an everyday message). Written, like
    /// <see cref="Holdout"/>, by helpers that never saw the training templates or lexicons; read as totals. The last seven
    /// languages (Hausa to Nepali) were measured before their training resources were written.
    /// </summary>
    public const string Languages = "languages";

    /// <summary>
    /// A held-out suite of 745 harmless everyday messages, 30 in most of 25 languages (chat lines, short posts, reviews,
    /// support requests, comments; a third of them five words or fewer), about half of them hard cases: words that also
    /// occur in insults or violence ("stupid me", "I hate Mondays", "the show was da bomb"), illness and family, group
    /// mentions, criticism and complaints without insults. Every case expects no flag, so the pass rate is one minus the
    /// false-positive rate on short everyday text, which the web sentences of `warden eval neutral` do not cover.
    /// Written by helpers that never saw the training data; read as totals.
    /// </summary>
    public const string Everyday = "everyday";

    /// <summary>
    /// 624 harmless sentences about real animals, pests, parasites, plagues, farms and kitchens, 16 in each of 39
    /// languages ("ugh, cockroaches in the kitchen again", the exterminator, the vet found worms, the Black Death, pigs
    /// on a farm, "Observant Muslims and Jews don't eat pork"): words that occur almost only in hate speech in the
    /// labelled sets. Written by a helper as training texts in the fifteenth round, measured there and not trained on
    /// (docs/models.md); every case expects no flag. Read as totals.
    /// </summary>
    public const string Literal = "literal";

    /// <summary>
    /// 264 casual messages in 22 languages with one letter stretched by repetition, six abusive and six harmless per
    /// language ("you are such an idiooooot", "eres un imbéciiiiil" against "noooo way, that's amaaaazing", "ich freu
    /// mich soooo"). Written in the fifteenth round by a helper that saw neither the lexicons nor the other suites, to
    /// check the stretched-letter look-ups on text they were not built from. Read as totals.
    /// </summary>
    public const string Stretched = "stretched";

    public static IReadOnlyList<string> EmbeddedSuites => [Main, Holdout, Languages, Everyday, Literal, Stretched];

    /// <summary>An embedded suite by name, or every *.jsonl file (one category each) in a folder, or one .jsonl file.</summary>
    public static IReadOnlyList<FunctionalCase> Load(string suite)
    {
        if (EmbeddedSuites.Contains(suite)) return LoadEmbedded(suite);
        if (Directory.Exists(suite))
            return [.. Directory.EnumerateFiles(suite, "*.jsonl").Order(StringComparer.Ordinal).SelectMany(LoadFile)];
        if (File.Exists(suite)) return LoadFile(suite);
        throw new FileNotFoundException($"no functional suite '{suite}': use {string.Join(", ", EmbeddedSuites)}, a folder of .jsonl files or a .jsonl file");
    }

    private static List<FunctionalCase> LoadFile(string path)
    {
        using var reader = new StreamReader(path);
        return [.. Parse(Path.GetFileNameWithoutExtension(path), reader)];
    }

    public static IReadOnlyList<FunctionalCase> LoadEmbedded(string suite = Main)
    {
        var prefix = suite == Main ? "functional/" : $"functional-{suite}/";
        var assembly = typeof(FunctionalSuites).Assembly;
        var cases = new List<FunctionalCase>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            cases.AddRange(Parse(Path.GetFileNameWithoutExtension(name), new StreamReader(stream)));
        }
        return cases;
    }

    public static IEnumerable<FunctionalCase> Parse(string category, TextReader reader)
    {
        var line = 0;
        while (reader.ReadLine() is { } raw)
        {
            line++;
            if (string.IsNullOrWhiteSpace(raw)) continue;
            using var doc = JsonDocument.Parse(raw);
            var root = doc.RootElement;
            var expect = root.GetProperty("expect").GetString();
            if (expect is not ("toxic" or "ok")) throw new InvalidDataException($"{category} line {line}: expect must be 'toxic' or 'ok'");
            HarmAttribute? attribute = null;
            if (root.TryGetProperty("attribute", out var attributeElement))
            {
                if (!HarmAttributes.TryParse(attributeElement.GetString() ?? "", out var parsed))
                    throw new InvalidDataException($"{category} line {line}: unknown attribute '{attributeElement}'");
                attribute = parsed;
            }
            yield return new FunctionalCase(category, root.GetProperty("text").GetString()!, root.GetProperty("language").GetString()!, expect == "toxic", attribute);
        }
    }

    public static FunctionalReport Run(IScorer scorer, IReadOnlyList<FunctionalCase>? cases = null)
    {
        cases ??= LoadEmbedded();
        var results = scorer.ScoreBatch([.. cases.Select(c => c.Text)]);
        var outcomes = new List<FunctionalOutcome>(cases.Count);
        for (var i = 0; i < cases.Count; i++)
        {
            var r = results[i];
            var top = 0;
            for (var a = 1; a < HarmAttributes.Count; a++)
                if (r.Scores[a] / Math.Max(scorer.Thresholds[a], 1e-6f) > r.Scores[top] / Math.Max(scorer.Thresholds[top], 1e-6f)) top = a;
            var flagged = cases[i].Attribute is { } attribute ? scorer.IsFlagged(r, attribute) : scorer.IsFlagged(r);
            outcomes.Add(new FunctionalOutcome(cases[i], flagged, r.Scores[top], (HarmAttribute)top));
        }
        return new FunctionalReport(outcomes);
    }
}
