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
    // Shared by every price of the list; this price is [_offset, _offset + _count).
    private readonly PriceTier[] _tiers;
    private readonly PriceListRow[] _rows;
    private readonly int _offset;
    private readonly int _count;

    private MeterPrice(PriceTier[] tiers, PriceListRow[] rows, int offset, int count)
    {
        _tiers = tiers;
        _rows = rows;
        _offset = offset;
        _count = count;
        Key = rows[offset].Key;
    }

    public PriceKey Key { get; }

    /// <summary>
    /// Makes the price of one validated price group (rows sorted by PricingTierRangeMin), writing
    /// its rows and its tiers to [offset, offset + indices.Length) of the shared arrays. Tiers take
    /// Azure's TierMinimumUnits form: a tier runs from its start (one below, when 1-based) to the
    /// next tier's start.
    /// </summary>
    internal static MeterPrice Create(PriceListRow[] rows, ReadOnlySpan<int> indices, PriceTier[] tiers, PriceListRow[] tierRows, int offset)
    {
        var shift = rows[indices[0]].PricingTierRangeMin == 1m ? 1m : 0m;
        for (var k = 0; k < indices.Length; k++)
        {
            var row = rows[indices[k]];
            var from = (row.PricingTierRangeMin ?? 0m) - shift;
            decimal? to = k + 1 < indices.Length ? rows[indices[k + 1]].PricingTierRangeMin!.Value - shift : null;
            tiers[offset + k] = new PriceTier(from, to, row.UnitPrice);
            tierRows[offset + k] = row;
        }

        return new MeterPrice(tiers, tierRows, offset, indices.Length);
    }

    /// <summary>UTC; the price applies to the days whose first instant lies in [start, end].</summary>
    public DateTime EffectiveStartDate => _rows[_offset].EffectiveStartDate;

    /// <summary>UTC, inclusive.</summary>
    public DateTime EffectiveEndDate => _rows[_offset].EffectiveEndDate;

    /// <summary>The unit of the first tier's row; what quantities passed to <see cref="CostOf"/> are counted in.</summary>
    public UnitOfMeasure UnitOfMeasure => _rows[_offset].UnitOfMeasure;

    /// <summary>Tiers in ascending order, contiguous, the last open-ended.</summary>
    public ReadOnlySlice<PriceTier> Tiers => new(_tiers, _offset, _count);

    /// <summary>The price list rows of the tiers, in tier order.</summary>
    public ReadOnlySlice<PriceListRow> Rows => new(_rows, _offset, _count);

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
        foreach (var tier in _tiers.AsSpan(_offset, _count))
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
        $"{Key} from {PriceText.FormatDate(EffectiveStartDate)} to {PriceText.FormatDate(EffectiveEndDate)}, {_count} tier(s)";
}
