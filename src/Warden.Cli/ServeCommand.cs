using System.CommandLine;
using Warden.Guard.Configuration;
using Warden.Server;

namespace Warden.Cli;

/// <summary><c>warden serve</c>: the moderation API, guard endpoint, guardrail proxy and playground (docs/server.md).</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string[]>("--urls") { Description = "addresses to listen on", DefaultValueFactory = _ => ["http://127.0.0.1:8080"], AllowMultipleArgumentsPerToken = true };
        var config = new Option<string?>("--config", "-c") { Description = "warden.json with policies, API keys, limits and the upstream LLM" };
        var dev = new Option<bool>("--dev") { Description = "development mode: no API key needed from loopback" };
        var store = new Option<string?>("--store") { Description = "audit store: sqlite:PATH, postgres://..., or none" };
        var model = new Option<string?>("--model", "-m") { Description = "scorer model name or path (default: the built-in model)" };
        var command = new Command("serve", "Run the HTTP moderation API, guard and guardrail proxy") { urls, config, dev, store, model };
        command.SetAction(parse => ExitCodes.Guard(() =>
        {
            try
            {
                WardenServer.RunAsync(new ServerOptions
                {
                    Urls = parse.GetValue(urls)!,
                    ConfigPath = parse.GetValue(config),
                    Dev = parse.GetValue(dev),
                    Store = parse.GetValue(store),
                    Model = parse.GetValue(model),
                    // Every spec `warden score` takes (ensembles, backends, named cascades), not only built-in models.
                    Scorer = parse.GetValue(model) is { } spec ? BackendCommands.ResolveScorer(spec) : null,
                }).GetAwaiter().GetResult();
            }
            catch (WardenConfigException e)
            {
                throw new UsageException(e.Message);
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
