using System.CommandLine;

namespace Warden.Cli;

public static class WardenApp
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("Warden: offline, multilingual content-safety toolkit");
        return root.Parse(args).Invoke();
    }
}
