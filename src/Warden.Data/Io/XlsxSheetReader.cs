using System.IO.Compression;
using System.Xml;

namespace Warden.Data.Io;

/// <summary>
/// Reads the cell texts of the first worksheet of an .xlsx file (a zip of XML parts). Only what the datasets
/// need: shared and inline strings and plain values, by row. No formulas, styles or dates.
/// </summary>
internal static class XlsxSheetReader
{
    private const string MainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// <summary>The cells of one column (e.g. "A") per 1-based row number, in row order.</summary>
    public static IEnumerable<(long Row, string Text)> ReadColumn(string path, string column)
    {
        using var zip = ZipFile.OpenRead(path);
        var sharedStrings = ReadSharedStrings(zip);
        var sheet = zip.GetEntry("xl/worksheets/sheet1.xml")
            ?? zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal))
                .OrderBy(e => e.FullName, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new InvalidDataException($"{path}: no worksheet");

        using var stream = sheet.Open();
        using var xml = XmlReader.Create(stream, new XmlReaderSettings { IgnoreWhitespace = false });
        while (xml.ReadToFollowing("c", MainNamespace))
        {
            var reference = xml.GetAttribute("r") ?? "";
            var type = xml.GetAttribute("t");
            var (cellColumn, row) = SplitReference(reference);
            if (cellColumn != column) continue;

            var text = ReadCellText(xml, type, sharedStrings);
            if (text is not null) yield return (row, text);
        }
    }

    private static string? ReadCellText(XmlReader xml, string? type, List<string> sharedStrings)
    {
        if (xml.IsEmptyElement) return null;
        var cell = xml.ReadSubtree();
        string? value = null;
        while (cell.Read())
        {
            if (cell.NodeType != XmlNodeType.Element) continue;
            if (cell.LocalName == "v") value = cell.ReadElementContentAsString();
            else if (cell.LocalName == "t") value = (value ?? "") + cell.ReadElementContentAsString();
        }
        if (type == "s" && int.TryParse(value, out var index))
            return index >= 0 && index < sharedStrings.Count ? sharedStrings[index] : null;
        return value;
    }

    private static List<string> ReadSharedStrings(ZipArchive zip)
    {
        var strings = new List<string>();
        var entry = zip.GetEntry("xl/sharedStrings.xml");
        if (entry is null) return strings;
        using var stream = entry.Open();
        using var xml = XmlReader.Create(stream);
        while (xml.ReadToFollowing("si", MainNamespace))
        {
            // A shared string is one <t> or several rich-text runs <r><t>..</t></r>; phonetic runs (<rPh>) are not text.
            var item = xml.ReadSubtree();
            var text = new System.Text.StringBuilder();
            var depthInPhonetic = 0;
            while (item.Read())
            {
                if (item.NodeType == XmlNodeType.Element && item.LocalName == "rPh") depthInPhonetic++;
                else if (item.NodeType == XmlNodeType.EndElement && item.LocalName == "rPh") depthInPhonetic--;
                else if (item.NodeType == XmlNodeType.Element && item.LocalName == "t" && depthInPhonetic == 0)
                    text.Append(item.ReadElementContentAsString());
            }
            strings.Add(text.ToString());
        }
        return strings;
    }

    private static (string Column, long Row) SplitReference(string reference)
    {
        var i = 0;
        while (i < reference.Length && char.IsAsciiLetter(reference[i])) i++;
        return (reference[..i], long.TryParse(reference.AsSpan(i), out var row) ? row : 0);
    }
}
