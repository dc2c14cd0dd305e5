using Paygo.Core.Common;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Pricing;

/// <summary>
/// One imported Azure plan price list: a market's list for a month (DOMAIN.md §6). Re-importing
/// the month replaces its rows in one transaction; other months stay as they were.
/// </summary>
public sealed class StoredPriceList
{
    public Guid Id { get; set; }

    /// <summary>Two-letter customer market, e.g. <c>US</c>.</summary>
    public required string Market { get; set; }

    /// <summary>The month the list is for, as <c>yyyyMM</c> (e.g. 202611).</summary>
    public int Month { get; set; }

    public int RowCount { get; set; }

    /// <summary>SHA-256 of the file as uploaded, to tell a re-import of the same file from a new one.</summary>
    public required string Sha256 { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    public string? ImportedBy { get; set; }
}

/// <summary>One row of a stored price list, in file order (<see cref="RowNumber"/> is the spreadsheet row: the header is row 1).</summary>
public sealed class StoredPriceRow
{
    public Guid PriceListId { get; set; }

    public int RowNumber { get; set; }

    public required string ProductTitle { get; set; }

    public required string ProductId { get; set; }

    public required string SkuId { get; set; }

    public required string SkuTitle { get; set; }

    public required string Publisher { get; set; }

    public required string SkuDescription { get; set; }

    /// <summary>Verbatim, as the file wrote it.</summary>
    public required string UnitOfMeasure { get; set; }

    public required string TermDuration { get; set; }

    public required string Market { get; set; }

    public required string Currency { get; set; }

    /// <summary>USD per unit, with the scale the file wrote (0.50 stays 0.50).</summary>
    public decimal UnitPrice { get; set; }

    public decimal? TierMin { get; set; }

    public decimal? TierMax { get; set; }

    /// <summary>UTC.</summary>
    public DateTime EffectiveStart { get; set; }

    /// <summary>UTC, inclusive (Microsoft writes the last second of the period).</summary>
    public DateTime EffectiveEnd { get; set; }

    public required string MeterId { get; set; }

    public required string MeterType { get; set; }

    public required string Tags { get; set; }

    public static StoredPriceRow From(Guid priceListId, int rowNumber, PriceListRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new StoredPriceRow
        {
            PriceListId = priceListId,
            RowNumber = rowNumber,
            ProductTitle = row.ProductTitle,
            ProductId = row.ProductId,
            SkuId = row.SkuId,
            SkuTitle = row.SkuTitle,
            Publisher = row.Publisher,
            SkuDescription = row.SkuDescription,
            UnitOfMeasure = row.UnitOfMeasure.Text,
            TermDuration = row.TermDuration,
            Market = row.Market,
            Currency = row.Currency.Value,
            UnitPrice = row.UnitPrice,
            TierMin = row.PricingTierRangeMin,
            TierMax = row.PricingTierRangeMax,
            EffectiveStart = row.EffectiveStartDate,
            EffectiveEnd = row.EffectiveEndDate,
            MeterId = row.MeterIds,
            MeterType = row.MeterType,
            Tags = row.Tags,
        };
    }

    /// <summary>Back to the file's row; the unit was valid when imported, so it parses again.</summary>
    public PriceListRow ToRow() => new(
        ProductTitle, ProductId, SkuId, SkuTitle, Publisher, SkuDescription, Rating.Pricing.UnitOfMeasure.Parse(UnitOfMeasure), TermDuration,
        Market, CurrencyCode.Parse(Currency), UnitPrice, TierMin, TierMax,
        DateTime.SpecifyKind(EffectiveStart, DateTimeKind.Utc), DateTime.SpecifyKind(EffectiveEnd, DateTimeKind.Utc), MeterId, MeterType, Tags);
}

/// <summary>A month's USD exchange rate of one currency (Microsoft's FX file).</summary>
public sealed class StoredFxRate
{
    /// <summary><c>yyyyMM</c>.</summary>
    public int Month { get; set; }

    public required string Currency { get; set; }

    /// <summary>USD for one unit of <see cref="Currency"/>, as the file wrote it.</summary>
    public decimal UsdPerUnit { get; set; }

    public DateTimeOffset ImportedAt { get; set; }
}

/// <summary>Month numbers as Paygo stores them (yyyyMM).</summary>
public static class Months
{
    public static int ToNumber(BillingMonth month) => (month.Year * 100) + month.Month;

    public static BillingMonth FromNumber(int number) => new(number / 100, number % 100);

    public static ApiError? Parse(string? text, string field, out BillingMonth month)
    {
        month = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return ApiError.InvalidField(field, $"The parameter '{field}' is required: a month as yyyyMM, e.g. 202611.");
        }

        return BillingMonth.TryParseFileText(text.Trim(), out month)
            ? null
            : ApiError.InvalidField(field, $"The parameter '{field}' must be a month as yyyyMM, e.g. 202611; '{ErrorText.Quote(text)}' is not.");
    }
}

public sealed record PriceListResource(Guid Id, string Market, string Month, int RowCount, string Sha256, DateTimeOffset ImportedAt, string? ImportedBy, ResourceAttributes Attributes)
{
    public static PriceListResource From(StoredPriceList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        return new(list.Id, list.Market, list.Month.ToString(System.Globalization.CultureInfo.InvariantCulture), list.RowCount, list.Sha256, list.ImportedAt, list.ImportedBy,
            new ResourceAttributes("PriceList"));
    }
}

public sealed record PriceTierResource(decimal TierMinimumUnits, decimal? TierMaximumUnits, decimal UnitPrice);

/// <summary>What a meter cost on a day: its tiers, unit and effective period.</summary>
public sealed record MeterPriceResource(
    string MeterId,
    string Market,
    string TermDuration,
    DateOnly Date,
    string ProductId,
    string ProductTitle,
    string SkuId,
    string SkuTitle,
    string UnitOfMeasure,
    decimal BlockSize,
    string Currency,
    DateTime EffectiveStartDate,
    DateTime EffectiveEndDate,
    IReadOnlyList<PriceTierResource> Tiers,
    string Tags,
    ResourceAttributes Attributes);

public sealed record PriceRowResource(
    int RowNumber,
    string ProductTitle,
    string ProductId,
    string SkuId,
    string SkuTitle,
    string Publisher,
    string SkuDescription,
    string UnitOfMeasure,
    string TermDuration,
    string Market,
    string Currency,
    decimal UnitPrice,
    decimal? PricingTierRangeMin,
    decimal? PricingTierRangeMax,
    DateTime EffectiveStartDate,
    DateTime EffectiveEndDate,
    string MeterIds,
    string MeterType,
    string Tags)
{
    public static PriceRowResource From(StoredPriceRow r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new(r.RowNumber, r.ProductTitle, r.ProductId, r.SkuId, r.SkuTitle, r.Publisher, r.SkuDescription, r.UnitOfMeasure, r.TermDuration, r.Market,
            r.Currency, r.UnitPrice, r.TierMin, r.TierMax, DateTime.SpecifyKind(r.EffectiveStart, DateTimeKind.Utc), DateTime.SpecifyKind(r.EffectiveEnd, DateTimeKind.Utc),
            r.MeterId, r.MeterType, r.Tags);
    }
}

public sealed record PriceChangeResource(string Kind, string MeterId, string Market, string TermDuration, IReadOnlyList<PriceTierResource>? Previous, IReadOnlyList<PriceTierResource>? Current);

/// <summary>One problem of a refused file, as the import's error body lists it.</summary>
public sealed record FileProblemResource(int Row, string? Column, string? Value, string Reason, string Field, string Message);

/// <summary>The error body of a refused import: Partner Center's shape, with every problem in <c>data</c>.</summary>
public sealed record FileImportErrorBody(int Code, string Description, IReadOnlyList<FileProblemResource> Data, long ProblemCount, string Source);

public sealed record FxRateResource(string CurrencyCode, decimal UsdPerUnit, string Month);

public sealed record ExchangeRateResource(string Currency, string Month, decimal PcToBcExchangeRate, ResourceAttributes Attributes);

/// <summary>What a meter prices, as its price list names it.</summary>
public sealed record MeterName(string ProductTitle, string ProductId, string SkuTitle, string SkuId);
