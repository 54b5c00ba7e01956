using Warden.Data.Datasets;

namespace Warden.Data.Tests;

[CollectionDefinition("environment", DisableParallelization = true)]
public sealed class EnvironmentCollection;

/// <summary>Changes process-wide environment variables: runs alone, never beside the dataset tests.</summary>
[Collection("environment")]
public sealed class EnvironmentTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("warden-env-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void FindDatasetsRootHonoursTheEnvironmentVariable()
    {
        var previous = Environment.GetEnvironmentVariable(DatasetRegistry.RootVariable);
        try
        {
            Environment.SetEnvironmentVariable(DatasetRegistry.RootVariable, _root);
            Assert.Equal(Path.GetFullPath(_root), DatasetRegistry.FindDatasetsRoot());
        }
        finally
        {
            Environment.SetEnvironmentVariable(DatasetRegistry.RootVariable, previous);
        }

        Assert.NotNull(DatasetRegistry.TryFindDatasetsRoot());
    }
}
