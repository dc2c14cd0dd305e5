using Paygo.Rating.Pricing;
using static Paygo.Rating.Tests.Pricing.PriceListCsv;

namespace Paygo.Rating.Tests.Pricing;

public sealed class PriceListDiffTests
{
    private static readonly SampleRow Base = new();

    [Fact]
    public void Compare_TwoMonths_ListsEachKindOfChangeInMeterOrder()
    {
        var october = ReadValid(File(
            Base with { MeterIds = "d-unchanged", UnitPrice = "1" },
            Base with { MeterIds = "b-removed" },
            Base with { MeterIds = "c-price", UnitPrice = "0.50" },
            (Base with { MeterIds = "a-tiers" }).Tier("1", "1", "100"),
            (Base with { MeterIds = "a-tiers" }).Tier("0.8", "101", Open)));
        var november = ReadValid(File(
            Base with { MeterIds = "e-added" },
            Base with { MeterIds = "c-price", UnitPrice = "0.45" },
            (Base with { MeterIds = "a-tiers" }).Tier("1", "1", "50"),
            (Base with { MeterIds = "a-tiers" }).Tier("0.8", "51", Open),
            Base with { MeterIds = "d-unchanged", UnitPrice = "1.00" }));

        var changes = PriceListDiff.Compare(october, november);

        Assert.Equal(
            [("a-tiers", PriceChangeKind.TiersChanged), ("b-removed", PriceChangeKind.Removed), ("c-price", PriceChangeKind.PriceChanged), ("e-added", PriceChangeKind.Added)],
            changes.Select(c => (c.Key.MeterId, c.Kind)));
        var price = changes[2];
        Assert.Equal(0.50m, price.Previous!.Tiers[0].UnitPrice);
        Assert.Equal(0.45m, price.Current!.Tiers[0].UnitPrice);
        Assert.Null(changes[1].Current);
        Assert.Null(changes[3].Previous);
    }

    [Fact]
    public void Compare_SameList_HasNoChanges()
    {
        var list = PriceList.FromRows(PriceListGenerator.Generate(3_000, seed: 8), TestContext.Current.CancellationToken).Value!;

        Assert.Empty(PriceListDiff.Compare(list, list));
    }

    [Fact]
    public void Compare_MidMonthChange_ComparesTheLatestPrice()
    {
        var october = ReadValid(File(Base with { UnitPrice = "2" }));
        var november = ReadValid(File(
            Base with { UnitPrice = "2", EffectiveEndDate = "11/14/2026 11:59:59 PM" },
            Base with { UnitPrice = "1.5", EffectiveStartDate = "11/15/2026 12:00:00 AM" }));

        var change = Assert.Single(PriceListDiff.Compare(october, november));

        Assert.Equal(PriceChangeKind.PriceChanged, change.Kind);
        Assert.Equal(1.5m, change.Current!.Tiers[0].UnitPrice);
    }

    [Fact]
    public void Compare_GeneratedLists_IsDeterministic()
    {
        var a = PriceList.FromRows(PriceListGenerator.Generate(5_000, seed: 1), TestContext.Current.CancellationToken).Value!;
        var b = PriceList.FromRows(PriceListGenerator.Generate(5_000, seed: 2), TestContext.Current.CancellationToken).Value!;

        var first = PriceListDiff.Compare(a, b).Select(c => (c.Kind, c.Key)).ToList();

        Assert.Equal(first, PriceListDiff.Compare(a, b).Select(c => (c.Kind, c.Key)));
        Assert.Equal(first.OrderBy(c => c.Key.MeterId, StringComparer.OrdinalIgnoreCase), first);
    }
}
