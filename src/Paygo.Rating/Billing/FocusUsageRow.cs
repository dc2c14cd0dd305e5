using Paygo.Rating.Money;

namespace Paygo.Rating.Billing;

/// <summary>
/// One billed daily rated usage row (the 55-column row of reference §5.3) as the FOCUS export
/// reads it: the fields FOCUS has a column for. Amounts are unrounded, as the daily file keeps
/// them; USD is the pricing currency.
/// </summary>
public sealed record FocusUsageRow
{
    public required Guid PartnerId { get; init; }

    public string? PartnerName { get; init; }

    public required Guid CustomerId { get; init; }

    public string? CustomerName { get; init; }

    /// <summary>The Azure plan (the daily file's <c>SubscriptionId</c>).</summary>
    public required Guid SubscriptionId { get; init; }

    /// <summary>The Azure subscription (<c>EntitlementId</c>).</summary>
    public required Guid EntitlementId { get; init; }

    public string? EntitlementDescription { get; init; }

    /// <summary>Blank for usage not yet invoiced.</summary>
    public string? InvoiceNumber { get; init; }

    public required DateOnly UsageDate { get; init; }

    public required Guid MeterId { get; init; }

    public string? MeterName { get; init; }

    public string? MeterCategory { get; init; }

    public string? MeterSubCategory { get; init; }

    public string? MeterRegion { get; init; }

    /// <summary>Partner Center's unit of measure, e.g. <c>1 Hour</c> or <c>10K</c>.</summary>
    public string? Unit { get; init; }

    public string? ResourceLocation { get; init; }

    public string? ConsumedService { get; init; }

    public required string ResourceUri { get; init; }

    public string? ProductId { get; init; }

    public string? SkuId { get; init; }

    public string? AvailabilityId { get; init; }

    public string? SkuName { get; init; }

    public string? ProductName { get; init; }

    public string? PublisherName { get; init; }

    /// <summary>In units of <see cref="Unit"/> (a quantity of 2 with unit <c>10K</c> is 20,000 base units).</summary>
    public required decimal Quantity { get; init; }

    /// <summary>Price-list price before PEC, USD.</summary>
    public required decimal UnitPrice { get; init; }

    /// <summary>After PEC, USD.</summary>
    public required decimal EffectiveUnitPrice { get; init; }

    /// <summary>Quantity × effective unit price, USD.</summary>
    public required decimal PricingPreTaxTotal { get; init; }

    /// <summary>The same in the billing currency.</summary>
    public required decimal BillingPreTaxTotal { get; init; }

    public required CurrencyCode BillingCurrency { get; init; }

    public CurrencyCode PricingCurrency { get; init; } = CurrencyCode.Usd;

    public required decimal PcToBcExchangeRate { get; init; }

    /// <summary>0 or 15.</summary>
    public decimal PecPercent { get; init; }

    /// <summary>The resource's tags as the daily file has them (a JSON object).</summary>
    public string? Tags { get; init; }
}
