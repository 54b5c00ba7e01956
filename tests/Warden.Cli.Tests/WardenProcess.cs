using System.Diagnostics;
using System.Text;

namespace Warden.Cli.Tests;

public sealed record WardenResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the real <c>warden</c> executable (warden.dll from this test project's output directory) as a child
/// process in a fresh temporary working directory, so model and dataset resolution must work from the build output.
/// </summary>
public sealed class WardenProcess : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public WardenProcess()
    {
        WorkDir = Directory.CreateTempSubdirectory("warden-cli-test-").FullName;
    }

    /// <summary>A unique, empty working directory for this test (deleted on dispose).</summary>
    public string WorkDir { get; }

    public string PathOf(string name) => Path.Combine(WorkDir, name);

    public string Write(string name, string content)
    {
        var path = PathOf(name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    public static string WardenDll
    {
        get
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "warden.dll");
            if (!File.Exists(dll)) throw new FileNotFoundException($"warden.dll not found next to the tests in {AppContext.BaseDirectory}");
            return dll;
        }
    }

    /// <summary>../shared/datasets or shared/datasets found walking up from the test binaries, or null.</summary>
    public static string? DatasetsRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "datasets"), Path.Combine(dir.FullName, "..", "shared", "datasets") })
                    if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
            return null;
        }
    }

    public WardenResult Run(params string[] args) => RunWithInput(null, args);

    public WardenResult RunWithInput(string? stdin, params string[] args)
    {
        var start = StartInfo(args);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"warden {string.Join(' ', args)} did not finish in {Timeout}");
        }
        process.WaitForExit();
        return new WardenResult(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    /// <summary>Starts warden without waiting (output discarded), so a test can kill it mid-way.</summary>
    public Process Start(params string[] args)
    {
        var start = StartInfo(args);
        start.RedirectStandardOutput = false;
        start.RedirectStandardError = false;
        start.RedirectStandardInput = false;
        start.StandardOutputEncoding = start.StandardErrorEncoding = start.StandardInputEncoding = null;
        return Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
    }

    private ProcessStartInfo StartInfo(string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        start.ArgumentList.Add(WardenDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        // Nothing from the developer's environment decides which model or datasets are used.
        start.Environment.Remove("WARDEN_MODELS");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        if (DatasetsRoot is { } root) start.Environment["WARDEN_DATASETS"] = root;
        else start.Environment.Remove("WARDEN_DATASETS");
        return start;
    }

    public void Dispose()
    {
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
