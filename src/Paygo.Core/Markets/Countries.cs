using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Paygo.Rating.Money;

namespace Paygo.Core.Markets;

/// <summary>
/// ISO 3166-1 alpha-2 countries and the billing currency a partner located there is invoiced in
/// (reference §9, "Partner billing currency by partner location"). Countries the reference's
/// table leaves blank, and every country it does not name, bill in USD (docs/adr/0005).
/// </summary>
public static class Countries
{
    private const string AllCodes =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
        "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
        "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
        "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
        "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
        "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

    // Reference §9's CSP market table: the countries that do not bill in USD.
    private static readonly (string Currency, string Countries)[] NonUsdMarkets =
    [
        ("AUD", "AU CX CC HM NF FJ PG KI NR SB TO TV"),
        ("BRL", "BR"),
        ("CAD", "CA PM"),
        ("CNY", "CN"),
        ("EUR", "AT BE BG HR CY CZ EE FI FR DE GR GL HU IS IE IT LV LI LT LU MT MC NL PL PT RO SM SK SI ES AD AX BV"),
        ("DKK", "DK FO"),
        ("NOK", "NO SJ"),
        ("SEK", "SE"),
        ("CHF", "CH"),
        ("GBP", "GB GI GG IM JE"),
        ("INR", "IN"),
        ("JPY", "JP"),
        ("KRW", "KR"),
        ("NZD", "NZ WS VU"),
        ("TWD", "TW"),
    ];

    private static readonly FrozenDictionary<string, CurrencyCode> BillingCurrencies = BuildTable();

    /// <summary>Every ISO 3166-1 alpha-2 code, upper case.</summary>
    public static IReadOnlyCollection<string> Codes => BillingCurrencies.Keys;

    /// <summary>
    /// Normalises a country code (trimmed, upper case) and gives the billing currency of a partner
    /// located there; false when the text is not an ISO 3166-1 alpha-2 code.
    /// </summary>
    public static bool TryGetBillingCurrency(string? text, [NotNullWhen(true)] out string? country, out CurrencyCode currency)
    {
        country = null;
        currency = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var code = text.Trim().ToUpperInvariant();
        if (!BillingCurrencies.TryGetValue(code, out currency))
        {
            return false;
        }

        country = code;
        return true;
    }

    private static FrozenDictionary<string, CurrencyCode> BuildTable()
    {
        var table = new Dictionary<string, CurrencyCode>(StringComparer.Ordinal);
        foreach (var code in AllCodes.Split(' '))
        {
            table.Add(code, CurrencyCode.Usd);
        }

        foreach (var (currency, countries) in NonUsdMarkets)
        {
            var parsed = CurrencyCode.Parse(currency);
            foreach (var code in countries.Split(' '))
            {
                if (!table.ContainsKey(code))
                {
                    throw new InvalidOperationException($"Market table names unknown country '{code}'.");
                }

                table[code] = parsed;
            }
        }

        return table.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
