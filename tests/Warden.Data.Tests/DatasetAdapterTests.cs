using Warden.Core;
using Warden.Data.Datasets;
using static Warden.Core.HarmAttribute;

namespace Warden.Data.Tests;

/// <summary>Every adapter against its real data: counts per split, label ranges, split rules, ids.</summary>
public class DatasetAdapterTests
{
    /// <summary>
    /// Records per split after the shared rules (docs/label-mapping.md, "Counts"): duplicates dropped, bad rows
    /// skipped, unmapped rows left out. The SOURCE.md row count = records + duplicates + skipped + unmapped.
    /// </summary>
    public static TheoryData<string, int, int, int, int, int, int, int> Expected => new()
    {
        // name, train, validation, test, source rows, duplicates, skipped, unmapped
        { "davidson_hate_offensive", 19_719, 2_545, 2_519, 24_783, 0, 0, 0 },
        { "olid", 11_905, 1_298, 849, 13_240 + 860, 48, 0, 0 },
        { "stormfront_hate_speech", 8_396, 1_027, 1_111, 10_944, 169, 0, 168 + 73 },
        { "convabuse", 1_660, 583, 669, 4_185, 1_273, 0, 0 },
        { "fox_news_hate_comments", 1_224, 135, 161, 1_528, 8, 0, 0 },
        { "civil_comments_toxic_spans", 12_833, 1_561, 1_540, 16_100, 166, 0, 0 },
        { "wikipedia_toxicity_identity_testset", 0, 0, 1_492, 1_492, 0, 0, 0 },
        { "realtoxicityprompts_sample", 3_762, 483, 519, (1_196 + 1_200) * 2, 9, 0, 19 },
        { "mlma_hate_speech", 10_403, 1_315, 1_285, 5_647 + 4_014 + 3_353, 11, 0, 0 },
        { "trac1_aggression", 20_842, 2_235, 5_926, 12_000 + 3_001 + 12_000 + 3_001, 998, 1, 0 },
        { "i2p_inappropriate_image_prompts", 3_544, 431, 487, 4_703, 241, 0, 0 },
        { "germeval2018", 4_528, 481, 3_532, 5_009 + 3_532, 0, 0, 0 },
        { "germeval2026_violence", 0, 0, 16_301, 16_431, 0, 0, 130 },
        { "told_br", 16_632, 2_073, 2_108, 21_000, 187, 0, 0 },
        { "hateval2019", 0, 0, 15_000, 4_500 + 500 + 9_000 + 1_000, 0, 0, 0 },
        { "haspeede2018", 0, 0, 5_942, 6_000, 58, 0, 0 },
        { "poleval2019_cyberbullying", 9_022, 1_004, 1_000, 10_041 + 1_000, 15, 0, 0 },
        { "russian_distorted_toxicity", 2_292, 281, 252, 3_000, 71, 104, 0 },
        { "offenseval2020_turkish", 28_506, 3_240, 3_528, 31_756 + 3_528, 10, 0, 0 },
        { "cold_chinese_offensive", 25_590, 6_415, 5_320, 37_480, 155, 0, 0 },
        { "korean_hate_speech", 7_130, 766, 471, 7_896 + 471, 0, 0, 0 },
        { "xsafety", 8_139, 979, 879, 27_999 + 200 + 1, 2, 1, 18_200 },
        { "multijail", 1_398, 230, 150, 315 * 10, 2, 0, 1_370 },
        { "harmful_behavior_benchmarks", 95, 13, 14, 520 + 320 + 80 + 100 + 313, 2, 0, 1_209 },
        { "holistic_bias", 15_974, 2_006, 2_020, 20_000, 0, 0, 0 },
        { "xstest", 0, 0, 450, 450, 0, 0, 0 },
        { "simple_safety_tests", 0, 0, 100, 100, 0, 0, 0 },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void CountsPerSplitMatchTheSource(string name, int train, int validation, int test, int sourceRows, int duplicates, int skipped, int unmapped)
    {
        var (records, report) = RealDatasets.Load(name);
        Assert.Equal(train, records.Count(r => r.Split == Split.Train));
        Assert.Equal(validation, records.Count(r => r.Split == Split.Validation));
        Assert.Equal(test, records.Count(r => r.Split == Split.Test));
        Assert.Equal(duplicates, report.DuplicateTexts);
        Assert.Equal(skipped, report.SkippedRows);
        Assert.Equal(unmapped, report.UnmappedRows);
        Assert.Equal(sourceRows, records.Count + duplicates + skipped + unmapped);
    }

    /// <summary>Sets whose source rows are not simply rows (posts per user, sentences per prompt, generated sentences).</summary>
    [Theory]
    [InlineData("reddit_cssrs_suicide", 5_954, 642, 729)]
    [InlineData("toxigen_prompts", 799, 90, 102)]
    [InlineData("bold", 18_399, 2_014, 1_888)]
    public void CountsPerSplitOfDerivedSets(string name, int train, int validation, int test)
    {
        var records = RealDatasets.Load(name).Records;
        Assert.Equal(train, records.Count(r => r.Split == Split.Train));
        Assert.Equal(validation, records.Count(r => r.Split == Split.Validation));
        Assert.Equal(test, records.Count(r => r.Split == Split.Test));
    }

    public static TheoryData<string> LabelledNames => new(DatasetRegistry.BuiltInAdapters()
        .Where(a => a.Info.Use is DatasetUse.Train or DatasetUse.TestOnly or DatasetUse.Eval).Select(a => a.Info.Name));

    [Theory]
    [MemberData(nameof(LabelledNames))]
    public void RecordsAreWellFormed(string name)
    {
        var (records, _) = RealDatasets.Load(name);
        var info = RealDatasets.Registry.Get(name).Info;
        Assert.NotEmpty(records);
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct().Count());
        Assert.Equal(records.Count, records.Select(r => r.Text).Distinct().Count());
        foreach (var r in records)
        {
            Assert.Equal(name, r.Dataset);
            Assert.False(string.IsNullOrWhiteSpace(r.Text));
            Assert.Equal(r.Text.Trim(), r.Text);
            Assert.Contains(r.Language, info.Languages);
            foreach (var attribute in HarmAttributes.All)
            {
                var v = r.Labels[attribute];
                Assert.True(float.IsNaN(v) || v is >= 0f and <= 1f, $"{r.Id}: {attribute} = {v}");
                if (!float.IsNaN(v)) Assert.Contains(attribute, info.Attributes);
            }
            if (info.Use == DatasetUse.Train) Assert.True(r.Labels.Any(), $"{r.Id} has no label");
            if (r.TargetGroup is not null) Assert.Equal(r.TargetGroup.ToLowerInvariant(), r.TargetGroup);
        }
    }

    [Theory]
    [MemberData(nameof(LabelledNames))]
    public void TestOnlyAndEvalSetsNeverYieldTrainOrValidation(string name)
    {
        var info = RealDatasets.Registry.Get(name).Info;
        if (info.Use is not (DatasetUse.TestOnly or DatasetUse.Eval)) return;
        Assert.All(RealDatasets.Load(name).Records, r => Assert.Equal(Split.Test, r.Split));
        Assert.Empty(RealDatasets.Registry.Load(name, Split.Train));
    }

    [Fact]
    public void LicenceRestrictedAndEvalSetsAreNotTrainable()
    {
        var use = RealDatasets.Registry.List().ToDictionary(i => i.Name, i => i.Use);
        Assert.Equal(DatasetUse.TestOnly, use["hateval2019"]);
        Assert.Equal(DatasetUse.TestOnly, use["haspeede2018"]);
        Assert.Equal(DatasetUse.TestOnly, use["germeval2026_violence"]);
        Assert.Equal(DatasetUse.Eval, use["xstest"]);
        Assert.Equal(DatasetUse.Eval, use["simple_safety_tests"]);
        Assert.Equal(DatasetUse.Lexicon, use["ldnoobw"]);
        Assert.Equal(DatasetUse.LanguageId, use["lingua_langid_sentences"]);
        Assert.DoesNotContain("xstest", RealDatasets.Registry.TrainingDatasets);
        Assert.DoesNotContain("hateval2019", RealDatasets.Registry.TrainingDatasets);
    }

    [Fact]
    public void EveryDatasetFolderHasAnAdapter() => Assert.Empty(RealDatasets.Registry.UnregisteredFolders());

    [Fact]
    public void LoadingIsDeterministic()
    {
        var first = RealDatasets.Registry.Load("olid").Select(r => (r.Id, r.Split)).ToList();
        var second = RealDatasets.Registry.Load("olid").Select(r => (r.Id, r.Split)).ToList();
        Assert.Equal(first, second);
    }

    [Theory]
    [InlineData("olid", "testset-levela.tsv", 1)]
    [InlineData("germeval2018", "germeval2018.test.txt", 0)]
    [InlineData("offenseval2020_turkish", "offenseval-tr-testset-v1.tsv", 0)]
    [InlineData("cold_chinese_offensive", "test.csv", 1)]
    [InlineData("korean_hate_speech", "dev.tsv", 1)]
    public void OfficialTestRowsAreTestAndTheirTextsNeverInTrain(string name, string testFile, int headerLines)
    {
        var records = RealDatasets.Load(name).Records;
        var testTexts = records.Where(r => r.Split == Split.Test).Select(r => r.Text).ToHashSet();
        Assert.DoesNotContain(records, r => r.Split != Split.Test && testTexts.Contains(r.Text));
        // every official test row is in Test (or is an exact duplicate of an earlier test row)
        var delimiter = testFile.EndsWith(".csv") ? ',' : '\t';
        var textColumn = name switch { "olid" => 1, "cold_chinese_offensive" => 5, "offenseval2020_turkish" => 1, _ => 0 };
        var sourceTexts = Io.DelimitedReader.ReadFile(Path.Combine(RealDatasets.Registry.DirectoryOf(name), testFile), delimiter, quoted: delimiter == ',')
            .Skip(headerLines).Select(r => r.Fields[textColumn].Trim()).ToList();
        Assert.All(sourceTexts, t => Assert.Contains(t, testTexts));
    }
}
