using Paygo.Rating.Files;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;
using C = Paygo.Rating.Files.Columns<Paygo.Rating.Billing.FocusUsageRow>;

namespace Paygo.Rating.Billing;

/// <summary>
/// The FinOps FOCUS 1.2 cost and usage export: every FOCUS 1.2 column in the specification's
/// (alphabetical) order, then Paygo's own <c>x_</c> columns, one row per billed daily rated usage
/// row. Datetimes are ISO 8601 in UTC; a charge period is the usage day [00:00Z, next day 00:00Z)
/// and the billing period the calendar month, both with exclusive ends as FOCUS defines them.
/// Columns FOCUS makes conditional on a feature Azure plan usage does not have (commitment
/// discounts, capacity reservations, availability zones) are present and empty. Which Partner
/// Center column fills which FOCUS column is the table in docs/adr/0037.
/// </summary>
public static class FocusFile
{
    public const string Version = "1.2";

    private const string Microsoft = "Microsoft";

    public static ColumnTable<FocusUsageRow> Table { get; } = new(
        "FOCUS 1.2",
        [
            C.Text("AvailabilityZone", _ => null),
            C.Number("BilledCost", r => Rounding.Normalize(r.BillingPreTaxTotal), required: true),
            C.Text("BillingAccountId", r => r.PartnerId.ToString("D"), required: true),
            C.Text("BillingAccountName", r => r.PartnerName, required: true),
            C.Text("BillingAccountType", _ => "Partner"),
            C.Text("BillingCurrency", r => r.BillingCurrency.Value, required: true, type: ColumnType.Currency),
            C.Date("BillingPeriodEnd", r => Midnight(BillingMonth.Of(r.UsageDate).FirstDay.AddMonths(1))),
            C.Date("BillingPeriodStart", r => Midnight(BillingMonth.Of(r.UsageDate).FirstDay)),
            C.Text("CapacityReservationId", _ => null),
            C.Text("CapacityReservationStatus", _ => null),
            C.Text("ChargeCategory", _ => "Usage", required: true),
            C.Text("ChargeClass", _ => null),
            C.Text("ChargeDescription", Description, required: true),
            C.Text("ChargeFrequency", _ => "Usage-Based"),
            C.Date("ChargePeriodEnd", r => Midnight(r.UsageDate.AddDays(1))),
            C.Date("ChargePeriodStart", r => Midnight(r.UsageDate)),
            C.Text("CommitmentDiscountCategory", _ => null),
            C.Text("CommitmentDiscountId", _ => null),
            C.Text("CommitmentDiscountName", _ => null),
            C.Number("CommitmentDiscountQuantity", _ => null),
            C.Text("CommitmentDiscountStatus", _ => null),
            C.Text("CommitmentDiscountType", _ => null),
            C.Text("CommitmentDiscountUnit", _ => null),
            C.Number("ConsumedQuantity", r => Rounding.Normalize(r.Quantity * BlockSize(r))),
            C.Text("ConsumedUnit", ConsumedUnit),
            C.Number("ContractedCost", r => ListCost(r), required: true),
            C.Number("ContractedUnitPrice", r => ListUnitPrice(r)),
            C.Number("EffectiveCost", r => Rounding.Normalize(r.BillingPreTaxTotal), required: true),
            C.Text("InvoiceId", r => r.InvoiceNumber),
            C.Text("InvoiceIssuerName", _ => Microsoft, required: true),
            C.Number("ListCost", r => ListCost(r), required: true),
            C.Number("ListUnitPrice", r => ListUnitPrice(r)),
            C.Text("PricingCategory", _ => "Standard"),
            C.Text("PricingCurrency", r => r.PricingCurrency.Value, type: ColumnType.Currency),
            C.Number("PricingCurrencyContractedUnitPrice", r => Rounding.Normalize(r.UnitPrice)),
            C.Number("PricingCurrencyEffectiveCost", r => Rounding.Normalize(r.PricingPreTaxTotal)),
            C.Number("PricingCurrencyListUnitPrice", r => Rounding.Normalize(r.UnitPrice)),
            C.Number("PricingQuantity", r => Rounding.Normalize(r.Quantity), required: true),
            C.Text("PricingUnit", r => r.Unit, required: true),
            C.Text("ProviderName", _ => Microsoft, required: true),
            C.Text("PublisherName", r => string.IsNullOrEmpty(r.PublisherName) ? Microsoft : r.PublisherName, required: true),
            C.Text("RegionId", r => RegionId(r.ResourceLocation)),
            C.Text("RegionName", r => string.IsNullOrEmpty(r.MeterRegion) ? r.ResourceLocation : r.MeterRegion),
            C.Text("ResourceId", r => r.ResourceUri),
            C.Text("ResourceName", r => ResourceName(r.ResourceUri)),
            C.Text("ResourceType", r => ResourceType(r.ResourceUri)),
            C.Text("ServiceCategory", r => ServiceCategory(r.MeterCategory), required: true),
            C.Text("ServiceName", r => string.IsNullOrEmpty(r.MeterCategory) ? r.ProductName : r.MeterCategory, required: true),
            C.Text("ServiceSubcategory", _ => null),
            C.Text("SkuId", r => r.ProductId is null ? null : $"{r.ProductId}/{r.SkuId}"),
            C.Text("SkuMeter", r => r.MeterName),
            C.Text("SkuPriceDetails", _ => null),
            C.Text("SkuPriceId", r => r.MeterId.ToString("D")),
            C.Text("SubAccountId", r => r.EntitlementId.ToString("D")),
            C.Text("SubAccountName", r => r.EntitlementDescription),
            C.Text("SubAccountType", _ => "Azure subscription"),
            C.Text("Tags", r => r.Tags is { } tags && tags.StartsWith('{') ? tags : null),
            C.Text("x_CustomerId", r => r.CustomerId.ToString("D")),
            C.Text("x_CustomerName", r => r.CustomerName),
            C.Text("x_AzurePlanId", r => r.SubscriptionId.ToString("D")),
            C.Number("x_PartnerEarnedCreditPercentage", r => r.PecPercent),
            C.Number("x_PCToBCExchangeRate", r => Rounding.Normalize(r.PcToBcExchangeRate)),
            C.Number("x_PricingBlockSize", r => BlockSize(r)),
        ]);

    /// <summary>The FOCUS 1.2 columns (without Paygo's <c>x_</c> ones), in the file's order.</summary>
    public static IReadOnlyList<string> FocusColumns { get; } = [.. Table.Header.Where(h => !h.StartsWith("x_", StringComparison.Ordinal))];

    /// <summary>Writes the header and one row per usage row, streaming; the stream is left open.</summary>
    public static long Write(Stream stream, IEnumerable<FocusUsageRow> rows)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(rows);
        using var writer = new CsvTableWriter<FocusUsageRow>(stream, Table, leaveOpen: true);
        long count = 0;
        foreach (var row in rows)
        {
            writer.Write(row);
            count++;
        }

        writer.Flush();
        return count;
    }

    /// <summary>FOCUS's fixed service categories, from the Azure meter category (anything else is Other).</summary>
    public static string ServiceCategory(string? meterCategory) => meterCategory switch
    {
        "Virtual Machines" or "Virtual Machines Licenses" or "Functions" or "Container Instances" or "Azure Kubernetes Service" or "Batch" or "Cloud Services" => "Compute",
        "Storage" or "Backup" or "Azure NetApp Files" => "Storage",
        "Bandwidth" or "Virtual Network" or "Load Balancer" or "VPN Gateway" or "Application Gateway" or "Azure DNS" or "Azure Front Door Service" or "Content Delivery Network" or "ExpressRoute" or "Network Watcher" or "Azure Firewall" => "Networking",
        "SQL Database" or "Azure Cosmos DB" or "Azure Database for PostgreSQL" or "Azure Database for MySQL" or "Redis Cache" or "SQL Managed Instance" => "Databases",
        "Log Analytics" or "Azure Monitor" or "Automation" or "Insight and Analytics" or "Advanced Threat Protection" => "Management and Governance",
        "Key Vault" or "Microsoft Defender for Cloud" or "Sentinel" => "Security",
        "Azure App Service" or "API Management" => "Web",
        "Event Hubs" or "Service Bus" or "Logic Apps" or "Event Grid" => "Integration",
        "Azure Synapse Analytics" or "Azure Data Factory v2" or "HDInsight" or "Azure Databricks" => "Analytics",
        "Cognitive Services" or "Azure Machine Learning" or "Azure OpenAI" => "AI and Machine Learning",
        "Azure Active Directory B2C" or "Microsoft Entra ID" => "Identity",
        "IoT Hub" => "Internet of Things",
        _ => "Other",
    };

    private static DateTime Midnight(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    private static string Description(FocusUsageRow row)
    {
        var parts = new[] { row.ProductName, row.MeterName }.Where(p => !string.IsNullOrWhiteSpace(p));
        var text = string.Join(" - ", parts);
        return text.Length == 0 ? row.MeterId.ToString("D") : text;
    }

    private static decimal BlockSize(FocusUsageRow row) =>
        UnitOfMeasure.TryParse(row.Unit, out var unit, out _) ? unit.BlockSize : 1m;

    private static string? ConsumedUnit(FocusUsageRow row) =>
        UnitOfMeasure.TryParse(row.Unit, out var unit, out _) ? unit.BaseUnit : row.Unit;

    // List and contracted prices are the price list's in the billing currency: Azure plan has no
    // negotiated price, and PEC is an earned credit (EffectiveCost), not a contracted rate.
    private static decimal ListUnitPrice(FocusUsageRow row) => Rounding.Normalize(row.UnitPrice * row.PcToBcExchangeRate);

    private static decimal ListCost(FocusUsageRow row) => Rounding.Normalize(row.Quantity * row.UnitPrice * row.PcToBcExchangeRate);

    private static string? RegionId(string? location) =>
        string.IsNullOrWhiteSpace(location) ? null : location.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant();

    private static string? ResourceName(string uri)
    {
        var trimmed = uri.TrimEnd('/');
        var slash = trimmed.LastIndexOf('/');
        return slash < 0 ? (trimmed.Length == 0 ? null : trimmed) : trimmed[(slash + 1)..];
    }

    /// <summary>The ARM type from the resource id: <c>.../providers/Microsoft.Compute/virtualMachines/web1</c> is <c>Microsoft.Compute/virtualMachines</c>.</summary>
    private static string? ResourceType(string uri)
    {
        var segments = uri.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var providers = Array.FindLastIndex(segments, s => s.Equals("providers", StringComparison.OrdinalIgnoreCase));
        if (providers < 0 || providers + 2 >= segments.Length)
        {
            return null;
        }

        var type = new List<string> { segments[providers + 1] };
        for (var i = providers + 2; i < segments.Length; i += 2)
        {
            type.Add(segments[i]);
        }

        return string.Join('/', type);
    }
}
