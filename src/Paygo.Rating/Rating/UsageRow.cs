namespace Paygo.Rating.Rating;

/// <summary>
/// One usage row as the rater reads it: the texts of the columns the daily rule needs, as spans
/// into the file's buffer, so reading a row makes no string (DOMAIN.md §10's file-mode columns).
/// </summary>
public ref struct UsageRow
{
    /// <summary><c>SubscriptionId</c>: the Azure plan, the unit tiers accumulate over (with the meter).</summary>
    public ReadOnlySpan<char> PlanId { get; set; }

    public ReadOnlySpan<char> MeterId { get; set; }

    /// <summary><c>UsageDate</c>: <c>yyyy-MM-dd</c> (with or without a time) or <c>M/d/yyyy h:mm:ss tt</c>.</summary>
    public ReadOnlySpan<char> UsageDate { get; set; }

    public ReadOnlySpan<char> Quantity { get; set; }

    /// <summary><c>CustomerCountry</c>, the price list market; empty means the run's default market.</summary>
    public ReadOnlySpan<char> Market { get; set; }

    /// <summary><c>EntitlementId</c>: the Azure subscription whose access decides PEC.</summary>
    public ReadOnlySpan<char> EntitlementId { get; set; }

    /// <summary><c>ResourceURI</c>: the ARM id PEC's scopes must cover.</summary>
    public ReadOnlySpan<char> ResourceUri { get; set; }

    /// <summary><c>MPNID</c>: the billed partner (direct-bill partner or indirect provider).</summary>
    public ReadOnlySpan<char> PartnerId { get; set; }

    /// <summary><c>ResellerMPNID</c>: the reseller of record, whose access counts too; empty for direct sales.</summary>
    public ReadOnlySpan<char> ResellerId { get; set; }
}

/// <summary>Why a usage row cannot be rated; each names the column at fault (<see cref="UsageProblems.Column"/>).</summary>
public enum UsageProblem : byte
{
    None,
    BadPlan,
    BadMeter,
    BadEntitlement,
    NoResource,
    NoPartner,
    BadDate,
    DateOutsideMonth,
    BadQuantity,
    NegativeQuantity,
    BadMarket,
    UnknownMeter,
    NoPriceOnDay,
    OverlappingPrices,

    /// <summary>The second pass met a row the first pass did not see: the input changed between passes.</summary>
    NotAccumulated,
}

/// <summary>The column and the sentence of each <see cref="UsageProblem"/>.</summary>
public static class UsageProblems
{
    public static string Column(UsageProblem problem) => problem switch
    {
        UsageProblem.BadPlan or UsageProblem.NotAccumulated => "SubscriptionId",
        UsageProblem.BadMeter or UsageProblem.UnknownMeter or UsageProblem.NoPriceOnDay or UsageProblem.OverlappingPrices => "MeterId",
        UsageProblem.BadEntitlement => "EntitlementId",
        UsageProblem.NoResource => "ResourceURI",
        UsageProblem.NoPartner => "MPNID",
        UsageProblem.BadDate or UsageProblem.DateOutsideMonth => "UsageDate",
        UsageProblem.BadQuantity or UsageProblem.NegativeQuantity => "Quantity",
        UsageProblem.BadMarket => "CustomerCountry",
        _ => string.Empty,
    };

    public static string Reason(UsageProblem problem, MonthPrices prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return problem switch
        {
            UsageProblem.BadPlan => "SubscriptionId (the Azure plan) must be a GUID",
            UsageProblem.BadMeter => "MeterId must be a GUID",
            UsageProblem.BadEntitlement => "EntitlementId (the Azure subscription) must be a GUID",
            UsageProblem.NoResource => "ResourceURI is required: PEC is decided for the resource",
            UsageProblem.NoPartner => "MPNID is required: it names the partner whose access earns PEC",
            UsageProblem.BadDate => "UsageDate must be a UTC date written yyyy-MM-dd or M/d/yyyy h:mm:ss AM/PM",
            UsageProblem.DateOutsideMonth => $"UsageDate is outside the rated month {prices.Month}",
            UsageProblem.BadQuantity => "Quantity must be a number written with digits and an optional '.', such as 0.5",
            UsageProblem.NegativeQuantity => "Quantity must not be negative",
            UsageProblem.BadMarket => "CustomerCountry must be a two-letter country code such as US (it is the price list market)",
            UsageProblem.UnknownMeter => "the price list has no price for this meter in the customer's market",
            UsageProblem.NoPriceOnDay => "the price list has no price for this meter on the usage date",
            UsageProblem.OverlappingPrices => "the price list has several prices for this meter on the usage date (overlapping effective ranges or several terms)",
            UsageProblem.NotAccumulated => "the row was not in the file when its (plan, meter, day) totals were summed; the file changed while it was rated",
            _ => string.Empty,
        };
    }
}
