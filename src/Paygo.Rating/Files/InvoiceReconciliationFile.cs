using Paygo.Rating.Pricing;
using static Paygo.Rating.Files.ColumnType;

namespace Paygo.Rating.Files;

/// <summary>
/// Partner Center's new commerce invoice reconciliation file, all 46 columns in documented order
/// (reference §5.4), which the month close writes per invoice. Amounts may be negative (credits,
/// refunds); cost goes by <c>EffectiveUnitPrice</c>, not <c>UnitPrice</c>. The columns every
/// line has are <c>required</c>. Dates as Microsoft writes them. The writer comes with the close issue.
/// </summary>
public static class InvoiceReconciliationFile
{
    public static ColumnTable Table { get; } = new(
        "invoice reconciliation",
        [
            new("PartnerId", Uuid, required: true),
            new("CustomerId", Uuid, required: true),
            new("CustomerName", Text),
            new("CustomerDomainName", Text),
            new("CustomerCountry", Country),
            new("InvoiceNumber", Text, required: true),
            new("MPNID", Text),
            new("ResellerMPNID", Text),
            new("OrderId", Text),
            new("OrderDate", Date),
            new("ProductId", Text, required: true),
            new("SkuId", Text, required: true),
            new("AvailabilityId", Text),
            new("SkuName", Text),
            new("ProductName", Text),
            new("ChargeType", Text, required: true),
            new("UnitPrice", Number, required: true),
            new("Quantity", Number, required: true),
            new("Subtotal", Number, required: true),
            new("TaxTotal", Number, required: true),
            new("Total", Number, required: true),
            new("Currency", Currency, required: true),
            new("PriceAdjustmentDescription", Text),
            new("PublisherName", Text),
            new("PublisherId", Text),
            new("SubscriptionDescription", Text),
            new("SubscriptionId", Uuid, required: true),
            new("ChargeStartDate", Date, required: true),
            new("ChargeEndDate", Date, required: true),
            new("TermAndBillingCycle", Text),
            new("EffectiveUnitPrice", Number, required: true),
            new("UnitType", Text),
            new("AlternateId", Text),
            new("BillableQuantity", Number, required: true),
            // Blank for one-time charges and unbilled usage; Monthly or Annual otherwise.
            new("BillingFrequency", Text),
            new("PricingCurrency", Currency, required: true),
            new("PCToBCExchangeRate", Number, required: true),
            new("PCToBCExchangeRateDate", Date, required: true),
            new("MeterDescription", Text),
            new("ReservationOrderId", Text),
            new("CreditReasonCode", Text),
            new("SubscriptionStartDate", Date),
            new("SubscriptionEndDate", Date),
            new("ReferenceID", Text),
            new("ProductQualifiers", Text),
            new("PromotionID", Text),
        ],
        dateFormat: PriceText.DateFormat);
}
