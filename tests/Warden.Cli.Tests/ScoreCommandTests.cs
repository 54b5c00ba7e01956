using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Warden.Cli.Tests;

public sealed class ScoreCommandTests : IDisposable
{
    private static readonly string[] ScoreKeys =
        ["toxicity", "severe_toxicity", "identity_attack", "insult", "profanity", "threat", "sexually_explicit", "self_harm"];

    private readonly WardenProcess _warden = new();

    public void Dispose() => _warden.Dispose();

    private static List<JsonElement> ParseLines(IEnumerable<string> lines) =>
        [.. lines.Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    private static List<JsonElement> ReadJsonl(string path) => ParseLines(File.ReadAllLines(path));

    private static void AssertScoreObject(JsonElement o)
    {
        Assert.True(o.TryGetProperty("language", out var language) && language.ValueKind == JsonValueKind.String, o.ToString());
        var scores = o.GetProperty("scores");
        Assert.Equal(ScoreKeys.Order(), scores.EnumerateObject().Select(p => p.Name).Order());
        foreach (var p in scores.EnumerateObject()) Assert.InRange(p.Value.GetDouble(), 0, 1);
        Assert.True(o.GetProperty("flagged").ValueKind is JsonValueKind.True or JsonValueKind.False);
    }

    [Fact]
    public void Named_cascades_load_from_a_cascade_file()
    {
        // The shipped one, by name.
        var shipped = _warden.Run("score", "you are an idiot", "-m", "warden-cascade", "--format", "jsonl");
        Assert.True(shipped.ExitCode == 0, shipped.ToString());
        AssertScoreObject(JsonDocument.Parse(shipped.StdoutLines[0]).RootElement);
        Assert.True(JsonDocument.Parse(shipped.StdoutLines[0]).RootElement.GetProperty("flagged").GetBoolean());

        var dir = Path.Combine(Path.GetTempPath(), $"warden-cascade-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            // A band over every toxicity score sends every text to the slow member, whose toxicity the cascade then reports.
            File.WriteAllText(Path.Combine(dir, "cascade.json"), """{"fast": "warden-fast", "slow": "warden-neural", "bands": "all.json"}""");
            File.WriteAllText(Path.Combine(dir, "all.json"), """{"toxicity": {"low": 0, "high": 1.0001}}""");
            const string text = "the weather was lovely but the idiot next door kept shouting";
            double Toxicity(WardenResult r)
            {
                Assert.True(r.ExitCode == 0, r.ToString());
                return JsonDocument.Parse(r.StdoutLines[0]).RootElement.GetProperty("scores").GetProperty("toxicity").GetDouble();
            }
            var cascade = Toxicity(_warden.Run("score", text, "-m", dir, "--format", "jsonl"));
            Assert.Equal(Toxicity(_warden.Run("score", text, "-m", "warden-neural", "--format", "jsonl")), cascade, 3);
            Assert.NotEqual(Toxicity(_warden.Run("score", text, "-m", "warden-fast", "--format", "jsonl")), cascade, 3);

            File.WriteAllText(Path.Combine(dir, "cascade.json"), """{"fast": "warden-fast", "slow": "warden-neural", "bands": "missing.json"}""");
            var missing = _warden.Run("score", "x", "-m", Path.Combine(dir, "cascade.json"));
            Assert.Equal(1, missing.ExitCode);
            Assert.Contains("bands file", missing.Stderr);
            File.WriteAllText(Path.Combine(dir, "cascade.json"), """{"fast": "warden-fast"}""");
            var incomplete = _warden.Run("score", "x", "-m", dir);
            Assert.Equal(1, incomplete.ExitCode);
            Assert.Contains("\"slow\" is missing", incomplete.Stderr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Score_one_text_as_jsonl()
    {
        var r = _warden.Run("score", "you are an idiot", "--format", "jsonl");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.StdoutLines;
        Assert.Single(lines);
        var o = JsonDocument.Parse(lines[0]).RootElement;
        Assert.Equal(0, o.GetProperty("id").GetInt64());
        Assert.Equal("you are an idiot", o.GetProperty("text").GetString());
        Assert.Equal("en", o.GetProperty("language").GetString());
        AssertScoreObject(o);
        Assert.True(o.GetProperty("flagged").GetBoolean());
        Assert.True(o.GetProperty("scores").GetProperty("toxicity").GetDouble() >= 0.5);
        Assert.False(o.TryGetProperty("spans", out _));
    }

    [Fact]
    public void A_text_that_starts_with_an_at_sign_is_a_text_not_a_response_file()
    {
        var r = _warden.Run("score", "@john you are an idiot", "@mary thanks for the info", "--format", "jsonl");
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = ParseLines(r.StdoutLines).ToList();
        Assert.Equal(["@john you are an idiot", "@mary thanks for the info"], lines.Select(o => o.GetProperty("text").GetString()));
        Assert.True(lines[0].GetProperty("flagged").GetBoolean());
        Assert.False(lines[1].GetProperty("flagged").GetBoolean());
    }

    [Fact]
    public void Language_option_names_the_language_of_every_text_and_rejects_what_is_not_a_tag()
    {
        var detected = _warden.Run("score", "I want to die.", "Das Haus ist sehr schön.", "--format", "jsonl", "--quiet");
        Assert.True(detected.ExitCode == 0, detected.ToString());
        Assert.Equal("de", ParseLines(detected.StdoutLines)[1].GetProperty("language").GetString());

        var named = _warden.Run("score", "I want to die.", "Das Haus ist sehr schön.", "--language", "en-US", "--format", "jsonl", "--quiet");
        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.All(ParseLines(named.StdoutLines), o => Assert.Equal("en", o.GetProperty("language").GetString()));

        var bad = _warden.Run("score", "hello", "--language", "english");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--language 'english' is not a language tag", bad.Stderr);
    }

    [Fact]
    public void Output_dash_is_stdout_not_a_file_named_dash()
    {
        var r = _warden.Run("score", "you are an idiot", "--output", "-", "--format", "jsonl");
        Assert.True(r.ExitCode == 0, r.ToString());
        var o = Assert.Single(ParseLines(r.StdoutLines));
        Assert.Equal("you are an idiot", o.GetProperty("text").GetString());
        Assert.False(File.Exists(_warden.PathOf("-")));
    }

    [Fact]
    public void Several_texts_as_arguments_keep_their_order_and_polite_text_is_not_flagged()
    {
        var r = _warden.Run("score", "thank you for your help", "you are an idiot", "--format", "jsonl", "--quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = ParseLines(r.StdoutLines);
        Assert.Equal(2, rows.Count);
        Assert.Equal([0L, 1L], rows.Select(o => o.GetProperty("id").GetInt64()));
        Assert.False(rows[0].GetProperty("flagged").GetBoolean());
        Assert.True(rows[1].GetProperty("flagged").GetBoolean());
        Assert.Equal("", r.Stderr.Trim()); // --quiet: no summary
    }

    [Fact]
    public void Txt_input_with_a_blank_line_is_scored_in_order_and_the_blank_line_reported()
    {
        var input = _warden.Write("texts.txt", "thank you for your help\nyou are an idiot\n\nwhat a lovely day\nshut up, moron\n");
        var output = _warden.PathOf("out.jsonl");
        var r = _warden.Run("score", "--input", input, "--output", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.True(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
        var rows = ReadJsonl(output);
        Assert.Equal(["thank you for your help", "you are an idiot", "what a lovely day", "shut up, moron"], rows.Select(o => o.GetProperty("text").GetString()));
        Assert.Equal([0L, 1L, 3L, 4L], rows.Select(o => o.GetProperty("id").GetInt64()));
        rows.ForEach(AssertScoreObject);
        Assert.Contains(r.StderrLines, l => l.Contains("line 3") && l.Contains("skipped"));
        Assert.DoesNotContain(r.StderrLines, l => l.Contains("line 1:") || l.Contains("line 2:") || l.Contains("line 4:"));
        // The summary on stderr.
        Assert.Contains(r.StderrLines, l => l.Contains("scored 4 texts") && l.Contains("1 bad row"));
    }

    [Fact]
    public void Large_txt_input_keeps_input_order_across_batches()
    {
        var texts = Enumerable.Range(0, 5000).Select(i => i % 7 == 0 ? $"you are an idiot number {i}" : $"message number {i} about the weather").ToList();
        var input = _warden.Write("many.txt", string.Join("\n", texts) + "\n");
        var output = _warden.PathOf("many.jsonl");
        var r = _warden.Run("score", "--input", input, "--output", output, "--quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = ReadJsonl(output);
        Assert.Equal(texts, rows.Select(o => o.GetProperty("text").GetString()));
        Assert.Equal(Enumerable.Range(0, 5000).Select(i => (long)i), rows.Select(o => o.GetProperty("id").GetInt64()));
    }

    private const string JsonlWithBadRows =
        "{\"id\": 17, \"text\": \"you are an idiot\"}\n" +
        "{\"id\": \"abc-1\", \"text\": \"thank you for your help\"}\n" +
        "{\"id\": 3, \"text\": \"broken\n" +
        "{\"id\": 4, \"body\": \"no text field here\"}\n" +
        "{\"text\": \"no id here\"}\n";

    [Fact]
    public void Jsonl_ids_are_echoed_and_bad_rows_reported_by_line_number()
    {
        var input = _warden.Write("in.jsonl", JsonlWithBadRows);
        var output = _warden.PathOf("out.jsonl");
        var r = _warden.Run("score", "--input", input, "--output", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = ReadJsonl(output);
        Assert.Equal(3, rows.Count);
        Assert.Equal(JsonValueKind.Number, rows[0].GetProperty("id").ValueKind);
        Assert.Equal(17, rows[0].GetProperty("id").GetInt64());
        Assert.Equal(JsonValueKind.String, rows[1].GetProperty("id").ValueKind);
        Assert.Equal("abc-1", rows[1].GetProperty("id").GetString());
        Assert.Equal(4, rows[2].GetProperty("id").GetInt64()); // no id: the 0-based line number
        Assert.Equal("no id here", rows[2].GetProperty("text").GetString());
        Assert.Contains(r.StderrLines, l => l.Contains("line 3") && l.Contains("skipped"));
        Assert.Contains(r.StderrLines, l => l.Contains("line 4") && l.Contains("text") && l.Contains("skipped"));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public void Strict_fails_on_the_first_bad_row_and_leaves_only_a_partial_file()
    {
        var input = _warden.Write("in.jsonl", JsonlWithBadRows);
        var output = _warden.PathOf("out.jsonl");
        var r = _warden.Run("score", "--input", input, "--output", output, "--strict");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.False(File.Exists(output), "a strict failure must not produce the final output file");
        Assert.True(File.Exists(output + ".partial"));
        Assert.Contains(r.StderrLines, l => l.Contains("line 3"));
        Assert.Contains(r.StderrLines, l => l.Contains(".partial") && l.Contains("strict"));
    }

    [Fact]
    public void Strict_without_bad_rows_succeeds()
    {
        var input = _warden.Write("ok.jsonl", "{\"text\": \"hello there\"}\n{\"text\": \"you are an idiot\"}\n");
        var output = _warden.PathOf("out.jsonl");
        var r = _warden.Run("score", "--input", input, "--output", output, "--strict");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(2, ReadJsonl(output).Count);
    }

    [Fact]
    public void Csv_input_with_quoted_commas_and_newlines_and_a_custom_text_field()
    {
        var input = _warden.Write("in.csv",
            "author,body\n" +
            "ann,\"hello, world, how are you\"\n" +
            "bob,\"first line\nsecond line, with a comma\"\n" +
            "cy,\"she said \"\"you are an idiot\"\"\"\n");
        var output = _warden.PathOf("out.jsonl");
        var r = _warden.Run("score", "--input", input, "--text-field", "body", "--output", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = ReadJsonl(output);
        Assert.Equal(["hello, world, how are you", "first line\nsecond line, with a comma", "she said \"you are an idiot\""],
            rows.Select(o => o.GetProperty("text").GetString()));
        Assert.Equal([0L, 1L, 2L], rows.Select(o => o.GetProperty("id").GetInt64()));
    }

    [Fact]
    public void Tsv_input_with_an_id_column()
    {
        var input = _warden.Write("in.tsv", "id\ttext\nx1\tgood morning everyone\nx2\t\"tab\tinside, quoted\"\n");
        var output = _warden.PathOf("out.jsonl");
        var r = _warden.Run("score", "--input", input, "--output", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = ReadJsonl(output);
        Assert.Equal(["x1", "x2"], rows.Select(o => o.GetProperty("id").GetString()));
        Assert.Equal(["good morning everyone", "tab\tinside, quoted"], rows.Select(o => o.GetProperty("text").GetString()));
    }

    [Fact]
    public void Csv_without_the_text_column_is_bad_input_with_a_one_line_message()
    {
        var input = _warden.Write("in.csv", "author,body\nann,hello\n");
        var r = _warden.Run("score", "--input", input, "--format", "jsonl");
        Assert.True(r.ExitCode == 1, r.ToString());
        var lines = r.StderrLines;
        Assert.Single(lines);
        Assert.StartsWith("warden:", lines[0]);
        Assert.Contains("text", lines[0]);
        Assert.DoesNotContain("   at ", r.Stderr); // no stack trace
    }

    [Fact]
    public void Csv_without_the_text_column_and_an_output_file_leaves_no_unreported_partial_file()
    {
        var input = _warden.Write("in.csv", "author,body\nann,hello\n");
        var output = _warden.PathOf("out.jsonl");
        var r = _warden.Run("score", "--input", input, "--output", output);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.False(File.Exists(output));
        Assert.True(!File.Exists(output + ".partial") || r.Stderr.Contains(".partial"), "stray .partial file: " + r);
    }

    private static readonly string PlainTexts = "you are an idiot\nthank you for your help\n\ndas ist ein schöner tag\nf u c k you\n";

    private string ScoreToText(string input)
    {
        var output = _warden.PathOf(Path.GetFileName(input) + ".out.jsonl");
        var r = _warden.Run("score", "--input", input, "--output", output, "--quiet");
        Assert.True(r.ExitCode == 0, r.ToString());
        return File.ReadAllText(output);
    }

    [Fact]
    public void Gzip_and_zstd_inputs_give_the_same_output_as_the_plain_file()
    {
        var plain = _warden.Write("texts.txt", PlainTexts);
        var bytes = Encoding.UTF8.GetBytes(PlainTexts);
        var gz = _warden.PathOf("texts.txt.gz");
        using (var file = File.Create(gz))
        using (var zip = new GZipStream(file, CompressionLevel.Optimal))
            zip.Write(bytes);
        var zst = _warden.PathOf("texts.txt.zst");
        using (var file = File.Create(zst))
        using (var zstd = new ZstdSharp.CompressionStream(file))
            zstd.Write(bytes);

        var expected = ScoreToText(plain);
        Assert.Equal(4, expected.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(expected, ScoreToText(gz));
        Assert.Equal(expected, ScoreToText(zst));
    }

    [Fact]
    public void Compressed_jsonl_is_detected_through_the_compression_suffix()
    {
        const string jsonl = "{\"id\": \"a\", \"text\": \"you are an idiot\"}\n{\"id\": \"b\", \"text\": \"lovely weather\"}\n";
        var plain = _warden.Write("rows.jsonl", jsonl);
        var zst = _warden.PathOf("rows.jsonl.zst");
        using (var file = File.Create(zst))
        using (var zstd = new ZstdSharp.CompressionStream(file))
            zstd.Write(Encoding.UTF8.GetBytes(jsonl));
        var expected = ScoreToText(plain);
        Assert.Contains("\"id\":\"a\"", expected.Replace(" ", ""));
        Assert.Equal(expected, ScoreToText(zst));
    }

    [Fact]
    public void Stdin_input()
    {
        var r = _warden.RunWithInput("you are an idiot\nthank you for your help\n", "score", "--input", "-", "--format", "jsonl");
        Assert.True(r.ExitCode == 0, r.ToString());
        var rows = ParseLines(r.StdoutLines);
        Assert.Equal(["you are an idiot", "thank you for your help"], rows.Select(o => o.GetProperty("text").GetString()));
        Assert.Equal([0L, 1L], rows.Select(o => o.GetProperty("id").GetInt64()));
        Assert.True(rows[0].GetProperty("flagged").GetBoolean());
        Assert.False(rows[1].GetProperty("flagged").GetBoolean());
    }

    [Fact]
    public void Csv_output_has_a_header_and_one_row_per_text()
    {
        var input = _warden.Write("texts.txt", "you are an idiot\nhello, my friend\n");
        var output = _warden.PathOf("x.csv");
        var r = _warden.Run("score", "--input", input, "--output", output);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = File.ReadAllLines(output);
        Assert.Equal(3, lines.Length);
        Assert.Equal("id,text,language," + string.Join(',', ScoreKeys) + ",flagged", lines[0]);
        Assert.StartsWith("0,you are an idiot,", lines[1]);
        Assert.EndsWith(",true", lines[1]);
        Assert.StartsWith("1,\"hello, my friend\",", lines[2]);
        Assert.Matches(",(true|false)$", lines[2]);
        Assert.Equal(2 + 1 + 8 + 1, lines[1].Split(',').Length);
    }

    [Fact]
    public void Spans_option_adds_spans_with_offsets_into_the_text()
    {
        const string text = "you are such an idiot";
        var r = _warden.Run("score", text, "--format", "jsonl", "--spans");
        Assert.True(r.ExitCode == 0, r.ToString());
        var o = JsonDocument.Parse(r.StdoutLines.Single()).RootElement;
        var spans = o.GetProperty("spans").EnumerateArray().ToList();
        Assert.NotEmpty(spans);
        foreach (var s in spans)
        {
            var start = s.GetProperty("start").GetInt32();
            var end = s.GetProperty("end").GetInt32();
            Assert.InRange(start, 0, text.Length - 1);
            Assert.InRange(end, start + 1, text.Length);
            Assert.Equal(text[start..end], s.GetProperty("text").GetString());
            Assert.Contains(s.GetProperty("attribute").GetString(), ScoreKeys);
            Assert.InRange(s.GetProperty("score").GetDouble(), 0, 1);
        }
        Assert.Contains(spans, s => s.GetProperty("text").GetString() == "idiot");
    }

    [Fact]
    public void No_texts_and_no_input_is_bad_usage()
    {
        var r = _warden.Run("score");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("nothing to score", r.Stderr);
    }

    [Fact]
    public void Unknown_format_is_bad_usage()
    {
        var r = _warden.Run("score", "hello", "--format", "xml");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("xml", r.Stderr);
        Assert.Equal("", r.Stdout.Trim());
    }

    [Fact]
    public void Missing_input_file_is_bad_input_and_names_the_path()
    {
        var missing = _warden.PathOf("does-not-exist.txt");
        var output = _warden.PathOf("out.jsonl");
        var r = _warden.Run("score", "--input", missing, "--output", output);
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains(missing, r.Stderr);
        Assert.Single(r.StderrLines);
        Assert.False(File.Exists(output));
        Assert.False(File.Exists(output + ".partial"));
    }

    [Fact]
    public void Unknown_option_is_bad_usage()
    {
        var input = _warden.Write("t.txt", "hello\n");
        var r = _warden.Run("score", "--input", input, "--no-such-option", "--format", "jsonl");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal("", r.Stdout.Trim());

        var bench = _warden.Run("bench", "--no-such-option");
        Assert.True(bench.ExitCode == 1, bench.ToString());
        Assert.Contains("--no-such-option", bench.Stderr);
    }

    [Fact]
    public void Unknown_option_after_a_text_is_bad_usage()
    {
        var r = _warden.Run("score", "hello", "--no-such-option");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("--no-such-option", r.Stderr);
    }

    [Fact]
    public void Texts_and_input_together_is_bad_usage()
    {
        var input = _warden.Write("t.txt", "hello\n");
        var r = _warden.Run("score", "hello", "--input", input);
        Assert.True(r.ExitCode == 1, r.ToString());
    }

    [Fact]
    public void Unknown_model_is_bad_usage_with_the_name_in_the_message()
    {
        var r = _warden.Run("score", "hello", "--model", "no-such-model", "--format", "jsonl");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Contains("no-such-model", r.Stderr);
    }

    [Fact]
    public void Corrupt_model_file_is_bad_input()
    {
        // Right magic and version, then a metadata length that runs past the end of the file.
        var bytes = "WRDNFST1"u8.ToArray().Concat(BitConverter.GetBytes(1)).Concat(BitConverter.GetBytes(1000)).Concat("{\"name\":"u8.ToArray()).ToArray();
        var model = _warden.PathOf("corrupt.bin");
        File.WriteAllBytes(model, bytes);
        var r = _warden.Run("score", "hello", "--model", model, "--format", "jsonl");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Single(r.StderrLines);
    }
}
