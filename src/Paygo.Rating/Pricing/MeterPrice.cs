namespace Paygo.Rating.Pricing;

/// <summary>
/// One tier of a graduated price, normalised to Azure's <c>TierMinimumUnits</c> form: the tier
/// prices the part of a cumulative quantity above <see cref="TierMinimumUnits"/> and up to
/// <see cref="TierMaximumUnits"/> (null: no upper bound). 1-based files (1–100, 101–…) and
/// 0-based files (0–100, 100–…) both become 0, 100, …
/// </summary>
/// <param name="TierMinimumUnits">Units, in the price list's unit of measure, below which this tier does not apply.</param>
/// <param name="TierMaximumUnits">Units up to which this tier applies; null for the open-ended last tier.</param>
/// <param name="UnitPrice">USD per unit of measure within the tier.</param>
public readonly record struct PriceTier(decimal TierMinimumUnits, decimal? TierMaximumUnits, decimal UnitPrice);

/// <summary>
/// The price of one meter in one market and term over one effective period: its tiers, and the
/// price list rows they came from. A meter without tiers has one tier from 0.
/// </summary>
public sealed class MeterPrice
{
    private readonly PriceTier[] _tiers;
    private readonly PriceListRow[] _rows;

    internal MeterPrice(PriceKey key, PriceTier[] tiers, PriceListRow[] rows)
    {
        Key = key;
        _tiers = tiers;
        _rows = rows;
    }

    public PriceKey Key { get; }

    // The tiers of one validated price (its rows sorted by PricingTierRangeMin), in TierMinimumUnits
    // form: a tier runs from its start (one below, when 1-based) to the next tier's start.
    internal static MeterPrice Create(PriceListRow[] rows, ReadOnlySpan<int> indices)
    {
        var first = rows[indices[0]];
        var shift = first.PricingTierRangeMin == 1m ? 1m : 0m;
        var tiers = new PriceTier[indices.Length];
        var tierRows = new PriceListRow[indices.Length];
        for (var k = 0; k < indices.Length; k++)
        {
            var row = rows[indices[k]];
            var from = (row.PricingTierRangeMin ?? 0m) - shift;
            decimal? to = k + 1 < indices.Length ? rows[indices[k + 1]].PricingTierRangeMin!.Value - shift : null;
            tiers[k] = new PriceTier(from, to, row.UnitPrice);
            tierRows[k] = row;
        }

        return new MeterPrice(first.Key, tiers, tierRows);
    }

    /// <summary>UTC; the price applies to the days whose first instant lies in [start, end].</summary>
    public DateTime EffectiveStartDate => _rows[0].EffectiveStartDate;

    /// <summary>UTC, inclusive.</summary>
    public DateTime EffectiveEndDate => _rows[0].EffectiveEndDate;

    /// <summary>The unit of the first tier's row; what quantities passed to <see cref="CostOf"/> are counted in.</summary>
    public UnitOfMeasure UnitOfMeasure => _rows[0].UnitOfMeasure;

    /// <summary>Tiers in ascending order, contiguous, the last open-ended.</summary>
    public IReadOnlyList<PriceTier> Tiers => _tiers;

    /// <summary>The price list rows of the tiers, in tier order.</summary>
    public IReadOnlyList<PriceListRow> Rows => _rows;

    /// <summary>
    /// True when the price applies on the UTC day <paramref name="day"/>: the day's first instant
    /// (00:00Z) lies within [EffectiveStartDate, EffectiveEndDate].
    /// </summary>
    public bool AppliesOn(DateOnly day)
    {
        var instant = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return EffectiveStartDate <= instant && instant <= EffectiveEndDate;
    }

    /// <summary>
    /// Graduated list cost in USD of a cumulative quantity (DOMAIN.md §6: 101 units over 1–100 at
    /// 1.00 and 101–100000 at 0.80 cost 100.80); exact, unrounded.
    /// </summary>
    public decimal CostOf(decimal cumulativeQuantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cumulativeQuantity);
        var cost = 0m;
        foreach (var tier in _tiers)
        {
            if (cumulativeQuantity <= tier.TierMinimumUnits)
            {
                break;
            }

            var top = tier.TierMaximumUnits is { } max && max < cumulativeQuantity ? max : cumulativeQuantity;
            cost += (top - tier.TierMinimumUnits) * tier.UnitPrice;
        }

        return cost;
    }

    public override string ToString() =>
        $"{Key} from {PriceText.FormatDate(EffectiveStartDate)} to {PriceText.FormatDate(EffectiveEndDate)}, {_tiers.Length} tier(s)";
}
