using Paygo.Rating.Billing;
using Paygo.Rating.Money;
using Paygo.Rating.Rating;

namespace Paygo.Rating.Tests.Billing;

/// <summary>
/// Invoices built the way the close builds them (DOMAIN.md §6 rounding, tax rounded down per
/// line), so the documents' tests start from sound figures and the golden files show real ones.
/// </summary>
internal static class BillingSamples
{
    public static readonly Guid PartnerId = Guid.Parse("0e195b37-4a6c-4bd2-9e51-000000000001");
    public static readonly Guid Contoso = Guid.Parse("7a3c0e55-1d2b-4c8e-9f10-000000000101");
    public static readonly Guid Fabrikam = Guid.Parse("7a3c0e55-1d2b-4c8e-9f10-000000000102");
    public static readonly Guid ContosoPlan = Guid.Parse("307628f1-0000-4000-8000-000000000101");
    public static readonly Guid FabrikamPlan = Guid.Parse("307628f1-0000-4000-8000-000000000102");

    /// <summary>November 2026 in EUR: three lines of two customers, PEC earned on two, a comma and a quote in the texts.</summary>
    public static InvoiceDocument Eur() => Build(CurrencyCode.Parse("EUR"), 0.921456789m, 0.19m);

    /// <summary>The same usage billed in yen (no minor unit).</summary>
    public static InvoiceDocument Jpy() => Build(CurrencyCode.Parse("JPY"), 151.234567891m, 0.10m);

    public static InvoiceDocumentLine Line(
        CurrencyCode currency,
        decimal rate,
        decimal taxRate,
        Guid customer,
        string customerName,
        Guid plan,
        string product,
        string sku,
        string meter,
        string unit,
        decimal unitPrice,
        decimal quantity,
        decimal pecPercent)
    {
        var effective = unitPrice * (1 - (pecPercent / 100m));
        var subtotal = Rounding.LineSubtotal(effective * quantity, rate, currency.MinorUnit);
        var full = Rounding.LineSubtotal(unitPrice * quantity, rate, currency.MinorUnit);
        var tax = Rounding.RoundDown(subtotal * taxRate, currency.MinorUnit);
        return new InvoiceDocumentLine
        {
            CustomerId = customer,
            CustomerName = customerName,
            CustomerDomainName = customerName.Split(' ', ',')[0].ToLowerInvariant() + ".example",
            CustomerCountry = "DE",
            MpnId = "6034453",
            ProductId = product,
            SkuId = sku,
            AvailabilityId = product[..8] + "0B80",
            SkuName = meter,
            ProductName = product == "DZH318Z0BQ3Q" ? "Virtual Machines Dv3 Series" : "Bandwidth",
            UnitPrice = unitPrice,
            BillableQuantity = quantity,
            Subtotal = subtotal,
            TaxTotal = tax,
            Total = subtotal + tax,
            SubscriptionId = plan,
            ChargeStartDate = new DateOnly(2026, 11, 1),
            ChargeEndDate = new DateOnly(2026, 11, 30),
            EffectiveUnitPrice = effective,
            UnitType = unit,
            PcToBcExchangeRate = rate,
            PcToBcExchangeRateDate = new DateOnly(2026, 11, 30),
            MeterDescription = meter,
            PecPercent = pecPercent,
            PecEarned = full - subtotal,
        };
    }

    private static InvoiceDocument Build(CurrencyCode currency, decimal rate, decimal taxRate)
    {
        InvoiceDocumentLine L(Guid customer, string name, Guid plan, string product, string sku, string meter, string unit, decimal price, decimal quantity, decimal pec) =>
            Line(currency, rate, taxRate, customer, name, plan, product, sku, meter, unit, price, quantity, pec);
        InvoiceDocumentLine[] lines =
        [
            L(Contoso, "Contoso", ContosoPlan, "DZH318Z0BQ3Q", "0008", "D2s v3", "1 Hour", 0.096m, 744m, 15m),
            L(Contoso, "Contoso", ContosoPlan, "DZH318Z0BNVX", "0011", "Data Transfer Out, Zone 1", "1 GB", 0.087m, 1250.5m, 0m),
            L(Fabrikam, "Fabrikam, Inc.", FabrikamPlan, "DZH318Z0BQ3Q", "0008", "D2s v3 \"spot\"", "1 Hour", 0.096m, 215.25m, 15m),
        ];
        return new InvoiceDocument
        {
            InvoiceNumber = "G000000042",
            PartnerId = PartnerId,
            PartnerName = "Fabrikam Cloud Partner",
            MpnId = "6034453",
            BillingCurrency = currency,
            PeriodStart = new DateOnly(2026, 11, 1),
            PeriodEnd = new DateOnly(2026, 11, 30),
            InvoiceDate = new DateOnly(2026, 12, 1),
            PcToBcExchangeRate = rate,
            PcToBcExchangeRateDate = new DateOnly(2026, 11, 30),
            Subtotal = lines.Sum(l => l.Subtotal),
            TaxTotal = lines.Sum(l => l.TaxTotal),
            Total = lines.Sum(l => l.Total),
            PecEarned = lines.Sum(l => l.PecEarned),
            Lines = lines,
        };
    }

    /// <summary>The golden files' folder in the source tree (the tests read the copies next to the binary).</summary>
    public static string GoldenPath(string name) => Path.Combine(AppContext.BaseDirectory, "Billing", "Golden", name);
}
