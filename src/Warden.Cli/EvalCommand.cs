using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Warden.Core;
using Warden.Data.Datasets;
using Warden.Data.Io;
using Warden.Eval.Classifier;
using Warden.Eval.Functional;
using Warden.Scoring;

namespace Warden.Cli;

/// <summary><c>warden eval classifier</c> and <c>warden eval functional</c>: every quality number of the project comes from here.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var eval = new Command("eval", "Evaluate scorers (classifier, functional) and LLMs");
        eval.Subcommands.Add(Classifier());
        eval.Subcommands.Add(Functional());
        eval.Subcommands.Add(Neutral());
        return eval;
    }

    private static Command Classifier()
    {
        var dataset = new Option<string?>("--dataset", "-d") { Description = "registered dataset name (see `warden datasets list`)" };
        var split = new Option<string>("--split") { Description = "train, validation or test", DefaultValueFactory = _ => "test" };
        var input = new Option<string?>("--input", "-i") { Description = "a user file (.jsonl/.csv/.tsv/.txt, .gz/.zst) instead of a dataset" };
        var textField = new Option<string?>("--text-field") { Description = "text field of --input (default: text)" };
        var labelField = new Option<string?>("--label-field") { Description = "label field of --input" };
        var positive = new Option<string[]>("--positive") { Description = "label value(s) that mean positive (default: 1, true, yes, positive, toxic, offensive, off, hate)", AllowMultipleArgumentsPerToken = true };
        var languageField = new Option<string?>("--language-field") { Description = "language field of --input (default: detected language)" };
        var groupField = new Option<string?>("--group-field") { Description = "target-group field of --input" };
        var attribute = new Option<string>("--attribute", "-a") { Description = "label attribute of the dataset to evaluate", DefaultValueFactory = _ => "toxicity" };
        var score = new Option<string?>("--score") { Description = "what to score: an attribute or max(a,b,...) (default: the label attribute)" };
        var threshold = new Option<double?>("--threshold") { Description = "decision threshold (default: the model's threshold for the scored attribute)" };
        var model = new Option<string>("--model", "-m") { Description = BackendCommands.ModelSpecDescription, DefaultValueFactory = _ => Scorer.DefaultModel };
        var format = new Option<string>("--format", "-f") { Description = "table, json or md", DefaultValueFactory = _ => "table" };
        var output = new Option<string?>("--output", "-o") { Description = "write the report (json or md by extension) to this file as well" };
        var languageSource = new Option<string>("--languages") { Description = "group per language by the dataset's language (dataset) or the detected one (detected)", DefaultValueFactory = _ => "dataset" };
        var resamples = new Option<int>("--bootstrap") { Description = "bootstrap resamples for 95% CIs (0 = none)", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 42, Description = "bootstrap seed" };

        var command = new Command("classifier", "Evaluate a scorer on a registered dataset split or on a labelled file")
        {
            dataset, split, input, textField, labelField, positive, languageField, groupField, attribute, score, threshold,
            model, format, output, languageSource, resamples, seed,
        };
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            var datasetName = parse.GetValue(dataset);
            var inputPath = parse.GetValue(input);
            if ((datasetName is null) == (inputPath is null)) throw new UsageException("give either --dataset NAME or --input FILE");
            var label = HarmAttributes.Parse(parse.GetValue(attribute)!);
            var selector = parse.GetValue(score) is { } s ? ScoreSelector.Parse(s) : ScoreSelector.Single(label);
            var fmt = parse.GetValue(format)!.ToLowerInvariant();
            if (fmt is not ("table" or "json" or "md")) throw new UsageException($"unknown --format '{fmt}' (table, json, md)");
            var scorer = BackendCommands.ResolveScorer(parse.GetValue(model)!);

            IReadOnlyList<LabeledText> records;
            string source;
            if (datasetName is not null)
            {
                var splitValue = ParseSplit(parse.GetValue(split)!);
                records = DatasetRegistry.CreateDefault().Load(datasetName, splitValue).ToList();
                source = $"{datasetName}/{splitValue.ToString().ToLowerInvariant()}";
                if (records.Count == 0) throw new UsageException($"{source} has no records");
            }
            else
            {
                var lf = parse.GetValue(labelField) ?? throw new UsageException("--input needs --label-field");
                records = LabeledFile.Read(inputPath!, parse.GetValue(textField), lf, parse.GetValue(positive), label,
                    parse.GetValue(languageField), parse.GetValue(groupField), Console.Error);
                source = Path.GetFileName(inputPath!);
            }

            var options = EvalOptions.Default with
            {
                Threshold = parse.GetValue(threshold) ?? scorer.Thresholds[(int)label],
                BootstrapResamples = parse.GetValue(resamples),
                Seed = parse.GetValue(seed),
                LanguageSource = parse.GetValue(languageSource) == "detected" ? LanguageSource.Detected : LanguageSource.Dataset,
            };
            var set = EvalExampleBuilder.Score(scorer, records, label, selector);
            var report = ClassifierEvaluator.Evaluate(set, options, source);
            Emit(report, fmt, parse.GetValue(output));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Functional()
    {
        var model = new Option<string>("--model", "-m") { Description = BackendCommands.ModelSpecDescription, DefaultValueFactory = _ => Scorer.DefaultModel };
        var output = new Option<string?>("--output", "-o") { Description = "write the Markdown report to this file" };
        var suite = new Option<string>("--suite") { Description = "main (default), holdout (written independently of the training data, for honest numbers), languages (held-out, 53 languages without labelled data), everyday (held-out, 745 harmless short messages in 25 languages), literal (624 harmless sentences about real pests, animals and kitchens in 39 languages), stretched (264 messages with a stretched letter in 22 languages, half abusive), a folder of <category>.jsonl files, or one .jsonl file", DefaultValueFactory = _ => FunctionalSuites.Main };
        var command = new Command("functional", "Run the hand-written functional suites (negation, counter-speech, quoted slurs, identity mentions, implicit hate, obfuscation, languages)") { model, output, suite };
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            IReadOnlyList<FunctionalCase> cases;
            try { cases = FunctionalSuites.Load(parse.GetValue(suite)!); }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or System.Text.Json.JsonException) { throw new UsageException(e.Message); }
            var report = FunctionalSuites.Run(BackendCommands.ResolveScorer(parse.GetValue(model)!), cases);
            var markdown = report.ToMarkdown();
            Console.WriteLine(markdown);
            if (parse.GetValue(output) is { } path) File.WriteAllText(path, markdown + "\n");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command Neutral()
    {
        var model = new Option<string>("--model", "-m") { Description = BackendCommands.ModelSpecDescription, DefaultValueFactory = _ => Scorer.DefaultModel };
        var datasets = new Option<string?>("--datasets") { Description = "datasets folder (default: $WARDEN_DATASETS or ../shared/datasets found upwards)" };
        var format = new Option<string>("--format") { Description = "md (default) or json", DefaultValueFactory = _ => "md" };
        var output = new Option<string?>("--output", "-o") { Description = "also write the report to this file" };
        var command = new Command("neutral", "Flag rate on everyday web sentences in 75 languages (the held-out fifth of lingua_langid_sentences): false positives on ordinary text") { model, datasets, format, output };
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            var registry = DatasetRegistry.CreateDefault(parse.GetValue(datasets));
            var report = FlagRateReport.Run(BackendCommands.ResolveScorer(parse.GetValue(model)!), NeutralWebText.LoadHeldOut(registry.Root), NeutralWebText.HeldOutSource);
            var text = parse.GetValue(format) == "json" ? System.Text.Json.JsonSerializer.Serialize(report, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) : report.ToMarkdown();
            Console.WriteLine(text);
            if (parse.GetValue(output) is { } path) File.WriteAllText(path, text + "\n");
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static Split ParseSplit(string value) => value.ToLowerInvariant() switch
    {
        "train" => Split.Train,
        "validation" or "valid" or "dev" => Split.Validation,
        "test" => Split.Test,
        _ => throw new UsageException($"unknown split '{value}' (train, validation, test)"),
    };

    private static void Emit(ClassifierReport report, string format, string? output)
    {
        switch (format)
        {
            case "json": Console.WriteLine(ClassifierReportJson.ToJson(report)); break;
            case "md": Console.WriteLine(ClassifierReportMarkdown.Render(report)); break;
            default: RenderTable(report); break;
        }
        if (output is null) return;
        var text = output.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ClassifierReportJson.ToJson(report) : ClassifierReportMarkdown.Render(report);
        File.WriteAllText(output, text + "\n");
    }

    private static void RenderTable(ClassifierReport report)
    {
        AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
            $"{report.Dataset} · model {report.Model} · score {report.Score} · threshold {report.Threshold:0.00} · {report.SkippedUnlabeled} unlabelled skipped")));
        var overall = new Table().Border(TableBorder.Rounded).Title($"overall (n = {report.Overall.Count}, positives = {report.Overall.Positives})");
        overall.AddColumn("metric");
        overall.AddColumn(new TableColumn("value").RightAligned());
        overall.AddColumn("95% CI");
        foreach (var row in report.Overall.Rows)
        {
            var ci = row.Value.Ci95.IsDefined ? $"[{MetricValue.FormatNumber(row.Value.Ci95.Low)}, {MetricValue.FormatNumber(row.Value.Ci95.High)}]" : "";
            overall.AddRow(row.DisplayName, MetricValue.FormatNumber(row.Value.Value), ci);
        }
        if (report.Overall.BestThresholds is { } best)
            overall.Caption(string.Create(CultureInfo.InvariantCulture,
                $"best macro-F1 threshold {best.MacroF1.Threshold:0.000} (macro-F1 {best.MacroF1.Metrics.MacroF1:0.000}); best F1 threshold {best.F1.Threshold:0.000} (F1 {best.F1.Metrics.F1:0.000})"));
        AnsiConsole.Write(overall);
        WriteGroups("language", report.ByLanguage);
        WriteGroups("target group", report.ByGroup);
    }

    private static void WriteGroups(string title, IReadOnlyList<GroupReport> groups)
    {
        if (groups.Count == 0) return;
        var table = new Table().Border(TableBorder.Rounded).Title($"per {title}");
        foreach (var column in new[] { title, "n", "pos", "macro-F1", "F1", "precision", "recall", "AUROC", "ECE" }) table.AddColumn(column);
        foreach (var g in groups)
        {
            if (g.TooFew) { table.AddRow(Markup.Escape(g.Name), g.Count.ToString(), g.Positives.ToString(), "too few", "", "", "", "", ""); continue; }
            table.AddRow(Markup.Escape(g.Name), g.Count.ToString(), g.Positives.ToString(),
                g[Metric.MacroF1].Format(), g[Metric.F1].Format(), g[Metric.Precision].Format(), g[Metric.Recall].Format(),
                g[Metric.Auroc].Format(), g[Metric.Ece].Format());
        }
        AnsiConsole.Write(table);
    }
}
