using System.Text;
using Paygo.Rating.Files;

namespace Paygo.Rating.Tests.Files;

/// <summary>
/// The close's number patch: a file rendered with a placeholder in its number column and then
/// patched is, byte for byte, the file rendered with the number, whatever the other cells hold.
/// </summary>
public sealed class CsvColumnPatchTests
{
    private const string Placeholder = "G#########";
    private const string Number = "G000000042";

    public static TheoryData<string> Formats => ["daily", "recon"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Patched_IsTheFileRenderedWithTheNumber(string format)
    {
        var (table, column) = format == "daily"
            ? (DailyRatedUsageFile.Table, DailyRatedUsageFile.Table.IndexOf("InvoiceNumber"))
            : (InvoiceReconciliationFile.Table, InvoiceReconciliationFile.Table.IndexOf("InvoiceNumber"));
        var random = new Random(47);
        string[] awkward = ["", "plain", "a,b", "say \"hi\"", "line one\r\nline two", "\n", "\"", "\"\"", ",", "Müller ÄÖ €", "G#########", "trailing\r"];
        var rows = Enumerable.Range(0, 500)
            .Select(_ => Enumerable.Range(0, table.Count).Select(_ => awkward[random.Next(awkward.Length)]).ToArray())
            .ToList();

        var rendered = Render(table, rows, column, Placeholder);
        var patched = CsvColumnPatch.Replace(rendered, column, Encoding.UTF8.GetBytes(Placeholder), Encoding.UTF8.GetBytes(Number));

        Assert.Equal(rows.Count, patched);
        Assert.Equal(Render(table, rows, column, Number), rendered);
    }

    [Fact]
    public void Header_OnlyFile_PatchesNothing()
    {
        var rendered = Render(DailyRatedUsageFile.Table, [], 3, Placeholder);

        Assert.Equal(0, CsvColumnPatch.Replace(rendered, 3, Encoding.UTF8.GetBytes(Placeholder), Encoding.UTF8.GetBytes(Number)));
        Assert.Equal(Render(DailyRatedUsageFile.Table, [], 3, Number), rendered);
    }

    [Fact]
    public void A_CellThatIsNotThePlaceholder_IsRefused_NamingRowAndColumn()
    {
        var table = InvoiceReconciliationFile.Table;
        var rows = new List<string[]> { Enumerable.Repeat("x", table.Count).ToArray(), Enumerable.Repeat("y", table.Count).ToArray() };
        var rendered = Render(table, rows, 5, Placeholder);
        var second = Encoding.UTF8.GetString(rendered).LastIndexOf(Placeholder, StringComparison.Ordinal);
        rendered[second] = (byte)'H';

        var error = Assert.Throws<FormatException>(() => CsvColumnPatch.Replace(rendered, 5, Encoding.UTF8.GetBytes(Placeholder), Encoding.UTF8.GetBytes(Number)));

        Assert.Contains("Row 3, column 6", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_ValueOfAnotherLength_OrNeedingQuotes_IsRefused()
    {
        var file = Render(DailyRatedUsageFile.Table, [], 0, Placeholder);

        Assert.Throws<ArgumentException>(() => CsvColumnPatch.Replace(file, 0, "G###"u8, "G0000"u8));
        Assert.Throws<ArgumentException>(() => CsvColumnPatch.Replace(file, 0, "G,##"u8, "G000"u8));
    }

    private static byte[] Render(ColumnTable table, IReadOnlyList<string[]> rows, int column, string number)
    {
        using var stream = new MemoryStream();
        using (var writer = new CsvTableWriter(stream, table, leaveOpen: true))
        {
            foreach (var row in rows)
            {
                var cells = (string[])row.Clone();
                cells[column] = number;
                writer.WriteCells(cells);
            }
        }

        return stream.ToArray();
    }
}
