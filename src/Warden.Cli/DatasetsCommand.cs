using System.CommandLine;
using Spectre.Console;
using Warden.Data.Datasets;

namespace Warden.Cli;

/// <summary><c>warden datasets list|show</c>: what the registry knows about ../shared/datasets.</summary>
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
            if (!registry.TryGet(parse.GetValue(name)!, out _))
                throw new UsageException($"unknown dataset '{parse.GetValue(name)}'; see `warden datasets list`");
            Console.WriteLine(registry.Summarize(parse.GetValue(name)!).ToText());
            return ExitCodes.Success;
        }));

        command.Subcommands.Add(list);
        command.Subcommands.Add(show);
        return command;
    }
}
