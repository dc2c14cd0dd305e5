using Paygo.Rating.Access;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Rating;

/// <summary>What a meter's price is on one day of the rated month.</summary>
public enum DayPriceStatus : byte
{
    /// <summary>No price list row covers the day.</summary>
    None,

    /// <summary>Exactly one price covers the day.</summary>
    Found,

    /// <summary>Several prices cover the day (overlapping effective ranges, or several terms): the row cannot be rated.</summary>
    Overlapping,
}

/// <summary>
/// A price list cut to one billing month: for every (meter, market) of the list, the price in
/// effect on each day of the month and whether PEC excludes that price's meter. Built once per
/// run; the rater then finds a day's tiers with one dictionary probe keyed by the meter's GUID
/// and the market's two letters, so no string is made per usage row.
/// </summary>
public sealed class MonthPrices
{
    private readonly Dictionary<MeterKey, int> _meters;
    private readonly MeterPrice?[] _prices;
    private readonly DayPriceStatus[] _status;
    private readonly MeterExclusion[] _exclusions;
    private readonly Guid[] _meterIds;

    private MonthPrices(BillingMonth month, Dictionary<MeterKey, int> meters, MeterPrice?[] prices, DayPriceStatus[] status, MeterExclusion[] exclusions, Guid[] meterIds)
    {
        Month = month;
        Days = DateTime.DaysInMonth(month.Year, month.Month);
        FirstDayNumber = month.FirstDay.DayNumber;
        _meters = meters;
        _prices = prices;
        _status = status;
        _exclusions = exclusions;
        _meterIds = meterIds;
    }

    public BillingMonth Month { get; }

    /// <summary>Days in the month (28 to 31).</summary>
    public int Days { get; }

    /// <summary><see cref="DateOnly.DayNumber"/> of the month's first day.</summary>
    public int FirstDayNumber { get; }

    /// <summary>How many (meter, market) pairs the list prices.</summary>
    public int MeterCount => _meterIds.Length;

    public static MonthPrices For(PriceList list, BillingMonth month)
    {
        ArgumentNullException.ThrowIfNull(list);
        var days = DateTime.DaysInMonth(month.Year, month.Month);
        var first = month.FirstDay;
        var meters = new Dictionary<MeterKey, int>();
        var found = new List<MeterPrice?[]>();
        var overlapping = new List<bool[]>();
        var ids = new List<Guid>();
        foreach (var price in list.Prices)
        {
            if (!Guid.TryParse(price.Key.MeterId, out var meterId) || !MeterKey.TryPackMarket(price.Key.Market, out var market))
            {
                continue;
            }

            var key = new MeterKey(meterId, market);
            if (!meters.TryGetValue(key, out var index))
            {
                index = ids.Count;
                meters.Add(key, index);
                ids.Add(meterId);
                found.Add(new MeterPrice?[days]);
                overlapping.Add(new bool[days]);
            }

            for (var d = 0; d < days; d++)
            {
                if (!price.AppliesOn(first.AddDays(d)))
                {
                    continue;
                }

                if (found[index][d] is not null)
                {
                    overlapping[index][d] = true;
                }

                found[index][d] = price;
            }
        }

        var prices = new MeterPrice?[ids.Count * days];
        var status = new DayPriceStatus[ids.Count * days];
        var exclusions = new MeterExclusion[ids.Count * days];
        for (var m = 0; m < ids.Count; m++)
        {
            for (var d = 0; d < days; d++)
            {
                var at = (m * days) + d;
                var price = found[m][d];
                prices[at] = price;
                status[at] = price is null ? DayPriceStatus.None : overlapping[m][d] ? DayPriceStatus.Overlapping : DayPriceStatus.Found;
                exclusions[at] = price is null ? MeterExclusion.None : MeterRules.Classify(price.Rows[0]);
            }
        }

        return new MonthPrices(month, meters, prices, status, exclusions, [.. ids]);
    }

    /// <summary>The index of a (meter, market), or -1 when the list does not price it.</summary>
    public int MeterIndex(Guid meterId, int market) => _meters.TryGetValue(new MeterKey(meterId, market), out var index) ? index : -1;

    public Guid MeterId(int meterIndex) => _meterIds[meterIndex];

    /// <summary>The status of a meter's price on day <paramref name="dayOfMonth"/> (0-based).</summary>
    public DayPriceStatus StatusOn(int meterIndex, int dayOfMonth) => _status[(meterIndex * Days) + dayOfMonth];

    /// <summary>The price of a meter on day <paramref name="dayOfMonth"/> (0-based), when <see cref="StatusOn"/> is Found.</summary>
    public MeterPrice PriceOn(int meterIndex, int dayOfMonth) => _prices[(meterIndex * Days) + dayOfMonth]!;

    public MeterExclusion ExclusionOn(int meterIndex, int dayOfMonth) => _exclusions[(meterIndex * Days) + dayOfMonth];
}

/// <summary>A meter GUID and a market packed as two upper-case ASCII letters.</summary>
internal readonly record struct MeterKey(Guid MeterId, int Market)
{
    public static bool TryPackMarket(ReadOnlySpan<char> market, out int packed)
    {
        packed = 0;
        if (market.Length != 2 || !char.IsAsciiLetter(market[0]) || !char.IsAsciiLetter(market[1]))
        {
            return false;
        }

        packed = (char.ToUpperInvariant(market[0]) << 8) | char.ToUpperInvariant(market[1]);
        return true;
    }
}
