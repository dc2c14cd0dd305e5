using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Paygo.Rating.Billing;

/// <summary>
/// The statement as a PDF (PDFsharp), A4 portrait, the lines of each customer as a table, pages
/// added as the lines need them. The font is DejaVu Sans embedded in this assembly and in the
/// PDF (Unicode encoding), so the file looks the same on a server without fonts and any customer
/// name prints.
/// </summary>
public static class StatementPdf
{
    private const double Margin = 42;
    private const double LineHeight = 13;
    private const string Family = "DejaVu Sans";

    // Column widths in points over the 511 pt of text width; "Product / meter" takes the rest.
    private static readonly double[] Widths = [0, 86, 52, 48, 34, 60, 50, 60];

    static StatementPdf()
    {
        // PDFsharp's font resolver is process-wide and may be set only once; nothing else in Paygo sets it.
        if (GlobalFontSettings.FontResolver is null)
        {
            GlobalFontSettings.FontResolver = new EmbeddedFonts();
        }
    }

    /// <summary>Writes the PDF of <paramref name="invoice"/> to <paramref name="stream"/>, left open.</summary>
    public static void Write(Stream stream, InvoiceDocument invoice) => Write(stream, Statement.From(invoice), invoice.InvoiceDate);

    public static void Write(Stream stream, Statement statement, DateOnly date)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(statement);
        using var document = new PdfDocument();
        document.Info.Title = statement.Title;
        document.Info.Creator = "Paygo";
        // The invoice's date, not the clock: rendering the same invoice twice gives the same metadata.
        var stamp = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        document.Info.CreationDate = stamp;
        document.Info.ModificationDate = stamp;
        using (var writer = new PageWriter(document))
        {
            writer.Text(statement.Title, writer.Title);
            writer.Gap(4);
            foreach (var field in statement.Header)
            {
                writer.Field(field.Label, field.Value, writer.Bold);
            }

            foreach (var customer in statement.Customers)
            {
                writer.Gap(10);
                writer.Need(LineHeight * 4);
                writer.Text(customer.Name, writer.Heading);
                writer.Text($"Customer ID {customer.Id}{(string.IsNullOrEmpty(customer.Domain) ? string.Empty : " · " + customer.Domain)}", writer.Regular);
                writer.Row(Statement.LineColumns, writer.Bold);
                foreach (var line in customer.Lines)
                {
                    writer.Row(line.Cells, writer.Regular);
                }

                writer.Gap(2);
                foreach (var total in customer.Totals)
                {
                    writer.Total(total.Label, total.Value, writer.Regular);
                }
            }

            writer.Gap(12);
            writer.Need(LineHeight * 6);
            writer.Text("Invoice totals", writer.Heading);
            foreach (var total in statement.Totals)
            {
                writer.Total(total.Label, total.Value, total.Label == "Total" ? writer.Bold : writer.Regular);
            }
        }

        using var buffer = new MemoryStream();
        document.Save(buffer, closeStream: false);
        var bytes = buffer.ToArray();
        StablePdf.Stabilize(bytes);
        stream.Write(bytes);
    }

    /// <summary>Draws top to bottom, starting a new page when the next line would not fit.</summary>
    private sealed class PageWriter : IDisposable
    {
        private readonly PdfDocument _document;
        private XGraphics? _graphics;
        private PdfPage? _page;
        private double _y;

        public PageWriter(PdfDocument document)
        {
            _document = document;
            var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
            Regular = new XFont(Family, 7.5, XFontStyleEx.Regular, options);
            Bold = new XFont(Family, 7.5, XFontStyleEx.Bold, options);
            Heading = new XFont(Family, 11, XFontStyleEx.Bold, options);
            Title = new XFont(Family, 15, XFontStyleEx.Bold, options);
            NewPage();
        }

        public XFont Regular { get; }

        public XFont Bold { get; }

        public XFont Heading { get; }

        public XFont Title { get; }

        private double Width => _page!.Width.Point - (2 * Margin);

        public void Need(double height)
        {
            if (_y + height > _page!.Height.Point - Margin)
            {
                NewPage();
            }
        }

        public void Gap(double points) => _y += points;

        public void Text(string text, XFont font)
        {
            var height = font.Size * 1.5;
            Need(height);
            _graphics!.DrawString(text, font, XBrushes.Black, new XRect(Margin, _y, Width, height), XStringFormats.TopLeft);
            _y += height;
        }

        public void Field(string label, string value, XFont labelFont)
        {
            Need(LineHeight);
            _graphics!.DrawString(label, labelFont, XBrushes.Black, new XRect(Margin, _y, 110, LineHeight), XStringFormats.TopLeft);
            _graphics.DrawString(value, Regular, XBrushes.Black, new XRect(Margin + 110, _y, Width - 110, LineHeight), XStringFormats.TopLeft);
            _y += LineHeight;
        }

        public void Total(string label, string value, XFont font)
        {
            Need(LineHeight);
            var right = Margin + Width;
            _graphics!.DrawString(label, font, XBrushes.Black, new XRect(right - 230, _y, 100, LineHeight), XStringFormats.TopLeft);
            _graphics.DrawString(value, font, XBrushes.Black, new XRect(right - 130, _y, 130, LineHeight), XStringFormats.TopRight);
            _y += LineHeight;
        }

        public void Row(IReadOnlyList<string> cells, XFont font)
        {
            Need(LineHeight);
            var first = Width - Widths.Sum();
            var x = Margin;
            for (var i = 0; i < cells.Count; i++)
            {
                var width = i == 0 ? first : Widths[i];
                var text = Fit(cells[i], font, width - 4);
                // Figures right-aligned, as in the HTML page; the unit is text.
                var format = i >= 2 && i != 3 ? XStringFormats.TopRight : XStringFormats.TopLeft;
                _graphics!.DrawString(text, font, XBrushes.Black, new XRect(x, _y, width - 4, LineHeight), format);
                x += width;
            }

            _y += LineHeight;
            _graphics!.DrawLine(XPens.LightGray, Margin, _y - 2, Margin + Width, _y - 2);
        }

        public void Dispose() => _graphics?.Dispose();

        /// <summary>Shortens a text that would run into the next column, ending it with an ellipsis (figures always fit their column).</summary>
        private string Fit(string text, XFont font, double width)
        {
            if (_graphics!.MeasureString(text, font).Width <= width)
            {
                return text;
            }

            var length = text.Length;
            while (length > 1 && _graphics.MeasureString(string.Concat(text.AsSpan(0, length), "…"), font).Width > width)
            {
                length--;
            }

            return string.Concat(text.AsSpan(0, length), "…");
        }

        private void NewPage()
        {
            _graphics?.Dispose();
            _page = _document.AddPage();
            _page.Size = PdfSharp.PageSize.A4;
            _graphics = XGraphics.FromPdfPage(_page);
            _y = Margin;
        }
    }

    /// <summary>Serves DejaVu Sans and DejaVu Sans Bold from this assembly's resources, for any family asked for.</summary>
    private sealed class EmbeddedFonts : IFontResolver
    {
        private const string RegularFace = "DejaVuSans";
        private const string BoldFace = "DejaVuSans-Bold";

        public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
            new(isBold ? BoldFace : RegularFace, mustSimulateBold: false, mustSimulateItalic: isItalic);

        public byte[]? GetFont(string faceName)
        {
            using var resource = typeof(StatementPdf).Assembly.GetManifestResourceStream($"Paygo.Rating.Billing.Fonts.{faceName}.ttf")
                ?? throw new InvalidOperationException($"the font {faceName} is not embedded in Paygo.Rating");
            using var copy = new MemoryStream();
            resource.CopyTo(copy);
            return copy.ToArray();
        }
    }
}
