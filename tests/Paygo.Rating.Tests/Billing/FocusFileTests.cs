using System.Globalization;
using System.Text;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;
using Paygo.Rating.Money;

namespace Paygo.Rating.Tests.Billing;

public sealed class FocusFileTests
{
    // FOCUS 1.2's columns, written out here from the specification rather than taken from FocusFile.
    private static readonly string[] Focus12 =
    [
        "AvailabilityZone", "BilledCost", "BillingAccountId", "BillingAccountName", "BillingAccountType", "BillingCurrency",
        "BillingPeriodEnd", "BillingPeriodStart", "CapacityReservationId", "CapacityReservationStatus", "ChargeCategory",
        "ChargeClass", "ChargeDescription", "ChargeFrequency", "ChargePeriodEnd", "ChargePeriodStart",
        "CommitmentDiscountCategory", "CommitmentDiscountId", "CommitmentDiscountName", "CommitmentDiscountQuantity",
        "CommitmentDiscountStatus", "CommitmentDiscountType", "CommitmentDiscountUnit", "ConsumedQuantity", "ConsumedUnit",
        "ContractedCost", "ContractedUnitPrice", "EffectiveCost", "InvoiceId", "InvoiceIssuerName", "ListCost", "ListUnitPrice",
        "PricingCategory", "PricingCurrency", "PricingCurrencyContractedUnitPrice", "PricingCurrencyEffectiveCost",
        "PricingCurrencyListUnitPrice", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "RegionId",
        "RegionName", "ResourceId", "ResourceName", "ResourceType", "ServiceCategory", "ServiceName", "ServiceSubcategory",
        "SkuId", "SkuMeter", "SkuPriceDetails", "SkuPriceId", "SubAccountId", "SubAccountName", "SubAccountType", "Tags",
    ];

    // The columns FOCUS 1.2 makes mandatory: never empty in a row.
    private static readonly string[] Mandatory =
    [
        "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd", "BillingPeriodStart",
        "ChargeCategory", "ChargeDescription", "ChargePeriodEnd", "ChargePeriodStart", "ContractedCost", "EffectiveCost",
        "InvoiceIssuerName", "ListCost", "PricingQuantity", "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory", "ServiceName",
    ];

    public static FocusUsageRow Row(decimal quantity = 24m, decimal pec = 15m, string unit = "1 Hour", DateOnly? day = null) => new()
    {
        PartnerId = BillingSamples.PartnerId,
        PartnerName = "Fabrikam Cloud Partner",
        CustomerId = BillingSamples.Contoso,
        CustomerName = "Contoso, Ltd",
        SubscriptionId = BillingSamples.ContosoPlan,
        EntitlementId = Guid.Parse("11111111-aaaa-4bbb-8ccc-000000000001"),
        EntitlementDescription = "Contoso production",
        InvoiceNumber = "G000000042",
        UsageDate = day ?? new DateOnly(2026, 11, 30),
        MeterId = Guid.Parse("8e669c01-98fc-5288-987d-ea548f352fa6"),
        MeterName = "D2s v5",
        MeterCategory = "Virtual Machines",
        MeterSubCategory = "Dv5 Series",
        MeterRegion = "US East",
        Unit = unit,
        ResourceLocation = "eastus",
        ConsumedService = "Microsoft.Compute",
        ResourceUri = "/subscriptions/11111111-aaaa-4bbb-8ccc-000000000001/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/web1",
        ProductId = "DZH318Z0BQ4L",
        SkuId = "0096",
        AvailabilityId = "DZH318Z0BPVS",
        SkuName = "D2s v5 - US East",
        ProductName = "Virtual Machines Dv5 Series",
        PublisherName = "Microsoft",
        Quantity = quantity,
        UnitPrice = 0.096m,
        EffectiveUnitPrice = 0.096m * (1 - (pec / 100)),
        PricingPreTaxTotal = quantity * 0.096m * (1 - (pec / 100)),
        BillingPreTaxTotal = quantity * 0.096m * (1 - (pec / 100)) * 0.921456789m,
        BillingCurrency = CurrencyCode.Parse("EUR"),
        PcToBcExchangeRate = 0.921456789m,
        PecPercent = pec,
        Tags = "{\"env\":\"prod\"}",
    };

    private static CsvRecords WriteAndRead(params FocusUsageRow[] rows)
    {
        using var stream = new MemoryStream();
        Assert.Equal(rows.Length, FocusFile.Write(stream, rows));
        stream.Position = 0;
        var untyped = new ColumnTable("FOCUS read-back", [.. FocusFile.Table.Header.Select(h => new FileColumn(h, ColumnType.Text))]);
        var read = CsvTableReader.Read(stream, untyped, TestContext.Current.CancellationToken);
        Assert.True(read.Succeeded, string.Join("\n", read.Problems));
        return read.Value!;
    }

    [Fact]
    public void Table_HasEveryFocus12ColumnInOrder_ThenOnlyExtensionColumns()
    {
        Assert.Equal(Focus12, FocusFile.FocusColumns);
        Assert.All(FocusFile.Table.Header.Skip(Focus12.Length), h => Assert.StartsWith("x_", h, StringComparison.Ordinal));
    }

    [Fact]
    public void Write_MandatoryColumns_NeverEmpty()
    {
        var row = WriteAndRead(Row(), Row(pec: 0, unit: "10K")).Rows;

        Assert.All(row, r => Assert.All(Mandatory, c => Assert.NotEqual(string.Empty, r[c])));
    }

    [Fact]
    public void Write_Periods_AreIsoUtcWithExclusiveEnds()
    {
        var r = WriteAndRead(Row()).Rows[0];

        Assert.Equal("2026-11-30T00:00:00Z", r["ChargePeriodStart"]);
        Assert.Equal("2026-12-01T00:00:00Z", r["ChargePeriodEnd"]);
        Assert.Equal("2026-11-01T00:00:00Z", r["BillingPeriodStart"]);
        Assert.Equal("2026-12-01T00:00:00Z", r["BillingPeriodEnd"]);
    }

    [Fact]
    public void Write_Costs_BilledIsAfterPecAndListIsBefore()
    {
        var r = WriteAndRead(Row()).Rows[0];
        static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

        // 24 h × 0.096 USD × 0.85 × 0.921456789 and without the 15 % credit.
        Assert.Equal(24m * 0.096m * 0.85m * 0.921456789m, D(r["BilledCost"]));
        Assert.Equal(D(r["BilledCost"]), D(r["EffectiveCost"]));
        Assert.Equal(24m * 0.096m * 0.921456789m, D(r["ListCost"]));
        Assert.Equal(D(r["ListCost"]), D(r["ContractedCost"]));
        Assert.Equal(D(r["ListUnitPrice"]) * D(r["PricingQuantity"]), D(r["ListCost"]));
        Assert.Equal(24m * 0.096m * 0.85m, D(r["PricingCurrencyEffectiveCost"]));
        Assert.Equal("EUR", r["BillingCurrency"]);
        Assert.Equal("USD", r["PricingCurrency"]);
        Assert.Equal("15", r["x_PartnerEarnedCreditPercentage"]);
    }

    [Fact]
    public void Write_Identity_MapsPartnerCustomerAndSubscriptions()
    {
        var r = WriteAndRead(Row()).Rows[0];

        Assert.Equal(BillingSamples.PartnerId.ToString(), r["BillingAccountId"]);
        Assert.Equal("11111111-aaaa-4bbb-8ccc-000000000001", r["SubAccountId"]);
        Assert.Equal("Contoso production", r["SubAccountName"]);
        Assert.Equal(BillingSamples.Contoso.ToString(), r["x_CustomerId"]);
        Assert.Equal("Contoso, Ltd", r["x_CustomerName"]);
        Assert.Equal(BillingSamples.ContosoPlan.ToString(), r["x_AzurePlanId"]);
        Assert.Equal("web1", r["ResourceName"]);
        Assert.Equal("Microsoft.Compute/virtualMachines", r["ResourceType"]);
        Assert.Equal("Compute", r["ServiceCategory"]);
        Assert.Equal("Virtual Machines", r["ServiceName"]);
        Assert.Equal("G000000042", r["InvoiceId"]);
        Assert.Equal("{\"env\":\"prod\"}", r["Tags"]);
    }

    [Fact]
    public void Write_BlockUnit_ConsumedQuantityInBaseUnits()
    {
        var r = WriteAndRead(Row(quantity: 2.5m, unit: "10K")).Rows[0];

        Assert.Equal("2.5", r["PricingQuantity"]);
        Assert.Equal("10K", r["PricingUnit"]);
        Assert.Equal("25000", r["ConsumedQuantity"]);
        Assert.Equal("Units", r["ConsumedUnit"]);
        Assert.Equal("10000", r["x_PricingBlockSize"]);
    }

    [Fact]
    public void Write_SameRows_SameBytes()
    {
        static byte[] Bytes()
        {
            using var stream = new MemoryStream();
            FocusFile.Write(stream, [Row(), Row(pec: 0, day: new DateOnly(2026, 11, 1))]);
            return stream.ToArray();
        }

        Assert.Equal(Bytes(), Bytes());
        Assert.EndsWith("\r\n", Encoding.UTF8.GetString(Bytes()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bandwidth", "Networking")]
    [InlineData("Log Analytics", "Management and Governance")]
    [InlineData("Key Vault", "Security")]
    [InlineData("Storage", "Storage")]
    [InlineData("Something new", "Other")]
    [InlineData(null, "Other")]
    public void ServiceCategory_FromMeterCategory(string? meterCategory, string expected)
    {
        Assert.Equal(expected, FocusFile.ServiceCategory(meterCategory));
    }
}
