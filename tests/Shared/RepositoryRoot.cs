namespace Warden.Testing;

/// <summary>The checkout the tests run from, for tests that read the repository's own files (docs, probes).</summary>
public static class RepositoryRoot
{
    /// <summary>The nearest folder above the test binaries that holds <c>Warden.sln</c>.</summary>
    public static string Path
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Warden.sln"))) return dir.FullName;
            throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
        }
    }
}
