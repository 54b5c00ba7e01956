using System.Text;
using Warden.Data.Io;

namespace Warden.Data.Tests;

public class TextInputTests
{
    /// <summary>
    /// JSONL lines are parsed in blocks on all cores: rows must still come out in file order, with their own line numbers,
    /// ids and errors, across block boundaries, blank lines and a short last block.
    /// </summary>
    [Theory]
    [InlineData(10)]
    [InlineData(1024)]
    [InlineData(2500)]
    public void Jsonl_rows_keep_order_line_numbers_ids_and_errors_across_parallel_blocks(int lines)
    {
        var file = new StringBuilder();
        var expected = new List<(long Line, string? Text, string? Error, long? Id)>();
        for (var line = 1; line <= lines; line++)
        {
            switch (line % 97)
            {
                case 13: file.AppendLine(); break; // blank: not a row
                case 29: file.AppendLine("{\"id\": 1, \"text\": "); expected.Add((line, null, "invalid JSON", null)); break;
                case 41: file.AppendLine($"{{\"id\": {line}, \"body\": \"x\"}}"); expected.Add((line, null, "no 'text' field", line)); break;
                default: file.AppendLine($"{{\"id\": {line}, \"text\": \"text of line {line} ü\"}}"); expected.Add((line, $"text of line {line} ü", null, line)); break;
            }
        }
        var rows = TextInput.ReadFrom(new StringReader(file.ToString()), InputFormat.JsonLines).ToList();
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var (line, text, error, id) = expected[i];
            Assert.Equal(line, rows[i].LineNumber);
            Assert.Equal(text, rows[i].Text);
            if (error is null) Assert.Null(rows[i].Error);
            else Assert.StartsWith(error, rows[i].Error);
            Assert.Equal(id, rows[i].Id is null ? null : (long?)rows[i].Id!.GetValue<long>());
        }
    }
}
