using Warden.Core;
using Warden.Data.Datasets;
using Warden.Data.Datasets.Adapters;

namespace Warden.Data.Tests;

/// <summary>Adapters on small synthetic folders: bad rows are skipped with file and line, duplicates dropped, never thrown.</summary>
public sealed class AdapterRobustnessTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "warden-data-tests-" + Guid.NewGuid().ToString("N"));

    public AdapterRobustnessTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Folder(string name, string file, string content)
    {
        var dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, file), content);
        return dir;
    }

    [Fact]
    public void BadRowsAreSkippedAndReportedWithLineNumbers()
    {
        var dir = Folder("davidson_hate_offensive", "labeled_data.csv",
            ",count,hate_speech,offensive_language,neither,class,tweet\n" +
            "0,3,0,0,3,2,fine tweet\n" +
            "1,3,x,0,3,2,bad count\n" +          // line 3: not a number
            "2,3,0\n" +                           // line 4: too few fields
            "3,4,1,2,1,1,\"multi\nline\"\n" +     // lines 5-6
            "4,3,0,0,3,2,fine tweet\n" +          // duplicate text
            "5,3,0,0,3,2,   \n");                 // empty text
        var seen = new List<SkippedRow>();
        var report = new LoadReport { OnSkipped = seen.Add };
        var records = new DavidsonAdapter().Load(dir, report).ToList();

        Assert.Equal(["0", "3"], records.Select(r => r.Id));
        Assert.Equal("multi\nline", records[1].Text);
        Assert.Equal(0.75f, records[1].Labels[HarmAttribute.Toxicity]);
        Assert.Equal(0.25f, records[1].Labels[HarmAttribute.IdentityAttack]);
        Assert.Equal(3, report.SkippedRows);
        Assert.Equal(1, report.DuplicateTexts);
        Assert.Equal([3L, 4L], report.Skipped.Where(s => s.File == "labeled_data.csv").Select(s => s.Line));
        Assert.Equal(3, seen.Count);
    }

    [Fact]
    public void OfficialTestTextNeverReappearsInTrain()
    {
        var dir = Folder("germeval2018", "germeval2018.test.txt", "same text\tOTHER\tOTHER\ntest only\tOFFENSE\tINSULT\n");
        File.WriteAllText(Path.Combine(dir, "germeval2018.training.txt"), "same text\tOTHER\tOTHER\ntrain only\tOFFENSE\tPROFANITY\nbroken line\n");
        var report = new LoadReport();
        var records = new GermEval2018Adapter().Load(dir, report).ToList();
        Assert.Equal(["same text", "test only", "train only"], records.Select(r => r.Text));
        Assert.Equal(Split.Test, records[0].Split);
        Assert.NotEqual(Split.Test, records[2].Split);
        Assert.Equal(1, report.DuplicateTexts);
        Assert.Equal(1, report.SkippedRows);
    }

    [Fact]
    public void TestOnlyAdapterNeverYieldsTrainEvenIfItsReadDoes()
    {
        var adapter = new LeakyAdapter();
        Assert.All(adapter.Load(_root).ToList(), r => Assert.Equal(Split.Test, r.Split));
    }

    private sealed class LeakyAdapter : DatasetAdapter
    {
        public override DatasetInfo Info { get; } = new("leaky", "", ["en"], "NC", DatasetUse.TestOnly, [], "");

        protected override IEnumerable<LabeledText> Read(LoadContext context)
        {
            yield return context.Record("1", "a", "en", new AttributeLabels(), Split.Train);
            yield return context.Record("2", "b", "en", new AttributeLabels(), Split.Validation);
        }
    }

    [Fact]
    public void RegistryListsUnregisteredFoldersAndRegistersNewAdapters()
    {
        Folder("new_set", "x.txt", "");
        var registry = new DatasetRegistry(_root, []);
        Assert.Equal(["new_set"], registry.UnregisteredFolders());
        registry.Register(new LeakyAdapter());
        Assert.Equal("leaky", Assert.Single(registry.List()).Name);
        Assert.Throws<KeyNotFoundException>(() => registry.Get("nope"));
    }
}
