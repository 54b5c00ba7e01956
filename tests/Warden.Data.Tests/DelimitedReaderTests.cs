using Warden.Data.Io;

namespace Warden.Data.Tests;

public class DelimitedReaderTests
{
    private static List<(long Line, string[] Fields)> Parse(string text, char delimiter = ',', bool quoted = true) =>
        DelimitedReader.Read(new StringReader(text), delimiter, quoted).ToList();

    [Fact]
    public void ReadsPlainRowsWithLineNumbers()
    {
        var rows = Parse("a,b,c\n1,2,3\n");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["a", "b", "c"], rows[0].Fields);
        Assert.Equal(["1", "2", "3"], rows[1].Fields);
        Assert.Equal(1, rows[0].Line);
        Assert.Equal(2, rows[1].Line);
    }

    [Fact]
    public void QuotedFieldsKeepDelimitersDoubledQuotesAndNewlines()
    {
        var rows = Parse("id,text\r\n1,\"hello, \"\"world\"\"\"\r\n2,\"two\r\nlines\nhere\"\r\n3,last");
        Assert.Equal(4, rows.Count);
        Assert.Equal("hello, \"world\"", rows[1].Fields[1]);
        Assert.Equal("two\r\nlines\nhere", rows[2].Fields[1]);
        Assert.Equal(3, rows[2].Line);
        // the field spans lines 3-5 (a CRLF counts once), so the next record starts on line 6
        Assert.Equal(6, rows[3].Line);
        Assert.Equal(["3", "last"], rows[3].Fields);
    }

    [Fact]
    public void EmptyFieldsAndLoneCarriageReturns()
    {
        var rows = Parse("a,,\r\"\",x\r");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["a", "", ""], rows[0].Fields);
        Assert.Equal(["", "x"], rows[1].Fields);
    }

    [Fact]
    public void NoTrailingEmptyRecordAfterFinalCrLf()
    {
        Assert.Single(Parse("only,row\r\n"));
        Assert.Empty(Parse(""));
    }

    [Fact]
    public void MalformedQuotesAreLenient()
    {
        // stray quote in an unquoted field is literal; text after a closing quote is kept
        var rows = Parse("ab\"c,\"x\"y\n");
        Assert.Equal(["ab\"c", "xy"], rows[0].Fields);
    }

    [Fact]
    public void UnterminatedQuoteRunsToEndAndIsFlagged()
    {
        var reader = new DelimitedReader(new StringReader("1,ok\n2,\"broken\n3,next\n"));
        Assert.True(reader.TryReadRecord(out var first));
        Assert.False(reader.LastRecordUnterminated);
        Assert.Equal(["1", "ok"], first);
        Assert.True(reader.TryReadRecord(out var second));
        Assert.True(reader.LastRecordUnterminated);
        Assert.Equal(2, reader.RecordLineNumber);
        Assert.Equal("broken\n3,next\n", second[1]);
        Assert.False(reader.TryReadRecord(out _));
    }

    [Fact]
    public void UnquotedModeTreatsQuotesAsText()
    {
        var rows = Parse("\"quoted\ttweet\n2\t\"open\n", '\t', quoted: false);
        Assert.Equal(2, rows.Count);
        Assert.Equal(["\"quoted", "tweet"], rows[0].Fields);
        Assert.Equal(["2", "\"open"], rows[1].Fields);
    }

    [Fact]
    public void LongInputCrossesBufferBoundaries()
    {
        var big = new string('x', 100_000);
        var rows = Parse($"\"{big}\"\r\n\"a\"\"b\"\r\n");
        Assert.Equal(2, rows.Count);
        Assert.Equal(big, rows[0].Fields[0]);
        Assert.Equal("a\"b", rows[1].Fields[0]);
    }

    [Fact]
    public void RejectsQuoteAsDelimiter() =>
        Assert.Throws<ArgumentException>(() => new DelimitedReader(new StringReader(""), '"'));
}
