using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Warden.Core;
using Warden.Data.Datasets;

namespace Warden.Cli;

/// <summary><c>warden datasets list|show|export</c>: what the registry knows about ../shared/datasets.</summary>
internal static class DatasetsCommand
{
    public static Command Create()
    {
        var root = new Option<string?>("--datasets") { Description = "datasets folder (default: $WARDEN_DATASETS or ../shared/datasets found upwards)" };
        var command = new Command("datasets", "List and inspect the registered datasets");

        var list = new Command("list", "List registered datasets with languages, use and split rule") { root };
        list.SetAction(parse => ExitCodes.Guard(() =>
        {
            var registry = DatasetRegistry.CreateDefault(parse.GetValue(root));
            var table = new Table().Border(TableBorder.Rounded);
            foreach (var c in new[] { "name", "languages", "use", "attributes", "licence" }) table.AddColumn(c);
            foreach (var info in registry.List())
                table.AddRow(Markup.Escape(info.Name), Markup.Escape(string.Join(",", info.Languages)), info.Use.ToString(),
                    Markup.Escape(string.Join(",", info.Attributes.Select(a => Warden.Core.HarmAttributes.WireName(a)))), Markup.Escape(info.Licence));
            AnsiConsole.Write(table);
            foreach (var folder in registry.UnregisteredFolders())
                Console.Error.WriteLine($"warden: folder '{folder}' has no adapter yet");
            return ExitCodes.Success;
        }));

        var name = new Argument<string>("name") { Description = "dataset name" };
        var show = new Command("show", "Counts per split, language, attribute and target group") { name, root };
        show.SetAction(parse => ExitCodes.Guard(() =>
        {
            var registry = DatasetRegistry.CreateDefault(parse.GetValue(root));
            Console.WriteLine(registry.Summarize(Registered(registry, parse.GetValue(name)!)).ToText());
            return ExitCodes.Success;
        }));

        var exportName = new Argument<string>("name") { Description = "dataset name" };
        var split = new Option<string?>("--split") { Description = "train, validation or test (default: every split)" };
        var output = new Option<string?>("--output", "-o") { Description = "JSONL file to write (default: stdout)" };
        var export = new Command("export", "Write a dataset's records as Warden sees them (text, language, mapped labels, split) as JSONL") { exportName, split, output, root };
        export.SetAction(parse => ExitCodes.Guard(() =>
        {
            var registry = DatasetRegistry.CreateDefault(parse.GetValue(root));
            var dataset = Registered(registry, parse.GetValue(exportName)!);
            var splitName = parse.GetValue(split);
            var records = registry.Load(dataset, splitName is null ? null : EvalCommand.ParseSplit(splitName));
            var path = parse.GetValue(output);
            // Written to a temporary file and renamed, so a failed export never leaves a partial file behind.
            var temporary = path is null ? null : path + ".tmp";
            var count = 0;
            using (var stream = temporary is null ? Console.OpenStandardOutput() : File.Create(temporary))
            {
                foreach (var record in records)
                {
                    WriteRecord(stream, record);
                    count++;
                }
            }
            if (path is not null) File.Move(temporary!, path, overwrite: true);
            Console.Error.WriteLine($"warden: exported {count:N0} records of {dataset}{(splitName is null ? "" : $" ({splitName})")}{(path is null ? "" : $" to {path}")}");
            return ExitCodes.Success;
        }));

        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        command.Subcommands.Add(export);
        return command;
    }

    /// <summary>The name, when the registry knows it; otherwise a usage error.</summary>
    private static string Registered(DatasetRegistry registry, string name) =>
        registry.TryGet(name, out _) ? name : throw new UsageException($"unknown dataset '{name}'; see `warden datasets list`");

    /// <summary>One JSON line: the attributes a dataset does not annotate are left out of <c>labels</c>, not written as 0.</summary>
    private static void WriteRecord(Stream stream, LabeledText record)
    {
        using (var json = new Utf8JsonWriter(stream, ScoreCommand.JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("dataset", record.Dataset);
            json.WriteString("id", record.Id);
            json.WriteString("text", record.Text);
            json.WriteString("language", record.Language);
            json.WriteString("split", record.Split.ToString().ToLowerInvariant());
            if (record.TargetGroup is not null) json.WriteString("target_group", record.TargetGroup);
            json.WriteStartObject("labels");
            foreach (var attribute in HarmAttributes.All)
                if (record.Labels[attribute] is var value && !float.IsNaN(value)) json.WriteNumber(HarmAttributes.WireName(attribute), value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}
