using Paygo.Rating.Pricing;
using static Paygo.Rating.Files.ColumnType;

namespace Paygo.Rating.Files;

/// <summary>
/// Partner Center's Azure plan daily rated usage file, all 55 columns in documented order
/// (reference §5.3). Paygo writes it at the month close and reads it in file mode
/// (<c>paygo rate</c>), where the columns DOMAIN.md §10 lists are required and the price
/// columns are ignored and recomputed; so only those are <c>required</c> here. Dates are written
/// as Microsoft writes them. The reader and writer come with the rating issue.
/// </summary>
public static class DailyRatedUsageFile
{
    public static ColumnTable Table { get; } = new(
        "daily rated usage",
        [
            new("PartnerId", Uuid, required: true),
            new("PartnerName", Text),
            new("CustomerId", Uuid, required: true),
            new("CustomerName", Text),
            new("CustomerDomainName", Text),
            new("CustomerCountry", Country),
            // Whose access earns PEC: MPNID always, ResellerMPNID for indirect sales (blank in unbilled data).
            new("MPNID", Text, required: true),
            new("ResellerMPNID", Text),
            new("InvoiceNumber", Text),
            new("ProductId", Text),
            new("SkuId", Text),
            new("AvailabilityId", Text),
            new("SkuName", Text),
            new("ProductName", Text),
            new("PublisherName", Text),
            new("PublisherId", Text),
            new("SubscriptionDescription", Text),
            // The Azure plan (billing subscription), not the Azure subscription (EntitlementId).
            new("SubscriptionId", Uuid, required: true),
            new("ChargeStartDate", Date),
            new("ChargeEndDate", Date),
            new("UsageDate", Date, required: true),
            new("MeterType", Text),
            new("MeterCategory", Text),
            new("MeterId", Uuid, required: true),
            new("MeterSubCategory", Text),
            new("MeterName", Text),
            new("MeterRegion", Text),
            new("Unit", Unit),
            new("ResourceLocation", Text),
            new("ConsumedService", Text),
            new("ResourceGroup", Text),
            new("ResourceURI", Text, required: true),
            new("ChargeType", Text),
            new("UnitPrice", Number),
            new("Quantity", Number, required: true),
            new("UnitType", Text),
            new("BillingPreTaxTotal", Number),
            new("BillingCurrency", Currency),
            new("PricingPreTaxTotal", Number),
            new("PricingCurrency", Currency),
            new("ServiceInfo1", Text),
            new("ServiceInfo2", Text),
            new("Tags", Text),
            new("AdditionalInfo", Text),
            new("EffectiveUnitPrice", Number),
            new("PCToBCExchangeRate", Number),
            new("PCToBCExchangeRateDate", Date),
            new("EntitlementId", Uuid, required: true),
            new("EntitlementDescription", Text),
            new("PartnerEarnedCreditPercentage", Number),
            new("CreditPercentage", Number),
            new("CreditType", Text),
            new("BenefitOrderId", Text),
            new("BenefitId", Text),
            new("BenefitType", Text),
        ],
        dateFormat: PriceText.DateFormat);
}
