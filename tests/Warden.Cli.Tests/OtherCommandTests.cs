using System.Text;
using System.Text.Json;

namespace Warden.Cli.Tests;

public sealed class EvalCommandTests : IDisposable
{
    private readonly WardenProcess _warden = new();

    public void Dispose() => _warden.Dispose();

    private static readonly (string Lang, string Text, int Label)[] Labelled =
    [
        ("en", "you are a fucking idiot", 1), ("en", "shut up you stupid moron", 1), ("en", "you are a worthless piece of shit", 1),
        ("en", "what a pathetic loser you are, idiot", 1), ("en", "fuck you, you dumb bitch", 1), ("en", "you stupid idiot, nobody likes you", 1),
        ("en", "go to hell you disgusting asshole", 1), ("en", "you are an idiot and a moron", 1), ("en", "stupid bitch, shut your mouth", 1),
        ("en", "you are such a fucking moron", 1), ("en", "idiot. you are a complete idiot", 1), ("en", "screw you, asshole", 1),
        ("en", "thank you for your help", 0), ("en", "the weather is lovely today", 0), ("en", "i enjoyed the concert last night", 0),
        ("en", "could you send me the report by friday", 0), ("en", "have a wonderful weekend with your family", 0), ("en", "the library opens at nine", 0),
        ("en", "congratulations on your new job", 0), ("en", "we are meeting for coffee tomorrow", 0), ("en", "this recipe is delicious, thanks for sharing", 0),
        ("en", "the train was on time this morning", 0), ("en", "happy birthday, my friend", 0), ("en", "i love walking in the park", 0),
        ("de", "du bist ein verdammter idiot", 1), ("de", "halt die fresse du dummes arschloch", 1), ("de", "du bist so ein dummer wichser", 1),
        ("de", "verpiss dich, du scheiß idiot", 1), ("de", "du blöde kuh, halt dein maul", 1),
        ("de", "vielen dank für deine hilfe", 0), ("de", "das wetter ist heute sehr schön", 0), ("de", "wir treffen uns morgen zum kaffee", 0),
        ("de", "ich wünsche dir ein schönes wochenende", 0), ("de", "das konzert gestern war wunderbar", 0),
        ("es", "eres un idiota de mierda", 1), ("es", "cállate, pendejo estúpido", 1), ("es", "vete a la mierda, imbécil", 1),
        ("es", "eres una puta estúpida", 1), ("es", "qué pedazo de idiota eres", 1),
        ("es", "muchas gracias por tu ayuda", 0), ("es", "hoy hace un día precioso", 0), ("es", "nos vemos mañana en la biblioteca", 0),
        ("es", "feliz cumpleaños, amigo mío", 0), ("es", "la comida estaba deliciosa", 0),
        ("fr", "ferme ta gueule, connard", 1), ("fr", "t'es vraiment un gros con", 1), ("fr", "va te faire foutre, salope", 1),
        ("fr", "espèce d'idiot, tu es nul", 1), ("fr", "putain de connard de merde", 1),
        ("fr", "merci beaucoup pour ton aide", 0), ("fr", "il fait très beau aujourd'hui", 0), ("fr", "on se voit demain au café", 0),
        ("fr", "bon anniversaire mon ami", 0), ("fr", "le concert était magnifique", 0),
    ];

    private string WriteLabelled()
    {
        var sb = new StringBuilder();
        var i = 0;
        foreach (var (lang, text, label) in Labelled)
            sb.Append(JsonSerializer.Serialize(new Dictionary<string, object> { ["id"] = i++, ["text"] = text, ["label"] = label, ["lang"] = lang })).Append('\n');
        return _warden.Write("labelled.jsonl", sb.ToString());
    }

    [Fact]
    public void Labelled_file_is_large_and_balanced_enough()
    {
        Assert.True(Labelled.Count(l => l.Label == 1) >= 20);
        Assert.True(Labelled.Count(l => l.Label == 0) >= 20);
        Assert.True(Labelled.Select(l => l.Lang).Distinct().Count() >= 3);
    }

    [Fact]
    public void Eval_classifier_json_report_on_a_labelled_file()
    {
        var input = WriteLabelled();
        var r = _warden.Run("eval", "classifier", "--input", input, "--label-field", "label", "--language-field", "lang",
            "--format", "json", "--bootstrap", "50");
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        var overall = root.GetProperty("overall");
        Assert.Equal(Labelled.Length, overall.GetProperty("n").GetInt32());
        Assert.Equal(Labelled.Count(l => l.Label == 1), overall.GetProperty("positives").GetInt32());
        var macroF1 = overall.GetProperty("metrics").GetProperty("macro_f1");
        Assert.True(macroF1.GetProperty("value").GetDouble() >= 0.7, $"macro-F1 {macroF1}");
        var ci = macroF1.GetProperty("ci95").EnumerateArray().ToList();
        Assert.Equal(2, ci.Count);
        Assert.Equal(50, root.GetProperty("bootstrap").GetProperty("resamples").GetInt32());

        var languages = root.GetProperty("by_language").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!);
        Assert.Superset(new HashSet<string> { "en", "de", "es", "fr" }, languages.Keys.ToHashSet());
        Assert.Equal(Labelled.Count(l => l.Lang == "en"), languages["en"].GetProperty("n").GetInt32());
        Assert.False(languages["en"].GetProperty("too_few").GetBoolean());
        Assert.True(languages["de"].GetProperty("too_few").GetBoolean()); // 10 < the minimum group size
    }

    [Fact]
    public void Eval_classifier_markdown_report()
    {
        var input = WriteLabelled();
        var r = _warden.Run("eval", "classifier", "--input", input, "--label-field", "label", "--language-field", "lang",
            "--format", "md", "--bootstrap", "50");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.StdoutLines;
        Assert.Contains(lines, l => l.StartsWith('|') && l.Contains("macro-F1"));
        Assert.Contains(lines, l => l.StartsWith("| ---") || l.StartsWith("|---") || l.StartsWith("| :--") || System.Text.RegularExpressions.Regex.IsMatch(l, @"^\|\s*:?-{3,}"));
        Assert.Contains(lines, l => l.StartsWith('|') && l.Contains(" en "));
    }

    [Fact]
    public void Eval_classifier_input_without_label_field_is_bad_usage()
    {
        var input = WriteLabelled();
        var r = _warden.Run("eval", "classifier", "--input", input, "--format", "json");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("--label-field", r.Stderr);
    }

    [Fact]
    public void Eval_neutral_prints_the_flag_rate_per_language()
    {
        var r = _warden.Run("eval", "neutral");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("harmless texts", r.Stdout);
        Assert.Contains("| language | texts | flagged | rate |", r.Stdout);
        Assert.Contains(r.StdoutLines, l => l.StartsWith("| ja |"));
        Assert.Equal(75, r.StdoutLines.Count(l => l.StartsWith("| ") && !l.StartsWith("| language") && !l.StartsWith("| ---")));
    }

    [Fact]
    public void Eval_functional_prints_the_category_table()
    {
        var r = _warden.Run("eval", "functional");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("| category | cases | passed | pass rate |", r.Stdout);
        foreach (var category in new[] { "benign", "explicit", "negation", "obfuscation", "counter_speech", "identity_mentions", "implicit_hate", "quoted_slurs" })
            Assert.Contains(r.StdoutLines, l => l.StartsWith($"| {category} |"));
    }
}

public sealed class DatasetsAndBenchCommandTests : IDisposable
{
    private readonly WardenProcess _warden = new();

    public void Dispose() => _warden.Dispose();

    [Fact]
    public void Datasets_root_is_found_next_to_the_repository()
    {
        Assert.True(WardenProcess.DatasetsRoot is not null, "../shared/datasets not found above " + AppContext.BaseDirectory);
        Assert.True(Directory.Exists(Path.Combine(WardenProcess.DatasetsRoot!, "olid")));
    }

    [Fact]
    public void Datasets_list_names_the_registered_datasets()
    {
        var r = _warden.Run("datasets", "list");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("olid", r.Stdout);
        Assert.Contains("germeval2018", r.Stdout);
    }

    [Fact]
    public void Datasets_show_prints_counts()
    {
        var r = _warden.Run("datasets", "show", "olid");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.StartsWith("olid:", r.Stdout.TrimStart());
        var records = r.StdoutLines.Single(l => l.TrimStart().StartsWith("records:"));
        Assert.Matches(@"records: [\d,]+ \(train [\d,]+, validation [\d,]+, test [\d,]+\)", records);
        var total = long.Parse(System.Text.RegularExpressions.Regex.Match(records, @"records: ([\d,]+)").Groups[1].Value.Replace(",", ""));
        Assert.True(total > 1000, records);
        Assert.Contains(r.StdoutLines, l => l.TrimStart().StartsWith("toxicity"));
    }

    [Fact]
    public async Task Serve_takes_any_model_spec_a_named_cascade_included()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        using var server = _warden.Start("serve", "--urls", $"http://127.0.0.1:{port}", "--model", "warden-cascade");
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            string? health = null;
            for (var attempt = 0; attempt < 240 && health is null && !server.HasExited; attempt++)
            {
                try { health = await http.GetStringAsync($"http://127.0.0.1:{port}/healthz"); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { await Task.Delay(250); }
            }
            Assert.True(health is not null, "the server did not answer /healthz");
            var model = JsonDocument.Parse(health!).RootElement.GetProperty("model").GetString()!;
            Assert.StartsWith("cascade(warden-fast@", model);
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public void Datasets_export_writes_the_mapped_records_of_a_split()
    {
        var path = Path.Combine(Path.GetTempPath(), $"warden-export-{Guid.NewGuid():N}.jsonl");
        try
        {
            var r = _warden.Run("datasets", "export", "olid", "--split", "test", "-o", path);
            Assert.True(r.ExitCode == 0, r.ToString());
            var lines = File.ReadAllLines(path);
            Assert.Contains($"exported {lines.Length:N0} records of olid (test)", r.Stderr);
            var show = _warden.Run("datasets", "show", "olid");
            Assert.Contains($"test {lines.Length:N0}", show.Stdout);
            var records = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
            Assert.All(records, e =>
            {
                Assert.Equal("olid", e.GetProperty("dataset").GetString());
                Assert.Equal("test", e.GetProperty("split").GetString());
                Assert.Equal("en", e.GetProperty("language").GetString());
                Assert.False(string.IsNullOrEmpty(e.GetProperty("text").GetString()));
            });
            // OLID annotates toxicity (offensive or not); an attribute it does not annotate is absent, not 0.
            var toxic = records.Count(e => e.GetProperty("labels").TryGetProperty("toxicity", out var v) && v.GetSingle() == 1f);
            Assert.InRange(toxic, 1, records.Count - 1);
            Assert.All(records, e => Assert.False(e.GetProperty("labels").TryGetProperty("self_harm", out _)));
            Assert.False(File.Exists(path + ".tmp"));
            Assert.Equal(1, _warden.Run("datasets", "export", "no_such_dataset").ExitCode);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("toxicity")]
    [InlineData("hostility")]
    public void Train_rejects_a_toxicity_stacking_attribute_it_cannot_stack(string attribute)
    {
        var r = _warden.Run("train", "fast", "--toxicity-stacking", attribute, "-o", _warden.PathOf("never.bin"), "--no-card");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains($"--toxicity-stacking: expected attributes other than toxicity (or none), got '{attribute}'", r.Stderr);
        Assert.False(File.Exists(_warden.PathOf("never.bin")));
    }

    [Theory]
    [InlineData("--length-correction-for", "threat=-1", "--length-correction-for: expected attribute=share with a share of 0 or more, got 'threat=-1'")]
    [InlineData("--length-correction-for", "hostility=1", "--length-correction-for: expected attribute=share with a share of 0 or more, got 'hostility=1'")]
    [InlineData("--dataset-weight", "olid", "--dataset-weight: expected dataset=weight with a weight of 0 or more, got 'olid'")]
    [InlineData("--dataset-weight", "=2", "--dataset-weight: expected dataset=weight with a weight of 0 or more, got '=2'")]
    public void Train_rejects_a_bad_key_value_pair_naming_the_option_and_the_pair(string option, string pair, string message)
    {
        var r = _warden.Run("train", "fast", option, pair, "-o", _warden.PathOf("never.bin"), "--no-card");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains(message, r.Stderr);
        Assert.False(File.Exists(_warden.PathOf("never.bin")));
    }

    [Fact]
    public void Datasets_show_unknown_name_is_bad_usage()
    {
        var r = _warden.Run("datasets", "show", "no_such_dataset");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("no_such_dataset", r.Stderr);
    }

    [Fact]
    public void Bench_prints_a_markdown_table()
    {
        var r = _warden.Run("bench", "--texts", "2000", "--warmup-seconds", "0");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("| texts | threads | texts/s | mean µs/text | p50 µs | p99 µs |", r.Stdout);
        Assert.Equal(4, r.StdoutLines.Count(l => l.StartsWith("| short") || l.StartsWith("| long")));
        Assert.Contains(r.StdoutLines, l => l.StartsWith("model: "));
    }

    [Fact]
    public void Bench_with_too_few_texts_is_bad_usage()
    {
        var r = _warden.Run("bench", "--texts", "10", "--warmup-seconds", "0");
        Assert.True(r.ExitCode == 1, r.ToString());
    }

    [Fact]
    public void Unknown_command_is_bad_usage()
    {
        var r = _warden.Run("frobnicate");
        Assert.True(r.ExitCode == 1, r.ToString());
    }
}
