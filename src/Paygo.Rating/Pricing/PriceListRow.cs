using Paygo.Rating.Money;

namespace Paygo.Rating.Pricing;

/// <summary>
/// One row of an Azure plan price list: the 18 columns of reference §1.6 in file order. The
/// rows of one meter that share a market, term and effective period are its tiers.
/// </summary>
/// <param name="ProductTitle">Product name.</param>
/// <param name="ProductId">Product id, e.g. <c>DZH318Z0C16V</c>.</param>
/// <param name="SkuId">SKU id within the product, e.g. <c>001J</c>.</param>
/// <param name="SkuTitle">SKU name.</param>
/// <param name="Publisher">Microsoft, or a third party Microsoft resells (tagged <c>ThirdParty</c>).</param>
/// <param name="SkuDescription">Free text; may be empty.</param>
/// <param name="UnitOfMeasure">The unit the price is per, verbatim (<see cref="Pricing.UnitOfMeasure.Text"/>).</param>
/// <param name="TermDuration">The term (<c>payG-1</c> for consumption, a reservation's term); part of <see cref="Key"/>; may be empty.</param>
/// <param name="Market">Two-letter customer market, e.g. <c>US</c>.</param>
/// <param name="Currency">Always USD: Azure plan prices are in USD only (DOMAIN.md §6).</param>
/// <param name="UnitPrice">USD per <paramref name="UnitOfMeasure"/>, ≥ 0, with the scale it was written with (0.50 stays 0.50).</param>
/// <param name="PricingTierRangeMin">
/// First unit of this tier; null with <paramref name="PricingTierRangeMax"/> for a meter without
/// tiers. 1-based (1, 101, 100001) or 0-based (0, 100, …) per meter (DOMAIN.md §6).
/// </param>
/// <param name="PricingTierRangeMax">Last unit of this tier; <see cref="OpenEndedTierMax"/> for the last, open-ended tier.</param>
/// <param name="EffectiveStartDate">UTC; with <paramref name="EffectiveEndDate"/> the closed range the price applies in.</param>
/// <param name="EffectiveEndDate">UTC, inclusive: Microsoft writes the last second, e.g. <c>11/30/9999 11:59:59 PM</c>.</param>
/// <param name="MeterIds">The meter's GUID, as usage names it.</param>
/// <param name="MeterType">Free text, e.g. <c>1 Node/Month</c>; may be empty.</param>
/// <param name="Tags">As written, e.g. <c>Azure,Consumption</c>; <see cref="HasTag"/> reads it.</param>
public sealed record PriceListRow(
    string ProductTitle,
    string ProductId,
    string SkuId,
    string SkuTitle,
    string Publisher,
    string SkuDescription,
    UnitOfMeasure UnitOfMeasure,
    string TermDuration,
    string Market,
    CurrencyCode Currency,
    decimal UnitPrice,
    decimal? PricingTierRangeMin,
    decimal? PricingTierRangeMax,
    DateTime EffectiveStartDate,
    DateTime EffectiveEndDate,
    string MeterIds,
    string MeterType,
    string Tags)
{
    /// <summary>
    /// <c>PricingTierRangeMax</c> of an open-ended tier: Int64.MaxValue as Microsoft's export
    /// prints it (rounded through a double), so not a value any quantity reaches.
    /// </summary>
    public const decimal OpenEndedTierMax = 9223372036854780000m;

    /// <summary>The meter, market and term this row prices; its tiers and periods share it.</summary>
    public PriceKey Key => new(MeterIds, Market, TermDuration);

    public bool IsTiered => PricingTierRangeMin is not null;

    /// <summary>
    /// True when <paramref name="tag"/> is one of the comma-, semicolon- or space-separated
    /// tags, compared case-insensitively (PEC excludes <c>ThirdParty</c> and <c>Reservation</c>).
    /// </summary>
    public bool HasTag(string tag)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        foreach (var range in Tags.AsSpan().SplitAny(",; "))
        {
            if (Tags.AsSpan(range).Trim().Equals(tag, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// What identifies a price: the meter (<c>MeterIds</c>), the market and the term. Meter and
/// market compare case-insensitively (a GUID and a country code), the term exactly.
/// </summary>
public readonly record struct PriceKey(string MeterId, string Market, string TermDuration)
{
    public bool Equals(PriceKey other) =>
        string.Equals(MeterId, other.MeterId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Market, other.Market, StringComparison.OrdinalIgnoreCase)
        && string.Equals(TermDuration, other.TermDuration, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(MeterId ?? string.Empty),
        StringComparer.OrdinalIgnoreCase.GetHashCode(Market ?? string.Empty),
        StringComparer.Ordinal.GetHashCode(TermDuration ?? string.Empty));

    /// <summary>Meter, then market, then term, ordinal and case-insensitive: the order of diffs and listings.</summary>
    public static int Compare(PriceKey a, PriceKey b)
    {
        var byMeter = string.Compare(a.MeterId, b.MeterId, StringComparison.OrdinalIgnoreCase);
        if (byMeter != 0)
        {
            return byMeter;
        }

        var byMarket = string.Compare(a.Market, b.Market, StringComparison.OrdinalIgnoreCase);
        return byMarket != 0 ? byMarket : string.Compare(a.TermDuration, b.TermDuration, StringComparison.Ordinal);
    }

    public override string ToString() => $"meter {MeterId} in {Market} ({TermDuration})";
}
