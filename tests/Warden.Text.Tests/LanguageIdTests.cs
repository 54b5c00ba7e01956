using Warden.Core;
using Warden.Text.LanguageId;

namespace Warden.Text.Tests;

public class LanguageIdTests
{
    private static LanguageIdentifier Shipped => LanguageIdentifier.LoadDefault();

    [Theory]
    [InlineData("en", "The committee will publish its final report on the new railway line next week.")]
    [InlineData("de", "Die Stadtverwaltung hat gestern beschlossen, die alte Brücke im nächsten Jahr abzureißen.")]
    [InlineData("fr", "Le gouvernement a annoncé hier une nouvelle réforme des retraites pour l'année prochaine.")]
    [InlineData("es", "El ayuntamiento ha decidido cerrar la biblioteca municipal durante todo el mes de agosto.")]
    [InlineData("it", "Il governo ha approvato ieri sera la nuova legge sulla scuola e sull'università.")]
    [InlineData("pt", "O governo anunciou ontem que vai aumentar o salário mínimo no próximo ano.")]
    [InlineData("nl", "De gemeente heeft besloten om de oude brug volgend jaar te vervangen door een nieuwe.")]
    [InlineData("tr", "Belediye başkanı dün yaptığı açıklamada yeni parkın gelecek ay açılacağını söyledi.")]
    [InlineData("pl", "Rząd zapowiedział wczoraj, że w przyszłym roku podniesie płacę minimalną.")]
    [InlineData("ru", "Вчера правительство объявило о повышении минимальной заработной платы в следующем году.")]
    [InlineData("uk", "Уряд учора оголосив про підвищення мінімальної заробітної плати в наступному році.")]
    [InlineData("ar", "أعلنت الحكومة أمس عن زيادة الحد الأدنى للأجور في العام المقبل.")]
    [InlineData("hi", "सरकार ने कल घोषणा की कि अगले साल न्यूनतम वेतन बढ़ाया जाएगा।")]
    [InlineData("zh", "政府昨天宣布明年将提高最低工资标准。")]
    [InlineData("ja", "政府は昨日、来年の最低賃金を引き上げると発表しました。")]
    [InlineData("ko", "정부는 어제 내년 최저임금을 인상한다고 발표했다.")]
    [InlineData("el", "Η κυβέρνηση ανακοίνωσε χθες την αύξηση του κατώτατου μισθού.")]
    [InlineData("he", "הממשלה הודיעה אתמול על העלאת שכר המינימום בשנה הבאה.")]
    [InlineData("th", "รัฐบาลประกาศเมื่อวานนี้ว่าจะขึ้นค่าแรงขั้นต่ำในปีหน้า")]
    [InlineData("sv", "Regeringen meddelade i går att minimilönen ska höjas nästa år.")]
    [InlineData("fa", "دولت دیروز اعلام کرد که حداقل دستمزد در سال آینده افزایش می‌یابد.")]
    [InlineData("vi", "Chính phủ hôm qua thông báo sẽ tăng lương tối thiểu vào năm tới.")]
    public void Shipped_model_identifies_clear_sentences(string expected, string text)
    {
        ILanguageIdentifier id = Shipped;
        var (lang, confidence) = id.IdentifyWithConfidence(text);
        Assert.Equal(expected, lang);
        Assert.InRange(confidence, Shipped.Threshold, 1f);
        Assert.Equal(expected, id.Identify(text));
    }

    [Fact]
    public void Romanised_hindi_is_reported_as_hi()
    {
        var p = Shipped.Predict("bhai tum log kya kar rahe ho, ye sab bakwas hai yaar");
        Assert.Equal("hi", p.Language);
        Assert.Equal("hi-Latn", p.Label);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!! ??? ...")]
    [InlineData("😂😂😂 👍")]
    [InlineData("http://example.com/some/path")]
    [InlineData("@someone_else")]
    [InlineData("12345 678")]
    public void Und_for_texts_without_language(string text)
    {
        var (lang, confidence) = Shipped.IdentifyWithConfidence(text);
        Assert.Equal("und", lang);
        Assert.Equal(0f, confidence);
    }

    [Fact]
    public void Script_shortcuts()
    {
        Assert.Equal("ko", Shipped.Identify("ㅋㅋㅋ 진짜"));
        Assert.Equal("ja", Shipped.Identify("カタカナ"));
        Assert.Equal("zh", Shipped.Identify("你好"));
        Assert.Equal("hy", Shipped.Identify("Բարեւ Ձեզ"));
        Assert.Equal("ka", Shipped.Identify("გამარჯობა"));
    }

    [Fact]
    public void Identification_is_thread_safe_and_deterministic()
    {
        string[] texts = ["Das ist ein Test", "This is a test", "C'est un test", "Это тест", "To jest test", "Bu bir test"];
        var expected = texts.Select(Shipped.IdentifyWithConfidence).ToArray();
        var results = new (string, float)[texts.Length];
        Parallel.For(0, 6000, i => results[i % texts.Length] = Shipped.IdentifyWithConfidence(texts[i % texts.Length]));
        Assert.Equal(expected, results);
    }

    [Fact]
    public void Shipped_model_round_trips_through_bytes()
    {
        var path = LanguageIdentifier.FindDefaultModelPath();
        Assert.NotNull(path);
        var bytes = File.ReadAllBytes(path);
        var model = LanguageIdModel.FromBytes(bytes);
        Assert.Equal(bytes, model.ToBytes());
        Assert.True(bytes.Length <= 5 * 1024 * 1024, $"model is {bytes.Length} bytes");
        Assert.True(model.Classes.Count >= 75);
    }

    [Fact]
    public void Corrupt_model_is_rejected()
    {
        var bytes = LanguageIdModel.Load(LanguageIdentifier.FindDefaultModelPath()!).ToBytes();
        bytes[100] ^= 0x55;
        Assert.Throws<InvalidDataException>(() => LanguageIdModel.FromBytes(bytes));
        Assert.Throws<InvalidDataException>(() => LanguageIdModel.FromBytes(bytes.AsSpan(0, 20).ToArray()));
    }

    [Fact]
    public void Model_is_copied_to_the_output_directory()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "models", "langid", "langid.bin")));
    }

    // ---------------------------------------------------------------- training on a small synthetic corpus

    private static string MakeCorpus()
    {
        // Hermetic: a few made-up sentences per language, no dependency on the shared datasets.
        var dir = Path.Combine(Path.GetTempPath(), "warden-langid-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var words = new Dictionary<string, string[]>
        {
            ["en"] = ["the", "house", "is", "very", "big", "and", "we", "have", "a", "dog", "with", "which", "they", "would"],
            ["de"] = ["das", "haus", "ist", "sehr", "groß", "und", "wir", "haben", "einen", "hund", "mit", "welche", "sie", "würden"],
            ["nl"] = ["het", "huis", "is", "heel", "groot", "en", "wij", "hebben", "een", "hond", "met", "welke", "zij", "zouden"],
            ["ru"] = ["этот", "дом", "очень", "большой", "и", "мы", "имеем", "собаку", "с", "которые", "они", "были"],
            ["uk"] = ["цей", "будинок", "дуже", "великий", "і", "ми", "маємо", "собаку", "з", "які", "вони", "були"],
            ["ko"] = ["이", "집은", "아주", "크고", "우리는", "개가", "있다"],
        };
        foreach (var (lang, ws) in words)
        {
            var lines = new List<string>();
            for (int i = 0; i < 60; i++)
                lines.Add(string.Join(' ', Enumerable.Range(0, 6 + i % 5).Select(k => ws[(i * 7 + k * 3) % ws.Length])) + ".");
            File.WriteAllText(Path.Combine(dir, lang + ".txt"), string.Join('\n', lines) + "\n");
        }
        return dir;
    }

    private static readonly LanguageIdTrainingOptions SmallOptions = new() { HashBits = 12, IncludeRomanizedHindi = false, Alphas = [0.1, 0.5] };

    [Fact]
    public void Training_is_deterministic()
    {
        var dir = MakeCorpus();
        try
        {
            var a = LanguageIdTrainer.Train(dir, 7, SmallOptions).ToBytes();
            var b = LanguageIdTrainer.Train(dir, 7, SmallOptions).ToBytes();
            Assert.Equal(a, b);
            var c = LanguageIdTrainer.Train(dir, 8, SmallOptions).ToBytes();
            Assert.NotEqual(a, c); // the seed is the feature-hash seed
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void TrainAndSave_writes_model_card_and_a_loadable_model()
    {
        var dir = MakeCorpus();
        var outDir = Path.Combine(dir, "out");
        try
        {
            var report = LanguageIdTrainer.TrainAndSave(dir, Path.Combine(outDir, "langid.bin"), 3, TextWriter.Null, SmallOptions);
            Assert.Equal(6, report.Languages.Count);
            Assert.True(report.LongAccuracy > 0.9, report.ToMarkdown());
            Assert.Contains("| en |", report.ToMarkdown());
            Assert.True(File.Exists(Path.Combine(outDir, "MODEL_CARD.md")));
            var id = LanguageIdentifier.Load(Path.Combine(outDir, "langid.bin"));
            Assert.Equal("de", id.Identify("wir haben einen hund und das haus ist groß"));
            Assert.Equal("uk", id.Identify("ми маємо собаку і цей будинок дуже великий"));
            Assert.Equal("ko", id.Identify("우리는 개가 있다"));
            Assert.Equal("und", id.Identify("😂"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Informal_texts_train_the_identifier_and_are_reported_apart()
    {
        var dir = MakeCorpus();
        try
        {
            // Slang the sentence files never show: only the informal texts can teach it.
            (string, string)[] slang = [("de", "krass alter voll geil digga"), ("nl", "echt vet man gewoon chill joh")];
            var informal = new InformalTexts(
                [.. Enumerable.Repeat(slang, 20).SelectMany(x => x)], [], [("de", "digga voll krass"), ("nl", "joh echt chill"), ("xx", "skipped")], "test texts");
            var without = LanguageIdTrainer.TrainWithReport(dir, 3, SmallOptions with { Informal = informal with { Train = [] } });
            var with = LanguageIdTrainer.TrainWithReport(dir, 3, SmallOptions with { Informal = informal });
            Assert.Equal(2, with.Report.Informal!.TestSentences); // the unknown language is skipped
            Assert.Equal(1.0, with.Report.Informal.LongAccuracy);
            Assert.True(without.Report.Informal!.LongAccuracy < 1.0, without.Report.InformalMarkdown());
            Assert.Contains("| de | 1 |", with.Report.InformalMarkdown());
            Assert.Null(LanguageIdTrainer.TrainWithReport(dir, 3, SmallOptions).Report.Informal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData("Short one", "Short one")]
    [InlineData("The committee will publish its report", "The committee will")]
    [InlineData("政府昨天宣布明年将提高最低工资标准，这是一个很长的句子。", "政府昨天宣布明年将提高最低工资标准，这是")]
    public void Short_prefix_is_whole_words_up_to_20_chars(string sentence, string expected) =>
        Assert.Equal(expected, LanguageIdTrainer.ShortPrefix(sentence));
}
