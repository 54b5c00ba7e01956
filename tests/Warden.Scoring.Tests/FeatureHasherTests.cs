using Warden.Scoring.Fast;

namespace Warden.Scoring.Tests;

public class FeatureHasherTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "a",
        "you are an idiot",
        "  leading and trailing  spaces  ",
        "das ist ein schöner tag",
        "这个 真的 很好",
        "정말 좋다 😀 emoji",
        string.Join(' ', Enumerable.Repeat("word", 500)),
        new string('x', 3000),
        "a b c d e f g h i j k l m n o p",
    };

    private static int[] Extract(FeatureHasher hasher, string text, string? language = null)
    {
        var buffer = new int[hasher.MaxFeatures(text.Length)];
        var count = hasher.Extract(text, buffer, FeatureHasher.LanguageSalt(language));
        Assert.InRange(count, 0, hasher.MaxFeatures(text.Length));
        return buffer[..count];
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Extraction_is_deterministic_across_instances(string text)
    {
        var first = Extract(new FeatureHasher(16), text);
        var again = Extract(new FeatureHasher(16), text);
        var sameInstanceTwice = new FeatureHasher(16);
        Assert.Equal(first, again);
        Assert.Equal(Extract(sameInstanceTwice, text), Extract(sameInstanceTwice, text));
    }

    /// <summary>
    /// The features as the first models were trained on them, finished one by one: the batched SIMD finaliser must
    /// give the same indices in the same order, or every shipped model would silently read the wrong weights.
    /// </summary>
    private static List<int> Reference(ReadOnlySpan<char> text, int bits, int minN, int maxN, bool trim, bool skipBlank)
    {
        static uint Avalanche(uint h) { h ^= h >> 16; h *= 0x85EBCA6Bu; h ^= h >> 13; h *= 0xC2B2AE35u; h ^= h >> 16; return h; }
        int Finish(uint h, uint kind) => (int)(Avalanche(h ^ kind * 0x85EBCA6Bu) & (uint)((1 << bits) - 1));
        var padded = " " + text.ToString() + " ";
        var features = new List<int>();
        for (var i = 0; i < padded.Length; i++)
        {
            uint h = 2166136261;
            var blank = skipBlank;
            for (var n = 1; n <= maxN && i + n <= padded.Length; n++)
            {
                h = (h ^ padded[i + n - 1]) * 16777619;
                blank &= padded[i + n - 1] == ' ';
                if (n >= minN && !blank) features.Add(Finish(h, (uint)n));
            }
        }
        uint previous = 0;
        foreach (var token in text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var word = FeatureHasher.WordHash(trim ? FeatureHasher.TrimEdges(token) : token);
            features.Add(Finish(word, 101));
            if (previous != 0) features.Add(Finish(word * 31 + previous * 0x9E3779B1u, 102));
            previous = word;
        }
        return features;
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Batched_finishing_gives_the_indices_of_finishing_each_hash_alone(string text)
    {
        foreach (var (bits, min, max, trim, skip) in new[] { (20, 2, 5, true, true), (16, 1, 8, false, false), (12, 3, 3, true, false) })
        {
            var hasher = new FeatureHasher(bits, min, max) { TrimWordPunctuation = trim, SkipBlankCharNgrams = skip };
            Assert.Equal(Reference(text, bits, min, max, trim, skip), Extract(hasher, text));
        }
        var random = new Random(11);
        var shapes = new[] { (2, 5, true), (1, 5, true), (1, 8, false), (3, 3, true), (1, 1, true) };
        for (var k = 0; k < 200; k++)
        {
            // Lengths 0..40 cover every remainder of the eight-wide loops (n-gram hashing and finishing); a few texts
            // over 1,024 characters take the rented buffer; runs of spaces make blank n-grams inside a block.
            var length = k % 20 == 0 ? 1000 + random.Next(100) : random.Next(41);
            var chars = Enumerable.Range(0, length).Select(_ => "  abcxyz!ü😀"[random.Next(12)]).ToArray();
            var (min, max, skip) = shapes[k % shapes.Length];
            var hasher = new FeatureHasher(18, min, max) { TrimWordPunctuation = true, SkipBlankCharNgrams = skip };
            Assert.Equal(Reference(new string(chars), 18, min, max, true, skip), Extract(hasher, new string(chars)));
        }
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Indices_are_within_the_buckets_and_count_within_MaxFeatures(string text)
    {
        foreach (var bits in new[] { 10, 12, 14, 20 })
        {
            foreach (var (min, max) in new[] { (2, 5), (1, 8), (3, 3) })
            {
                var hasher = new FeatureHasher(bits, min, max);
                // A buffer exactly MaxFeatures long, with a language's word features: Extract would throw IndexOutOfRange if the bound were wrong.
                var buffer = new int[hasher.MaxFeatures(text.Length)];
                var count = hasher.Extract(text, buffer, FeatureHasher.LanguageSalt("de"));
                Assert.InRange(count, 0, hasher.MaxFeatures(text.Length));
                Assert.All(buffer[..count], f => Assert.InRange(f, 0, hasher.Buckets - 1));
            }
        }
    }

    [Fact]
    public void Empty_text_yields_only_the_padding_ngram()
    {
        var hasher = new FeatureHasher(12);
        var features = Extract(hasher, "");
        // " " + "" + " " has one 2-gram and no words.
        Assert.Single(features);
        Assert.InRange(features[0], 0, hasher.Buckets - 1);
    }

    [Fact]
    public void Feature_count_matches_the_ngram_and_word_arithmetic()
    {
        var hasher = new FeatureHasher(14, 2, 5);
        const string text = "ab cd";
        // padded " ab cd " = 7 chars: n-grams of length 2..5 = 6 + 5 + 4 + 3 = 18; 2 unigrams + 1 bigram.
        Assert.Equal(18 + 3, Extract(hasher, text).Length);
    }

    [Fact]
    public void Different_texts_give_different_features_and_word_feature_is_the_unigram()
    {
        var hasher = new FeatureHasher(20);
        Assert.NotEqual(Extract(hasher, "you are nice"), Extract(hasher, "you are vile"));
        Assert.Contains(hasher.WordFeature("idiot"), Extract(hasher, "such an idiot"));
        Assert.DoesNotContain(hasher.WordFeature("idiot"), Extract(hasher, "such an angel"));
    }

    [Fact]
    public void Word_characters_are_letters_digits_and_combining_marks_in_every_plane_zero_character()
    {
        for (var c = char.MinValue; c < char.MaxValue; c++)
        {
            var expected = char.IsLetterOrDigit(c) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c)
                is System.Globalization.UnicodeCategory.NonSpacingMark or System.Globalization.UnicodeCategory.SpacingCombiningMark or System.Globalization.UnicodeCategory.EnclosingMark;
            Assert.True(expected == FeatureHasher.IsWordChar(c), $"U+{(int)c:X4}");
        }
    }

    [Fact]
    public void WordHash_is_never_zero()
    {
        foreach (var w in new[] { "", "a", "idiot", "\u0001", "zzzzzz" })
            Assert.NotEqual(0u, FeatureHasher.WordHash(w));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(27)]
    public void Rejects_bucket_bits_out_of_range(int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeatureHasher(bits));

    [Fact]
    public void Pipeline_buffer_bound_holds_with_a_lexicon_hit_on_every_word()
    {
        var pipeline = new FeaturePipeline(new FeatureHasher(12), ["shit", "fuck", "bad word"]);
        var text = string.Join(' ', Enumerable.Repeat("shit fuck bad word", 50));
        var count = pipeline.Extract(text, out var buffer);
        try
        {
            var normalized = FeaturePipeline.ForFeatures(text);
            Assert.InRange(count, 1, pipeline.Hasher.MaxFeatures(normalized.Length) + normalized.Length / 2 + 2);
            Assert.All(buffer[..count], f => Assert.InRange(f, 0, pipeline.Hasher.Buckets - 1));
            Assert.True(pipeline.IsProfane("shit"));
            Assert.True(pipeline.IsProfaneBigram("bad", "word"));
            Assert.False(pipeline.IsProfane("nice"));
        }
        finally
        {
            System.Buffers.ArrayPool<int>.Shared.Return(buffer);
        }
    }

    [Fact]
    public void A_language_salt_adds_one_feature_per_word_of_two_or_more_characters_and_differs_per_language()
    {
        var hasher = new FeatureHasher(20) { TrimWordPunctuation = true };
        const string text = "il est en retard !";
        var plain = Extract(hasher, text);
        var french = Extract(hasher, text, "fr");
        var english = Extract(hasher, text, "en");
        // The shared features stay; words of two or more characters (il, est, en, retard; not "!") get one more each.
        var frenchOnly = Added(plain, french);
        var englishOnly = Added(plain, english);
        Assert.Equal(4, frenchOnly.Count);
        Assert.Equal(4, englishOnly.Count);
        Assert.Empty(frenchOnly.Intersect(englishOnly));
    }

    /// <summary>What <paramref name="more"/> holds beyond <paramref name="features"/>, counting repeats; fails if it lacks any of them.</summary>
    private static List<int> Added(int[] features, int[] more)
    {
        var rest = more.ToList();
        foreach (var f in features) Assert.True(rest.Remove(f), $"feature {f} is missing");
        return rest;
    }

    [Theory]
    [InlineData("und")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_language_has_no_salt_and_no_language_features(string? language) =>
        Assert.Equal(0u, FeatureHasher.LanguageSalt(language));

    [Fact]
    public void Pipeline_ignores_the_language_unless_the_model_uses_language_words()
    {
        var off = new FeaturePipeline(new FeatureHasher(16), ["shit"]);
        var on = new FeaturePipeline(new FeatureHasher(16), ["shit"]) { LanguageWords = true };
        int[] Features(FeaturePipeline pipeline, string? language)
        {
            var count = pipeline.Extract("tengo un gato negro", out var buffer, language: language);
            var features = buffer[..count].Order().ToArray();
            System.Buffers.ArrayPool<int>.Shared.Return(buffer);
            return features;
        }
        Assert.Equal(Features(off, null), Features(off, "es"));
        Assert.Equal(Features(off, null), Features(on, null));
        Assert.Equal(Features(off, null), Features(on, "und"));
        Assert.Equal(Features(off, null).Length + 4, Features(on, "es").Length);
    }
}
