using System.Collections.Concurrent;
using Warden.Core;
using Warden.Data.Datasets;

namespace Warden.Data.Tests;

/// <summary>
/// The real datasets from ../shared/datasets (found by <see cref="DatasetRegistry.FindDatasetsRoot"/>), each
/// loaded once per test run. Missing datasets fail the tests: they are part of the checkout in CI.
/// </summary>
internal static class RealDatasets
{
    private static readonly Lazy<DatasetRegistry> LazyRegistry = new(() => DatasetRegistry.CreateDefault());
    private static readonly ConcurrentDictionary<string, Lazy<(List<LabeledText> Records, LoadReport Report)>> Cache = new();

    public static DatasetRegistry Registry => LazyRegistry.Value;

    public static (List<LabeledText> Records, LoadReport Report) Load(string name) =>
        Cache.GetOrAdd(name, n => new(() =>
        {
            var report = new LoadReport();
            return (Registry.Load(n, null, report).ToList(), report);
        })).Value;

    public static LabeledText Record(string dataset, string id) =>
        Load(dataset).Records.SingleOrDefault(r => r.Id == id) ?? throw new Xunit.Sdk.XunitException($"{dataset}: no record {id}");
}
