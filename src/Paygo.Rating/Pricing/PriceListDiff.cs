namespace Paygo.Rating.Pricing;

/// <summary>How a price differs between two price lists.</summary>
public enum PriceChangeKind
{
    /// <summary>Priced in the current list only.</summary>
    Added,

    /// <summary>Priced in the previous list only.</summary>
    Removed,

    /// <summary>Same tiers (or none), another unit price in at least one of them.</summary>
    PriceChanged,

    /// <summary>Tiers added, removed or moved; the prices may have changed too.</summary>
    TiersChanged,
}

/// <summary>One difference: the price in the previous list (null when added) and in the current one (null when removed).</summary>
public sealed record PriceChange(PriceChangeKind Kind, PriceKey Key, MeterPrice? Previous, MeterPrice? Current);

/// <summary>Month-over-month comparison of two price lists: a pure function with a fixed order.</summary>
public static class PriceListDiff
{
    /// <summary>
    /// Compares the latest price of every meter, market and term (the one with the latest
    /// effective start) in <paramref name="previous"/> with that in <paramref name="current"/>.
    /// Unchanged prices are left out; the rest come ordered by meter, market and term
    /// (ordinal, case-insensitive), so the same lists always give the same list of changes.
    /// </summary>
    public static IReadOnlyList<PriceChange> Compare(PriceList previous, PriceList current)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(current);
        var before = Latest(previous);
        var after = Latest(current);
        var changes = new List<PriceChange>();
        foreach (var (key, old) in before)
        {
            if (!after.TryGetValue(key, out var now))
            {
                changes.Add(new PriceChange(PriceChangeKind.Removed, key, old, null));
            }
            else if (!SameBounds(old, now))
            {
                changes.Add(new PriceChange(PriceChangeKind.TiersChanged, key, old, now));
            }
            else if (!SamePrices(old, now))
            {
                changes.Add(new PriceChange(PriceChangeKind.PriceChanged, key, old, now));
            }
        }

        foreach (var (key, now) in after)
        {
            if (!before.ContainsKey(key))
            {
                changes.Add(new PriceChange(PriceChangeKind.Added, key, null, now));
            }
        }

        changes.Sort(static (a, b) => PriceKey.Compare(a.Key, b.Key));
        return changes;
    }

    private static Dictionary<PriceKey, MeterPrice> Latest(PriceList list)
    {
        var latest = new Dictionary<PriceKey, MeterPrice>();
        foreach (var price in list.Prices)
        {
            if (!latest.TryGetValue(price.Key, out var known) || price.EffectiveStartDate > known.EffectiveStartDate)
            {
                latest[price.Key] = price;
            }
        }

        return latest;
    }

    private static bool SameBounds(MeterPrice a, MeterPrice b)
    {
        if (a.Tiers.Count != b.Tiers.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Tiers.Count; i++)
        {
            if (a.Tiers[i].TierMinimumUnits != b.Tiers[i].TierMinimumUnits || a.Tiers[i].TierMaximumUnits != b.Tiers[i].TierMaximumUnits)
            {
                return false;
            }
        }

        return true;
    }

    private static bool SamePrices(MeterPrice a, MeterPrice b)
    {
        for (var i = 0; i < a.Tiers.Count; i++)
        {
            // Compared as numbers: 0.50 and 0.5 are the same price.
            if (a.Tiers[i].UnitPrice != b.Tiers[i].UnitPrice)
            {
                return false;
            }
        }

        return true;
    }
}
