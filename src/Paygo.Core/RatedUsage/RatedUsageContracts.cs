using Paygo.Rating.Pricing;

namespace Paygo.Core.RatedUsage;

/// <summary>
/// One usage record rated under DOMAIN.md §6: the stored usage record, the price of its day
/// (month-cumulative tiers, blended daily price), the PEC decision with its evidence and the FX
/// rate of the month. The unbilled line items, the usage summaries, budgets and the month close
/// all read these; none of them rates on its own. Money is in <c>decimal</c>, never rounded here:
/// the close rounds per DOMAIN.md §6 when it groups lines into an invoice.
/// </summary>
public sealed record RatedUsageLine
{
    public required Guid PartnerId { get; init; }

    public required Guid CustomerId { get; init; }

    /// <summary>The Azure plan (Partner Center subscription).</summary>
    public required Guid SubscriptionId { get; init; }

    /// <summary>The Azure subscription (entitlement).</summary>
    public required Guid EntitlementId { get; init; }

    /// <summary>The usage record's id as the metering source sent it.</summary>
    public required string RecordId { get; init; }

    /// <summary>When Paygo accepted the usage record: a record accepted after a month's close is late usage (DOMAIN.md §8).</summary>
    public required DateTimeOffset AcceptedAt { get; init; }

    public required string ResourceUri { get; init; }

    /// <summary>The meter, lower-case GUID.</summary>
    public required Guid MeterId { get; init; }

    public required DateOnly UsageDate { get; init; }

    public required decimal Quantity { get; init; }

    /// <summary>The day's blended USD unit price before PEC (<c>u_d</c>).</summary>
    public required decimal UnitPrice { get; init; }

    /// <summary>The USD unit price after PEC.</summary>
    public required decimal EffectiveUnitPrice { get; init; }

    /// <summary>Quantity × effective unit price, USD, unrounded.</summary>
    public required decimal PricingPreTaxTotal { get; init; }

    /// <summary>The same in the billing currency (× <see cref="PcToBcExchangeRate"/>), unrounded.</summary>
    public required decimal BillingPreTaxTotal { get; init; }

    /// <summary>Quantity × unit price before PEC, USD: what full price would have cost (PEC lost = this × 15 % when not earned).</summary>
    public required decimal ListCost { get; init; }

    /// <summary>ISO 4217, always USD today.</summary>
    public string PricingCurrency { get; init; } = "USD";

    public required string BillingCurrency { get; init; }

    public required decimal PcToBcExchangeRate { get; init; }

    public required DateOnly PcToBcExchangeRateDate { get; init; }

    /// <summary>0 or 15.</summary>
    public required int PecPercent { get; init; }

    /// <summary>The PEC evidence: the assignment ids that covered the day, or the reason there is no credit.</summary>
    public required string PecEvidence { get; init; }

    /// <summary>False when the meter is excluded from PEC (DOMAIN.md §5): the line could never earn it, so the PEC report counts no loss on it.</summary>
    public bool PecEligible { get; init; } = true;

    /// <summary>The reseller of record (indirect sales), whose access also earns PEC.</summary>
    public string? ResellerPartnerId { get; init; }

    public string? Location { get; init; }

    public string? Tags { get; init; }

    public string? AdditionalInfo { get; init; }

    /// <summary>The price-list row's descriptive fields for the files (product, SKU, meter names, unit).</summary>
    public required RatedMeter Meter { get; init; }
}

/// <summary>The price-list row's names behind a rated line, as the 46- and 55-column files print them.</summary>
public sealed record RatedMeter(
    string ProductId,
    string SkuId,
    string AvailabilityId,
    string ProductTitle,
    string SkuTitle,
    string MeterName,
    string MeterCategory,
    string MeterSubCategory,
    string MeterRegion,
    string UnitOfMeasure,
    string MeterType);

/// <summary>A usage record that could not be rated (no price that day, no FX rate, ...), with why: it is never silently dropped.</summary>
public sealed record UnratedUsage(Guid PartnerId, Guid CustomerId, Guid EntitlementId, string RecordId, DateOnly UsageDate, string Reason);

/// <summary>One billed partner's month, rated from what is stored.</summary>
public sealed record MonthRatingResult(
    Guid PartnerId,
    BillingMonth Month,
    string BillingCurrency,
    IReadOnlyList<RatedUsageLine> Lines,
    IReadOnlyList<UnratedUsage> Unrated,
    DateTimeOffset RatedAt);

/// <summary>
/// Rates a billed partner's month from the stored usage, price lists, FX rates and access history
/// (DOMAIN.md §6). Deterministic: the same stored data gives the same lines in the same order
/// (customer, Azure plan, Azure subscription, meter, day, record id). Optional filters narrow what
/// is returned, never what is rated: tiers are month-cumulative per plan and meter.
/// </summary>
public interface IMonthRating
{
    Task<MonthRatingResult> RateAsync(Guid partnerId, BillingMonth month, Guid? customerId, CancellationToken cancellationToken);
}
