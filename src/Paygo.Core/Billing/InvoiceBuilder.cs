using System.Globalization;
using Paygo.Core.RatedUsage;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;

namespace Paygo.Core.Billing;

/// <summary>The names the files print for a customer, an Azure plan and an Azure subscription, read once per partner.</summary>
public sealed record BillingCustomer(string Name, string Domain, string Country, string? ResellerMpnId);

public sealed record BillingPlan(string? OrderId, DateOnly? OrderDate, DateOnly? StartDate);

/// <summary>Who is billed and the names the files print.</summary>
public sealed record BillingContext(
    Guid PartnerId,
    string PartnerName,
    string MpnId,
    decimal TaxRate,
    IReadOnlyDictionary<Guid, BillingCustomer> Customers,
    IReadOnlyDictionary<Guid, BillingPlan> Plans,
    IReadOnlyDictionary<Guid, string> Entitlements);

/// <summary>A rated line with the month it is charged for: the close's month, or an earlier closed month for late usage.</summary>
public sealed record ChargedLine(RatedUsageLine Line, BillingMonth ChargeMonth);

public sealed record DraftLine(Guid CustomerId, decimal Subtotal, decimal TaxTotal, decimal Total, string[] Cells);

public sealed record DraftUsage(string RecordId, Guid CustomerId, int PecPercent, string[] Cells);

public sealed record DraftInvoice(string Currency, decimal Subtotal, decimal TaxTotal, decimal Total, IReadOnlyList<DraftLine> Lines, IReadOnlyList<DraftUsage> Usage);

/// <summary>
/// Turns a partner's rated lines into invoices (DOMAIN.md §6, §8): one per billing currency;
/// lines grouped by (charge month, customer, Azure plan, meter, PEC rate) with
/// <c>Subtotal = ROUNDDOWN(ROUNDDOWN(Σ PricingPreTaxTotal, 2) × PCToBCExchangeRate, n)</c>, tax
/// rounded down per line, total = Σ line totals; and the cells of both files. Pure and
/// deterministic: the same lines give the same cells, so a rerun writes the same bytes.
/// </summary>
public static class InvoiceBuilder
{
    private static readonly ColumnTable Recon = InvoiceReconciliationFile.Table;
    private static readonly ColumnTable Daily = DailyRatedUsageFile.Table;

    public static int ReconInvoiceNumber { get; } = Recon.IndexOf("InvoiceNumber");

    public static int DailyInvoiceNumber { get; } = Daily.IndexOf("InvoiceNumber");

    public static IReadOnlyList<DraftInvoice> Build(BillingContext context, IReadOnlyList<ChargedLine> lines)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lines);
        var invoices = new List<DraftInvoice>();
        foreach (var currencyLines in lines.GroupBy(l => l.Line.BillingCurrency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var currency = CurrencyCode.Parse(currencyLines.Key);
            var ordered = currencyLines
                .OrderBy(l => l.ChargeMonth)
                .ThenBy(l => Text(l.Line.CustomerId), StringComparer.Ordinal)
                .ThenBy(l => Text(l.Line.SubscriptionId), StringComparer.Ordinal)
                .ThenBy(l => Text(l.Line.EntitlementId), StringComparer.Ordinal)
                .ThenBy(l => Text(l.Line.MeterId), StringComparer.Ordinal)
                .ThenBy(l => l.Line.UsageDate)
                .ThenBy(l => l.Line.RecordId, StringComparer.Ordinal)
                .ToList();

            var draftLines = new List<DraftLine>();
            foreach (var group in ordered
                .GroupBy(l => (l.ChargeMonth, l.Line.CustomerId, l.Line.SubscriptionId, l.Line.MeterId, l.Line.PecPercent))
                .OrderBy(g => g.Key.ChargeMonth)
                .ThenBy(g => Text(g.Key.CustomerId), StringComparer.Ordinal)
                .ThenBy(g => Text(g.Key.SubscriptionId), StringComparer.Ordinal)
                .ThenBy(g => Text(g.Key.MeterId), StringComparer.Ordinal)
                .ThenBy(g => g.Key.PecPercent))
            {
                draftLines.Add(Line(context, currency, group.Key.ChargeMonth, [.. group.Select(g => g.Line)]));
            }

            var usage = ordered.Select(l => Usage(context, l)).ToList();
            invoices.Add(new DraftInvoice(
                currency.Value,
                draftLines.Sum(l => l.Subtotal),
                draftLines.Sum(l => l.TaxTotal),
                draftLines.Sum(l => l.Total),
                draftLines,
                usage));
        }

        return invoices;
    }

    /// <summary>One billing line: the group's sums and rounding, and its 46 cells.</summary>
    public static DraftLine Line(BillingContext context, CurrencyCode currency, BillingMonth chargeMonth, IReadOnlyList<RatedUsageLine> group)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(group);
        var first = group[0];
        var quantity = group.Sum(l => l.Quantity);
        var pricingTotal = group.Sum(l => l.PricingPreTaxTotal);
        var listCost = group.Sum(l => l.ListCost);
        var amounts = Amounts(pricingTotal, first.PcToBcExchangeRate, context.TaxRate, currency.MinorUnit);
        var customer = CustomerOf(context, first.CustomerId);
        var plan = context.Plans.GetValueOrDefault(first.SubscriptionId);
        var meter = first.Meter;
        var line = new InvoiceDocumentLine
        {
            CustomerId = first.CustomerId,
            CustomerName = customer.Name,
            CustomerDomainName = customer.Domain,
            CustomerCountry = customer.Country,
            ResellerMpnId = customer.ResellerMpnId,
            OrderId = plan?.OrderId,
            OrderDate = plan?.OrderDate,
            ProductId = meter.ProductId,
            SkuId = meter.SkuId,
            AvailabilityId = meter.AvailabilityId,
            SkuName = meter.SkuTitle,
            ProductName = meter.ProductTitle,

            // UnitPrice is the price before PEC, EffectiveUnitPrice after it: list cost and pricing
            // total over the billable quantity. Usage lines bill one unit of the meter's month
            // (Quantity's default); the units used are BillableQuantity (reference §5.4's sample).
            UnitPrice = quantity == 0 ? first.UnitPrice : listCost / quantity,
            EffectiveUnitPrice = quantity == 0 ? first.EffectiveUnitPrice : pricingTotal / quantity,
            BillableQuantity = quantity,
            Subtotal = amounts.Subtotal,
            TaxTotal = amounts.Tax,
            Total = amounts.Total,
            PecPercent = first.PecPercent,
            SubscriptionId = first.SubscriptionId,
            ChargeStartDate = chargeMonth.FirstDay,
            ChargeEndDate = LastDay(chargeMonth),
            TermAndBillingCycle = $"{meter.MeterName} ({meter.UnitOfMeasure})",
            UnitType = meter.UnitOfMeasure,
            PcToBcExchangeRate = first.PcToBcExchangeRate,
            PcToBcExchangeRateDate = first.PcToBcExchangeRateDate,
            MeterDescription = $"{meter.SkuTitle} {meter.MeterName}",
            SubscriptionStartDate = plan?.StartDate,
        };

        // The invoice number is blank until the close's last transaction numbers the invoice.
        var header = new ReconciliationHeader(context.PartnerId, string.Empty, context.MpnId, currency, CurrencyCode.Parse(first.PricingCurrency));
        var cells = InvoiceReconciliationWriter.Cells(header, line);
        return new DraftLine(first.CustomerId, amounts.Subtotal, amounts.Tax, amounts.Total, cells);
    }

    /// <summary>DOMAIN.md §6's rounding of one line: subtotal, tax and total in the billing currency's minor unit.</summary>
    public static (decimal Subtotal, decimal Tax, decimal Total) Amounts(decimal pricingTotal, decimal pcToBcExchangeRate, decimal taxRate, int minorUnit)
    {
        var subtotal = Rounding.LineSubtotal(pricingTotal, pcToBcExchangeRate, minorUnit);
        var tax = Rounding.RoundDown(subtotal * taxRate, minorUnit);
        return (subtotal, tax, subtotal + tax);
    }

    private static DraftUsage Usage(BillingContext context, ChargedLine charged)
    {
        var line = charged.Line;
        var customer = CustomerOf(context, line.CustomerId);
        var meter = line.Meter;
        var cells = new string[Daily.Count];
        Set(cells, Daily, "PartnerId", Text(context.PartnerId));
        Set(cells, Daily, "PartnerName", context.PartnerName);
        Set(cells, Daily, "CustomerId", Text(line.CustomerId));
        Set(cells, Daily, "CustomerName", customer.Name);
        Set(cells, Daily, "CustomerDomainName", customer.Domain);
        Set(cells, Daily, "CustomerCountry", customer.Country);
        Set(cells, Daily, "MPNID", context.MpnId);
        Set(cells, Daily, "ResellerMPNID", customer.ResellerMpnId ?? string.Empty);
        Set(cells, Daily, "InvoiceNumber", string.Empty);
        Set(cells, Daily, "ProductId", meter.ProductId);
        Set(cells, Daily, "SkuId", meter.SkuId);
        Set(cells, Daily, "AvailabilityId", meter.AvailabilityId);
        Set(cells, Daily, "SkuName", meter.SkuTitle);
        Set(cells, Daily, "ProductName", meter.ProductTitle);
        Set(cells, Daily, "PublisherName", "Microsoft");
        Set(cells, Daily, "PublisherId", string.Empty);
        Set(cells, Daily, "SubscriptionDescription", "Azure plan");
        Set(cells, Daily, "SubscriptionId", Text(line.SubscriptionId));
        Set(cells, Daily, "ChargeStartDate", Date(charged.ChargeMonth.FirstDay));
        Set(cells, Daily, "ChargeEndDate", Date(LastDay(charged.ChargeMonth)));
        Set(cells, Daily, "UsageDate", Date(line.UsageDate));
        Set(cells, Daily, "MeterType", meter.MeterType);
        Set(cells, Daily, "MeterCategory", meter.MeterCategory);
        Set(cells, Daily, "MeterId", Text(line.MeterId));
        Set(cells, Daily, "MeterSubCategory", meter.MeterSubCategory);
        Set(cells, Daily, "MeterName", meter.MeterName);
        Set(cells, Daily, "MeterRegion", meter.MeterRegion);
        Set(cells, Daily, "Unit", meter.UnitOfMeasure);
        Set(cells, Daily, "ResourceLocation", line.Location ?? string.Empty);
        var (group, service) = ArmParts(line.ResourceUri);
        Set(cells, Daily, "ConsumedService", service);
        Set(cells, Daily, "ResourceGroup", group);
        Set(cells, Daily, "ResourceURI", line.ResourceUri);
        Set(cells, Daily, "ChargeType", "new");
        Set(cells, Daily, "UnitPrice", Number(line.UnitPrice));
        Set(cells, Daily, "Quantity", Number(line.Quantity));
        Set(cells, Daily, "UnitType", meter.UnitOfMeasure);
        Set(cells, Daily, "BillingPreTaxTotal", Number(line.BillingPreTaxTotal));
        Set(cells, Daily, "BillingCurrency", line.BillingCurrency);
        Set(cells, Daily, "PricingPreTaxTotal", Number(line.PricingPreTaxTotal));
        Set(cells, Daily, "PricingCurrency", line.PricingCurrency);
        Set(cells, Daily, "ServiceInfo1", string.Empty);
        Set(cells, Daily, "ServiceInfo2", string.Empty);
        Set(cells, Daily, "Tags", line.Tags ?? string.Empty);
        Set(cells, Daily, "AdditionalInfo", line.AdditionalInfo ?? string.Empty);
        Set(cells, Daily, "EffectiveUnitPrice", Number(line.EffectiveUnitPrice));
        Set(cells, Daily, "PCToBCExchangeRate", Number(line.PcToBcExchangeRate));
        Set(cells, Daily, "PCToBCExchangeRateDate", Date(line.PcToBcExchangeRateDate));
        Set(cells, Daily, "EntitlementId", Text(line.EntitlementId));
        Set(cells, Daily, "EntitlementDescription", context.Entitlements.GetValueOrDefault(line.EntitlementId) ?? string.Empty);
        Set(cells, Daily, "PartnerEarnedCreditPercentage", line.PecPercent.ToString(CultureInfo.InvariantCulture));
        Set(cells, Daily, "CreditPercentage", "0");
        Set(cells, Daily, "CreditType", line.PecPercent > 0 ? "Partner Earned Credit Applied" : "Credit Not Applied");
        Set(cells, Daily, "BenefitOrderId", string.Empty);
        Set(cells, Daily, "BenefitId", string.Empty);
        Set(cells, Daily, "BenefitType", string.Empty);
        return new DraftUsage(line.RecordId, line.CustomerId, line.PecPercent, cells);
    }

    /// <summary>The resource group and the provider namespace of an ARM id (<c>/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/...</c>).</summary>
    public static (string Group, string Service) ArmParts(string resourceUri)
    {
        var parts = (resourceUri ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group = string.Empty, service = string.Empty;
        for (var i = 0; i + 1 < parts.Length; i++)
        {
            if (group.Length == 0 && parts[i].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase))
            {
                group = parts[i + 1];
            }
            else if (service.Length == 0 && parts[i].Equals("providers", StringComparison.OrdinalIgnoreCase))
            {
                service = parts[i + 1];
            }
        }

        return (group, service);
    }

    private static BillingCustomer CustomerOf(BillingContext context, Guid id) =>
        context.Customers.TryGetValue(id, out var customer) ? customer : new BillingCustomer(string.Empty, string.Empty, string.Empty, null);

    private static void Set(string[] cells, ColumnTable table, string column, string value) => cells[table.IndexOf(column)] = value;

    public static DateOnly LastDay(BillingMonth month) => month.FirstDay.AddMonths(1).AddDays(-1);

    private static string Text(Guid id) => id.ToString("D");

    /// <summary>An amount in the billing currency, always with its minor unit's decimals (21.39, 2118).</summary>
    public static string Money(decimal value, int minorUnit) => value.ToString("F" + minorUnit.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>An unrounded figure without trailing zeros, so how a sum was split does not change its text.</summary>
    public static string Number(decimal value) => Rounding.Normalize(value).ToString(CultureInfo.InvariantCulture);

    /// <summary>Dates as Microsoft writes them in both files (the tables' date format, <c>M/d/yyyy h:mm:ss tt</c>).</summary>
    public static string Date(DateOnly day) => day.ToDateTime(TimeOnly.MinValue).ToString(Recon.DateFormat, CultureInfo.InvariantCulture);
}
