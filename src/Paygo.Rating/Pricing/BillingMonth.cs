using System.Globalization;

namespace Paygo.Rating.Pricing;

/// <summary>
/// A calendar month in UTC: the billing period <c>[first day, first day of next month)</c>
/// (DOMAIN.md §6) and the month an FX rate holds for. Written <c>yyyyMM</c> in FX files (the
/// pricing API's <c>month</c> parameter) and <c>yyyy-MM</c> everywhere else.
/// </summary>
public readonly record struct BillingMonth : IComparable<BillingMonth>
{
    public BillingMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    public int Year { get; }

    /// <summary>1 for January.</summary>
    public int Month { get; }

    public DateOnly FirstDay => new(Year, Month, 1);

    /// <summary>The month a UTC day falls in.</summary>
    public static BillingMonth Of(DateOnly day) => new(day.Year, day.Month);

    public bool Contains(DateOnly day) => day.Year == Year && day.Month == Month;

    /// <summary>Reads the FX file's <c>yyyyMM</c> (six digits, e.g. <c>202611</c>).</summary>
    public static bool TryParseFileText(ReadOnlySpan<char> text, out BillingMonth month)
    {
        month = default;
        if (text.Length != 6
            || !int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text[4..], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year < 1 || number is < 1 or > 12)
        {
            return false;
        }

        month = new BillingMonth(year, number);
        return true;
    }

    /// <summary>
    /// Reads <c>yyyy-MM</c> (e.g. <c>2026-11</c>; surrounding white space ignored), the form every
    /// API parameter and CLI option that names a month takes. Nothing else is a month: no day, no
    /// one-digit month.
    /// </summary>
    public static bool TryParse(string? text, out BillingMonth month)
    {
        month = default;
        var span = text.AsSpan().Trim();
        if (span.Length != 7 || span[4] != '-'
            || !int.TryParse(span[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(span[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || year < 1 || number is < 1 or > 12)
        {
            return false;
        }

        month = new BillingMonth(year, number);
        return true;
    }

    /// <summary>The FX file's form, <c>yyyyMM</c>.</summary>
    public string ToFileText() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}{Month:D2}");

    public int CompareTo(BillingMonth other) => Year != other.Year ? Year.CompareTo(other.Year) : Month.CompareTo(other.Month);

    public static bool operator <(BillingMonth left, BillingMonth right) => left.CompareTo(right) < 0;

    public static bool operator >(BillingMonth left, BillingMonth right) => left.CompareTo(right) > 0;

    public static bool operator <=(BillingMonth left, BillingMonth right) => left.CompareTo(right) <= 0;

    public static bool operator >=(BillingMonth left, BillingMonth right) => left.CompareTo(right) >= 0;

    /// <summary>ISO 8601 year and month, e.g. <c>2026-11</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");
}
