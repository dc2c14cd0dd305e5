using Paygo.Rating.Files;
using C = Paygo.Rating.Files.Columns<Paygo.Rating.Pricing.PriceListRow>;

namespace Paygo.Rating.Pricing;

/// <summary>
/// The 18 columns of Partner Center's Azure plan price list (reference §1.6). <see cref="Table"/>
/// is the one place their order, types and database columns are written: the reader, the
/// writer and both engines' bulk inserts go by it (docs/adr/0023). The names are constants so
/// that code and tests can name a column; where a column is, only the table says.
/// </summary>
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

    /// <summary>
    /// The format: file order, type, required, the <c>PriceRows</c> column where the schema's name
    /// differs, and the row property. Dates are written as Microsoft writes them (<c>3/1/2018 12:00:00 AM</c>).
    /// </summary>
    public static ColumnTable<PriceListRow> Table { get; } = new(
        "price list",
        [
            C.Text(ProductTitle, r => r.ProductTitle, required: true),
            C.Text(ProductId, r => r.ProductId, required: true),
            C.Text(SkuId, r => r.SkuId, required: true),
            C.Text(SkuTitle, r => r.SkuTitle, required: true),
            C.Text(Publisher, r => r.Publisher, required: true),
            C.Text(SkuDescription, r => r.SkuDescription),
            C.Text(UnitOfMeasure, r => r.UnitOfMeasure.Text, required: true, type: ColumnType.Unit),
            C.Text(TermDuration, r => r.TermDuration),
            C.Text(Market, r => r.Market, required: true, type: ColumnType.Country),
            C.Text(Currency, r => r.Currency.Value, required: true, type: ColumnType.Currency),
            C.Number(UnitPrice, r => r.UnitPrice, required: true),
            C.Number(PricingTierRangeMin, r => r.PricingTierRangeMin, storedAs: "TierMin"),
            C.Number(PricingTierRangeMax, r => r.PricingTierRangeMax, storedAs: "TierMax"),
            C.Date(EffectiveStartDate, r => r.EffectiveStartDate, storedAs: "EffectiveStart"),
            C.Date(EffectiveEndDate, r => r.EffectiveEndDate, storedAs: "EffectiveEnd"),
            C.Text(MeterIds, r => r.MeterIds, required: true, storedAs: "MeterId"),
            C.Text(MeterType, r => r.MeterType),
            C.Text(Tags, r => r.Tags),
        ],
        dateFormat: PriceText.DateFormat);

    /// <summary>Every column name in the order the file has them.</summary>
    public static IReadOnlyList<string> All => Table.Header;

    // Positions for the reader's hot path and the row checks, looked up once from the table.
    internal static readonly int ProductTitleIndex = Table.IndexOf(ProductTitle);
    internal static readonly int ProductIdIndex = Table.IndexOf(ProductId);
    internal static readonly int SkuIdIndex = Table.IndexOf(SkuId);
    internal static readonly int SkuTitleIndex = Table.IndexOf(SkuTitle);
    internal static readonly int PublisherIndex = Table.IndexOf(Publisher);
    internal static readonly int SkuDescriptionIndex = Table.IndexOf(SkuDescription);
    internal static readonly int UnitOfMeasureIndex = Table.IndexOf(UnitOfMeasure);
    internal static readonly int TermDurationIndex = Table.IndexOf(TermDuration);
    internal static readonly int MarketIndex = Table.IndexOf(Market);
    internal static readonly int CurrencyIndex = Table.IndexOf(Currency);
    internal static readonly int UnitPriceIndex = Table.IndexOf(UnitPrice);
    internal static readonly int PricingTierRangeMinIndex = Table.IndexOf(PricingTierRangeMin);
    internal static readonly int PricingTierRangeMaxIndex = Table.IndexOf(PricingTierRangeMax);
    internal static readonly int EffectiveStartDateIndex = Table.IndexOf(EffectiveStartDate);
    internal static readonly int EffectiveEndDateIndex = Table.IndexOf(EffectiveEndDate);
    internal static readonly int MeterIdsIndex = Table.IndexOf(MeterIds);
    internal static readonly int MeterTypeIndex = Table.IndexOf(MeterType);
    internal static readonly int TagsIndex = Table.IndexOf(Tags);
    internal static readonly int Count = Table.Count;
}
