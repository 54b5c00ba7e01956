using System.Text;

namespace Warden.Data.Io;

/// <summary>
/// A small RFC 4180 reader for CSV / TSV: quoted fields, delimiters and line breaks inside quotes, doubled
/// quotes ("") as an escaped quote; CRLF, LF and lone CR all end a record. It never throws on malformed input
/// (a stray quote inside an unquoted field is kept literally, text after a closing quote is appended, an
/// unterminated quote runs to the end of the input), so a caller can skip one bad row by its line number
/// (for example when its field count is wrong) instead of losing the whole file.
/// </summary>
public sealed class DelimitedReader
{
    private const int BufferSize = 64 * 1024;

    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly bool _quoted;
    private readonly char[] _buffer = new char[BufferSize];
    private int _position;
    private int _length;
    private long _line = 1;
    private bool _pendingCarriageReturn;

    /// <param name="reader">the text to parse</param>
    /// <param name="delimiter">',' for CSV, '\t' for TSV, ';' for some European exports</param>
    /// <param name="quoted">false for files written without quoting (many TSV shared-task files), where a '"' is ordinary text</param>
    public DelimitedReader(TextReader reader, char delimiter = ',', bool quoted = true)
    {
        if (delimiter is '"' or '\r' or '\n') throw new ArgumentException("the delimiter cannot be a quote or a line break", nameof(delimiter));
        _reader = reader;
        _delimiter = delimiter;
        _quoted = quoted;
    }

    /// <summary>1-based physical line on which the last record returned by <see cref="TryReadRecord"/> started.</summary>
    public long RecordLineNumber { get; private set; }

    /// <summary>True when the last record had a quoted field that the input ended inside (a likely corrupt row).</summary>
    public bool LastRecordUnterminated { get; private set; }

    /// <summary>Reads all records; each comes with the 1-based line number on which it starts.</summary>
    public static IEnumerable<(long LineNumber, string[] Fields)> Read(TextReader reader, char delimiter = ',', bool quoted = true)
    {
        var parser = new DelimitedReader(reader, delimiter, quoted);
        while (parser.TryReadRecord(out var fields))
            yield return (parser.RecordLineNumber, fields);
    }

    /// <summary>Reads a UTF-8 file (a byte-order mark is removed).</summary>
    public static IEnumerable<(long LineNumber, string[] Fields)> ReadFile(string path, char delimiter = ',', bool quoted = true)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: BufferSize);
        foreach (var record in Read(reader, delimiter, quoted))
            yield return record;
    }

    /// <summary>Reads the next record; false at the end of the input. An empty line is a record with one empty field.</summary>
    public bool TryReadRecord(out string[] fields)
    {
        fields = [];
        if (_pendingCarriageReturn && Fill())
        {
            // The previous record ended with CR: swallow the LF of a CRLF before looking for the next record.
            _pendingCarriageReturn = false;
            if (_buffer[_position] == '\n') _position++;
        }
        if (!Fill()) return false;

        RecordLineNumber = _line;
        LastRecordUnterminated = false;
        var result = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        var fieldWasQuoted = false;

        while (Fill())
        {
            var c = _buffer[_position++];
            if (_pendingCarriageReturn)
            {
                // A CR was seen: an LF right after it belongs to the same line break.
                _pendingCarriageReturn = false;
                if (c == '\n') { if (inQuotes) field.Append(c); continue; }
            }

            if (inQuotes)
            {
                if (c == '"')
                {
                    if (Fill() && _buffer[_position] == '"') { field.Append('"'); _position++; }
                    else inQuotes = false;
                }
                else
                {
                    if (c == '\n') _line++;
                    else if (c == '\r') { _line++; _pendingCarriageReturn = true; }
                    field.Append(c);
                }
                continue;
            }

            if (c == _delimiter)
            {
                result.Add(field.ToString());
                field.Clear();
                fieldWasQuoted = false;
            }
            else if (c == '\n' || c == '\r')
            {
                _line++;
                _pendingCarriageReturn = c == '\r';
                result.Add(field.ToString());
                fields = [.. result];
                return true;
            }
            else if (c == '"' && _quoted && field.Length == 0 && !fieldWasQuoted)
            {
                inQuotes = true;
                fieldWasQuoted = true;
            }
            else
            {
                field.Append(c);
            }
        }

        LastRecordUnterminated = inQuotes;
        result.Add(field.ToString());
        fields = [.. result];
        return true;
    }

    private bool Fill()
    {
        if (_position < _length) return true;
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
