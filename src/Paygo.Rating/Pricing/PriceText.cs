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
    public static bool TryParseDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        var negative = !text.IsEmpty && text[0] == '-';
        var digits = negative ? text[1..] : text;

        // Fast path for what price lists hold: up to 19 digits with at most one point.
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
                return true;
            }
        }

        return decimal.TryParse(
            text,
            NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture,
            out value);
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
}
