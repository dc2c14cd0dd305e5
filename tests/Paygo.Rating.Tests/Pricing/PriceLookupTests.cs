using Paygo.Rating.Pricing;
using static Paygo.Rating.Tests.Pricing.PriceListCsv;

namespace Paygo.Rating.Tests.Pricing;

public sealed class PriceLookupTests
{
    private static readonly SampleRow Base = new();

    // One meter whose price drops on 3/15: one row until 3/14 23:59:59, another from 3/15.
    private static readonly PriceList MidMonthChange = ReadValid(File(
        Base with { UnitPrice = "2", EffectiveStartDate = "3/1/2026 12:00:00 AM", EffectiveEndDate = "3/14/2026 11:59:59 PM" },
        Base with { UnitPrice = "1.5", EffectiveStartDate = "3/15/2026 12:00:00 AM" }));

    [Theory]
    [InlineData(2026, 3, 1, 2)]
    [InlineData(2026, 3, 14, 2)]
    [InlineData(2026, 3, 15, 1.5)]
    [InlineData(2030, 1, 1, 1.5)]
    public void Find_DayInAnEffectivePeriod_GivesThatPeriodsPrice(int year, int month, int day, decimal price)
    {
        var lookup = MidMonthChange.Find(Base.MeterIds, "US", new DateOnly(year, month, day));

        Assert.Equal(PriceLookupStatus.Found, lookup.Status);
        Assert.Equal(price, Assert.Single(lookup.Price!.Tiers).UnitPrice);
        Assert.Equal(new PriceTier(0m, null, price), lookup.Price.Tiers[0]);
    }

    [Fact]
    public void Find_DayBeforeFirstPrice_IsNoPriceOnDay() =>
        Assert.Equal(PriceLookupStatus.NoPriceOnDay, MidMonthChange.Find(Base.MeterIds, "US", new DateOnly(2026, 2, 28)).Status);

    [Fact]
    public void Find_UnknownMeterOrMarket_IsUnknownMeter()
    {
        Assert.Equal(PriceLookupStatus.UnknownMeter, MidMonthChange.Find("no-such-meter", "US", new DateOnly(2026, 3, 1)).Status);
        Assert.Equal(PriceLookupStatus.UnknownMeter, MidMonthChange.Find(Base.MeterIds, "DE", new DateOnly(2026, 3, 1)).Status);
    }

    [Fact]
    public void Find_MeterAndMarketInOtherCase_AreFound() =>
        Assert.True(MidMonthChange.Find(Base.MeterIds.ToUpperInvariant(), "us", new DateOnly(2026, 3, 20)).Found);

    [Fact]
    public void Find_MeterPricedUnderTwoTerms_IsAmbiguousUntilTheTermIsGiven()
    {
        var list = ReadValid(File(Base with { TermDuration = "P1Y", UnitPrice = "700" }, Base with { TermDuration = "P3Y", UnitPrice = "1500" }));
        var day = new DateOnly(2026, 3, 1);

        Assert.Equal(PriceLookupStatus.Ambiguous, list.Find(Base.MeterIds, "US", day).Status);
        Assert.Equal(1500m, list.Find(Base.MeterIds, "US", "P3Y", day).Price!.Tiers[0].UnitPrice);
    }

    [Fact]
    public void Find_PriceWithTiers_GivesTheRowsInTierOrder()
    {
        var list = ReadValid(File(Base.Tier("0.5", "101", Open), Base.Tier("1", "1", "100")));

        var price = list.Find(Base.MeterIds, "US", new DateOnly(2026, 3, 1)).Price!;

        Assert.Equal([1m, 0.5m], price.Rows.Select(r => r.UnitPrice));
        Assert.Equal("1 GB", price.UnitOfMeasure.Text);
        Assert.Equal(new DateTime(2018, 3, 1, 0, 0, 0, DateTimeKind.Utc), price.EffectiveStartDate);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(50, 50)]
    [InlineData(100, 100)]
    [InlineData(150, 125)]
    public void CostOf_CumulativeQuantity_IsGraduated(decimal quantity, decimal cost)
    {
        var list = ReadValid(File(Base.Tier("1", "1", "100"), Base.Tier("0.5", "101", Open)));

        Assert.Equal(cost, list.Prices.Single().CostOf(quantity));
    }
}
