namespace Paygo.Rating.Rating;

/// <summary>
/// The rounding of DOMAIN.md §6. Rated rows are never rounded; an invoice line rounds its
/// pricing total down to cents, converts with the stored 9-decimal rate and rounds down to the
/// billing currency's minor unit (so the reference's 81.328 is 81.32, not 81.33).
/// </summary>
public static class Rounding
{
    /// <summary>Excel's ROUNDDOWN: towards zero at <paramref name="decimals"/> decimals.</summary>
    public static decimal RoundDown(decimal value, int decimals) => decimal.Round(value, decimals, MidpointRounding.ToZero);

    /// <summary><c>ROUNDDOWN(ROUNDDOWN(Σ PricingPreTaxTotal, 2) × PCToBCExchangeRate, n)</c>.</summary>
    public static decimal LineSubtotal(decimal pricingPreTaxTotal, decimal pcToBcExchangeRate, int minorUnit) =>
        RoundDown(RoundDown(pricingPreTaxTotal, 2) * pcToBcExchangeRate, minorUnit);

    /// <summary>
    /// The same value without trailing zeros (1.50 → 1.5). Sums and quotients carry the scale of
    /// their operands, so a day's quantity split 0.75 + 0.75 is 1.50 where one row says 1.5;
    /// normalising the per-day figures makes the output the same however the day was split (M5).
    /// </summary>
    public static decimal Normalize(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        if (scale == 0)
        {
            return value;
        }

        unchecked
        {
            var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
            while (scale > 0 && mantissa % 10 == 0)
            {
                mantissa /= 10;
                scale--;
            }

            return new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), (int)(uint)(mantissa >> 64), value < 0, (byte)scale);
        }
    }
}
