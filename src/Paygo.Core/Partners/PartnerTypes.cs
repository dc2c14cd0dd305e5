using System.Diagnostics.CodeAnalysis;

namespace Paygo.Core.Partners;

/// <summary>The wire names of <see cref="PartnerType"/> (<c>direct-bill</c>, ...), read leniently.</summary>
public static class PartnerTypes
{
    public static string ToWire(PartnerType type) => type switch
    {
        PartnerType.DirectBill => "direct-bill",
        PartnerType.IndirectProvider => "indirect-provider",
        PartnerType.IndirectReseller => "indirect-reseller",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>
    /// Reads <c>direct-bill</c> and its spellings in the SDK's styles (<c>direct_bill</c>,
    /// <c>directBill</c>, <c>DirectBill</c>): case, hyphens, underscores and spaces do not matter.
    /// </summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PartnerType type)
    {
        type = default;
        if (text is null)
        {
            return false;
        }

        var letters = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '-' or '_' or ' ')
            {
                continue;
            }

            if (!char.IsAsciiLetter(c))
            {
                return false;
            }

            letters.Append(char.ToUpperInvariant(c));
        }

        var folded = letters.ToString();
        switch (folded)
        {
            case "DIRECTBILL":
                type = PartnerType.DirectBill;
                return true;
            case "INDIRECTPROVIDER":
                type = PartnerType.IndirectProvider;
                return true;
            case "INDIRECTRESELLER":
                type = PartnerType.IndirectReseller;
                return true;
            default:
                return false;
        }
    }
}
