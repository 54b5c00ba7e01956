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
        // 74,141 lines, plus the repeated training lines of Japanese (329, three times) and Chinese (583, twice).
        Assert.Equal(74_141 + 2 * 329 + 583, rows.Count);
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
    public void Small_languages_are_repeated_up_to_the_usual_weight_and_only_in_training()
    {
        var rows = Rows.Value;
        int Train(string language) => rows.Count(r => r.Language == language && r.Split == Split.Train);
        Assert.Equal(800, Train("de"));
        Assert.Equal(987, Train("ja"));   // 329 lines, three times
        Assert.Equal(1166, Train("zh"));  // 583 lines, twice
        Assert.All(rows.Where(r => r.Id.Contains('#')), r => Assert.Equal(Split.Train, r.Split));
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
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
