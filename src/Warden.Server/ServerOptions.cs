using Warden.Core;
using Warden.Guard.Configuration;

namespace Warden.Server;

/// <summary>How <c>warden serve</c> starts. Every field has a usable default: <c>new ServerOptions()</c> serves the built-in model on 127.0.0.1:8080.</summary>
public sealed record ServerOptions
{
    /// <summary>Addresses to listen on (Kestrel syntax); port 0 picks a free port (read it back from <c>app.Urls</c>).</summary>
    public IReadOnlyList<string> Urls { get; init; } = ["http://127.0.0.1:8080"];

    /// <summary>Path of warden.json; null runs with <see cref="WardenConfig.Default"/>.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>An already-loaded configuration; wins over <see cref="ConfigPath"/> (used by tests and embedding apps).</summary>
    public WardenConfig? Config { get; init; }

    /// <summary>Development mode: requests from loopback addresses need no API key.</summary>
    public bool Dev { get; init; }

    /// <summary>Audit store override: <c>sqlite:PATH</c>, <c>postgres://user:pass@host/db</c>, a Npgsql connection string prefixed <c>postgres:</c>, or <c>none</c>.</summary>
    public string? Store { get; init; }

    /// <summary>Model name or path for <c>Scorer.Load</c>; null uses the built-in default model.</summary>
    public string? Model { get; init; }

    /// <summary>A scorer to use instead of loading one (tests, or apps that host the server in-process).</summary>
    public IScorer? Scorer { get; init; }

    /// <summary>Minimum log level of ASP.NET's own categories (request text is never logged at any level).</summary>
    public LogLevel FrameworkLogLevel { get; init; } = LogLevel.Warning;
}
