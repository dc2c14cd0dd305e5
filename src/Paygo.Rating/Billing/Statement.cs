using System.Globalization;
using Paygo.Rating.Rating;

namespace Paygo.Rating.Billing;

/// <summary>
/// What an invoice statement shows, laid out once for both renderings (<see cref="StatementHtml"/>
/// and <see cref="StatementPdf"/>) so the PDF and the HTML page cannot differ: the partner, the
/// period, the FX rate and its date, the lines grouped per customer with each customer's sums,
/// and the invoice's subtotal, tax, total and PEC earned. The totals printed are the invoice's
/// own, and <see cref="From"/> refuses a document whose lines do not add up to them (M4), so a
/// statement always agrees with the reconciliation file to the minor unit.
/// </summary>
public sealed record Statement(
    string Title,
    IReadOnlyList<StatementField> Header,
    IReadOnlyList<StatementCustomer> Customers,
    IReadOnlyList<StatementField> Totals)
{
    /// <summary>The column headings of a customer's lines, in print order.</summary>
    public static IReadOnlyList<string> LineColumns { get; } = ["Product / meter", "Azure plan", "Quantity", "Unit", "PEC", "Subtotal", "Tax", "Total"];

    /// <summary>Lays out <paramref name="invoice"/>; throws <see cref="ArgumentException"/> when its figures do not add up.</summary>
    public static Statement From(InvoiceDocument invoice)
    {
        InvoiceDocumentRules.EnsureSound(invoice);
        var currency = invoice.BillingCurrency;
        string Money(decimal amount) => Amount(amount, currency.MinorUnit) + " " + currency.Value;
        var header = new List<StatementField>
        {
            new("Partner", invoice.PartnerName),
            new("Partner ID", invoice.PartnerId.ToString("D")),
            new("MPN ID", invoice.MpnId),
            new("Invoice number", invoice.InvoiceNumber),
            new("Invoice date", Day(invoice.InvoiceDate)),
            new("Billing period", $"{Day(invoice.PeriodStart)} – {Day(invoice.PeriodEnd)}"),
            new("Billing currency", currency.Value),
            new("Exchange rate", Invariant($"1 {invoice.PricingCurrency.Value} = {Rounding.Normalize(invoice.PcToBcExchangeRate)} {currency.Value} (rate of {Day(invoice.PcToBcExchangeRateDate)})")),
        };
        var customers = invoice.Lines
            .GroupBy(l => l.CustomerId)
            .Select(g =>
            {
                var lines = g.Select(l => new StatementLine(
                    [
                        Describe(l),
                        l.SubscriptionId.ToString("D"),
                        Invariant($"{Rounding.Normalize(l.BillableQuantity)}"),
                        l.UnitType ?? string.Empty,
                        l.PecPercent == 0 ? "–" : Invariant($"{Rounding.Normalize(l.PecPercent)} %"),
                        Amount(l.Subtotal, currency.MinorUnit),
                        Amount(l.TaxTotal, currency.MinorUnit),
                        Amount(l.Total, currency.MinorUnit),
                    ])).ToList();
                var first = g.First();
                return new StatementCustomer(
                    first.CustomerName,
                    first.CustomerId.ToString("D"),
                    first.CustomerDomainName,
                    lines,
                    [
                        new("Subtotal", Money(g.Sum(l => l.Subtotal))),
                        new("Tax", Money(g.Sum(l => l.TaxTotal))),
                        new("Total", Money(g.Sum(l => l.Total))),
                        new("PEC earned", Money(g.Sum(l => l.PecEarned))),
                    ]);
            })
            .ToList();
        List<StatementField> totals =
        [
            new("Subtotal", Money(invoice.Subtotal)),
            new("Tax", Money(invoice.TaxTotal)),
            new("Total", Money(invoice.Total)),
            new("PEC earned", Money(invoice.PecEarned)),
        ];
        return new Statement($"Invoice statement {invoice.InvoiceNumber}", header, customers, totals);
    }

    /// <summary>An amount with thousands separators and exactly the currency's decimals (1,234.50; JPY 1,235).</summary>
    public static string Amount(decimal amount, int minorUnit) =>
        amount.ToString("N" + minorUnit.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Describe(InvoiceDocumentLine line)
    {
        var product = line.ProductName ?? line.ProductId;
        var meter = line.MeterDescription ?? line.SkuName ?? line.SkuId;
        return string.Equals(product, meter, StringComparison.Ordinal) ? product : $"{product} – {meter}";
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

public sealed record StatementField(string Label, string Value);

/// <summary>One customer's part of the statement: its lines (cells in <see cref="Statement.LineColumns"/> order) and sums.</summary>
public sealed record StatementCustomer(string Name, string Id, string? Domain, IReadOnlyList<StatementLine> Lines, IReadOnlyList<StatementField> Totals);

public sealed record StatementLine(IReadOnlyList<string> Cells);
