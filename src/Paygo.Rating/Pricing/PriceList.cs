using Paygo.Rating.Files;

namespace Paygo.Rating.Pricing;

/// <summary>
/// A validated Azure plan price list: the rows in file order and each meter's prices, for
/// lookups (<see cref="Find(string, string, DateOnly)"/>) and diffs (<see cref="PriceListDiff"/>).
/// Only <see cref="PriceListFile"/> and <see cref="FromRows"/> make one, so every instance has
/// passed the file rules (docs/adr/0010-price-list-files.md).
/// </summary>
public sealed class PriceList
{
    private readonly PriceListRow[] _rows;

    // From validation: row indices grouped by meter and market (chain), each group sorted by term,
    // period and tier; chain c occupies _order[_starts[c].._starts[c + 1]].
    private readonly int[] _order;
    private readonly Dictionary<MeterMarket, int> _chains;
    private readonly int[] _starts;
    private readonly Lazy<(MeterPrice[] Prices, int[] PriceStarts)> _index;

    internal PriceList(PriceListRow[] rows, int[] order, Dictionary<MeterMarket, int> chains, int[] starts)
    {
        _rows = rows;
        _order = order;
        _chains = chains;
        _starts = starts;
        // Built on first lookup: an import that only stores the rows never pays for it.
        _index = new(BuildIndex, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Every row, in the order of the file (or of the rows given to <see cref="FromRows"/>).</summary>
    public IReadOnlyList<PriceListRow> Rows => _rows;

    /// <summary>Every price: by meter and market in order of first appearance, then by term and start date.</summary>
    public IReadOnlyList<MeterPrice> Prices => _index.Value.Prices;

    /// <summary>
    /// Validates rows that did not come from a file (a database, a generator) by the same rules as
    /// the file reader; problems name rows as the file would (the first row given is row 2).
    /// </summary>
    public static FileReadResult<PriceList> FromRows(IEnumerable<PriceListRow> rows, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var builder = new PriceListBuilder();
        var rowNumber = 2;
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row);
            builder.Add(row, rowNumber++);
        }

        return builder.Build(cancellationToken);
    }

    /// <summary>The price of a meter in a market on a UTC day, with its tiers.</summary>
    public PriceLookup Find(string meterId, string market, DateOnly day) => Find(meterId, market, termDuration: null, day);

    /// <summary>As <see cref="Find(string, string, DateOnly)"/>, for lists that price one meter under several terms.</summary>
    public PriceLookup Find(string meterId, string market, string? termDuration, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(meterId);
        ArgumentNullException.ThrowIfNull(market);
        if (!_chains.TryGetValue(new MeterMarket(meterId, market), out var chain))
        {
            return new PriceLookup(PriceLookupStatus.UnknownMeter, null);
        }

        var (all, priceStarts) = _index.Value;
        var prices = all.AsSpan(priceStarts[chain], priceStarts[chain + 1] - priceStarts[chain]);
        MeterPrice? found = null;
        foreach (var price in prices)
        {
            if ((termDuration is null || string.Equals(price.Key.TermDuration, termDuration, StringComparison.Ordinal)) && price.AppliesOn(day))
            {
                if (found is not null)
                {
                    return new PriceLookup(PriceLookupStatus.Ambiguous, null);
                }

                found = price;
            }
        }

        return found is null ? new PriceLookup(PriceLookupStatus.NoPriceOnDay, null) : new PriceLookup(PriceLookupStatus.Found, found);
    }

    // Prices of chain c are Prices[PriceStarts[c]..PriceStarts[c + 1]]; all tiers and tier rows
    // live in two arrays laid out like _order, so the index is one object per price.
    private (MeterPrice[] Prices, int[] PriceStarts) BuildIndex()
    {
        var chains = _starts.Length - 1;
        var tiers = new PriceTier[_order.Length];
        var tierRows = new PriceListRow[_order.Length];
        var prices = new List<MeterPrice>(chains);
        var priceStarts = new int[chains + 1];
        for (var chain = 0; chain < chains; chain++)
        {
            priceStarts[chain] = prices.Count;
            var indices = _order.AsSpan(_starts[chain], _starts[chain + 1] - _starts[chain]);
            var start = 0;
            while (start < indices.Length)
            {
                var end = start + 1;
                while (end < indices.Length && PriceListBuilder.SamePeriod(_rows[indices[start]], _rows[indices[end]]))
                {
                    end++;
                }

                prices.Add(MeterPrice.Create(_rows, indices[start..end], tiers, tierRows, _starts[chain] + start));
                start = end;
            }
        }

        priceStarts[chains] = prices.Count;
        return ([.. prices], priceStarts);
    }
}

/// <summary>What <see cref="PriceList.Find(string, string, DateOnly)"/> found.</summary>
public enum PriceLookupStatus
{
    /// <summary>One price applies; <see cref="PriceLookup.Price"/> holds it.</summary>
    Found,

    /// <summary>The list has no row for the meter in that market.</summary>
    UnknownMeter,

    /// <summary>The meter is priced in that market, but on other days.</summary>
    NoPriceOnDay,

    /// <summary>The meter has prices under several terms that day; ask again with the term.</summary>
    Ambiguous,
}

/// <summary>The outcome of a price lookup: a value, not an exception (DESIGN.md convention 5).</summary>
public readonly record struct PriceLookup(PriceLookupStatus Status, MeterPrice? Price)
{
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Price))]
    public bool Found => Status == PriceLookupStatus.Found;
}

/// <summary>A meter in a market, compared case-insensitively: the unit rows are grouped and looked up by.</summary>
internal readonly record struct MeterMarket(string MeterId, string Market)
{
    public bool Equals(MeterMarket other) =>
        string.Equals(MeterId, other.MeterId, StringComparison.OrdinalIgnoreCase)
        && string.Equals(Market, other.Market, StringComparison.OrdinalIgnoreCase);

    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(MeterId),
        StringComparer.OrdinalIgnoreCase.GetHashCode(Market));
}
