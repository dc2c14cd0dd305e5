using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;

namespace Paygo.Core.Billing;

/// <summary>
/// A closed invoice read back as the <see cref="InvoiceDocument"/> the statement prints, from the
/// reconciliation cells stored at close (never from today's partner or customer records), so the
/// statement of an invoice is the same document every time it is asked for, and agrees with the
/// reconciliation file line by line (docs/adr/0040).
/// </summary>
public static partial class StoredInvoiceDocument
{
    private static readonly ColumnTable Recon = InvoiceReconciliationFile.Table;

    /// <summary>
    /// Builds the document. <paramref name="partnerName"/> is the name the invoice's daily file
    /// carries; <paramref name="lines"/> are the invoice's lines in line-number order.
    /// </summary>
    public static InvoiceDocument From(Invoice invoice, string partnerName, IReadOnlyList<InvoiceLine> lines)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        ArgumentNullException.ThrowIfNull(lines);
        var currency = CurrencyCode.Parse(invoice.Currency);
        var month = BillingMonth.Of(DateOnly.ParseExact(invoice.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var documentLines = lines.Select(l => Line(l, currency)).ToList();

        // Late usage from an earlier month keeps that month's rate on its line; the header shows the invoice month's.
        var headerLine = documentLines.FirstOrDefault(l => l.ChargeStartDate == month.FirstDay) ?? documentLines.FirstOrDefault();
        var mpnId = lines.Count == 0 ? string.Empty : Cell(Cells(lines[0]), "MPNID");
        return new InvoiceDocument
        {
            InvoiceNumber = invoice.Number ?? throw new InvalidOperationException("A draft invoice has no statement."),
            PartnerId = invoice.PartnerId,
            PartnerName = partnerName,
            MpnId = mpnId,
            BillingCurrency = currency,
            PeriodStart = month.FirstDay,
            PeriodEnd = month.FirstDay.AddMonths(1).AddDays(-1),
            InvoiceDate = invoice.InvoiceDate,
            PcToBcExchangeRate = headerLine?.PcToBcExchangeRate ?? 1m,
            PcToBcExchangeRateDate = headerLine?.PcToBcExchangeRateDate ?? month.FirstDay,
            Subtotal = invoice.Subtotal,
            TaxTotal = invoice.TaxTotal,
            Total = invoice.Total,
            PecEarned = documentLines.Sum(l => l.PecEarned),
            Lines = documentLines,
        };
    }

    /// <summary>
    /// One line from its 46 cells. The PEC earned is what the line's own printed figures give:
    /// the line at its pre-PEC unit price (<c>UnitPrice × BillableQuantity</c>, rounded as DOMAIN.md
    /// §6 rounds a line) minus its subtotal, so a partner can recompute it from the file.
    /// </summary>
    private static InvoiceDocumentLine Line(InvoiceLine stored, CurrencyCode currency)
    {
        var cells = Cells(stored);
        var unitPrice = Number(cells, "UnitPrice");
        var billable = Number(cells, "BillableQuantity");
        var rate = Number(cells, "PCToBCExchangeRate");
        var pecPercent = PecPercentOf(Cell(cells, "PriceAdjustmentDescription"));
        var pecEarned = pecPercent == 0
            ? 0m
            : Math.Max(0m, Rounding.LineSubtotal(unitPrice * billable, rate, currency.MinorUnit) - stored.Subtotal);
        return new InvoiceDocumentLine
        {
            CustomerId = stored.CustomerId,
            CustomerName = Cell(cells, "CustomerName"),
            CustomerDomainName = Optional(cells, "CustomerDomainName"),
            CustomerCountry = Optional(cells, "CustomerCountry"),
            MpnId = Optional(cells, "MPNID"),
            ResellerMpnId = Optional(cells, "ResellerMPNID"),
            OrderId = Optional(cells, "OrderId"),
            OrderDate = OptionalDate(cells, "OrderDate"),
            ProductId = Cell(cells, "ProductId"),
            SkuId = Cell(cells, "SkuId"),
            AvailabilityId = Optional(cells, "AvailabilityId"),
            SkuName = Optional(cells, "SkuName"),
            ProductName = Optional(cells, "ProductName"),
            ChargeType = Cell(cells, "ChargeType"),
            UnitPrice = unitPrice,
            Quantity = Number(cells, "Quantity"),
            BillableQuantity = billable,
            Subtotal = stored.Subtotal,
            TaxTotal = stored.TaxTotal,
            Total = stored.Total,
            PublisherName = Cell(cells, "PublisherName"),
            PublisherId = Cell(cells, "PublisherId"),
            SubscriptionDescription = Cell(cells, "SubscriptionDescription"),
            SubscriptionId = Guid.Parse(Cell(cells, "SubscriptionId")),
            ChargeStartDate = Date(cells, "ChargeStartDate"),
            ChargeEndDate = Date(cells, "ChargeEndDate"),
            TermAndBillingCycle = Optional(cells, "TermAndBillingCycle"),
            EffectiveUnitPrice = Number(cells, "EffectiveUnitPrice"),
            UnitType = Optional(cells, "UnitType"),
            AlternateId = Optional(cells, "AlternateId"),
            BillingFrequency = Optional(cells, "BillingFrequency"),
            PcToBcExchangeRate = rate,
            PcToBcExchangeRateDate = Date(cells, "PCToBCExchangeRateDate"),
            MeterDescription = Optional(cells, "MeterDescription"),
            SubscriptionStartDate = OptionalDate(cells, "SubscriptionStartDate"),
            PecPercent = pecPercent,
            PecEarned = pecEarned,
        };
    }

    /// <summary>The percentage in Partner Center's <c>["15.0% Partner earned credit for services managed"]</c>; 0 when blank.</summary>
    public static decimal PecPercentOf(string? priceAdjustmentDescription)
    {
        if (string.IsNullOrEmpty(priceAdjustmentDescription))
        {
            return 0m;
        }

        var match = Percentage().Match(priceAdjustmentDescription);
        return match.Success ? Rounding.Normalize(decimal.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)) : 0m;
    }

    private static string[] Cells(InvoiceLine line) => JsonSerializer.Deserialize<string[]>(line.Cells) ?? [];

    private static string Cell(string[] cells, string column) => cells[Recon.IndexOf(column)] ?? string.Empty;

    private static string? Optional(string[] cells, string column) => Cell(cells, column) is { Length: > 0 } value ? value : null;

    private static decimal Number(string[] cells, string column) =>
        decimal.Parse(Cell(cells, column), NumberStyles.Number, CultureInfo.InvariantCulture);

    private static DateOnly Date(string[] cells, string column) =>
        DateOnly.FromDateTime(DateTime.ParseExact(Cell(cells, column), Recon.DateFormat, CultureInfo.InvariantCulture));

    private static DateOnly? OptionalDate(string[] cells, string column) => Optional(cells, column) is null ? null : Date(cells, column);

    [GeneratedRegex(@"(\d+(?:\.\d+)?)%", RegexOptions.CultureInvariant)]
    private static partial Regex Percentage();
}
