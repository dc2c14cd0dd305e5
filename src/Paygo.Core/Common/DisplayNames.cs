using System.Text;

namespace Paygo.Core.Common;

/// <summary>
/// What people read for the wire values of Paygo's enumerations: <c>one_time</c> is "One time",
/// <c>PriceChanged</c> "Price changed", <c>direct-bill</c> "Direct bill". The dashboard and the
/// CLI's tables use this one place; JSON (the API, the CLI's <c>--json</c>) keeps the wire values.
/// </summary>
public static class DisplayNames
{
    // The few values whose words are not just the value split up: acronyms and Partner Center's wording.
    private static readonly Dictionary<string, string> Exceptions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MicrosoftCustomerAgreement"] = "Microsoft Customer Agreement",
        ["mca"] = "MCA",
    };

    /// <summary>The display name of a wire value; null and empty stay as they are.</summary>
    public static string Of(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return value ?? string.Empty;
        }

        var trimmed = value.Trim();
        if (Exceptions.TryGetValue(trimmed, out var known))
        {
            return known;
        }

        // Words are separated by '_', '-', ' ' or a lower-to-upper case change; the first word is
        // capitalised and the others lower-cased, as Partner Center writes its labels.
        var text = new StringBuilder(trimmed.Length + 4);
        var newWord = true;
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c is '_' or '-' or ' ')
            {
                newWord = true;
                continue;
            }

            if (i > 0 && char.IsUpper(c) && char.IsLower(trimmed[i - 1]))
            {
                newWord = true;
            }

            if (newWord && text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(text.Length == 0 ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            newWord = false;
        }

        return text.ToString();
    }

    /// <summary>The display name of an enumeration value (its C# name split into words).</summary>
    public static string Of<TEnum>(TEnum value)
        where TEnum : struct, Enum => Of(value.ToString());
}
