using System.Globalization;
using System.Text.Json.Serialization;
using Paygo.Core.Common;
using Paygo.Rating.Files;

namespace Paygo.Core.RatedUsage;

/// <summary>
/// Partner Center's daily rated usage line item (<c>DailyRatedUsageLineItem</c>): the 55 columns
/// of the daily rated usage file (reference §5.3) in camelCase, in file order, plus the API's own
/// fields (<c>rateOfPartnerEarnedCredit</c>, <c>hasPartnerEarnedCredit</c>, <c>rateOfCredit</c>,
/// <c>invoiceLineItemType</c>, <c>billingProvider</c>). The file's <c>Unit</c> is the API's
/// <c>unitOfMeasure</c>. <see cref="ToCells"/> writes the same line as the file's row.
/// </summary>
public sealed record DailyRatedUsageLineItem
{
    public const string ObjectType = "DailyRatedUsageLineItem";

    public required string PartnerId { get; init; }

    public required string PartnerName { get; init; }

    public required string CustomerId { get; init; }

    public required string CustomerName { get; init; }

    public required string CustomerDomainName { get; init; }

    public required string CustomerCountry { get; init; }

    public required string MpnId { get; init; }

    /// <summary>Blank in unbilled data, as Partner Center leaves it (reference §5.3).</summary>
    public required string ResellerMpnId { get; init; }

    public required string InvoiceNumber { get; init; }

    public required string ProductId { get; init; }

    public required string SkuId { get; init; }

    public required string AvailabilityId { get; init; }

    public required string SkuName { get; init; }

    public required string ProductName { get; init; }

    public required string PublisherName { get; init; }

    public required string PublisherId { get; init; }

    public required string SubscriptionDescription { get; init; }

    /// <summary>The Azure plan; the Azure subscription is <see cref="EntitlementId"/>.</summary>
    public required string SubscriptionId { get; init; }

    public required DateTimeOffset ChargeStartDate { get; init; }

    public required DateTimeOffset ChargeEndDate { get; init; }

    public required DateTimeOffset UsageDate { get; init; }

    public required string MeterType { get; init; }

    public required string MeterCategory { get; init; }

    public required string MeterId { get; init; }

    public required string MeterSubCategory { get; init; }

    public required string MeterName { get; init; }

    public required string MeterRegion { get; init; }

    public required string UnitOfMeasure { get; init; }

    public required string ResourceLocation { get; init; }

    public required string ConsumedService { get; init; }

    public required string ResourceGroup { get; init; }

    public required string ResourceUri { get; init; }

    public required string ChargeType { get; init; }

    public required decimal UnitPrice { get; init; }

    public required decimal Quantity { get; init; }

    public required string UnitType { get; init; }

    public required decimal BillingPreTaxTotal { get; init; }

    public required string BillingCurrency { get; init; }

    public required decimal PricingPreTaxTotal { get; init; }

    public required string PricingCurrency { get; init; }

    public required string ServiceInfo1 { get; init; }

    public required string ServiceInfo2 { get; init; }

    public required string Tags { get; init; }

    public required string AdditionalInfo { get; init; }

    public required decimal EffectiveUnitPrice { get; init; }

    [JsonPropertyName("pcToBCExchangeRate")]
    public required decimal PcToBcExchangeRate { get; init; }

    [JsonPropertyName("pcToBCExchangeRateDate")]
    public required DateTimeOffset PcToBcExchangeRateDate { get; init; }

    public required string EntitlementId { get; init; }

    public required string EntitlementDescription { get; init; }

    public required decimal PartnerEarnedCreditPercentage { get; init; }

    public required decimal CreditPercentage { get; init; }

    public required string CreditType { get; init; }

    public required string BenefitOrderId { get; init; }

    public required string BenefitId { get; init; }

    public required string BenefitType { get; init; }

    /// <summary>0.15 when PEC was earned, else 0.</summary>
    public required decimal RateOfPartnerEarnedCredit { get; init; }

    public required bool HasPartnerEarnedCredit { get; init; }

    public required decimal RateOfCredit { get; init; }

    public string InvoiceLineItemType { get; init; } = "usage_line_items";

    public string BillingProvider { get; init; } = "marketplace";

    public ResourceAttributes Attributes { get; init; } = new(ObjectType);

    /// <summary>The line as a row of <see cref="DailyRatedUsageFile.Table"/>: numbers invariant and unrounded, dates as Microsoft writes them.</summary>
    public IReadOnlyList<string?> ToCells() =>
    [
        PartnerId, PartnerName, CustomerId, CustomerName, CustomerDomainName, CustomerCountry, MpnId, ResellerMpnId, InvoiceNumber,
        ProductId, SkuId, AvailabilityId, SkuName, ProductName, PublisherName, PublisherId, SubscriptionDescription, SubscriptionId,
        Date(ChargeStartDate), Date(ChargeEndDate), Date(UsageDate), MeterType, MeterCategory, MeterId, MeterSubCategory, MeterName, MeterRegion,
        UnitOfMeasure, ResourceLocation, ConsumedService, ResourceGroup, ResourceUri, ChargeType, Number(UnitPrice), Number(Quantity), UnitType,
        Number(BillingPreTaxTotal), BillingCurrency, Number(PricingPreTaxTotal), PricingCurrency, ServiceInfo1, ServiceInfo2, Tags, AdditionalInfo,
        Number(EffectiveUnitPrice), Number(PcToBcExchangeRate), Date(PcToBcExchangeRateDate), EntitlementId, EntitlementDescription,
        Number(PartnerEarnedCreditPercentage), Number(CreditPercentage), CreditType, BenefitOrderId, BenefitId, BenefitType,
    ];

    // Microsoft's date format in the files (M/d/yyyy h:mm:ss tt), as the column table reads it.
    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString(DailyRatedUsageFile.Table.DateFormat, CultureInfo.InvariantCulture);

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
