using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Spectre.Console;
using Warden.Core;
using Warden.Data.Io;
using Warden.Scoring;

namespace Warden.Cli;

internal static class ScoreCommand
{
    public static Command Create()
    {
        var texts = new Argument<string[]>("text") { Description = "texts to score", Arity = ArgumentArity.ZeroOrMore };
        var input = new Option<string?>("--input", "-i") { Description = "input file (.txt, .jsonl, .csv, .tsv, optionally .gz/.zst) or - for stdin" };
        var output = new Option<string?>("--output", "-o") { Description = "output file (.jsonl or .csv), or - for stdout (the default)" };
        var format = new Option<string?>("--format", "-f") { Description = "table, jsonl or csv (default: table for a few texts on a terminal, else jsonl)" };
        var textField = new Option<string?>("--text-field") { Description = "field/column holding the text (default: text)" };
        var inputFormat = new Option<string?>("--input-format") { Description = "txt, jsonl, csv or tsv (default: from the file extension; stdin: txt)" };
        var model = new Option<string>("--model", "-m") { Description = BackendCommands.ModelSpecDescription, DefaultValueFactory = _ => Scorer.DefaultModel };
        var spans = new Option<bool>("--spans") { Description = "report the character spans that drive each flagged attribute" };
        var strict = new Option<bool>("--strict") { Description = "fail on the first bad row instead of reporting and skipping it" };
        var threads = new Option<int>("--threads") { Description = "scoring threads (default: all cores)", DefaultValueFactory = _ => Environment.ProcessorCount };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "no progress or summary on stderr" };
        var language = new Option<string?>("--language") { Description = "the texts' language when you know it (ISO 639 code such as de, or a tag such as pt-BR), instead of identifying each text's language" };

        var command = new Command("score", "Score texts for toxicity and related harms")
        {
            texts, input, output, format, textField, inputFormat, model, spans, strict, threads, quiet, language,
        };
        command.SetAction(parse => ExitCodes.Guard(() => Run(new ScoreSettings(
            parse.GetValue(texts) ?? [],
            parse.GetValue(input),
            parse.GetValue(output) is "-" ? null : parse.GetValue(output), // "-" is stdout, as "--input -" is stdin
            parse.GetValue(format),
            parse.GetValue(textField),
            TextInput.ParseFormat(parse.GetValue(inputFormat)),
            parse.GetValue(model)!,
            parse.GetValue(spans),
            parse.GetValue(strict),
            Math.Max(1, parse.GetValue(threads)),
            parse.GetValue(quiet),
            parse.GetValue(language)))));
        return command;
    }

    private sealed record ScoreSettings(
        string[] Texts, string? Input, string? Output, string? Format, string? TextField, InputFormat? InputFormat,
        string Model, bool Spans, bool Strict, int Threads, bool Quiet, string? Language);

    private static int Run(ScoreSettings s)
    {
        if (s.Texts.Length == 0 && s.Input is null)
            throw new UsageException("nothing to score: give texts as arguments or --input FILE (- for stdin)");
        if (s.Texts.Length > 0 && s.Input is not null)
            throw new UsageException("give texts as arguments or --input, not both");
        // Unknown options would otherwise be scored as texts.
        if (s.Texts.FirstOrDefault(t => t.StartsWith("--", StringComparison.Ordinal) && t.Length > 2) is { } unknown)
            throw new UsageException($"unknown option '{unknown}' (see `warden score --help`)");
        var format = ResolveFormat(s);
        if (!LanguageTags.TryNormalize(s.Language, out var language))
            throw new UsageException($"--language '{s.Language}' is not a language tag (an ISO 639 code such as en, or a tag such as pt-BR)");
        var options = new ScoreOptions { Spans = s.Spans, Language = language };
        var scorer = BackendCommands.ResolveScorer(s.Model);

        if (format == "table")
        {
            var rows = s.Texts.Length > 0
                ? s.Texts.Select((t, i) => new InputRow(i + 1, i, null, t, new Dictionary<string, string?>(), null))
                : TextInput.Read(s.Input!, s.TextField, s.InputFormat);
            return RenderTable(scorer, rows, options, s.Strict);
        }

        var progress = new ReadProgress();
        var source = s.Texts.Length > 0
            ? s.Texts.Select((t, i) => new InputRow(i + 1, i, null, t, new Dictionary<string, string?>(), null))
            : TextInput.Read(s.Input!, s.TextField, s.InputFormat, progress: progress);
        var outputPath = s.Output;
        var temporary = outputPath is null ? null : outputPath + ".partial";
        Stream stream = temporary is null ? Console.OpenStandardOutput() : File.Create(temporary);
        var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
        ScoreOutputWriter sink = format == "csv" ? new CsvScoreWriter(writer, scorer) : new JsonlScoreWriter(writer, scorer);
        var showProgress = !s.Quiet && s.Input is not null && s.Input != "-" && !Console.IsErrorRedirected;
        ScoreSummary summary;
        try
        {
            summary = ScorePipeline.Run(scorer, source, options, sink, s.Threads, s.Strict, showProgress ? progress : null);
            writer.Flush();
        }
        catch
        {
            // Nothing half-written is left behind when reading the input fails.
            writer.Dispose();
            if (temporary is not null) File.Delete(temporary);
            throw;
        }
        writer.Dispose();
        if (summary.FailedStrict)
        {
            // A partial output is never passed off as complete.
            if (temporary is not null) Console.Error.WriteLine($"warden: stopped at the first bad row (--strict); partial output kept in {temporary}");
            return ExitCodes.BadInput;
        }
        if (temporary is not null) File.Move(temporary, outputPath!, overwrite: true);
        if (!s.Quiet) summary.Print(Console.Error);
        return ExitCodes.Success;
    }

    private static string ResolveFormat(ScoreSettings s)
    {
        if (s.Format is { } f)
        {
            var lower = f.ToLowerInvariant();
            if (lower is not ("table" or "jsonl" or "csv")) throw new UsageException($"unknown --format '{f}' (table, jsonl, csv)");
            if (lower == "table" && s.Output is not null) throw new UsageException("--format table writes to the terminal; use jsonl or csv with --output");
            return lower;
        }
        if (s.Output is not null) return s.Output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "jsonl";
        return s.Input is null && !Console.IsOutputRedirected ? "table" : "jsonl";
    }

    private static int RenderTable(IScorer scorer, IEnumerable<InputRow> rows, ScoreOptions options, bool strict)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("text");
        table.AddColumn("lang");
        foreach (var a in HarmAttributes.All) table.AddColumn(new TableColumn(a.WireName().Replace('_', ' ')).RightAligned());
        table.AddColumn("flagged");
        var spans = new List<string>();
        var bad = 0;
        foreach (var row in rows)
        {
            if (!row.IsValid)
            {
                Console.Error.WriteLine($"warden: line {row.LineNumber}: {row.Error}{(strict ? "" : " (skipped)")}");
                bad++;
                if (strict) return ExitCodes.BadInput;
                continue;
            }
            var result = scorer.Score(row.Text!, options);
            var cells = new List<string> { Markup.Escape(Shorten(row.Text!, 48)), result.Language };
            for (var a = 0; a < HarmAttributes.Count; a++)
            {
                var value = result.Scores[a];
                var text = value.ToString("0.00");
                cells.Add(value >= scorer.Thresholds[a] ? $"[bold red]{text}[/]" : value >= 0.3f ? $"[yellow]{text}[/]" : text);
            }
            cells.Add(scorer.IsFlagged(result) ? "[bold red]yes[/]" : "no");
            table.AddRow(cells.ToArray());
            foreach (var span in result.Spans)
                spans.Add($"{Markup.Escape(Shorten(row.Text!, 30))}: [red]{Markup.Escape(span.Text)}[/] [{span.Start}..{span.Start + span.Length}) {span.Attribute.WireName()} {span.Score:0.00}");
        }
        AnsiConsole.Write(table);
        foreach (var line in spans) AnsiConsole.MarkupLine(line);
        if (bad > 0) Console.Error.WriteLine($"warden: {bad} bad row(s) skipped");
        return ExitCodes.Success;
    }

    private static string Shorten(string text, int max)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= max ? flat : flat[..(max - 1)] + "…";
    }

    internal static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
