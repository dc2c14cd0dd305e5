using System.Numerics;
using Paygo.Rating.Files;
using Paygo.Rating.Money;

namespace Paygo.Rating.Pricing;

/// <summary>
/// One row of Microsoft's FX file: what one unit of <paramref name="Currency"/> is worth in USD
/// for the whole of <paramref name="Month"/> (reference §4.3: a rate holds for the month it is posted for).
/// </summary>
/// <param name="Currency">An ISO 4217 currency (<see cref="CurrencyCode"/>); the file lists many more than Paygo bills in.</param>
/// <param name="UsdPerUnit">USD per unit of the currency, &gt; 0, with the digits the file had (e.g. 0.27224589249009701).</param>
/// <param name="Month">The month the rate applies to.</param>
public readonly record struct FxRate(CurrencyCode Currency, decimal UsdPerUnit, BillingMonth Month);

/// <summary>Whether <see cref="FxRates.PcToBcExchangeRate"/> found a rate.</summary>
public enum ExchangeRateStatus
{
    /// <summary><see cref="ExchangeRateLookup.PcToBcExchangeRate"/> holds the rate.</summary>
    Found,

    /// <summary>No FX rate for the currency in the month: billing in that currency cannot close until one is imported.</summary>
    Missing,
}

/// <summary>
/// The pricing-to-billing currency rate of a currency in a month, or the fact that it is missing
/// (a value, not an exception: DESIGN.md convention 5).
/// </summary>
/// <param name="Status">Found or Missing.</param>
/// <param name="Currency">The billing currency asked for.</param>
/// <param name="Month">The month asked for.</param>
/// <param name="PcToBcExchangeRate">USD → billing currency, 9 decimals (half-even); 0 when <see cref="Status"/> is Missing.</param>
public readonly record struct ExchangeRateLookup(ExchangeRateStatus Status, CurrencyCode Currency, BillingMonth Month, decimal PcToBcExchangeRate)
{
    public bool Found => Status == ExchangeRateStatus.Found;

    /// <summary>One sentence for an error body or a log line.</summary>
    public override string ToString() =>
        Found ? $"PCToBCExchangeRate {Currency} {Month} = {PcToBcExchangeRate}" : $"no FX rate for {Currency} in {Month}";
}

/// <summary>
/// A validated set of FX rates, at most one per currency and month, from <see cref="FxRateFile"/>
/// or <see cref="FromRates"/>.
/// </summary>
public sealed class FxRates
{
    /// <summary>DOMAIN.md §6: the stored rate has 9 decimals.</summary>
    public const int PcToBcDecimals = 9;

    private readonly FxRate[] _rates;
    private readonly Dictionary<(CurrencyCode, BillingMonth), FxRate> _byMonth;

    private FxRates(FxRate[] rates)
    {
        _rates = rates;
        _byMonth = new(rates.Length);
        foreach (var rate in rates)
        {
            _byMonth.Add((rate.Currency, rate.Month), rate);
        }
    }

    /// <summary>Every rate, in file order.</summary>
    public IReadOnlyList<FxRate> Rates => _rates;

    /// <summary>
    /// Validates rates that did not come from a file (a database, a form) by the file's rules;
    /// problems name rows as the file would (the first rate is row 2).
    /// </summary>
    public static FileReadResult<FxRates> FromRates(IEnumerable<FxRate> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        var problems = new ProblemCollector();
        var seen = new Dictionary<(CurrencyCode, BillingMonth), int>();
        var list = new List<FxRate>();
        var row = 2;
        foreach (var rate in rates)
        {
            Check(rate, row++, seen, problems);
            list.Add(rate);
        }

        return Finish(list, problems);
    }

    /// <summary>
    /// DOMAIN.md §6: <c>PCToBCExchangeRate = 1 / USDPerUnit</c> of the billing currency in the
    /// month, rounded half-even to 9 decimals; that stored value is used everywhere. USD is 1.
    /// </summary>
    public ExchangeRateLookup PcToBcExchangeRate(CurrencyCode billingCurrency, BillingMonth month)
    {
        if (billingCurrency == CurrencyCode.Usd)
        {
            return new ExchangeRateLookup(ExchangeRateStatus.Found, billingCurrency, month, 1m);
        }

        return _byMonth.TryGetValue((billingCurrency, month), out var rate)
            ? new ExchangeRateLookup(ExchangeRateStatus.Found, billingCurrency, month, ToPcToBcExchangeRate(rate.UsdPerUnit))
            : new ExchangeRateLookup(ExchangeRateStatus.Missing, billingCurrency, month, 0m);
    }

    /// <summary>
    /// <c>1 / usdPerUnit</c> rounded half-even to 9 decimals, computed exactly (decimal division
    /// rounds at 28 digits first, which could move a result that lies just off a midpoint).
    /// </summary>
    public static decimal ToPcToBcExchangeRate(decimal usdPerUnit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(usdPerUnit);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(usdPerUnit, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        // The words are the 96-bit mantissa's bits; reading them as unsigned is a reinterpretation.
        var mantissa = ((BigInteger)unchecked((uint)bits[2]) << 64) | ((BigInteger)unchecked((uint)bits[1]) << 32) | unchecked((uint)bits[0]);

        // usdPerUnit = mantissa / 10^scale, so 10^9 / usdPerUnit = 10^(scale + 9) / mantissa.
        var quotient = BigInteger.DivRem(BigInteger.Pow(10, scale + PcToBcDecimals), mantissa, out var remainder);
        var half = (remainder * 2).CompareTo(mantissa);
        if (half > 0 || (half == 0 && !quotient.IsEven))
        {
            quotient++;
        }

        if (quotient.GetBitLength() > 96)
        {
            throw new OverflowException($"1 / {usdPerUnit} does not fit a decimal with {PcToBcDecimals} decimals.");
        }

        var low = (uint)(quotient & uint.MaxValue);
        var middle = (uint)((quotient >> 32) & uint.MaxValue);
        var high = (uint)(quotient >> 64);
        return new decimal(unchecked((int)low), unchecked((int)middle), unchecked((int)high), false, PcToBcDecimals);
    }

    internal static void Check(FxRate rate, int row, Dictionary<(CurrencyCode, BillingMonth), int> seen, ProblemCollector problems)
    {
        if (rate.Currency.Value is null)
        {
            problems.Add(row, FxRateFile.CurrencyCodeIndex, FxRateFile.CurrencyCodeColumn, string.Empty, "CurrencyCode is required");
        }

        if (rate.UsdPerUnit <= 0)
        {
            problems.Add(row, FxRateFile.UsdPerUnitIndex, FxRateFile.UsdPerUnitColumn, PriceText.FormatDecimal(rate.UsdPerUnit), "USDPerUnit must be more than 0");
        }
        else if (rate.Currency == CurrencyCode.Usd && rate.UsdPerUnit != 1m)
        {
            problems.Add(row, FxRateFile.UsdPerUnitIndex, FxRateFile.UsdPerUnitColumn, PriceText.FormatDecimal(rate.UsdPerUnit), "one USD is 1 USD");
        }

        if (rate.Month == default)
        {
            problems.Add(row, FxRateFile.MonthIndex, FxRateFile.MonthColumn, string.Empty, "Month is required");
        }

        if (rate.Currency.Value is not null && rate.Month != default && !seen.TryAdd((rate.Currency, rate.Month), row))
        {
            problems.Add(
                row,
                FxRateFile.CurrencyCodeIndex,
                FxRateFile.CurrencyCodeColumn,
                rate.Currency.Value,
                $"{rate.Currency} already has a rate for {rate.Month} at row {seen[(rate.Currency, rate.Month)]}; a currency has one rate per month");
        }
    }

    internal static FileReadResult<FxRates> Finish(List<FxRate> rates, ProblemCollector problems) =>
        problems.Count > 0
            ? FileReadResult<FxRates>.Failure(problems.ToList(), problems.Count)
            : FileReadResult<FxRates>.Success(new FxRates([.. rates]));
}
