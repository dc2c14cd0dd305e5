using System.Globalization;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using static Paygo.Rating.Pricing.PriceListColumns;

namespace Paygo.Rating.Pricing;

/// <summary>The checks of one typed row, shared by the file reader and <see cref="PriceList.FromRows"/>.</summary>
internal static class PriceListRules
{
    private const decimal Int64Max = long.MaxValue;

    public static void CheckRow(PriceListRow row, int rowNumber, ProblemCollector problems)
    {
        Required(row.ProductTitle, rowNumber, ProductTitleIndex, problems);
        Required(row.ProductId, rowNumber, ProductIdIndex, problems);
        Required(row.SkuId, rowNumber, SkuIdIndex, problems);
        Required(row.SkuTitle, rowNumber, SkuTitleIndex, problems);
        Required(row.Publisher, rowNumber, PublisherIndex, problems);
        Required(row.MeterIds, rowNumber, MeterIdsIndex, problems);
        Nullable(row.SkuDescription, rowNumber, SkuDescriptionIndex, problems);
        Nullable(row.TermDuration, rowNumber, TermDurationIndex, problems);
        Nullable(row.MeterType, rowNumber, MeterTypeIndex, problems);
        Nullable(row.Tags, rowNumber, TagsIndex, problems);

        if (row.UnitOfMeasure.Text is null)
        {
            problems.Add(rowNumber, UnitOfMeasureIndex, PriceListColumns.UnitOfMeasure, default, "a unit of measure is required");
        }

        if (row.Market is null || row.Market.Length != 2 || !char.IsAsciiLetter(row.Market[0]) || !char.IsAsciiLetter(row.Market[1]))
        {
            problems.Add(rowNumber, MarketIndex, Market, row.Market, "the market must be a two-letter country code such as US");
        }

        if (row.Currency != CurrencyCode.Usd)
        {
            problems.Add(rowNumber, CurrencyIndex, Currency, row.Currency.ToString(), "Azure plan prices are in USD only (DOMAIN.md §6)");
        }

        if (row.UnitPrice < 0)
        {
            problems.Add(rowNumber, UnitPriceIndex, UnitPrice, PriceText.FormatDecimal(row.UnitPrice), "a price cannot be negative");
        }

        CheckTierBounds(row, rowNumber, problems);

        if (row.EffectiveEndDate < row.EffectiveStartDate)
        {
            problems.Add(
                rowNumber,
                EffectiveEndDateIndex,
                EffectiveEndDate,
                PriceText.FormatDate(row.EffectiveEndDate),
                $"the price ends before it starts ({PriceText.FormatDate(row.EffectiveStartDate)})");
        }
    }

    private static void CheckTierBounds(PriceListRow row, int rowNumber, ProblemCollector problems)
    {
        if (row.PricingTierRangeMin is null != row.PricingTierRangeMax is null)
        {
            var (index, name) = row.PricingTierRangeMin is null ? (PricingTierRangeMinIndex, PricingTierRangeMin) : (PricingTierRangeMaxIndex, PricingTierRangeMax);
            problems.Add(rowNumber, index, name, string.Empty, "PricingTierRangeMin and PricingTierRangeMax are both blank (a meter without tiers) or both set");
            return;
        }

        if (row.PricingTierRangeMin is not { } min || row.PricingTierRangeMax is not { } max)
        {
            return;
        }

        var ok = true;
        if (min < 0 || min != decimal.Truncate(min) || min >= Int64Max)
        {
            problems.Add(rowNumber, PricingTierRangeMinIndex, PricingTierRangeMin, PriceText.FormatDecimal(min), "a tier starts at a whole number of units, 0 or more");
            ok = false;
        }

        if (max >= Int64Max && max != PriceListRow.OpenEndedTierMax)
        {
            problems.Add(
                rowNumber,
                PricingTierRangeMaxIndex,
                PricingTierRangeMax,
                PriceText.FormatDecimal(max),
                string.Create(CultureInfo.InvariantCulture, $"an open-ended tier ends at exactly {PriceListRow.OpenEndedTierMax}"));
            ok = false;
        }
        else if (max < 0 || max != decimal.Truncate(max))
        {
            problems.Add(rowNumber, PricingTierRangeMaxIndex, PricingTierRangeMax, PriceText.FormatDecimal(max), "a tier ends at a whole number of units");
            ok = false;
        }

        if (ok && max < min)
        {
            problems.Add(
                rowNumber,
                PricingTierRangeMaxIndex,
                PricingTierRangeMax,
                PriceText.FormatDecimal(max),
                $"the tier ends before it starts ({PriceText.FormatDecimal(min)})");
        }
    }

    private static void Required(string? value, int rowNumber, int index, ProblemCollector problems)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add(rowNumber, index, PriceListColumns.All[index], value, $"{PriceListColumns.All[index]} is required");
        }
    }

    private static void Nullable(string? value, int rowNumber, int index, ProblemCollector problems)
    {
        if (value is null)
        {
            problems.Add(rowNumber, index, PriceListColumns.All[index], null, $"{PriceListColumns.All[index]} may be empty but not null");
        }
    }
}
