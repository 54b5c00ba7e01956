using Warden.Core;
using Warden.Data.Datasets.Adapters;

namespace Warden.Data.Datasets;

/// <summary>
/// All datasets by name, over one datasets root (../shared/datasets). Built-in adapters cover every folder;
/// lexicons and the language-ID sentences are listed too (their Load yields nothing). To support a new folder,
/// write an <see cref="IDatasetAdapter"/> (usually a <see cref="DatasetAdapter"/> subclass) and
/// <see cref="Register"/> it, or add it to <see cref="BuiltInAdapters"/>.
/// </summary>
public sealed class DatasetRegistry
{
    /// <summary>Environment variable that points at the datasets root, overriding the search.</summary>
    public const string RootVariable = "WARDEN_DATASETS";

    private readonly Dictionary<string, IDatasetAdapter> _adapters = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _order = [];

    /// <param name="root">the folder that holds one sub-folder per dataset</param>
    public DatasetRegistry(string root, IEnumerable<IDatasetAdapter> adapters)
    {
        Root = root;
        foreach (var adapter in adapters) Register(adapter);
    }

    /// <summary>The registry with every built-in adapter, over <paramref name="root"/> or else <see cref="FindDatasetsRoot"/>.</summary>
    public static DatasetRegistry CreateDefault(string? root = null) => new(root ?? FindDatasetsRoot(), BuiltInAdapters());

    public string Root { get; }

    /// <summary>The adapters in registration order.</summary>
    public IReadOnlyList<IDatasetAdapter> Adapters => _order.Select(n => _adapters[n]).ToList();

    /// <summary>Info of every dataset, labelled or not (for <c>warden datasets list</c>).</summary>
    public IReadOnlyList<DatasetInfo> List() => _order.Select(n => _adapters[n].Info).ToList();

    /// <summary>Names of the datasets the default scorer may train on (<see cref="DatasetUse.Train"/>).</summary>
    public IReadOnlyList<string> TrainingDatasets => List().Where(i => i.Use == DatasetUse.Train).Select(i => i.Name).ToList();

    /// <summary>Adds an adapter, or replaces the one with the same name.</summary>
    public void Register(IDatasetAdapter adapter)
    {
        var name = adapter.Info.Name;
        if (!_adapters.ContainsKey(name)) _order.Add(name);
        _adapters[name] = adapter;
    }

    public bool TryGet(string name, out IDatasetAdapter adapter) => _adapters.TryGetValue(name, out adapter!);

    public IDatasetAdapter Get(string name) => TryGet(name, out var adapter) ? adapter
        : throw new KeyNotFoundException($"unknown dataset '{name}'; known: {string.Join(", ", _order)}");

    public string DirectoryOf(string name) => Path.Combine(Root, Get(name).Info.Name);

    /// <summary>
    /// Streams a dataset's records, optionally of one split. Bad rows are skipped and counted in
    /// <paramref name="report"/> (with file and line), never thrown, and exact duplicate texts are dropped.
    /// </summary>
    public IEnumerable<LabeledText> Load(string name, Split? split = null, LoadReport? report = null)
    {
        var adapter = Get(name);
        var directory = DirectoryOf(name);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"dataset folder not found: {directory}");
        var records = adapter is DatasetAdapter builtIn ? builtIn.Load(directory, report) : adapter.Load(directory);
        return split is null ? records : records.Where(r => r.Split == split.Value);
    }

    /// <summary>
    /// One split of every dataset the default model may train on (or of those <paramref name="include"/> picks),
    /// dataset after dataset in registration order. Test-only and eval sets are never included by default.
    /// </summary>
    public IEnumerable<LabeledText> LoadAll(Split split, Func<DatasetInfo, bool>? include = null, LoadReport? report = null)
    {
        include ??= info => info.Use == DatasetUse.Train;
        foreach (var info in List().Where(include))
            foreach (var record in Load(info.Name, split, report))
                yield return record;
    }

    /// <summary>The summary printed by <c>warden datasets show NAME</c>.</summary>
    public DatasetSummary Summarize(string name, int topGroups = 10)
    {
        var report = new LoadReport();
        return DatasetSummary.Compute(Get(name).Info, Load(name, null, report), report, topGroups);
    }

    /// <summary>Sub-folders of the root that no adapter covers (a new dataset waiting for an adapter).</summary>
    public IReadOnlyList<string> UnregisteredFolders() =>
        Directory.Exists(Root)
            ? Directory.EnumerateDirectories(Root).Select(Path.GetFileName).OfType<string>()
                .Where(n => !n.StartsWith('.') && !_adapters.ContainsKey(n)).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Every built-in adapter: labelled sets first, then eval prompt sets, then resources.</summary>
    public static IReadOnlyList<IDatasetAdapter> BuiltInAdapters() =>
    [
        new DavidsonAdapter(), new OlidAdapter(), new StormfrontAdapter(), new ConvAbuseAdapter(), new FoxNewsAdapter(),
        new CivilCommentsToxicSpansAdapter(), new WikipediaToxicityIdentityAdapter(), new RealToxicityPromptsAdapter(),
        new ToxiGenPromptsAdapter(), new MlmaAdapter(), new Trac1Adapter(), new RedditCssrsAdapter(), new I2pAdapter(),
        new GermEval2018Adapter(), new GermEval2026ViolenceAdapter(), new ToldBrAdapter(), new HatEval2019Adapter(),
        new HaSpeeDe2018Adapter(), new PolEval2019Adapter(), new RussianDistortedToxicityAdapter(),
        new OffensEval2020TurkishAdapter(), new ColdAdapter(), new KoreanHateSpeechAdapter(), new XSafetyAdapter(),
        new MultiJailAdapter(), new HarmfulBehaviorBenchmarksAdapter(), new HolisticBiasAdapter(), new BoldAdapter(),
        EvalPromptAdapter.XsTest(), EvalPromptAdapter.SimpleSafetyTests(),
        ResourceOnlyAdapter.Ldnoobw(), ResourceOnlyAdapter.GenderGap(), ResourceOnlyAdapter.Lingua(),
    ];

    /// <summary>
    /// The datasets root: $WARDEN_DATASETS if set, else the first "shared/datasets" found walking up from the
    /// current directory and then from the app's base directory (so a repo clone next to ../shared/datasets works
    /// from the repo, from bin/ and from tests). Throws when none exists.
    /// </summary>
    public static string FindDatasetsRoot() =>
        TryFindDatasetsRoot() ?? throw new DirectoryNotFoundException(
            $"datasets folder not found: set {RootVariable} or put the datasets in ../shared/datasets next to the repository");

    public static string? TryFindDatasetsRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(RootVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return Directory.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                foreach (var candidate in new[] { Path.Combine(dir.FullName, "shared", "datasets"), Path.Combine(dir.FullName, "..", "shared", "datasets") })
                    if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
        }
        return null;
    }
}
