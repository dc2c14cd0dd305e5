using System.Globalization;

namespace Paygo.Rating.Pricing;

/// <summary>
/// Numbers and dates as price list files write them. Decimals keep the scale they were written
/// with, so 0.50 is written back as 0.50; dates use Microsoft's <c>M/d/yyyy h:mm:ss tt</c>.
/// </summary>
internal static class PriceText
{
    public const string DateFormat = "M/d/yyyy h:mm:ss tt";

    // DOMAIN.md §10: dates are read as yyyy-MM-dd or Partner Center's format; written in Partner Center's.
    private static readonly string[] DateFormats = [DateFormat, "yyyy-MM-dd"];

    /// <summary>
    /// Reads a decimal written in plain notation (<c>0.0022</c>) or with an exponent (<c>2.2E-03</c>),
    /// with an optional leading minus (the caller decides whether a sign is allowed). No spaces,
    /// thousands separators or plus signs.
    /// </summary>
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out decimal value) => ParseDecimal(text, out value) == DecimalText.Exact;

    /// <summary>
    /// As <see cref="TryParseDecimal"/>, telling a text that is no number from a number that
    /// <c>decimal</c> cannot hold exactly (more than 28 decimals, or more than 28–29 digits in all):
    /// <c>decimal.Parse</c> rounds those silently, so 29 decimals of a tiny price would be stored as 0.
    /// </summary>
    public static DecimalText ParseDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        var negative = !text.IsEmpty && text[0] == '-';
        var digits = negative ? text[1..] : text;

        // Fast path for what price lists hold: up to 19 digits with at most one point (always exact).
        if (digits.Length is > 0 and <= 20)
        {
            ulong mantissa = 0;
            var count = 0;
            var scale = -1;
            var plain = true;
            for (var i = 0; i < digits.Length; i++)
            {
                var c = digits[i];
                if (c == '.' && scale < 0 && i > 0 && i < digits.Length - 1)
                {
                    scale = 0;
                    continue;
                }

                if (!char.IsAsciiDigit(c) || ++count > 19)
                {
                    plain = false;
                    break;
                }

                mantissa = (mantissa * 10) + (ulong)(c - '0');
                if (scale >= 0)
                {
                    scale++;
                }
            }

            if (plain)
            {
                // The casts split the 64-bit mantissa into decimal's 32-bit words; they reinterpret bits.
                value = new decimal(unchecked((int)(uint)mantissa), unchecked((int)(uint)(mantissa >> 32)), 0, negative, (byte)Math.Max(scale, 0));
                return DecimalText.Exact;
            }
        }

        // decimal.TryParse would take a leading plus sign, which the format does not allow.
        if (digits.IsEmpty || digits[0] == '+'
            || !decimal.TryParse(
                text,
                NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture,
                out value))
        {
            value = default;
            return DecimalText.NotANumber;
        }

        return SameNumber(digits, value) ? DecimalText.Exact : DecimalText.TooPrecise;
    }

    // Rare (more than 19 digits, or an exponent), so clarity over speed: both written forms are
    // reduced to their significant digits and a power of ten, then compared.
    private static bool SameNumber(ReadOnlySpan<char> text, decimal value)
    {
        var parsed = Significant(text);
        var stored = Significant(Math.Abs(value).ToString(CultureInfo.InvariantCulture));
        return parsed is { } a && stored is { } b && a.Scale == b.Scale && string.Equals(a.Digits, b.Digits, StringComparison.Ordinal);
    }

    private static (string Digits, long Scale)? Significant(ReadOnlySpan<char> text)
    {
        long exponent = 0;
        var e = text.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!long.TryParse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
            {
                return null;
            }

            text = text[..e];
        }

        var point = text.IndexOf('.');
        var fraction = point < 0 ? 0 : text.Length - point - 1;
        var digits = point < 0 ? text.ToString() : string.Concat(text[..point], text[(point + 1)..]);
        var trimmed = digits.TrimStart('0');
        if (trimmed.Length == 0)
        {
            return (string.Empty, 0);
        }

        var significant = trimmed.TrimEnd('0');
        return (significant, fraction - exponent - (trimmed.Length - significant.Length));
    }

    public static bool TryParseDate(ReadOnlySpan<char> text, out DateTime value) =>
        DateTime.TryParseExact(
            text,
            DateFormats,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out value);

    public static string FormatDate(DateTime value) => value.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static string FormatDecimal(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A rounded value for a problem text, without the trailing zeros of its scale (0, not 0.0000000000000000000000000000).</summary>
    public static string FormatRounded(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}

/// <summary>What a number cell holds.</summary>
internal enum DecimalText
{
    Exact,
    NotANumber,

    /// <summary>A number with more digits than <c>decimal</c> keeps; reading it would change it.</summary>
    TooPrecise,
}
