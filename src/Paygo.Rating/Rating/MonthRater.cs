using System.Globalization;
using Paygo.Rating.Access;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Rating;

/// <summary>
/// The daily rating rule of DOMAIN.md §6 over one month, in two passes over the same usage.
/// Pass one (<see cref="Add"/>) sums each (plan, meter, day)'s quantity <c>Q_d</c>;
/// <see cref="Seal"/> walks each plan and meter's days in date order, keeping the month-to-date
/// <c>C_d</c>, and fixes the day's list cost <c>D_d = T(C_d) − T(C_{d−1})</c> under the tiers in
/// effect that day and the blended price <c>u_d = D_d / Q_d</c>; pass two (<see cref="Rate"/>)
/// prices each row from its day's <c>u_d</c>, its own PEC decision and the stored FX rate.
/// State grows with the distinct (plan, meter, day) groups, never with rows, and the result does
/// not depend on the order rows come in (decimal sums of the same quantities are exact), which is
/// what makes rating a function (PROMISES M5). Nothing is rounded here (DOMAIN.md §6).
/// </summary>
public sealed class MonthRater
{
    /// <summary>What an earned row pays of the list price: 1 − 15 %.</summary>
    public const decimal PecFactor = 0.85m;

    private readonly MonthPrices _prices;
    private readonly AccessHistory _access;
    private readonly int _defaultMarket;

    private readonly string _defaultMarketText;
    private Dictionary<Guid, int> _plans = [];
    private List<Guid> _planIds = [];
    private Dictionary<long, int> _groups = [];

    // False for a sealed fork: the thread that forked it counts the rows in file order.
    private readonly bool _countsTotals = true;
    private long[] _groupKeys = new long[1024];
    private decimal[] _quantity = new decimal[1024];
    private decimal[] _cumulative = [];
    private decimal[] _listCost = [];
    private decimal[] _unitPrice = [];

    private readonly Dictionary<string, int> _partners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _partnerLookup;
    private readonly List<string> _partnerIds = [string.Empty];
    private readonly Dictionary<AccessKey, SubscriptionAccess> _indexes = [];

    // Rows of one file repeat their date text; the last one parsed is kept, text and day.
    private readonly char[] _lastDate = new char[32];
    private int _lastDateLength = -1;
    private int _lastDay;

    public MonthRater(MonthPrices prices, AccessHistory access, decimal pcToBcExchangeRate, string defaultMarket = "US")
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(access);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pcToBcExchangeRate);
        if (!MeterKey.TryPackMarket(defaultMarket, out _defaultMarket))
        {
            throw new ArgumentException($"'{defaultMarket}' is not a two-letter market.", nameof(defaultMarket));
        }

        _prices = prices;
        _access = access;
        _defaultMarketText = defaultMarket;
        PcToBcExchangeRate = pcToBcExchangeRate;
        _partnerLookup = _partners.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    // A sealed rater's reader for another thread: the sealed groups are shared (read only from
    // here on), the caches that Rate fills as it goes (dates, partners, access indexes) are its own.
    private MonthRater(MonthRater sealedSource)
    {
        _prices = sealedSource._prices;
        _access = sealedSource._access;
        _defaultMarket = sealedSource._defaultMarket;
        _defaultMarketText = sealedSource._defaultMarketText;
        PcToBcExchangeRate = sealedSource.PcToBcExchangeRate;
        _plans = sealedSource._plans;
        _planIds = sealedSource._planIds;
        _groups = sealedSource._groups;
        _groupKeys = sealedSource._groupKeys;
        _quantity = sealedSource._quantity;
        _cumulative = sealedSource._cumulative;
        _listCost = sealedSource._listCost;
        _unitPrice = sealedSource._unitPrice;
        _partnerLookup = _partners.GetAlternateLookup<ReadOnlySpan<char>>();
        _countsTotals = false;
        Sealed = true;
    }

    /// <summary>
    /// Before <see cref="Seal"/>: an empty rater over the same prices, access and rate, for another
    /// thread's share of pass one; its groups come back with <see cref="Absorb"/>. After: a rater
    /// that rates from this one's sealed groups with caches of its own, so threads rate in parallel;
    /// it leaves <see cref="Totals"/> at zero, since sums in another order could differ in the 28th digit.
    /// </summary>
    public MonthRater Fork() => Sealed ? new MonthRater(this) : new MonthRater(_prices, _access, PcToBcExchangeRate, _defaultMarketText);

    /// <summary>
    /// Pass one, merged: adds every (plan, meter, day) quantity of an unsealed fork. Sums of the
    /// same quantities are the same in any order (decimal addition is exact within its 28 digits),
    /// so how rows were shared between forks does not change the month.
    /// </summary>
    public void Absorb(MonthRater fork)
    {
        ArgumentNullException.ThrowIfNull(fork);
        if (Sealed || fork.Sealed)
        {
            throw new InvalidOperationException("Only unsealed raters merge; absorb forks before sealing.");
        }

        if (_groups.Count == 0)
        {
            // The first fork's groups become this rater's as they are: no copy of a month's worth of groups.
            (_plans, _planIds, _groups, _groupKeys, _quantity) = (fork._plans, fork._planIds, fork._groups, fork._groupKeys, fork._quantity);
            (fork._plans, fork._planIds, fork._groups, fork._groupKeys, fork._quantity) = ([], [], [], new long[1024], new decimal[1024]);
            return;
        }

        foreach (var (key, group) in fork._groups)
        {
            AddToGroup(fork._planIds[(int)(key >> 32)], (int)((key >> 5) & 0x7FFFFFF), (int)(key & 31), fork._quantity[group]);
        }
    }

    public MonthPrices Prices => _prices;

    /// <summary>USD → billing currency, as stored (9 decimals; 1 for USD).</summary>
    public decimal PcToBcExchangeRate { get; }

    /// <summary>The first day of the month: Partner Center's <c>PCToBCExchangeRateDate</c>.</summary>
    public DateOnly ExchangeRateDate => _prices.Month.FirstDay;

    public bool Sealed { get; private set; }

    /// <summary>Distinct (plan, meter, day) groups seen so far: what the rater's memory grows with.</summary>
    public int GroupCount => _groups.Count;

    public RatingTotals Totals { get; } = new();

    /// <summary>Pass one: adds the row's quantity to its (plan, meter, day), or says why the row cannot be rated.</summary>
    public UsageProblem Add(in UsageRow row)
    {
        if (Sealed)
        {
            throw new InvalidOperationException("The month is sealed; rate rows with Rate.");
        }

        var problem = Read(row, out var plan, out var meter, out var day, out var quantity);
        if (problem != UsageProblem.None)
        {
            return problem;
        }

        AddToGroup(plan, meter, day, quantity);
        return UsageProblem.None;
    }

    private void AddToGroup(Guid plan, int meter, int day, decimal quantity)
    {
        if (!_plans.TryGetValue(plan, out var planIndex))
        {
            planIndex = _planIds.Count;
            _plans.Add(plan, planIndex);
            _planIds.Add(plan);
        }

        var key = GroupKey(planIndex, meter, day);
        if (!_groups.TryGetValue(key, out var group))
        {
            group = _groups.Count;
            if (group == _groupKeys.Length)
            {
                Array.Resize(ref _groupKeys, group * 2);
                Array.Resize(ref _quantity, group * 2);
            }

            _groups.Add(key, group);
            _groupKeys[group] = key;
        }

        _quantity[group] += quantity;
    }

    /// <summary>
    /// Ends pass one: fixes every group's cumulative quantity, list cost and blended price by
    /// walking each plan and meter's days in date order (keys sort by plan, meter, then day).
    /// </summary>
    public void Seal()
    {
        if (Sealed)
        {
            return;
        }

        var count = _groups.Count;
        var keys = _groupKeys.AsSpan(0, count).ToArray();
        var order = new int[count];
        for (var i = 0; i < count; i++)
        {
            order[i] = i;
        }

        Array.Sort(keys, order);
        _cumulative = new decimal[count];
        _listCost = new decimal[count];
        _unitPrice = new decimal[count];
        var series = long.MinValue;
        var cumulative = 0m;
        for (var i = 0; i < count; i++)
        {
            var key = keys[i];
            if (key >> 5 != series)
            {
                series = key >> 5;
                cumulative = 0m;
            }

            var group = order[i];
            var meter = (int)((key >> 5) & 0x7FFFFFF);
            var day = (int)(key & 31);
            var price = _prices.PriceOn(meter, day);
            var quantity = Rounding.Normalize(_quantity[group]);
            _quantity[group] = quantity;
            var before = price.CostOf(cumulative);
            cumulative += quantity;
            var cost = Rounding.Normalize(price.CostOf(cumulative) - before);
            _cumulative[group] = Rounding.Normalize(cumulative);
            _listCost[group] = cost;
            _unitPrice[group] = quantity == 0m ? MarginalPrice(price, cumulative) : Rounding.Normalize(cost / quantity);
        }

        Sealed = true;
    }

    /// <summary>
    /// Pass two: prices one row (DOMAIN.md §6) into <paramref name="rated"/>, which the caller
    /// reuses from row to row. The row must have been added in pass one.
    /// </summary>
    public UsageProblem Rate(in UsageRow row, RatedRow rated)
    {
        ArgumentNullException.ThrowIfNull(rated);
        if (!Sealed)
        {
            throw new InvalidOperationException("Seal the month after pass one before rating rows.");
        }

        var problem = Read(row, out var plan, out var meter, out var day, out var quantity);
        if (problem != UsageProblem.None)
        {
            return problem;
        }

        if (!_plans.TryGetValue(plan, out var planIndex) || !_groups.TryGetValue(GroupKey(planIndex, meter, day), out var group))
        {
            return UsageProblem.NotAccumulated;
        }

        if (!Guid.TryParseExact(row.EntitlementId, "D", out var entitlement))
        {
            return UsageProblem.BadEntitlement;
        }

        if (row.ResourceUri.IsEmpty)
        {
            return UsageProblem.NoResource;
        }

        if (row.PartnerId.IsEmpty)
        {
            return UsageProblem.NoPartner;
        }

        var access = AccessFor(entitlement, row.PartnerId, row.ResellerId);
        var date = DateOnly.FromDayNumber(_prices.FirstDayNumber + day);
        var exclusion = _prices.ExclusionOn(meter, day);
        rated.Pec = access.Decide(row.ResourceUri, exclusion, date);
        rated.Access = access;
        rated.Day = date;
        rated.Quantity = quantity;
        var unit = _unitPrice[group];
        var factor = rated.Pec.Earned ? PecFactor : 1m;
        var effective = unit * factor;
        // q × u_d × (1 − pec) with the division of u_d = D_d / Q_d done last, so a row that is its
        // whole day costs exactly D_d × (1 − pec) and a split day loses nothing to a 28-digit u_d.
        var dayQuantity = _quantity[group];
        var dayCost = _listCost[group] * factor;
        var pricing = quantity == dayQuantity ? dayCost : dayQuantity == 0m ? 0m : quantity * dayCost / dayQuantity;
        var billing = pricing * PcToBcExchangeRate;
        rated.UnitPrice = unit;
        rated.EffectiveUnitPrice = effective;
        rated.PricingPreTaxTotal = pricing;
        rated.BillingPreTaxTotal = billing;
        rated.ListCostOfDay = _listCost[group];

        if (_countsTotals)
        {
            Totals.Count(rated);
        }

        return UsageProblem.None;
    }

    /// <summary>Every (plan, meter, day) after <see cref="Seal"/>, ordered by plan, meter and day: the part of rating that any order or split of the rows must leave unchanged.</summary>
    public IReadOnlyList<DailyCharge> DailyCharges()
    {
        if (!Sealed)
        {
            throw new InvalidOperationException("Seal the month first.");
        }

        var list = new List<DailyCharge>(_groups.Count);
        foreach (var (key, group) in _groups)
        {
            var meter = (int)((key >> 5) & 0x7FFFFFF);
            var day = (int)(key & 31);
            list.Add(new DailyCharge(
                _planIds[(int)(key >> 32)],
                _prices.MeterId(meter),
                meter,
                DateOnly.FromDayNumber(_prices.FirstDayNumber + day),
                _quantity[group],
                _cumulative[group],
                _listCost[group],
                _unitPrice[group]));
        }

        list.Sort(static (a, b) =>
        {
            var c = a.PlanId.CompareTo(b.PlanId);
            c = c != 0 ? c : a.MeterId.CompareTo(b.MeterId);
            c = c != 0 ? c : a.MeterIndex.CompareTo(b.MeterIndex);
            return c != 0 ? c : a.Day.CompareTo(b.Day);
        });
        return list;
    }

    private static long GroupKey(int plan, int meter, int day) => ((long)plan << 32) | ((long)meter << 5) | (uint)day;

    // A day with zero quantity costs nothing; its unit price is what the next unit would cost.
    private static decimal MarginalPrice(MeterPrice price, decimal cumulative)
    {
        foreach (var tier in price.Tiers)
        {
            if (tier.TierMaximumUnits is not { } max || cumulative < max)
            {
                return tier.UnitPrice;
            }
        }

        return 0m;
    }

    private UsageProblem Read(in UsageRow row, out Guid plan, out int meter, out int day, out decimal quantity)
    {
        meter = -1;
        day = -1;
        quantity = 0m;
        if (!Guid.TryParseExact(row.PlanId, "D", out plan))
        {
            return UsageProblem.BadPlan;
        }

        if (!Guid.TryParseExact(row.MeterId, "D", out var meterId))
        {
            return UsageProblem.BadMeter;
        }

        var market = _defaultMarket;
        if (!row.Market.IsEmpty && !MeterKey.TryPackMarket(row.Market, out market))
        {
            return UsageProblem.BadMarket;
        }

        if (!TryReadDay(row.UsageDate, out var dayNumber))
        {
            return UsageProblem.BadDate;
        }

        day = dayNumber - _prices.FirstDayNumber;
        if (day < 0 || day >= _prices.Days)
        {
            return UsageProblem.DateOutsideMonth;
        }

        var parsed = PriceText.ParseDecimal(row.Quantity, out quantity);
        if (parsed != DecimalText.Exact)
        {
            return UsageProblem.BadQuantity;
        }

        if (quantity < 0m)
        {
            return UsageProblem.NegativeQuantity;
        }

        meter = _prices.MeterIndex(meterId, market);
        if (meter < 0)
        {
            return UsageProblem.UnknownMeter;
        }

        return _prices.StatusOn(meter, day) switch
        {
            DayPriceStatus.Found => UsageProblem.None,
            DayPriceStatus.Overlapping => UsageProblem.OverlappingPrices,
            _ => UsageProblem.NoPriceOnDay,
        };
    }

    private bool TryReadDay(ReadOnlySpan<char> text, out int dayNumber)
    {
        if (text.Length == _lastDateLength && text.SequenceEqual(_lastDate.AsSpan(0, _lastDateLength)))
        {
            dayNumber = _lastDay;
            return true;
        }

        if (!ParseDay(text, out dayNumber))
        {
            return false;
        }

        if (text.Length <= _lastDate.Length)
        {
            text.CopyTo(_lastDate);
            _lastDateLength = text.Length;
            _lastDay = dayNumber;
        }

        return true;
    }

    /// <summary>A usage date's UTC day: <c>yyyy-MM-dd</c>, ISO 8601 with a time, or <c>M/d/yyyy h:mm:ss tt</c>.</summary>
    public static bool ParseDay(ReadOnlySpan<char> text, out int dayNumber)
    {
        dayNumber = 0;
        if (text.Length >= 10 && text[4] == '-' && text[7] == '-')
        {
            if (!int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
                || !int.TryParse(text.Slice(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
                || !int.TryParse(text.Slice(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var dayOfMonth)
                || year < 1 || month is < 1 or > 12 || dayOfMonth < 1 || dayOfMonth > DateTime.DaysInMonth(year, month))
            {
                return false;
            }

            if (text.Length > 10 && !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out _))
            {
                return false;
            }

            dayNumber = new DateOnly(year, month, dayOfMonth).DayNumber;
            return true;
        }

        if (!PriceText.TryParseDate(text, out var instant))
        {
            return false;
        }

        dayNumber = DateOnly.FromDateTime(instant).DayNumber;
        return true;
    }

    private SubscriptionAccess AccessFor(Guid entitlement, ReadOnlySpan<char> partner, ReadOnlySpan<char> reseller)
    {
        var key = new AccessKey(entitlement, PartnerIndex(partner), reseller.IsEmpty ? 0 : PartnerIndex(reseller));
        if (!_indexes.TryGetValue(key, out var access))
        {
            access = _access.IndexFor(entitlement.ToString("D"), _partnerIds[key.Partner], key.Reseller == 0 ? null : _partnerIds[key.Reseller]);
            _indexes.Add(key, access);
        }

        return access;
    }

    private int PartnerIndex(ReadOnlySpan<char> partner)
    {
        if (_partnerLookup.TryGetValue(partner, out var index))
        {
            return index;
        }

        var id = partner.ToString();
        index = _partnerIds.Count;
        _partnerIds.Add(id);
        _partners.Add(id, index);
        return index;
    }

    private readonly record struct AccessKey(Guid Entitlement, int Partner, int Reseller);
}

/// <summary>
/// One row's prices, filled by <see cref="MonthRater.Rate"/>: list and effective unit price,
/// the USD and billing totals (unrounded), and the PEC decision with its evidence.
/// </summary>
public sealed class RatedRow
{
    public decimal Quantity { get; internal set; }

    /// <summary>The day's blended list price <c>u_d</c>.</summary>
    public decimal UnitPrice { get; internal set; }

    /// <summary><c>u_d × (1 − pec)</c>.</summary>
    public decimal EffectiveUnitPrice { get; internal set; }

    /// <summary><c>q × EffectiveUnitPrice</c>, USD.</summary>
    public decimal PricingPreTaxTotal { get; internal set; }

    /// <summary><c>PricingPreTaxTotal × PCToBCExchangeRate</c>, billing currency.</summary>
    public decimal BillingPreTaxTotal { get; internal set; }

    /// <summary>The whole (plan, meter, day)'s list cost <c>D_d</c>.</summary>
    public decimal ListCostOfDay { get; internal set; }

    public DateOnly Day { get; internal set; }

    /// <summary>0 or 15.</summary>
    public int PecPercent => Pec.CreditPercent;

    public PecDecision Pec { get; internal set; }

    /// <summary>The index the decision was made with; <see cref="SubscriptionAccess.Describe"/> words its evidence.</summary>
    public SubscriptionAccess? Access { get; internal set; }
}

/// <summary>The figures of one (plan, meter, day) after sealing.</summary>
/// <param name="PlanId">The Azure plan.</param>
/// <param name="MeterId">The meter.</param>
/// <param name="MeterIndex">The (meter, market) index in <see cref="MonthPrices"/>, telling markets apart.</param>
/// <param name="Day">The UTC day.</param>
/// <param name="Quantity"><c>Q_d</c>.</param>
/// <param name="Cumulative"><c>C_d</c>, month to date.</param>
/// <param name="ListCost"><c>D_d = T(C_d) − T(C_{d−1})</c>.</param>
/// <param name="UnitPrice"><c>u_d = D_d / Q_d</c>.</param>
public readonly record struct DailyCharge(Guid PlanId, Guid MeterId, int MeterIndex, DateOnly Day, decimal Quantity, decimal Cumulative, decimal ListCost, decimal UnitPrice)
{
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{PlanId:D},{MeterId:D},{MeterIndex},{Day:yyyy-MM-dd},{Quantity},{Cumulative},{ListCost},{UnitPrice}");
}

/// <summary>Running totals of pass two, for the closing summary.</summary>
public sealed class RatingTotals
{
    public long Rows { get; internal set; }

    public decimal Quantity { get; internal set; }

    public decimal PricingPreTaxTotal { get; internal set; }

    public decimal BillingPreTaxTotal { get; internal set; }

    /// <summary>Rows that earned PEC.</summary>
    public long PecEarnedRows { get; internal set; }

    /// <summary>Rows of eligible meters that did not earn PEC (no access, partial day, denied, …).</summary>
    public long PecLostRows { get; internal set; }

    /// <summary>Rows of meters PEC excludes (ThirdParty, reservations, …).</summary>
    public long ExcludedRows { get; internal set; }

    /// <summary>Adds one rated row. Callers that rate on several threads count in file order, so the 28-digit sums are the same on every run.</summary>
    internal void Count(RatedRow rated) => Count(rated.Quantity, rated.PricingPreTaxTotal, rated.BillingPreTaxTotal, rated.Pec.Reason);

    internal void Count(decimal quantity, decimal pricing, decimal billing, PecReason reason)
    {
        Rows++;
        Quantity += quantity;
        PricingPreTaxTotal += pricing;
        BillingPreTaxTotal += billing;
        if (reason == PecReason.Earned)
        {
            PecEarnedRows++;
        }
        else if (reason == PecReason.ExcludedMeter)
        {
            ExcludedRows++;
        }
        else
        {
            PecLostRows++;
        }
    }
}
