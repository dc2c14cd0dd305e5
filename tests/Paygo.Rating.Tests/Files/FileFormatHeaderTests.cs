using System.Text;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Tests.Files;

/// <summary>
/// Each format's column table against the header its documentation gives, column by column.
/// The expected lists are copied from the spec text (partner-center-reference.md §1.6, §4.4,
/// §5.3, §5.4; DOMAIN.md §10), not from the code, so a shifted or renamed column fails here.
/// </summary>
public sealed class FileFormatHeaderTests
{
    private static readonly string[] MoneyColumns = ["UnitPrice", "Quantity", "Subtotal", "TaxTotal", "Total", "EffectiveUnitPrice", "BillableQuantity", "PCToBCExchangeRate"];

    [Fact]
    public void PriceList_IsReference16()
    {
        // §1.6: "CSV header (exact order from API sample)".
        AssertHeader(
            "ProductTitle, ProductId, SkuId, SkuTitle, Publisher, SkuDescription, UnitOfMeasure, TermDuration, Market, Currency, UnitPrice, PricingTierRangeMin, PricingTierRangeMax, EffectiveStartDate, EffectiveEndDate, MeterIds, MeterType, Tags",
            PriceListColumns.Table);
        Assert.Equal(18, PriceListColumns.Table.Count);
    }

    [Fact]
    public void PriceList_WrittenHeaderLine_IsTheTable()
    {
        using var stream = new MemoryStream();
        PriceListFile.Write(stream, [], TestContext.Current.CancellationToken);

        Assert.Equal(string.Join(',', PriceListColumns.Table.Header) + "\r\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void FxRates_IsReference44_AllQuoted()
    {
        // §4.4: CSV header "CurrencyCode","USDPerUnit","Month".
        AssertHeader("CurrencyCode, USDPerUnit, Month", FxRateFile.Table);
        using var stream = new MemoryStream();
        FxRateFile.Write(stream, []);

        Assert.Equal("\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void Access_IsDomain10()
    {
        AssertHeader("AssignmentId, Kind, PrincipalType, PrincipalId, PartnerId, RoleDefinitionName, Scope, Start, End", AccessFile.Table);
        Assert.Equal(["allow", "deny"], AccessFile.Table["Kind"].Choices);
        Assert.Equal(["foreignPrincipal", "user", "servicePrincipal", "lighthouse"], AccessFile.Table["PrincipalType"].Choices);
        Assert.False(AccessFile.Table["End"].Required); // empty while open
        Assert.False(AccessFile.Table["PartnerId"].Required); // empty if none
    }

    [Fact]
    public void Usage_IsDomain10_WithOptionalTrailingColumns()
    {
        AssertHeader("Id, EntitlementId, ResourceUri, MeterId, UsageDate, Quantity, Location, Tags, AdditionalInfo", UsageFile.Table);
        Assert.Equal(
            ["Location", "Tags", "AdditionalInfo"],
            UsageFile.Table.Columns.Where(c => c.MayBeAbsent).Select(c => c.Name));
        Assert.All(UsageFile.Table.Columns.Take(6), c => Assert.True(c.Required, c.Name));
    }

    [Fact]
    public void DailyRatedUsage_IsReference53_All55Columns()
    {
        // §5.3's table, # 1 to 55.
        AssertHeader(
            "PartnerId, PartnerName, CustomerId, CustomerName, CustomerDomainName, CustomerCountry, MPNID, ResellerMPNID, " +
            "InvoiceNumber, ProductId, SkuId, AvailabilityId, SkuName, ProductName, PublisherName, PublisherId, " +
            "SubscriptionDescription, SubscriptionId, ChargeStartDate, ChargeEndDate, UsageDate, MeterType, MeterCategory, " +
            "MeterId, MeterSubCategory, MeterName, MeterRegion, Unit, ResourceLocation, ConsumedService, ResourceGroup, " +
            "ResourceURI, ChargeType, UnitPrice, Quantity, UnitType, BillingPreTaxTotal, BillingCurrency, PricingPreTaxTotal, " +
            "PricingCurrency, ServiceInfo1, ServiceInfo2, Tags, AdditionalInfo, EffectiveUnitPrice, PCToBCExchangeRate, " +
            "PCToBCExchangeRateDate, EntitlementId, EntitlementDescription, PartnerEarnedCreditPercentage, CreditPercentage, " +
            "CreditType, BenefitOrderId, BenefitId, BenefitType",
            DailyRatedUsageFile.Table);
        Assert.Equal(55, DailyRatedUsageFile.Table.Count);

        // DOMAIN.md §10, file mode: the required columns; the price columns are recomputed, so not required.
        Assert.Equal(
            ["PartnerId", "CustomerId", "MPNID", "SubscriptionId", "UsageDate", "MeterId", "ResourceURI", "Quantity", "EntitlementId"],
            DailyRatedUsageFile.Table.Columns.Where(c => c.Required).Select(c => c.Name));
        Assert.Equal(ColumnType.Number, DailyRatedUsageFile.Table["BillingPreTaxTotal"].Type);
        Assert.Equal(34 - 1, DailyRatedUsageFile.Table.IndexOf("UnitPrice"));
    }

    [Fact]
    public void InvoiceReconciliation_IsReference54_All46Columns()
    {
        // §5.4's table, # 1 to 46.
        AssertHeader(
            "PartnerId, CustomerId, CustomerName, CustomerDomainName, CustomerCountry, InvoiceNumber, MPNID, ResellerMPNID, " +
            "OrderId, OrderDate, ProductId, SkuId, AvailabilityId, SkuName, ProductName, ChargeType, UnitPrice, Quantity, " +
            "Subtotal, TaxTotal, Total, Currency, PriceAdjustmentDescription, PublisherName, PublisherId, " +
            "SubscriptionDescription, SubscriptionId, ChargeStartDate, ChargeEndDate, TermAndBillingCycle, EffectiveUnitPrice, " +
            "UnitType, AlternateId, BillableQuantity, BillingFrequency, PricingCurrency, PCToBCExchangeRate, " +
            "PCToBCExchangeRateDate, MeterDescription, ReservationOrderId, CreditReasonCode, SubscriptionStartDate, " +
            "SubscriptionEndDate, ReferenceID, ProductQualifiers, PromotionID",
            InvoiceReconciliationFile.Table);
        Assert.Equal(46, InvoiceReconciliationFile.Table.Count);
        Assert.Equal(19 - 1, InvoiceReconciliationFile.Table.IndexOf("Subtotal"));
        Assert.All(MoneyColumns, name => Assert.Equal(ColumnType.Number, InvoiceReconciliationFile.Table[name].Type));
    }

    // Column by column, so a failure names the first column out of place.
    private static void AssertHeader(string documented, ColumnTable table)
    {
        var expected = documented.Split(',', StringSplitOptions.TrimEntries);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(i < table.Count, $"the {table.Format} table stops before column {i + 1} ({expected[i]})");
            Assert.Equal((i + 1, expected[i]), (i + 1, table.Header[i]));
            Assert.Equal(i, table.Columns[i].Index);
        }

        Assert.Equal(expected.Length, table.Count);
    }
}
