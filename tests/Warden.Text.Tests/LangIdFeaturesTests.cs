using System.Runtime.Intrinsics;
using Warden.Text.LanguageId;

namespace Warden.Text.Tests;

public class LangIdFeaturesTests
{
    /// <summary>Collects buckets, from either path.</summary>
    private readonly struct Collector(List<int> buckets) : IVectorFeatureSink
    {
        public void Add(int bucket) => buckets.Add(bucket);

        public void Add(Vector256<int> packed, int count)
        {
            for (var i = 0; i < count; i++) buckets.Add(packed[i]);
        }
    }

    public static TheoryData<string> Texts => new()
    {
        "",
        "a",
        "The committee will publish its final report next week.",
        "a.b.c.d e-f g",
        "http://example.com @user mail@example.com www.example.org but these words count",
        "Ünïcödé wörds, çedillas and ß, straße",
        "Вчера правительство объявило о повышении зарплаты",
        "सरकार ने कल घोषणा की",
        "x" + new string('y', 60) + " " + new string('z', 48) + " " + new string('w', 49),
        "e\u0301te\u0301 combining marks",
        "中文 日本語 한국어 mixed with English",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void The_vectorised_extraction_gives_the_plain_extraction_s_buckets(string text) =>
        AssertSameBuckets(text);

    [Fact]
    public void The_two_extractions_agree_on_random_texts()
    {
        var random = new Random(17);
        const string alphabet = "abcxyzäöüß  .,!?@:/-'’01абвгαβ中日\u0301";
        for (var k = 0; k < 300; k++)
        {
            var length = k % 30 == 0 ? 500 + random.Next(1500) : random.Next(60);
            AssertSameBuckets(new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
        }
    }

    private static void AssertSameBuckets(string text)
    {
        const int bits = 16;
        const uint seed = 0x1234567u;
        var plain = new List<int>();
        var plainSink = new Collector(plain);
        var plainWords = LangIdFeatures.Extract(text, seed, bits, ref plainSink);
        var padded = new List<int>();
        var paddedSink = new Collector(padded);
        var paddedWords = LangIdFeatures.ExtractPadded(text, seed, bits, ref paddedSink);
        Assert.Equal(plainWords, paddedWords);
        Assert.Equal(plain.Order(), padded.Order());
    }
}
