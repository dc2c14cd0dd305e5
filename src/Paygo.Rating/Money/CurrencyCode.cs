using System.Diagnostics.CodeAnalysis;

namespace Paygo.Rating.Money;

/// <summary>
/// An ISO 4217 alphabetic currency code (three upper-case letters) of a currency Paygo bills in,
/// with its minor unit: the number of decimals an amount in that currency is rounded to on an
/// invoice (2 for USD and EUR, 0 for JPY and KRW; DOMAIN.md §6).
/// </summary>
public readonly record struct CurrencyCode
{
    // Minor units per ISO 4217 for the billing currencies of reference §9 plus the common
    // currencies of Microsoft's FX file. A currency missing here cannot be a billing currency.
    private static readonly Dictionary<string, int> MinorUnits = new(StringComparer.Ordinal)
    {
        ["USD"] = 2, ["EUR"] = 2, ["GBP"] = 2, ["AUD"] = 2, ["BRL"] = 2, ["CAD"] = 2, ["CNY"] = 2,
        ["DKK"] = 2, ["NOK"] = 2, ["SEK"] = 2, ["CHF"] = 2, ["INR"] = 2, ["JPY"] = 0, ["KRW"] = 0,
        ["NZD"] = 2, ["TWD"] = 2,
    };

    private CurrencyCode(string value, int minorUnit)
    {
        Value = value;
        MinorUnit = minorUnit;
    }

    /// <summary>The three-letter code, e.g. <c>EUR</c>.</summary>
    public string Value { get; }

    /// <summary>Decimals of the currency's minor unit (ISO 4217): 2 for EUR, 0 for JPY.</summary>
    public int MinorUnit { get; }

    public static CurrencyCode Usd { get; } = new("USD", 2);

    /// <summary>Every currency Paygo can bill in, in code order.</summary>
    public static IReadOnlyList<CurrencyCode> All { get; } =
        [.. MinorUnits.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new CurrencyCode(p.Key, p.Value))];

    /// <summary>Parses a code case-insensitively; false for anything that is not a known billing currency.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out CurrencyCode currency)
    {
        currency = default;
        if (text is null || text.Length != 3)
        {
            return false;
        }

        var upper = text.ToUpperInvariant();
        if (!MinorUnits.TryGetValue(upper, out var minorUnit))
        {
            return false;
        }

        currency = new CurrencyCode(upper, minorUnit);
        return true;
    }

    /// <summary>Parses a code that must be known; throws for a bug (an unknown code in Paygo's own tables).</summary>
    public static CurrencyCode Parse(string text) =>
        TryParse(text, out var currency) ? currency : throw new ArgumentException($"'{text}' is not a billing currency.", nameof(text));

    public override string ToString() => Value ?? string.Empty;
}
