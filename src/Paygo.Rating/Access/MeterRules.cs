using Paygo.Rating.Pricing;

namespace Paygo.Rating.Access;

/// <summary>The rule that takes a meter out of PEC (reference §3.4), or <see cref="None"/>.</summary>
public enum MeterExclusion : byte
{
    None,

    /// <summary>The price list row's <c>Tags</c> contain <c>ThirdParty</c>: a product Microsoft resells.</summary>
    ThirdParty,

    /// <summary>The <c>Publisher</c> is not Microsoft.</summary>
    NonMicrosoftPublisher,

    /// <summary>The <c>Tags</c> contain <c>Reservation</c>: an Azure reservation.</summary>
    Reservation,

    /// <summary>An Azure savings plan: tag <c>SavingsPlan</c>, or "Savings Plan" in the product or SKU title.</summary>
    SavingsPlan,

    /// <summary>A Spot meter: tag <c>Spot</c>, or the word "Spot" in the SKU title (Azure names them "D2s v3 Spot").</summary>
    Spot,
}

/// <summary>
/// Which exclusion rule, if any, a price list row falls under. The rater classifies each meter
/// once and passes the <see cref="MeterExclusion"/> to every decision, so the tag and title
/// scans stay out of the per-row loop.
/// </summary>
public static class MeterRules
{
    /// <summary>The first rule that applies, in the order of <see cref="MeterExclusion"/>.</summary>
    public static MeterExclusion Classify(PriceListRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.HasTag("ThirdParty"))
        {
            return MeterExclusion.ThirdParty;
        }

        if (!row.Publisher.AsSpan().Trim().Equals("Microsoft", StringComparison.OrdinalIgnoreCase))
        {
            return MeterExclusion.NonMicrosoftPublisher;
        }

        if (row.HasTag("Reservation"))
        {
            return MeterExclusion.Reservation;
        }

        if (row.HasTag("SavingsPlan")
            || row.ProductTitle.Contains("Savings Plan", StringComparison.OrdinalIgnoreCase)
            || row.SkuTitle.Contains("Savings Plan", StringComparison.OrdinalIgnoreCase))
        {
            return MeterExclusion.SavingsPlan;
        }

        if (row.HasTag("Spot") || HasWord(row.SkuTitle, "Spot"))
        {
            return MeterExclusion.Spot;
        }

        return MeterExclusion.None;
    }

    // A whole word, so "Spotlight" or "Hotspot" is not a Spot meter.
    private static bool HasWord(string text, string word)
    {
        var span = text.AsSpan();
        for (var at = span.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0;)
        {
            var end = at + word.Length;
            var startsWord = at == 0 || !char.IsLetterOrDigit(span[at - 1]);
            var endsWord = end == span.Length || !char.IsLetterOrDigit(span[end]);
            if (startsWord && endsWord)
            {
                return true;
            }

            var next = span[end..].IndexOf(word, StringComparison.OrdinalIgnoreCase);
            at = next < 0 ? -1 : end + next;
        }

        return false;
    }
}
