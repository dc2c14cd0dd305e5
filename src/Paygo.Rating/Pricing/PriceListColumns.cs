namespace Paygo.Rating.Pricing;

/// <summary>The 18 columns of Partner Center's Azure plan price list, in file order (reference §1.6).</summary>
public static class PriceListColumns
{
    public const string ProductTitle = nameof(ProductTitle);
    public const string ProductId = nameof(ProductId);
    public const string SkuId = nameof(SkuId);
    public const string SkuTitle = nameof(SkuTitle);
    public const string Publisher = nameof(Publisher);
    public const string SkuDescription = nameof(SkuDescription);
    public const string UnitOfMeasure = nameof(UnitOfMeasure);
    public const string TermDuration = nameof(TermDuration);
    public const string Market = nameof(Market);
    public const string Currency = nameof(Currency);
    public const string UnitPrice = nameof(UnitPrice);
    public const string PricingTierRangeMin = nameof(PricingTierRangeMin);
    public const string PricingTierRangeMax = nameof(PricingTierRangeMax);
    public const string EffectiveStartDate = nameof(EffectiveStartDate);
    public const string EffectiveEndDate = nameof(EffectiveEndDate);
    public const string MeterIds = nameof(MeterIds);
    public const string MeterType = nameof(MeterType);
    public const string Tags = nameof(Tags);

    /// <summary>Every column in the order the file has them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        ProductTitle, ProductId, SkuId, SkuTitle, Publisher, SkuDescription, UnitOfMeasure, TermDuration, Market,
        Currency, UnitPrice, PricingTierRangeMin, PricingTierRangeMax, EffectiveStartDate, EffectiveEndDate,
        MeterIds, MeterType, Tags,
    ];

    // Positions, for the reader and writer.
    internal const int ProductTitleIndex = 0;
    internal const int ProductIdIndex = 1;
    internal const int SkuIdIndex = 2;
    internal const int SkuTitleIndex = 3;
    internal const int PublisherIndex = 4;
    internal const int SkuDescriptionIndex = 5;
    internal const int UnitOfMeasureIndex = 6;
    internal const int TermDurationIndex = 7;
    internal const int MarketIndex = 8;
    internal const int CurrencyIndex = 9;
    internal const int UnitPriceIndex = 10;
    internal const int PricingTierRangeMinIndex = 11;
    internal const int PricingTierRangeMaxIndex = 12;
    internal const int EffectiveStartDateIndex = 13;
    internal const int EffectiveEndDateIndex = 14;
    internal const int MeterIdsIndex = 15;
    internal const int MeterTypeIndex = 16;
    internal const int TagsIndex = 17;
    internal const int Count = 18;
}
