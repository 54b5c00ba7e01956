using System.CommandLine;

namespace Warden.Cli;

public static class WardenApp
{
    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Warden: offline, multilingual content-safety toolkit");
        root.Subcommands.Add(ScoreCommand.Create());
        root.Subcommands.Add(DatasetsCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        var eval = EvalCommand.Create();
        root.Subcommands.Add(eval);
        foreach (var command in LlmCommands.Create())
            (command.Name is "llm" or "resume" ? eval : root).Subcommands.Add(command);
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(BackendCommands.CreateCascadeCommand());
        root.Subcommands.Add(ServeCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        // No response files: a text to score often starts with "@" (a reply on social media), and "@name you idiot" was read
        // as a file of arguments that does not exist.
        var result = CreateRoot().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors) Console.Error.WriteLine($"warden: {error.Message}");
            return ExitCodes.BadInput;
        }
        return result.Invoke();
    }
}
