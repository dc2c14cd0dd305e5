using System.Globalization;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using Paygo.Rating.Rating;

namespace Paygo.Rating.Billing;

/// <summary>
/// Writes an invoice's reconciliation file: the 46 columns of <see cref="InvoiceReconciliationFile"/>
/// in their order, one row per <see cref="InvoiceDocumentLine"/>, through <see cref="CsvTableWriter"/>
/// (UTF-8 without BOM, CRLF, quotes only where needed). Money in the billing currency is written
/// with exactly the currency's minor unit (12.50 EUR, 1234 JPY); prices, quantities and the FX rate
/// without trailing zeros; dates in the table's Microsoft format. Every cell is a function of the
/// input alone, so the same invoice always gives the same bytes (M5) and a rerun close rewrites
/// an identical file (M7).
/// </summary>
public static class InvoiceReconciliationWriter
{
    /// <summary>Writes the header and every line of <paramref name="invoice"/>; the stream is left open.</summary>
    public static void Write(Stream stream, InvoiceDocument invoice)
    {
        InvoiceDocumentRules.EnsureSound(invoice);
        Write(stream, invoice, invoice.Lines);
    }

    /// <summary>
    /// Writes the header and <paramref name="lines"/> with <paramref name="invoice"/>'s header
    /// fields: for a close that streams an invoice's lines rather than holding them all. Each line
    /// is checked before it is written (the sums can only be checked by the caller).
    /// </summary>
    public static void Write(Stream stream, InvoiceDocument invoice, IEnumerable<InvoiceDocumentLine> lines)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(lines);
        using var writer = new CsvTableWriter(stream, InvoiceReconciliationFile.Table, leaveOpen: true);
        var cells = new string[InvoiceReconciliationFile.Table.Count];
        var header = ReconciliationHeader.Of(invoice);
        var number = 0;
        foreach (var line in lines)
        {
            InvoiceDocumentRules.EnsureSound(invoice, line, ++number);
            Fill(cells, header, line);
            writer.WriteCells(cells);
        }

        writer.Flush();
    }

    /// <summary>One line's 46 cells in file order, as <see cref="Write(Stream, InvoiceDocument)"/> writes them.</summary>
    public static IReadOnlyList<string> Cells(InvoiceDocument invoice, InvoiceDocumentLine line)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return Cells(ReconciliationHeader.Of(invoice), line);
    }

    /// <summary>
    /// One line's 46 cells with the invoice's header fields given on their own: the month close
    /// builds its lines before the invoice has a number (numbers are assigned in the close's last
    /// transaction and patched into the stored cells), so this is the one place a reconciliation
    /// row's cells are made, whether for the close's stored file or a document's. A field the
    /// line does not have is an empty cell.
    /// </summary>
    public static string[] Cells(ReconciliationHeader header, InvoiceDocumentLine line)
    {
        var cells = new string[InvoiceReconciliationFile.Table.Count];
        Fill(cells, header, line);
        return cells;
    }

    /// <summary>
    /// Partner Center's <c>PriceAdjustmentDescription</c> for a line: a JSON array of the
    /// adjustments, <c>["15.0% Partner earned credit for services managed"]</c> for PEC (the
    /// percentage with one decimal), blank when the line had none (reference §3.6).
    /// </summary>
    public static string PriceAdjustmentDescription(decimal pecPercent) =>
        pecPercent == 0m
            ? string.Empty
            : string.Create(CultureInfo.InvariantCulture, $"[\"{pecPercent:0.0##}% Partner earned credit for services managed\"]");

    private static void Fill(string[] cells, ReconciliationHeader invoice, InvoiceDocumentLine line)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(line);
        var billing = invoice.BillingCurrency;
        var dateFormat = InvoiceReconciliationFile.Table.DateFormat;
        var i = 0;
        cells[i++] = invoice.PartnerId.ToString("D");
        cells[i++] = line.CustomerId.ToString("D");
        cells[i++] = line.CustomerName;
        cells[i++] = line.CustomerDomainName ?? string.Empty;
        cells[i++] = line.CustomerCountry ?? string.Empty;
        cells[i++] = invoice.InvoiceNumber;
        cells[i++] = line.MpnId ?? invoice.MpnId;
        cells[i++] = line.ResellerMpnId ?? string.Empty;
        cells[i++] = line.OrderId ?? string.Empty;
        cells[i++] = Date(line.OrderDate, dateFormat);
        cells[i++] = line.ProductId;
        cells[i++] = line.SkuId;
        cells[i++] = line.AvailabilityId ?? string.Empty;
        cells[i++] = line.SkuName ?? string.Empty;
        cells[i++] = line.ProductName ?? string.Empty;
        cells[i++] = line.ChargeType;
        cells[i++] = Plain(line.UnitPrice);
        cells[i++] = Plain(line.Quantity);
        cells[i++] = Money(line.Subtotal, billing);
        cells[i++] = Money(line.TaxTotal, billing);
        cells[i++] = Money(line.Total, billing);
        cells[i++] = billing.Value;
        cells[i++] = PriceAdjustmentDescription(line.PecPercent);
        cells[i++] = line.PublisherName;
        cells[i++] = line.PublisherId;
        cells[i++] = line.SubscriptionDescription;
        cells[i++] = line.SubscriptionId.ToString("D");
        cells[i++] = Date(line.ChargeStartDate, dateFormat);
        cells[i++] = Date(line.ChargeEndDate, dateFormat);
        cells[i++] = line.TermAndBillingCycle ?? string.Empty;
        cells[i++] = Plain(line.EffectiveUnitPrice);
        cells[i++] = line.UnitType ?? string.Empty;
        cells[i++] = line.AlternateId ?? string.Empty;
        cells[i++] = Plain(line.BillableQuantity);
        cells[i++] = line.BillingFrequency ?? string.Empty;
        cells[i++] = invoice.PricingCurrency.Value;
        cells[i++] = Plain(line.PcToBcExchangeRate);
        cells[i++] = Date(line.PcToBcExchangeRateDate, dateFormat);
        cells[i++] = line.MeterDescription ?? string.Empty;
        cells[i++] = line.ReservationOrderId ?? string.Empty;
        cells[i++] = line.CreditReasonCode ?? string.Empty;
        cells[i++] = Date(line.SubscriptionStartDate, dateFormat);
        cells[i++] = Date(line.SubscriptionEndDate, dateFormat);
        cells[i++] = line.ReferenceId ?? string.Empty;
        cells[i++] = line.ProductQualifiers ?? string.Empty;
        cells[i++] = line.PromotionId ?? string.Empty;
    }

    /// <summary>An amount in the billing currency with exactly its minor unit of decimals (the close has already rounded it).</summary>
    internal static string Money(decimal amount, CurrencyCode currency) =>
        amount.ToString("F" + currency.MinorUnit.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>A price, quantity or rate without trailing zeros, so the text does not depend on how the close's arithmetic carried the scale.</summary>
    internal static string Plain(decimal value) => Rounding.Normalize(value).ToString(CultureInfo.InvariantCulture);

    private static string Date(DateOnly? day, string format) =>
        day is { } d ? d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).ToString(format, CultureInfo.InvariantCulture) : string.Empty;
}

/// <summary>The invoice's own fields a reconciliation row repeats on every line.</summary>
public sealed record ReconciliationHeader(Guid PartnerId, string InvoiceNumber, string MpnId, CurrencyCode BillingCurrency, CurrencyCode PricingCurrency)
{
    public static ReconciliationHeader Of(InvoiceDocument invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return new(invoice.PartnerId, invoice.InvoiceNumber, invoice.MpnId, invoice.BillingCurrency, invoice.PricingCurrency);
    }
}
