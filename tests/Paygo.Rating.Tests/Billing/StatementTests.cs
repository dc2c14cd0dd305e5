using System.Globalization;
using System.Text;
using Paygo.Rating.Billing;
using PdfSharp.Pdf.IO;

namespace Paygo.Rating.Tests.Billing;

public sealed class StatementTests
{
    [Fact]
    public void From_Totals_AreTheInvoicesToTheMinorUnit()
    {
        var invoice = BillingSamples.Eur();

        var statement = Statement.From(invoice);

        Assert.Equal(["Subtotal", "Tax", "Total", "PEC earned"], statement.Totals.Select(t => t.Label));
        Assert.Equal(Statement.Amount(invoice.Subtotal, 2) + " EUR", statement.Totals[0].Value);
        Assert.Equal(Statement.Amount(invoice.Total, 2) + " EUR", statement.Totals[2].Value);
        Assert.Equal(2, statement.Customers.Count);
        var customerTotals = statement.Customers.Sum(c => decimal.Parse(c.Totals[2].Value.Split(' ')[0], NumberStyles.Number, CultureInfo.InvariantCulture));
        Assert.Equal(invoice.Total, customerTotals);
    }

    [Fact]
    public void From_Header_ShowsPartnerPeriodAndFxRateWithItsDate()
    {
        var header = Statement.From(BillingSamples.Eur()).Header.ToDictionary(f => f.Label, f => f.Value);

        Assert.Equal("Fabrikam Cloud Partner", header["Partner"]);
        Assert.Equal("2026-11-01 – 2026-11-30", header["Billing period"]);
        Assert.Equal("1 USD = 0.921456789 EUR (rate of 2026-11-30)", header["Exchange rate"]);
    }

    [Fact]
    public void From_Jpy_AmountsWithoutDecimals()
    {
        var statement = Statement.From(BillingSamples.Jpy());

        Assert.Matches(@"^[\d,]+ JPY$", statement.Totals[2].Value);
    }

    [Fact]
    public void From_LinesNotAddingUp_Refused()
    {
        var invoice = BillingSamples.Eur() with { Total = BillingSamples.Eur().Total + 0.01m };

        Assert.Throws<ArgumentException>(() => Statement.From(invoice));
    }

    [Fact]
    public void Html_EncodesTextAndShowsEveryFigure()
    {
        var invoice = BillingSamples.Eur();

        var html = StatementHtml.Render(invoice);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("D2s v3 &quot;spot&quot;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(Statement.Amount(invoice.Total, 2) + " EUR", html, StringComparison.Ordinal);
        Assert.Contains(Statement.Amount(invoice.PecEarned, 2) + " EUR", html, StringComparison.Ordinal);
        Assert.All(invoice.Lines, l => Assert.Contains(Statement.Amount(l.Subtotal, 2), html, StringComparison.Ordinal));
    }

    [Fact]
    public void Pdf_IsAValidPdfThatPdfsharpReadsBack()
    {
        using var stream = new MemoryStream();
        StatementPdf.Write(stream, BillingSamples.Eur());
        stream.Position = 0;

        using var read = PdfReader.Open(stream, PdfDocumentOpenMode.Import);

        Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(stream.ToArray(), 0, 5), StringComparison.Ordinal);
        Assert.Equal(1, read.PageCount);
        Assert.Equal("Invoice statement G000000042", read.Info.Title);
    }

    [Fact]
    public void Pdf_SameInvoice_IsTheSameBytes()
    {
        // A statement downloaded twice, or after a rerun close, is the same file (M5, M7): no
        // clock and no random document id in it.
        using var first = new MemoryStream();
        StatementPdf.Write(first, BillingSamples.Eur());
        using var second = new MemoryStream();
        StatementPdf.Write(second, BillingSamples.Eur());

        Assert.Equal(first.ToArray(), second.ToArray());

        // Still a PDF that a reader opens, and another invoice is another document.
        first.Position = 0;
        using var read = PdfReader.Open(first, PdfDocumentOpenMode.Import);
        Assert.Equal(1, read.PageCount);
        using var other = new MemoryStream();
        StatementPdf.Write(other, BillingSamples.Jpy());
        Assert.NotEqual(Id(first.ToArray()), Id(other.ToArray()));
    }

    private static string Id(byte[] pdf)
    {
        var text = Encoding.Latin1.GetString(pdf);
        var at = text.LastIndexOf("/ID[<", StringComparison.Ordinal);
        Assert.True(at > 0, "the trailer has an /ID");
        return text.Substring(at + 5, 32);
    }

    [Fact]
    public void Pdf_ManyLines_AddsPages()
    {
        var invoice = BillingSamples.Eur();
        var lines = Enumerable.Repeat(invoice.Lines[1], 150).ToList();
        var many = invoice with
        {
            Lines = lines,
            Subtotal = lines.Sum(l => l.Subtotal),
            TaxTotal = lines.Sum(l => l.TaxTotal),
            Total = lines.Sum(l => l.Total),
            PecEarned = lines.Sum(l => l.PecEarned),
        };
        using var stream = new MemoryStream();
        StatementPdf.Write(stream, many);
        stream.Position = 0;

        using var read = PdfReader.Open(stream, PdfDocumentOpenMode.Import);

        Assert.True(read.PageCount >= 3, $"{read.PageCount} page(s) for 150 lines");
    }
}
