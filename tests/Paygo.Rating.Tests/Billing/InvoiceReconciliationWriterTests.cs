using System.Text;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;

namespace Paygo.Rating.Tests.Billing;

public sealed class InvoiceReconciliationWriterTests
{
    private static byte[] Write(InvoiceDocument invoice)
    {
        using var stream = new MemoryStream();
        InvoiceReconciliationWriter.Write(stream, invoice);
        return stream.ToArray();
    }

    [Fact]
    public void Write_EurInvoice_IsTheGoldenFileByteForByte()
    {
        var expected = File.ReadAllBytes(BillingSamples.GoldenPath("recon-G000000042-EUR.csv"));

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(Write(BillingSamples.Eur())));
    }

    [Fact]
    public void Write_JpyInvoice_IsTheGoldenFileByteForByte()
    {
        var expected = File.ReadAllBytes(BillingSamples.GoldenPath("recon-G000000042-JPY.csv"));

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(Write(BillingSamples.Jpy())));
    }

    [Fact]
    public void Write_SameInvoiceTwice_SameBytes()
    {
        Assert.Equal(Write(BillingSamples.Eur()), Write(BillingSamples.Eur()));
    }

    [Fact]
    public void Write_ReadBackWithTheTable_46ColumnsAndNoProblems()
    {
        var invoice = BillingSamples.Eur();
        using var stream = new MemoryStream(Write(invoice));

        var read = CsvTableReader.Read(stream, InvoiceReconciliationFile.Table, TestContext.Current.CancellationToken);

        Assert.True(read.Succeeded, string.Join("\n", read.Problems));
        Assert.Equal(46, InvoiceReconciliationFile.Table.Count);
        Assert.Equal(invoice.Lines.Count, read.Value!.Rows.Count);
        var fabrikam = read.Value.Rows[2];
        Assert.Equal("Fabrikam, Inc.", fabrikam["CustomerName"]);
        Assert.Equal("D2s v3 \"spot\"", fabrikam["MeterDescription"]);
        Assert.Equal("G000000042", fabrikam["InvoiceNumber"]);
        Assert.Equal("11/1/2026 12:00:00 AM", fabrikam["ChargeStartDate"]);
        Assert.Equal(invoice.Subtotal, read.Value.Rows.Sum(r => decimal.Parse(r["Subtotal"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(invoice.Total, read.Value.Rows.Sum(r => decimal.Parse(r["Total"], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Write_Amounts_HaveExactlyTheMinorUnit()
    {
        var eur = Encoding.UTF8.GetString(Write(BillingSamples.Eur()));
        var jpy = Encoding.UTF8.GetString(Write(BillingSamples.Jpy()));
        var eurSubtotal = InvoiceReconciliationWriter.Cells(BillingSamples.Eur(), BillingSamples.Eur().Lines[0])[InvoiceReconciliationFile.Table.IndexOf("Subtotal")];
        var jpySubtotal = InvoiceReconciliationWriter.Cells(BillingSamples.Jpy(), BillingSamples.Jpy().Lines[0])[InvoiceReconciliationFile.Table.IndexOf("Subtotal")];

        Assert.Matches(@"^\d+\.\d\d$", eurSubtotal);
        Assert.Matches(@"^\d+$", jpySubtotal);
        Assert.Contains(",EUR,", eur, StringComparison.Ordinal);
        Assert.Contains(",JPY,", jpy, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(15, "[\"15.0% Partner earned credit for services managed\"]")]
    [InlineData(0, "")]
    [InlineData(12.5, "[\"12.5% Partner earned credit for services managed\"]")]
    public void PriceAdjustmentDescription_AsPartnerCenterWritesIt(decimal percent, string expected)
    {
        Assert.Equal(expected, InvoiceReconciliationWriter.PriceAdjustmentDescription(percent));
    }

    [Fact]
    public void Write_PecLine_QuotesTheJsonArrayInTheCsv()
    {
        var text = Encoding.UTF8.GetString(Write(BillingSamples.Eur()));

        Assert.Contains(",\"[\"\"15.0% Partner earned credit for services managed\"\"]\",", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_UnroundedAmount_RefusedBeforeAnythingIsWritten()
    {
        var invoice = BillingSamples.Eur();
        var line = invoice.Lines[0] with { Subtotal = invoice.Lines[0].Subtotal + 0.001m, Total = invoice.Lines[0].Total + 0.001m };
        var broken = invoice with { Lines = [line, .. invoice.Lines.Skip(1)] };
        using var stream = new MemoryStream();

        var error = Assert.Throws<ArgumentException>(() => InvoiceReconciliationWriter.Write(stream, broken));

        Assert.Contains("line 1: Subtotal", error.Message, StringComparison.Ordinal);
        Assert.Contains("not the sum of its lines", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, stream.Length);
    }

    [Fact]
    public void Write_StreamedLines_SameBytesAsTheWholeDocument()
    {
        var invoice = BillingSamples.Eur();
        using var stream = new MemoryStream();

        InvoiceReconciliationWriter.Write(stream, invoice, invoice.Lines.Select(l => l));

        Assert.Equal(Write(invoice), stream.ToArray());
    }
}
