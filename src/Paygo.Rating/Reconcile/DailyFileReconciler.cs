using System.Globalization;
using System.Runtime.InteropServices;
using nietras.SeparatedValues;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Reconcile;

/// <summary>
/// Compares two daily rated usage files (reference §5.3): Microsoft's (<c>expected</c>) and
/// Paygo's (<c>actual</c>), joined on (EntitlementId, ResourceURI without case, MeterId,
/// UsageDate) with several rows of one key summed (docs/adr/0038). One streaming pass per file:
/// memory holds one entry per distinct key, one per (plan, meter, day) and the names, never the
/// rows. Each differing key gets the reason that explains it first (<see cref="VarianceReason"/>).
/// </summary>
public static class DailyFileReconciler
{
    /// <summary>Problems named per file; the rest are counted.</summary>
    public const int MaxReported = 50;

    private static readonly SepReaderOptions ReaderOptions = new Sep(',').Reader() with
    {
        HasHeader = false,
        Unescape = true,
        DisableColCountCheck = true,
    };

    private static readonly ColumnTable Table = DailyRatedUsageFile.Table;

    /// <summary>The columns a reconciliation reads; every other column may be absent and is ignored.</summary>
    public static IReadOnlyList<string> NeededColumns { get; } =
    [
        "CustomerId", "CustomerName", "SubscriptionId", "EntitlementId", "ResourceURI", "MeterId", "MeterName", "UsageDate", "Quantity",
        "UnitPrice", "PricingPreTaxTotal", "BillingPreTaxTotal", "PCToBCExchangeRate", "PartnerEarnedCreditPercentage",
    ];

    // Columns that may be left out of a file's header (names only help the report).
    private static readonly HashSet<string> Optional = new(StringComparer.Ordinal) { "CustomerName", "MeterName" };

    private enum Col
    {
        CustomerId,
        CustomerName,
        SubscriptionId,
        EntitlementId,
        ResourceUri,
        MeterId,
        MeterName,
        UsageDate,
        Quantity,
        UnitPrice,
        PricingPreTaxTotal,
        BillingPreTaxTotal,
        ExchangeRate,
        PecPercentage,
    }

    /// <summary>
    /// Reads both files and compares them. <paramref name="tolerance"/> is the largest difference
    /// of an amount (a quantity, a price, a total, a rate) still counted as equal; 0 compares
    /// exactly (as decimals: 1.50 equals 1.5).
    /// </summary>
    public static ReconcileResult Reconcile(Stream expected, Stream actual, decimal tolerance = 0m, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        var state = new State();
        var expectedProblems = new ProblemCollector(MaxReported);
        var expectedRows = ReadFile(expected, Side.Expected, state, expectedProblems, cancellationToken);
        var actualProblems = new ProblemCollector(MaxReported);
        var actualRows = ReadFile(actual, Side.Actual, state, actualProblems, cancellationToken);
        if (expectedProblems.Count > 0 || actualProblems.Count > 0)
        {
            return ReconcileResult.Refused(expectedProblems.ToList(), expectedProblems.Count, actualProblems.ToList(), actualProblems.Count);
        }

        return Compare(state, expectedRows, actualRows, tolerance);
    }

    internal enum Side
    {
        Expected,
        Actual,
    }

    private static long ReadFile(Stream stream, Side side, State state, ProblemCollector problems, CancellationToken cancellationToken)
    {
        using var text = CsvText.OpenText(stream);
        using var reader = ReaderOptions.From(text);
        int[]? map = null;
        var columns = 0;
        long rows = 0;
        foreach (var record in reader)
        {
            if (map is null)
            {
                map = ReadHeader(record, problems);
                if (map is null)
                {
                    return 0;
                }

                columns = record.ColCount;
                continue;
            }

            if ((record.RowIndex & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var rowNumber = record.RowIndex + 1;
            if (record.ColCount != columns)
            {
                if (record.ColCount == 1 && record[0].Span.IsEmpty)
                {
                    continue;
                }

                problems.AddRow(rowNumber, $"the row has {record.ColCount} fields; the header has {columns} (a comma inside a value needs the value in double quotes)");
                continue;
            }

            if (ReadRow(record, map, rowNumber, problems, out var row))
            {
                rows++;
                if (problems.Count == 0)
                {
                    state.Add(side, record, map, row);
                }
            }
        }

        if (map is null)
        {
            problems.AddRow(1, $"the file is empty; its first row must be the daily rated usage header (at least {string.Join(',', NeededColumns.Where(c => !Optional.Contains(c)))})");
        }

        return rows;
    }

    internal readonly struct Row(Guid customer, Guid plan, Guid entitlement, Guid meter, int day, decimal quantity, decimal unitPrice, decimal pricing, decimal billing, decimal rate, decimal pec)
    {
        public Guid Customer { get; } = customer;

        public Guid Plan { get; } = plan;

        public Guid Entitlement { get; } = entitlement;

        public Guid Meter { get; } = meter;

        public int Day { get; } = day;

        public decimal Quantity { get; } = quantity;

        public decimal UnitPrice { get; } = unitPrice;

        public decimal Pricing { get; } = pricing;

        public decimal Billing { get; } = billing;

        public decimal Rate { get; } = rate;

        public decimal Pec { get; } = pec;
    }

    private static bool ReadRow(SepReader.Row record, int[] map, int rowNumber, ProblemCollector problems, out Row row)
    {
        row = default;
        var before = problems.Count;
        var customer = Uuid(record, map, Col.CustomerId, rowNumber, problems);
        var plan = Uuid(record, map, Col.SubscriptionId, rowNumber, problems);
        var entitlement = Uuid(record, map, Col.EntitlementId, rowNumber, problems);
        var meter = Uuid(record, map, Col.MeterId, rowNumber, problems);
        var resource = record[map[(int)Col.ResourceUri]].Span;
        if (resource.IsEmpty)
        {
            Problem(problems, rowNumber, Col.ResourceUri, resource, "ResourceURI is required: it is part of the key rows are joined on");
        }

        var dayText = record[map[(int)Col.UsageDate]].Span;
        var day = 0;
        if (!TryParseDay(dayText, out day))
        {
            Problem(problems, rowNumber, Col.UsageDate, dayText, "UsageDate must be a UTC date written yyyy-MM-dd, M/d/yyyy h:mm:ss AM/PM or M/d/yyyy");
        }

        var quantity = Number(record, map, Col.Quantity, rowNumber, problems, emptyIs: null);
        var unitPrice = Number(record, map, Col.UnitPrice, rowNumber, problems, emptyIs: null);
        var pricing = Number(record, map, Col.PricingPreTaxTotal, rowNumber, problems, emptyIs: null);
        var billing = Number(record, map, Col.BillingPreTaxTotal, rowNumber, problems, emptyIs: null);
        var rate = Number(record, map, Col.ExchangeRate, rowNumber, problems, emptyIs: null);

        // Unbilled and older files leave the PEC percentage blank where no credit applies.
        var pec = Number(record, map, Col.PecPercentage, rowNumber, problems, emptyIs: 0m);
        if (problems.Count > before)
        {
            return false;
        }

        row = new Row(customer, plan, entitlement, meter, day, quantity, unitPrice, pricing, billing, rate, pec);
        return true;
    }

    /// <summary>Days since 0001-01-01 of a date in either of Microsoft's formats (ISO, or M/d/yyyy with an optional time).</summary>
    internal static bool TryParseDay(ReadOnlySpan<char> text, out int day)
    {
        day = 0;
        if (text.Length == 10 && text[4] == '-' && text[7] == '-'
            && int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            && int.TryParse(text.Slice(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            && int.TryParse(text.Slice(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var d)
            && y >= 1 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            day = new DateOnly(y, m, d).DayNumber;
            return true;
        }

        if (PriceText.TryParseDate(text, out var instant)
            || DateTime.TryParseExact(text, ["M/d/yyyy", "yyyy-MM-dd'T'HH:mm:ss'Z'"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant))
        {
            day = DateOnly.FromDateTime(instant).DayNumber;
            return true;
        }

        return false;
    }

    private static Guid Uuid(SepReader.Row record, int[] map, Col col, int rowNumber, ProblemCollector problems)
    {
        var text = record[map[(int)col]].Span;
        if (Guid.TryParseExact(text, "D", out var value))
        {
            return value;
        }

        Problem(problems, rowNumber, col, text, text.IsEmpty
            ? $"{NeededColumns[(int)col]} is required"
            : $"{NeededColumns[(int)col]} must be a GUID such as 0e195b37-0000-0000-0000-000000000000");
        return default;
    }

    private static decimal Number(SepReader.Row record, int[] map, Col col, int rowNumber, ProblemCollector problems, decimal? emptyIs)
    {
        var text = record[map[(int)col]].Span;
        if (text.IsEmpty && emptyIs is { } empty)
        {
            return empty;
        }

        switch (PriceText.ParseDecimal(text, out var value))
        {
            case DecimalText.Exact:
                return value;
            case DecimalText.TooPrecise:
                Problem(problems, rowNumber, col, text, $"{NeededColumns[(int)col]} has more digits than a decimal keeps exactly (at most 28 after the point)");
                return 0;
            default:
                Problem(problems, rowNumber, col, text, text.IsEmpty
                    ? $"{NeededColumns[(int)col]} is required to reconcile"
                    : $"{NeededColumns[(int)col]} must be a number written with digits and an optional '.', such as 0.0022");
                return 0;
        }
    }

    private static void Problem(ProblemCollector problems, int row, Col col, ReadOnlySpan<char> value, string reason)
    {
        var name = NeededColumns[(int)col];
        problems.Add(row, Table.IndexOf(name), name, value, reason);
    }

    // Columns by name in any order (Microsoft's file and Paygo's both work); an unknown name is
    // refused, as a typo would otherwise drop a column silently.
    private static int[]? ReadHeader(SepReader.Row record, ProblemCollector problems)
    {
        var map = new int[NeededColumns.Count];
        Array.Fill(map, -1);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var ok = true;
        for (var j = 0; j < record.ColCount; j++)
        {
            var name = record[j].ToString();
            if (j == 0 && name.Length > 0 && name[0] == '\uFEFF')
            {
                name = name[1..];
            }

            if (!Table.Contains(name))
            {
                problems.Add(1, Table.Count + j, name, name, $"column {j + 1} is not a daily rated usage column; the columns are {string.Join(',', Table.Header)}");
                ok = false;
                continue;
            }

            if (!seen.Add(name))
            {
                problems.Add(1, Table.IndexOf(name), name, name, $"column {name} is given twice");
                ok = false;
                continue;
            }

            var needed = IndexOfNeeded(name);
            if (needed >= 0)
            {
                map[needed] = j;
            }
        }

        for (var i = 0; i < map.Length; i++)
        {
            if (map[i] < 0 && !Optional.Contains(NeededColumns[i]))
            {
                problems.Add(1, Table.IndexOf(NeededColumns[i]), NeededColumns[i], string.Empty,
                    $"column {NeededColumns[i]} is missing; reconciling needs {string.Join(", ", NeededColumns.Where(c => !Optional.Contains(c)))}");
                ok = false;
            }
        }

        return ok ? map : null;
    }

    private static int IndexOfNeeded(string name)
    {
        for (var i = 0; i < NeededColumns.Count; i++)
        {
            if (NeededColumns[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private static ReconcileResult Compare(State state, long expectedRows, long actualRows, decimal tolerance)
    {
        var cumulative = state.CumulativeBefore();
        var differences = new List<VarianceRow>();
        var groups = new Dictionary<(Guid Customer, Guid Meter), VarianceGroupBuilder>();
        var totals = new VarianceGroupBuilder(Guid.Empty, Guid.Empty);
        foreach (var (key, entry) in state.Entries)
        {
            var customer = state.CustomerOf(key.Entitlement);
            ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, (customer, key.Meter), out var exists);
            if (!exists)
            {
                group = new VarianceGroupBuilder(customer, key.Meter);
            }

            var reasons = Reasons(entry, key, state.PlanOf(key.Entitlement), cumulative, tolerance);
            var primary = Primary(reasons);
            group!.Add(entry, primary);
            totals.Add(entry, primary);
            if (primary != VarianceReason.None)
            {
                differences.Add(new VarianceRow(
                    customer,
                    key.Entitlement,
                    state.ResourceText(key.Resource),
                    key.Meter,
                    DateOnly.FromDayNumber(key.Day),
                    primary,
                    reasons,
                    entry.Expected.Rows > 0 ? entry.Expected.ToValues() : null,
                    entry.Actual.Rows > 0 ? entry.Actual.ToValues() : null));
            }
        }

        differences.Sort(VarianceRow.Order);
        var report = groups.Values.Where(g => g.Differing > 0)
            .Select(g => g.Build(state.CustomerName(g.Customer), state.MeterName(g.Meter)))
            .OrderBy(g => g.CustomerId).ThenBy(g => g.MeterId)
            .ToList();
        return ReconcileResult.Compared(expectedRows, actualRows, state.Entries.Count, differences, report, totals.Build(null, null));
    }

    private static VarianceReason Primary(VarianceReasons reasons)
    {
        foreach (var reason in VarianceRow.ReasonOrder)
        {
            if ((reasons & VarianceRow.Flag(reason)) != 0)
            {
                return reason;
            }
        }

        return VarianceReason.None;
    }

    // Every reason that applies; the report names the first (VarianceRow.ReasonOrder): a missing row,
    // then quantity (everything downstream follows it), PEC, the FX rate, then the price itself.
    private static VarianceReasons Reasons(in Entry entry, in Key key, Guid plan, Dictionary<(Guid, Guid, int), (decimal Expected, decimal Actual)> cumulative, decimal tolerance)
    {
        var e = entry.Expected;
        var a = entry.Actual;
        if (e.Rows == 0)
        {
            return VarianceReasons.MissingInExpected;
        }

        if (a.Rows == 0)
        {
            return VarianceReasons.MissingInActual;
        }

        var reasons = VarianceReasons.None;
        if (!Same(e.Quantity, a.Quantity, tolerance))
        {
            reasons |= VarianceReasons.Quantity;
        }

        if (e.MixedPec || a.MixedPec ? !Same(e.PecWeighted, a.PecWeighted, tolerance) : !Same(e.Pec, a.Pec, tolerance))
        {
            reasons |= VarianceReasons.Pec;
        }

        if (e.MixedRate || a.MixedRate ? !Same(e.RateWeighted, a.RateWeighted, tolerance) : !Same(e.Rate, a.Rate, tolerance))
        {
            reasons |= VarianceReasons.FxRate;
        }

        // The list cost Σ q × UnitPrice: with the same quantity, a different cost is a different price.
        if (!Same(e.ListCost, a.ListCost, tolerance))
        {
            // Same day quantity, different month-to-date position: the same tiers priced a different
            // slice of them (a day missing or moved earlier in the month), so the blended price differs.
            var position = cumulative.GetValueOrDefault((plan, key.Meter, key.Day));
            reasons |= Same(e.Quantity, a.Quantity, tolerance) && !Same(position.Expected, position.Actual, tolerance)
                ? VarianceReasons.TierPosition
                : VarianceReasons.UnitPrice;
        }

        if (!Same(e.Pricing, a.Pricing, tolerance) || !Same(e.Billing, a.Billing, tolerance))
        {
            reasons |= VarianceReasons.Amount;
        }

        return reasons;
    }

    private static bool Same(decimal x, decimal y, decimal tolerance) => tolerance == 0 ? x == y : Math.Abs(x - y) <= tolerance;

    internal readonly record struct Key(Guid Entitlement, int Resource, Guid Meter, int Day);

    internal struct Entry
    {
        public Sums Expected;
        public Sums Actual;
    }

    /// <summary>One side's rows of one key, summed: about 136 bytes, what a key costs per side.</summary>
    internal struct Sums
    {
        public int Rows;
        public decimal Quantity;
        public decimal ListCost;
        public decimal Pricing;
        public decimal Billing;
        public decimal Pec;
        public decimal Rate;
        public decimal PecCost;
        public decimal RateCost;
        public bool MixedPec;
        public bool MixedRate;

        /// <summary>The PEC percentage weighted by list cost, for a key whose rows disagree.</summary>
        public readonly decimal PecWeighted => ListCost == 0 ? Pec : PecCost / ListCost;

        /// <summary>The FX rate weighted by the pricing-currency total, for a key whose rows disagree.</summary>
        public readonly decimal RateWeighted => Pricing == 0 ? Rate : RateCost / Pricing;

        public void Add(in Row row)
        {
            var cost = row.Quantity * row.UnitPrice;
            if (Rows == 0)
            {
                Pec = row.Pec;
                Rate = row.Rate;
            }
            else
            {
                MixedPec |= row.Pec != Pec;
                MixedRate |= row.Rate != Rate;
            }

            Rows++;
            Quantity += row.Quantity;
            ListCost += cost;
            PecCost += cost * row.Pec;
            RateCost += row.Pricing * row.Rate;
            Pricing += row.Pricing;
            Billing += row.Billing;
        }

        public readonly VarianceValues ToValues() => new(
            Rows,
            Quantity,
            Quantity == 0 ? 0 : ListCost / Quantity,
            MixedPec ? PecWeighted : Pec,
            MixedRate ? RateWeighted : Rate,
            Pricing,
            Billing);
    }

    private sealed class State
    {
        private readonly Dictionary<string, int> _resources = new(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _resourceLookup;
        private readonly List<string> _resourceTexts = [];
        private readonly Dictionary<Guid, string> _customerNames = [];
        private readonly Dictionary<Guid, string> _meterNames = [];
        private readonly Dictionary<Guid, (Guid Customer, Guid Plan)> _entitlements = [];
        private Guid _lastEntitlement = Guid.NewGuid();

        public State() => _resourceLookup = _resources.GetAlternateLookup<ReadOnlySpan<char>>();

        public Dictionary<Key, Entry> Entries { get; } = [];

        /// <summary>Each side's quantity per (plan, meter, day): the tier position of every day.</summary>
        public Dictionary<(Guid Plan, Guid Meter, int Day), (decimal Expected, decimal Actual)> DayQuantities { get; } = [];

        public void Add(Side side, SepReader.Row record, int[] map, in Row row)
        {
            var resourceText = record[map[(int)Col.ResourceUri]].Span;
            ref var resource = ref CollectionsMarshal.GetValueRefOrAddDefault(_resourceLookup, resourceText, out var known);
            if (!known)
            {
                resource = _resourceTexts.Count;
                _resourceTexts.Add(resourceText.ToString());
            }

            // An Azure subscription belongs to one customer and plan: kept once, not per key.
            if (row.Entitlement != _lastEntitlement)
            {
                _entitlements.TryAdd(row.Entitlement, (row.Customer, row.Plan));
                _lastEntitlement = row.Entitlement;
            }

            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(Entries, new Key(row.Entitlement, resource, row.Meter, row.Day), out _);

            if (side == Side.Expected)
            {
                entry.Expected.Add(row);
            }
            else
            {
                entry.Actual.Add(row);
            }

            ref var day = ref CollectionsMarshal.GetValueRefOrAddDefault(DayQuantities, (row.Plan, row.Meter, row.Day), out _);
            day = side == Side.Expected ? (day.Expected + row.Quantity, day.Actual) : (day.Expected, day.Actual + row.Quantity);
            Name(_customerNames, row.Customer, record, map, Col.CustomerName);
            Name(_meterNames, row.Meter, record, map, Col.MeterName);
        }

        private static void Name(Dictionary<Guid, string> names, Guid id, SepReader.Row record, int[] map, Col col)
        {
            if (map[(int)col] < 0)
            {
                return;
            }

            ref var name = ref CollectionsMarshal.GetValueRefOrAddDefault(names, id, out var known);
            if (!known || name!.Length == 0)
            {
                name = record[map[(int)col]].ToString();
            }
        }

        public string ResourceText(int resource) => _resourceTexts[resource];

        public Guid CustomerOf(Guid entitlement) => _entitlements[entitlement].Customer;

        public Guid PlanOf(Guid entitlement) => _entitlements[entitlement].Plan;

        public string? CustomerName(Guid id) => _customerNames.GetValueOrDefault(id) is { Length: > 0 } name ? name : null;

        public string? MeterName(Guid id) => _meterNames.GetValueOrDefault(id) is { Length: > 0 } name ? name : null;

        /// <summary>Each side's month-to-date quantity before each (plan, meter, day): where on the tiers the day began.</summary>
        public Dictionary<(Guid, Guid, int), (decimal Expected, decimal Actual)> CumulativeBefore()
        {
            var result = new Dictionary<(Guid, Guid, int), (decimal, decimal)>(DayQuantities.Count);
            foreach (var series in DayQuantities.GroupBy(d => (d.Key.Plan, d.Key.Meter)))
            {
                decimal expected = 0, actual = 0;
                foreach (var day in series.OrderBy(d => d.Key.Day))
                {
                    result[day.Key] = (expected, actual);
                    expected += day.Value.Expected;
                    actual += day.Value.Actual;
                }
            }

            return result;
        }
    }

    private sealed class VarianceGroupBuilder(Guid customer, Guid meter)
    {
        private readonly long[] _byReason = new long[Enum.GetValues<VarianceReason>().Length];
        private readonly decimal[] _differenceByReason = new decimal[Enum.GetValues<VarianceReason>().Length];

        public Guid Customer { get; } = customer;

        public Guid Meter { get; } = meter;

        public long Keys { get; private set; }

        public long Differing { get; private set; }

        private decimal _expected;
        private decimal _actual;

        public void Add(in Entry entry, VarianceReason reason)
        {
            Keys++;
            _expected += entry.Expected.Billing;
            _actual += entry.Actual.Billing;
            if (reason != VarianceReason.None)
            {
                Differing++;
                _byReason[(int)reason]++;
                _differenceByReason[(int)reason] += entry.Actual.Billing - entry.Expected.Billing;
            }
        }

        public VarianceGroup Build(string? customerName, string? meterName) => new(
            Customer,
            customerName,
            Meter,
            meterName,
            Keys,
            Differing,
            _expected,
            _actual,
            [.. VarianceRow.ReasonOrder.Where(r => _byReason[(int)r] > 0).Select(r => new ReasonTotal(r, _byReason[(int)r], _differenceByReason[(int)r]))]);
    }
}
