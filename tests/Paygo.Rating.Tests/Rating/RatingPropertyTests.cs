using System.Globalization;
using CsCheck;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;
using static Paygo.Rating.Tests.Rating.RatingFixture;

namespace Paygo.Rating.Tests.Rating;

/// <summary>
/// CsCheck properties of the daily rule: rating is a function of the usage, not of its order or
/// of how a day's quantity is split into rows (PROMISES M5); PEC never lands on an excluded meter;
/// each plan and meter's daily list costs add up to the graduated cost of its month total. A
/// failure prints the seed that reproduces it (pass it as <c>seed:</c> to Sample).
/// </summary>
public sealed class RatingPropertyTests(ITestOutputHelper output)
{
    private static readonly BillingMonth November = new(2026, 11);

    private static readonly PriceList Prices = PriceList(
        Price(Meter, 0.0137m),
        Price(TieredMeter, 1m, 1, 10), Price(TieredMeter, 0.8m, 11, 50), Price(TieredMeter, 0.5m, 51, PriceListRow.OpenEndedTierMax),
        Price(ThirdPartyMeter, 0.3m, tags: "Azure,Consumption,ThirdParty"));

    private static readonly string[] Plans = [Plan, Plan2];
    private static readonly string[] Meters = [Meter, TieredMeter, ThirdPartyMeter];
    private static readonly string[] Entitlements = [Entitlement, Entitlement2];

    private static readonly Gen<Usage> UsageGen = Gen.Select(Gen.Int[0, 1], Gen.Int[0, 2], Gen.Int[1, 30], Gen.Int[0, 4000], Gen.Int[0, 1], Gen.Int[1, 2], Gen.Bool)
        .Select(static (plan, meter, day, cents, entitlement, vm, microsoftDate) => new Usage(
            Plans[plan],
            Meters[meter],
            microsoftDate
                ? string.Create(CultureInfo.InvariantCulture, $"11/{day}/2026 12:00:00 AM")
                : string.Create(CultureInfo.InvariantCulture, $"2026-11-{day:D2}"),
            (cents / 100m).ToString(CultureInfo.InvariantCulture),
            Entitlements[entitlement],
            Vm(Entitlements[entitlement], $"vm{vm}")));

    // Access to the first subscription ends at some hour of the month; the second has none.
    private static readonly Gen<(Usage[] Usage, int AccessEndsHour, int Seed)> Month =
        Gen.Select(UsageGen.Array[1, 60], Gen.Int[0, 30 * 24], Gen.Int);

    private static Paygo.Rating.Access.AccessHistory AccessUntil(int hour) =>
        History(Aobo("a1", Entitlement, end: November.FirstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddHours(hour)));

    [Fact]
    public void Rate_AnyOrderAndAnySplitOfADay_GiveByteIdenticalDailyCharges()
    {
        Month.Sample(
            (usage, hour, seed) =>
            {
                var access = AccessUntil(hour);
                var expected = Rate(Prices, access, November, usage);
                var random = new Random(seed);
                var reordered = Split(usage, random).OrderBy(_ => random.Next()).ToArray();

                var actual = Rate(Prices, access, November, reordered);

                Assert.Equal(Text(expected.Charges), Text(actual.Charges));
                Assert.Equal(expected.Totals.Quantity, actual.Totals.Quantity);
            },
            writeLine: output.WriteLine,
            iter: 200);
    }

    [Fact]
    public void Rate_AnyOrder_GivesEachRowTheSamePrices()
    {
        Month.Sample(
            (usage, hour, seed) =>
            {
                var access = AccessUntil(hour);
                var random = new Random(seed);

                var expected = Rate(Prices, access, November, usage).Rows.Select(r => r.Line).Order(StringComparer.Ordinal);
                var actual = Rate(Prices, access, November, usage.OrderBy(_ => random.Next())).Rows.Select(r => r.Line).Order(StringComparer.Ordinal);

                Assert.Equal(expected, actual);
            },
            writeLine: output.WriteLine,
            iter: 200);
    }

    [Fact]
    public void Rate_ExcludedMeter_NeverEarnsPec()
    {
        Month.Sample(
            (usage, hour, _) =>
            {
                var result = Rate(Prices, AccessUntil(hour), November, usage);

                Assert.All(result.Rows.Where(r => r.Usage.Meter == ThirdPartyMeter), r => Assert.Equal(0, r.PecPercent));
                Assert.All(result.Rows.Where(r => r.PecPercent == 15), r => Assert.NotEqual(ThirdPartyMeter, r.Usage.Meter));
            },
            writeLine: output.WriteLine,
            iter: 200);
    }

    [Fact]
    public void Rate_DailyListCosts_AddUpToTheGraduatedCostOfTheMonthTotal()
    {
        Month.Sample(
            (usage, hour, _) =>
            {
                var result = Rate(Prices, AccessUntil(hour), November, usage);

                foreach (var series in result.Charges.GroupBy(c => (c.PlanId, c.MeterId)))
                {
                    var price = Prices.Find(series.Key.MeterId.ToString("D"), "US", November.FirstDay).Price!;
                    Assert.Equal(price.CostOf(series.Sum(c => c.Quantity)), series.Sum(c => c.ListCost));
                }

                // Before PEC, the rows of a day carry exactly that day's list cost.
                foreach (var charge in result.Charges)
                {
                    Assert.Equal(charge.ListCost, charge.Quantity * charge.UnitPrice, 20);
                }
            },
            writeLine: output.WriteLine,
            iter: 200);
    }

    private static string Text(IReadOnlyList<DailyCharge> charges) => string.Join('\n', charges.Select(c => c.ToString()));

    // Each row becomes one to three rows whose quantities add up to it, dated in either format.
    private static List<Usage> Split(Usage[] usage, Random random)
    {
        var rows = new List<Usage>();
        foreach (var row in usage)
        {
            var cents = (int)(decimal.Parse(row.Quantity, CultureInfo.InvariantCulture) * 100);
            var parts = random.Next(1, 4);
            for (var i = 0; i < parts; i++)
            {
                var part = i == parts - 1 ? cents : random.Next(0, cents + 1);
                cents -= part;
                var day = MonthRater.ParseDay(row.Date, out var number) ? DateOnly.FromDayNumber(number) : default;
                var date = random.Next(2) == 0 ? day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : day.ToString("M/d/yyyy", CultureInfo.InvariantCulture) + " 12:00:00 AM";
                rows.Add(row with { Quantity = (part / 100m).ToString("0.00", CultureInfo.InvariantCulture), Date = date });
            }
        }

        return rows;
    }
}
