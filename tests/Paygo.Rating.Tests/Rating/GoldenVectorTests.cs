using Paygo.Rating.Access;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;
using static Paygo.Rating.Tests.Rating.RatingFixture;

namespace Paygo.Rating.Tests.Rating;

/// <summary>
/// The worked examples of the reference and DOMAIN.md §6 as test vectors (PROMISES M8): the PEC
/// table of reference §3.5, the tier example of §4.2, tiers crossed inside a day, 0-based tiers,
/// a price change mid-month, EUR and JPY.
/// </summary>
public sealed class GoldenVectorTests
{
    private static readonly BillingMonth August = new(2026, 8);
    private static readonly BillingMonth November = new(2026, 11);

    [Fact]
    public void Rate_PecTableOfReference_GivesItsTotalsAfterRoundDown()
    {
        var prices = PriceList(Price(Meter, 0.868m));
        var vm = Vm(Entitlement);

        var result = Rate(prices, History(Aobo("a1", Entitlement)), August,
        [
            new(Plan, Meter, "2026-08-03", "29", Entitlement, vm),
            new(Plan, Meter, "2026-08-10", "210.950039", Entitlement, vm),
            new(Plan, Meter, "2026-08-25", "555.950039", Entitlement, vm),
        ]);

        Assert.All(result.Rows, row => Assert.Equal(15, row.PecPercent));
        Assert.All(result.Rows, row => Assert.Equal(0.868m, row.UnitPrice));
        Assert.All(result.Rows, row => Assert.Equal(0.7378m, row.EffectiveUnitPrice));
        Assert.Equal(21.3962m, result.Rows[0].PricingPreTaxTotal);
        Assert.Equal(21.39m, Rounding.RoundDown(result.Rows[0].PricingPreTaxTotal, 2));
        Assert.Equal(155.63m, Rounding.RoundDown(result.Rows[1].PricingPreTaxTotal, 2));
        Assert.Equal(410.17m, Rounding.RoundDown(result.Rows[2].PricingPreTaxTotal, 2));
        // The reference's EffectiveUnitPrice column is BC / BCU of the rounded BC.
        Assert.Equal(0.737586206896552m, decimal.Round(21.39m / 29m, 15));
    }

    [Fact]
    public void Rate_TierExampleOfReference_Costs10080ThenPricesTheNextDayInTierTwo()
    {
        var prices = PriceList(ReferenceTiers());
        var vm = Vm(Entitlement);

        var result = Rate(prices, History(), November,
        [
            new(Plan, TieredMeter, "2026-11-01", "101", Entitlement, vm),
            new(Plan, TieredMeter, "2026-11-02", "10", Entitlement, vm),
        ]);

        Assert.Equal(100.80m, result.Charges[0].ListCost);
        Assert.Equal(100.80m, result.Rows[0].PricingPreTaxTotal);
        Assert.Equal(0, result.Rows[0].PecPercent);
        Assert.Equal(0.80m, result.Charges[1].UnitPrice);
        Assert.Equal(8.00m, result.Rows[1].PricingPreTaxTotal);
        Assert.Equal(111m, result.Charges[1].Cumulative);
    }

    [Fact]
    public void Rate_TierCrossedInsideOneDay_BlendsTheDaysPrice()
    {
        var prices = PriceList(ReferenceTiers());
        var vm = Vm(Entitlement);

        var result = Rate(prices, History(), November,
        [
            new(Plan, TieredMeter, "2026-11-01", "50", Entitlement, vm),
            // 50 units at 1.00 finish tier 1, 50 at 0.80 start tier 2: 90.00 for 100 units.
            new(Plan, TieredMeter, "2026-11-02", "60", Entitlement, vm),
            new(Plan, TieredMeter, "2026-11-02", "40", Entitlement, Vm(Entitlement, "vm2")),
        ]);

        Assert.Equal(90m, result.Charges[1].ListCost);
        Assert.Equal(0.9m, result.Charges[1].UnitPrice);
        Assert.Equal(54m, result.Rows[1].PricingPreTaxTotal);
        Assert.Equal(36m, result.Rows[2].PricingPreTaxTotal);
    }

    [Fact]
    public void Rate_ZeroBasedTiers_PriceLikeOneBased()
    {
        var vm = Vm(Entitlement);
        Usage[] usage = [new(Plan, TieredMeter, "2026-11-01", "101", Entitlement, vm), new(Plan, TieredMeter, "2026-11-05", "100000", Entitlement, vm)];

        var zero = Rate(PriceList(ReferenceTiers(zeroBased: true)), History(), November, usage);
        var one = Rate(PriceList(ReferenceTiers()), History(), November, usage);

        Assert.Equal(100.80m, zero.Charges[0].ListCost);
        // 99,899 units at 0.80 to reach 100,000, then 101 at 0.50.
        Assert.Equal((99899m * 0.80m) + (101m * 0.50m), zero.Charges[1].ListCost);
        Assert.Equal(one.Charges, zero.Charges);
    }

    [Fact]
    public void Rate_PriceChangeMidMonth_PricesEachDayAtTheRowInEffect()
    {
        var prices = PriceList(
            Price(Meter, 0.10m, to: new DateTime(2026, 11, 15, 23, 59, 59, DateTimeKind.Utc)),
            Price(Meter, 0.20m, from: new DateTime(2026, 11, 16, 0, 0, 0, DateTimeKind.Utc)));
        var vm = Vm(Entitlement);

        var result = Rate(prices, History(), November,
        [
            new(Plan, Meter, "2026-11-15", "10", Entitlement, vm),
            new(Plan, Meter, "11/16/2026 12:00:00 AM", "10", Entitlement, vm),
        ]);

        Assert.Equal(1.00m, result.Rows[0].PricingPreTaxTotal);
        Assert.Equal(2.00m, result.Rows[1].PricingPreTaxTotal);
    }

    [Fact]
    public void Rate_Eur_UsesTheStoredNineDecimalRate()
    {
        var rate = FxRates.ToPcToBcExchangeRate(1.08m);
        var prices = PriceList(Price(Meter, 0.868m));

        var result = Rate(prices, History(Aobo("a1", Entitlement)), August, [new(Plan, Meter, "2026-08-03", "29", Entitlement, Vm(Entitlement))], rate);

        Assert.Equal(0.925925926m, rate);
        Assert.Equal(21.3962m * 0.925925926m, result.Rows[0].BillingPreTaxTotal);
        // ROUNDDOWN(ROUNDDOWN(21.3962, 2) × 0.925925926, 2) = ROUNDDOWN(19.805555557…, 2).
        Assert.Equal(19.80m, Rounding.LineSubtotal(result.Totals.PricingPreTaxTotal, rate, CurrencyCode.Parse("EUR").MinorUnit));
    }

    [Fact]
    public void Rate_Jpy_RoundsTheLineToWholeYen()
    {
        var rate = FxRates.ToPcToBcExchangeRate(0.0067m);
        var prices = PriceList(Price(Meter, 0.868m));

        var result = Rate(prices, History(Aobo("a1", Entitlement)), August, [new(Plan, Meter, "2026-08-03", "29", Entitlement, Vm(Entitlement))], rate);

        Assert.Equal(149.253731343m, rate);
        Assert.Equal(0, CurrencyCode.Parse("JPY").MinorUnit);
        // ROUNDDOWN(21.39 × 149.253731343, 0) = ROUNDDOWN(3192.537313427…, 0).
        Assert.Equal(3192m, Rounding.LineSubtotal(result.Totals.PricingPreTaxTotal, rate, 0));
    }

    [Fact]
    public void Rate_ThirdPartyMeter_EarnsNoPecDespiteAccess()
    {
        var prices = PriceList(Price(ThirdPartyMeter, 1m, tags: "Azure,Consumption,ThirdParty"));

        var result = Rate(prices, History(Aobo("a1", Entitlement)), November, [new(Plan, ThirdPartyMeter, "2026-11-03", "2", Entitlement, Vm(Entitlement))]);

        Assert.Equal(PecReason.ExcludedMeter, result.Rows[0].Reason);
        Assert.Equal(2m, result.Rows[0].PricingPreTaxTotal);
        Assert.Equal(1, result.Totals.ExcludedRows);
    }

    [Fact]
    public void Rate_AccessEndingMidDay_LosesPecFromThatDay()
    {
        var prices = PriceList(Price(Meter, 1m));
        var access = History(Aobo("a1", Entitlement, end: new DateTime(2026, 11, 10, 12, 0, 0, DateTimeKind.Utc)));
        var vm = Vm(Entitlement);

        var result = Rate(prices, access, November,
        [
            new(Plan, Meter, "2026-11-09", "1", Entitlement, vm),
            new(Plan, Meter, "2026-11-10", "1", Entitlement, vm),
            new(Plan, Meter, "2026-11-11", "1", Entitlement, vm),
        ]);

        Assert.Equal([PecReason.Earned, PecReason.PartialDay, PecReason.NoAccess], result.Rows.Select(r => r.Reason));
        Assert.Equal([0.85m, 1m, 1m], result.Rows.Select(r => r.PricingPreTaxTotal));
        Assert.Equal(1, result.Totals.PecEarnedRows);
        Assert.Equal(2, result.Totals.PecLostRows);
    }

    [Fact]
    public void Add_RowsItCannotRate_NameTheirProblem()
    {
        var prices = PriceList(Price(Meter, 1m, to: new DateTime(2026, 11, 20, 23, 59, 59, DateTimeKind.Utc)));
        var vm = Vm(Entitlement);

        var result = Rate(prices, History(), November,
        [
            new(Plan, Meter, "2026-11-25", "1", Entitlement, vm),
            new(Plan, Meter, "2026-12-01", "1", Entitlement, vm),
            new(Plan, Meter, "2026-11-02", "-1", Entitlement, vm),
            new(Plan, Meter, "2026-11-02", "1,5", Entitlement, vm),
            new(Plan, TieredMeter, "2026-11-02", "1", Entitlement, vm),
            new(Plan, Meter, "2026-13-02", "1", Entitlement, vm),
            new(Plan, Meter, "2026-11-02", "1", Entitlement, vm, Market: "FR"),
        ]);

        Assert.Equal(
            [UsageProblem.NoPriceOnDay, UsageProblem.DateOutsideMonth, UsageProblem.NegativeQuantity, UsageProblem.BadQuantity, UsageProblem.UnknownMeter, UsageProblem.BadDate, UsageProblem.UnknownMeter],
            result.Problems.Select(p => p.Problem));
        Assert.Empty(result.Rows);
    }

    [Fact]
    public void Add_TwoPricesOnOneDay_AreAProblem()
    {
        // The price list file refuses overlapping ranges of one term; two terms of one meter can still both apply.
        var prices = PriceList(Price(Meter, 1m), Price(Meter, 2m, from: new DateTime(2026, 11, 10, 0, 0, 0, DateTimeKind.Utc)) with { TermDuration = "payG-3" });

        var result = Rate(prices, History(), November, [new(Plan, Meter, "2026-11-12", "1", Entitlement, Vm(Entitlement)), new(Plan, Meter, "2026-11-02", "1", Entitlement, Vm(Entitlement))]);

        Assert.Equal([UsageProblem.OverlappingPrices], result.Problems.Select(p => p.Problem));
    }

    [Fact]
    public void Normalize_DropsTrailingZerosOnly()
    {
        Assert.Equal("1.5", Rounding.Normalize(1.50m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("100", Rounding.Normalize(100.00m).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("-0.0001", Rounding.Normalize(-0.000100m).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
