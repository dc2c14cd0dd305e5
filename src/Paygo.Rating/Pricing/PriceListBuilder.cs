using System.Runtime.InteropServices;
using Paygo.Rating.Files;

namespace Paygo.Rating.Pricing;

/// <summary>
/// Gathers checked rows, then validates what only the whole list shows: tiers of one price
/// (contiguous from 0 or 1, open-ended last, no duplicates) and effective periods of one meter
/// (no overlaps). A meter with a bad row is left out of these checks, so one bad cell gives one
/// problem, not a cascade of tier gaps.
/// </summary>
internal sealed class PriceListBuilder
{
    private readonly List<PriceListRow> _rows = [];
    private readonly List<int> _rowNumbers = [];
    private readonly HashSet<MeterMarket> _tainted = [];
    private int[] _unique = new int[16];

    public ProblemCollector Problems { get; } = new();

    public void Add(PriceListRow row, int rowNumber)
    {
        var before = Problems.Count;
        PriceListRules.CheckRow(row, rowNumber, Problems);
        if (Problems.Count != before)
        {
            Taint(row.MeterIds, row.Market);
            return;
        }

        _rows.Add(row);
        _rowNumbers.Add(rowNumber);
    }

    /// <summary>Checks a row that failed to parse (with stand-ins for the bad cells) and leaves its meter out.</summary>
    public void Reject(PriceListRow row, int rowNumber)
    {
        PriceListRules.CheckRow(row, rowNumber, Problems);
        Taint(row.MeterIds, row.Market);
    }

    /// <summary>Leaves a meter out of the tier and period checks because one of its rows is bad.</summary>
    public void Taint(string? meterId, string? market) => _tainted.Add(new MeterMarket(meterId ?? string.Empty, market ?? string.Empty));

    public FileReadResult<PriceList> Build(CancellationToken cancellationToken)
    {
        var rows = _rows.ToArray();

        // Rows are chained per meter and market: chain ids in order of first appearance, each
        // with its first and last row and length; next[] links a chain's rows in file order.
        var chainIds = new Dictionary<MeterMarket, int>(rows.Length / 2);
        var heads = new List<int>(rows.Length / 2);
        var tails = new List<int>(rows.Length / 2);
        var counts = new List<int>(rows.Length / 2);
        var next = new int[rows.Length];
        var kept = 0;
        MeterMarket previousKey = default;
        var previousChain = -1;
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            next[i] = -1;
            int chain;

            // Tiers of a meter are usually adjacent: extend the previous chain without a lookup.
            // The reader shares one string per run of equal meter ids, so this is mostly a reference check.
            if (previousChain >= 0 && ReferenceEquals(row.MeterIds, previousKey.MeterId) && ReferenceEquals(row.Market, previousKey.Market))
            {
                chain = previousChain;
            }
            else
            {
                var key = new MeterMarket(row.MeterIds, row.Market);
                previousChain = -1;
                if (_tainted.Count > 0 && _tainted.Contains(key))
                {
                    continue;
                }

                ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(chainIds, key, out var exists);
                if (!exists)
                {
                    id = heads.Count;
                    heads.Add(i);
                    tails.Add(i);
                    counts.Add(1);
                    previousKey = key;
                    previousChain = id;
                    kept++;
                    continue;
                }

                chain = id;
                previousKey = key;
                previousChain = id;
            }

            next[tails[chain]] = i;
            tails[chain] = i;
            counts[chain]++;
            kept++;
        }

        // Chains laid end to end, each sorted by term, period and tier; the price list keeps this
        // (and where each chain starts) to build its lookup when first asked.
        var order = new int[kept];
        var starts = new int[heads.Count + 1];
        var position = 0;
        for (var chain = 0; chain < heads.Count; chain++)
        {
            if ((chain & 0xFFFF) == 0xFFFF)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            starts[chain] = position;
            var count = 0;
            for (var i = heads[chain]; i >= 0; i = next[i])
            {
                order[position + count++] = i;
            }

            var indices = order.AsSpan(position, count);
            indices.Sort(new RowOrder(rows));
            CheckMeter(rows, indices);
            position += count;
        }

        starts[heads.Count] = position;
        cancellationToken.ThrowIfCancellationRequested();
        return Problems.Count > 0
            ? FileReadResult<PriceList>.Failure(Problems.ToList(), Problems.Count)
            : FileReadResult<PriceList>.Success(new PriceList(rows, order, chainIds, starts));
    }

    // One meter in one market, sorted by term, period and tier: periods of a term must not overlap.
    private void CheckMeter(PriceListRow[] rows, ReadOnlySpan<int> indices)
    {
        var periodStart = 0;
        var latestEndIndex = -1;
        while (periodStart < indices.Length)
        {
            var first = rows[indices[periodStart]];
            var periodEnd = periodStart + 1;
            while (periodEnd < indices.Length && SamePeriod(first, rows[indices[periodEnd]]))
            {
                periodEnd++;
            }

            if (latestEndIndex >= 0)
            {
                var earlier = rows[latestEndIndex];
                if (!string.Equals(earlier.TermDuration, first.TermDuration, StringComparison.Ordinal))
                {
                    latestEndIndex = -1;
                }
                else if (first.EffectiveStartDate <= earlier.EffectiveEndDate)
                {
                    Problems.Add(
                        _rowNumbers[indices[periodStart]],
                        PriceListColumns.EffectiveStartDateIndex,
                        PriceListColumns.EffectiveStartDate,
                        PriceText.FormatDate(first.EffectiveStartDate),
                        $"this price of {first.Key} starts before the one at row {_rowNumbers[latestEndIndex]} ends ({PriceText.FormatDate(earlier.EffectiveEndDate)}); a meter has one price at a time");
                }
            }

            if (latestEndIndex < 0 || first.EffectiveEndDate > rows[latestEndIndex].EffectiveEndDate)
            {
                latestEndIndex = indices[periodStart];
            }

            CheckTiers(rows, indices[periodStart..periodEnd]);

            periodStart = periodEnd;
        }
    }

    // The tiers of one price (meter, market, term, period), sorted by PricingTierRangeMin then file order.
    private void CheckTiers(PriceListRow[] rows, ReadOnlySpan<int> indices)
    {
        // Repeated rows first: a copy of a row is one problem, not also an overlap or a second untiered price.
        if (indices.Length > 1)
        {
            var unique = _unique.Length >= indices.Length ? _unique : _unique = new int[Math.Max(indices.Length, _unique.Length * 2)];
            var count = 0;
            foreach (var index in indices)
            {
                var copyOf = -1;
                for (var k = count - 1; k >= 0 && rows[unique[k]].PricingTierRangeMin == rows[index].PricingTierRangeMin; k--)
                {
                    if (rows[unique[k]] == rows[index])
                    {
                        copyOf = unique[k];
                        break;
                    }
                }

                if (copyOf >= 0)
                {
                    Problems.AddRow(_rowNumbers[index], $"the row repeats row {_rowNumbers[copyOf]}");
                }
                else
                {
                    unique[count++] = index;
                }
            }

            indices = unique.AsSpan(0, count);
        }

        var first = rows[indices[0]];
        if (indices.Length == 1 && !first.IsTiered)
        {
            return;
        }

        var ok = true;
        foreach (var index in indices)
        {
            if (!rows[index].IsTiered)
            {
                ok = false;
                Problems.Add(
                    _rowNumbers[index],
                    PriceListColumns.PricingTierRangeMinIndex,
                    PriceListColumns.PricingTierRangeMin,
                    string.Empty,
                    $"a row without tiers must be the only price of {first.Key} for its period, but {indices.Length - 1} other row(s) price it too");
            }
        }

        if (!ok)
        {
            return;
        }

        var start = first.PricingTierRangeMin!.Value;
        if (start is not (0m or 1m))
        {
            Problems.Add(
                _rowNumbers[indices[0]],
                PriceListColumns.PricingTierRangeMinIndex,
                PriceListColumns.PricingTierRangeMin,
                PriceText.FormatDecimal(start),
                "the first tier of a price starts at 0 or at 1 (DOMAIN.md §6)");
        }

        for (var k = 1; k < indices.Length; k++)
        {
            CheckNextTier(rows[indices[k - 1]], _rowNumbers[indices[k - 1]], rows[indices[k]], _rowNumbers[indices[k]], oneBased: start != 0m);
        }

        var last = rows[indices[^1]];
        if (last.PricingTierRangeMax != PriceListRow.OpenEndedTierMax)
        {
            Problems.Add(
                _rowNumbers[indices[^1]],
                PriceListColumns.PricingTierRangeMaxIndex,
                PriceListColumns.PricingTierRangeMax,
                PriceText.FormatDecimal(last.PricingTierRangeMax!.Value),
                $"the last tier of a price is open-ended: its PricingTierRangeMax is {PriceText.FormatDecimal(PriceListRow.OpenEndedTierMax)}");
        }

    }

    private void CheckNextTier(PriceListRow previous, int previousRow, PriceListRow tier, int tierRow, bool oneBased)
    {
        var min = tier.PricingTierRangeMin!.Value;
        var previousMin = previous.PricingTierRangeMin!.Value;
        var previousMax = previous.PricingTierRangeMax!.Value;
        if (min == previousMin)
        {
            AddTierProblem(tierRow, min, $"the tier starts where the tier at row {previousRow} starts; tiers of a price must not overlap");
            return;
        }

        if (previousMax == PriceListRow.OpenEndedTierMax)
        {
            AddTierProblem(tierRow, min, $"the tier at row {previousRow} is open-ended, so no tier can follow it");
            return;
        }

        // 1-based tiers are closed ranges (1–100, 101–…); 0-based ones are [min, next min), written
        // either as 0–100, 100–… or as 0–99, 100–….
        var lowest = oneBased ? previousMax + 1 : previousMax;
        var highest = previousMax + 1;
        if (min < lowest)
        {
            AddTierProblem(tierRow, min, $"the tier overlaps the tier at row {previousRow} ({Range(previous)}); it must start at {PriceText.FormatDecimal(lowest)}");
            return;
        }

        if (min > highest)
        {
            AddTierProblem(tierRow, min, $"the tier leaves a gap after the tier at row {previousRow} ({Range(previous)}); it must start at {PriceText.FormatDecimal(highest)}");
        }
    }

    private void AddTierProblem(int row, decimal min, string reason) =>
        Problems.Add(row, PriceListColumns.PricingTierRangeMinIndex, PriceListColumns.PricingTierRangeMin, PriceText.FormatDecimal(min), reason);

    private static string Range(PriceListRow row) =>
        $"{PriceText.FormatDecimal(row.PricingTierRangeMin!.Value)}–{PriceText.FormatDecimal(row.PricingTierRangeMax!.Value)}";

    internal static bool SamePeriod(PriceListRow a, PriceListRow b) =>
        string.Equals(a.TermDuration, b.TermDuration, StringComparison.Ordinal)
        && a.EffectiveStartDate == b.EffectiveStartDate
        && a.EffectiveEndDate == b.EffectiveEndDate;

    // Term, start, end, first tier unit (untiered first), then file order: a struct so sorting allocates nothing.
    private readonly struct RowOrder(PriceListRow[] rows) : IComparer<int>
    {
        public int Compare(int x, int y)
        {
            var a = rows[x];
            var b = rows[y];
            var c = string.CompareOrdinal(a.TermDuration, b.TermDuration);
            if (c == 0)
            {
                c = a.EffectiveStartDate.CompareTo(b.EffectiveStartDate);
            }

            if (c == 0)
            {
                c = a.EffectiveEndDate.CompareTo(b.EffectiveEndDate);
            }

            if (c == 0)
            {
                c = (a.PricingTierRangeMin ?? -1m).CompareTo(b.PricingTierRangeMin ?? -1m);
            }

            return c != 0 ? c : x.CompareTo(y);
        }
    }
}
