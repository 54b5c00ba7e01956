using Warden.Core;
using Warden.Data.Datasets;

namespace Warden.Data.Tests;

public class NeutralWebTextTests
{
    private static readonly Lazy<IReadOnlyList<LabeledText>> Rows = new(() => NeutralWebText.Load(RealDatasets.Registry.Root));

    [Fact]
    public void Every_language_file_gives_harmless_rows_in_its_own_language()
    {
        var rows = Rows.Value;
        Assert.Equal(75, rows.Select(r => r.Language).Distinct().Count());
        Assert.InRange(rows.Count, 74_000, 74_141);
        Assert.All(rows, r =>
        {
            Assert.Equal(NeutralWebText.DatasetName, r.Dataset);
            Assert.Equal(0f, r.Labels[HarmAttribute.Toxicity]);
            Assert.Equal(0f, r.Labels[HarmAttribute.IdentityAttack]);
            Assert.False(string.IsNullOrWhiteSpace(r.Text));
            Assert.StartsWith(r.Language + ":", r.Id);
        });
    }

    [Fact]
    public void One_line_in_five_is_held_out_and_none_is_validation()
    {
        var rows = Rows.Value;
        Assert.DoesNotContain(rows, r => r.Split == Split.Validation);
        var test = rows.Count(r => r.Split == Split.Test);
        Assert.InRange(test / (double)rows.Count, 0.19, 0.21);
        // Line 1 of each file is held out, line 2 trains.
        Assert.Equal(Split.Test, rows.Single(r => r.Id == "de:1").Split);
        Assert.Equal(Split.Train, rows.Single(r => r.Id == "de:2").Split);
    }

    [Fact]
    public void Missing_folder_gives_a_clear_error()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => NeutralWebText.Load(Path.Combine(Path.GetTempPath(), "no-such-datasets")));
        Assert.Contains(NeutralWebText.SourceDataset, e.Message);
    }
}
