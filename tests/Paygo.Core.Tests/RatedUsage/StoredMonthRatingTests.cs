using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Paygo.Core.Audit;
using Paygo.Core.RatedUsage;
using Paygo.Testing;

namespace Paygo.Core.Tests.RatedUsage;

/// <summary>
/// <see cref="StoredMonthRating"/> over each engine: the stored month rated by the engine's rule
/// (tiers across days, a late row shifting later days, PEC lost mid-month, EUR and JPY, any
/// arrival order, legacy days left out), and re-rated after every write (docs/adr/0033).
/// </summary>
public sealed class StoredMonthRatingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Tiers_AccumulateAcrossDays(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database);
        await scenario.AddUsageAsync([(RatingScenario.TieredMeter, 1, 60m), (RatingScenario.TieredMeter, 2, 60m)]);

        var result = await RateAsync(database, scenario);

        Assert.Empty(result.Unrated);
        Assert.Collection(
            result.Lines,
            day1 =>
            {
                // 60 units inside the first tier: list 60 × 1.00, PEC 15 % off.
                Assert.Equal((scenario.Day(1), 1m, 60m, 51m), (day1.UsageDate, day1.UnitPrice, day1.ListCost, day1.PricingPreTaxTotal));
                Assert.Equal(15, day1.PecPercent);
            },
            day2 =>
            {
                // C = 120: T(120) − T(60) = 100 + 10 − 60 = 50 for 60 units.
                Assert.Equal((scenario.Day(2), 50m), (day2.UsageDate, day2.ListCost));
                Assert.Equal(50m / 60m, day2.UnitPrice);
                Assert.Equal(42.5m, day2.PricingPreTaxTotal);
                Assert.Equal(day2.UnitPrice * 0.85m, day2.EffectiveUnitPrice);
            });
        Assert.All(result.Lines, l => Assert.Equal(("USD", 1m, scenario.Month.FirstDay), (l.BillingCurrency, l.PcToBcExchangeRate, l.PcToBcExchangeRateDate)));
        Assert.All(result.Lines, l => Assert.Equal(l.PricingPreTaxTotal, l.BillingPreTaxTotal));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ALateRowForAnEarlierDay_ShiftsTheLaterDaysTierPosition(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database);
        await scenario.AddUsageAsync([(RatingScenario.TieredMeter, 1, 60m), (RatingScenario.TieredMeter, 2, 60m)]);
        var before = await RateAsync(database, scenario);
        Assert.Equal(50m, before.Lines[1].ListCost);

        // Day 1 grows to 110 units: it crosses the tier itself, and day 2 starts in tier two.
        await scenario.AddUsageAsync([(RatingScenario.TieredMeter, 1, 50m)], acceptedAt: Now);
        var after = await RateAsync(database, scenario);

        Assert.Equal(3, after.Lines.Count);
        var day1 = after.Lines.Where(l => l.UsageDate == scenario.Day(1)).ToList();
        var day2 = Assert.Single(after.Lines, l => l.UsageDate == scenario.Day(2));
        Assert.Equal(105m, day1.Sum(l => l.ListCost));
        Assert.Equal(30m, day2.ListCost);
        Assert.Equal(0.5m, day2.UnitPrice);
        Assert.Equal(Now, day1.Single(l => l.Quantity == 50m).AcceptedAt);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PecLostMidMonth_IsLostFromTheDayTheAccessEnded_WithItsEvidence(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database);
        await scenario.AddUsageAsync([(RatingScenario.FlatMeter, 9, 29m), (RatingScenario.FlatMeter, 10, 29m), (RatingScenario.FlatMeter, 11, 29m)]);
        var earned = await RateAsync(database, scenario);
        Assert.All(earned.Lines, l => Assert.Equal((15, 21.3962m), (l.PecPercent, l.PricingPreTaxTotal)));

        await scenario.EndAccessAsync(new DateTimeOffset(scenario.Day(10).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        var lost = await RateAsync(database, scenario);

        Assert.Equal([15, 0, 0], lost.Lines.Select(l => l.PecPercent));
        Assert.Equal([21.3962m, 25.172m, 25.172m], lost.Lines.Select(l => l.PricingPreTaxTotal));
        Assert.All(lost.Lines, l => Assert.Equal(25.172m, l.ListCost));
        Assert.Contains(scenario.AoboAssignmentId.ToString("D"), lost.Lines[0].PecEvidence, StringComparison.Ordinal);
        Assert.Contains("partial day, gap from 12:00", lost.Lines[1].PecEvidence, StringComparison.Ordinal);
        Assert.Equal("lost: no access", lost.Lines[2].PecEvidence);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AThirdPartyMeter_NeverEarnsPec(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database);
        await scenario.AddUsageAsync([(RatingScenario.ThirdPartyMeter, 3, 4m)]);

        var line = Assert.Single((await RateAsync(database, scenario)).Lines);

        Assert.Equal((0, 8m, 8m), (line.PecPercent, line.PricingPreTaxTotal, line.ListCost));
        Assert.StartsWith("not eligible: excluded meter", line.PecEvidence, StringComparison.Ordinal);
        Assert.Equal(new RatedMeter("DZH318Z00003AA", "0003", string.Empty, "Contoso Appliance", "Appliance", "Appliance", "Contoso Appliance", "Appliance description", string.Empty, "1 Hour", "1 Compute Hour"), line.Meter);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Eur_UsesTheStoredNineDecimalRate(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database, currency: "EUR", market: "DE", usdPerUnit: 1.08m);
        await scenario.AddUsageAsync([(RatingScenario.FlatMeter, 5, 29m)]);

        var result = await RateAsync(database, scenario);

        var line = Assert.Single(result.Lines);
        Assert.Equal("EUR", result.BillingCurrency);
        Assert.Equal((0.925925926m, "EUR", "USD"), (line.PcToBcExchangeRate, line.BillingCurrency, line.PricingCurrency));
        Assert.Equal(21.3962m * 0.925925926m, line.BillingPreTaxTotal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Jpy_UsesItsRate(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database, currency: "JPY", market: "JP", usdPerUnit: 0.0066m);
        await scenario.AddUsageAsync([(RatingScenario.FlatMeter, 5, 29m)]);

        var line = Assert.Single((await RateAsync(database, scenario)).Lines);

        Assert.Equal(151.515151515m, line.PcToBcExchangeRate);
        Assert.Equal(21.3962m * 151.515151515m, line.BillingPreTaxTotal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task NoFxRateForTheMonth_LeavesEveryRecordUnratedWithWhy(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database, currency: "EUR", market: "DE");
        var ids = await scenario.AddUsageAsync([(RatingScenario.FlatMeter, 5, 29m), (RatingScenario.FlatMeter, 6, 1m)]);

        var result = await RateAsync(database, scenario);

        Assert.Empty(result.Lines);
        Assert.Equal(ids, result.Unrated.Select(u => u.RecordId));
        Assert.All(result.Unrated, u => Assert.Contains("no FX rate for EUR in 202611", u.Reason, StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task NoPriceThatDay_IsUnratedAndTheRestIsRated(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database);
        var ids = await scenario.AddUsageAsync([(RatingScenario.FlatMeter, 5, 1m), ("00000000-0000-4000-8000-00000000dead", 5, 1m)]);

        var result = await RateAsync(database, scenario);

        Assert.Equal(ids[0], Assert.Single(result.Lines).RecordId);
        var unrated = Assert.Single(result.Unrated);
        Assert.Equal((ids[1], scenario.CustomerId, scenario.EntitlementId, scenario.Day(5)), (unrated.RecordId, unrated.CustomerId, unrated.EntitlementId, unrated.UsageDate));
        Assert.Contains("no price for this meter", unrated.Reason, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Lines_AreTheSameWhateverOrderTheRecordsArrivedIn(string engine)
    {
        // A month with tiers crossed inside a day and across days, split days and two meters.
        var records = new List<(string Id, string Meter, int Day, decimal Quantity)>();
        for (var day = 1; day <= 20; day++)
        {
            records.Add(($"t-{day:D2}-a", RatingScenario.TieredMeter, day, 3.5m + day));
            records.Add(($"t-{day:D2}-b", RatingScenario.TieredMeter, day, 0.75m));
            records.Add(($"f-{day:D2}", RatingScenario.FlatMeter, day, 1.5m * day));
        }

        var seed = Random.Shared.Next();
        var shuffled = records.ToList();
        new Random(seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));

        var inOrder = await RateInOrderAsync(engine, records);
        var reversed = await RateInOrderAsync(engine, [.. Enumerable.Reverse(records)]);
        var random = await RateInOrderAsync(engine, shuffled);

        Assert.Equal(records.Count, inOrder.Count);
        Assert.Equal(inOrder, reversed);
        Assert.True(inOrder.SequenceEqual(random), $"arrival order changed the lines (shuffle seed {seed})");
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task UsageWhileUnderALegacySubscription_IsLeftOutOfThePlansLines(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database);
        var legacy = await scenario.TransitionFromLegacyAsync(new DateTimeOffset(scenario.Day(15).ToDateTime(new TimeOnly(9, 30)), TimeSpan.Zero));
        await scenario.AddUsageAsync([(RatingScenario.FlatMeter, 14, 1m), (RatingScenario.FlatMeter, 15, 1m)], subscriptionId: legacy);
        await scenario.AddUsageAsync([(RatingScenario.FlatMeter, 16, 2m), (RatingScenario.FlatMeter, 17, 3m)]);

        var result = await RateAsync(database, scenario);

        // The day of the transition began under the legacy subscription: it stays there.
        Assert.Equal([scenario.Day(16), scenario.Day(17)], result.Lines.Select(l => l.UsageDate));
        Assert.All(result.Lines, l => Assert.Equal(scenario.PlanId, l.SubscriptionId));
        Assert.Empty(result.Unrated);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ACustomerFilter_NarrowsTheLinesNotTheRating(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database);
        await scenario.AddUsageAsync([(RatingScenario.TieredMeter, 1, 60m), (RatingScenario.TieredMeter, 2, 60m)]);
        await using var services = Services(database);

        await using var scope = services.CreateAsyncScope();
        var rating = scope.ServiceProvider.GetRequiredService<IMonthRating>();
        var all = await rating.RateAsync(scenario.PartnerId, scenario.Month, null, TestContext.Current.CancellationToken);
        var mine = await rating.RateAsync(scenario.PartnerId, scenario.Month, scenario.CustomerId, TestContext.Current.CancellationToken);
        var other = await rating.RateAsync(scenario.PartnerId, scenario.Month, Guid.NewGuid(), TestContext.Current.CancellationToken);

        Assert.Equal(all.Lines, mine.Lines);
        Assert.Empty(other.Lines);
        Assert.Empty((await rating.RateAsync(Guid.NewGuid(), scenario.Month, null, TestContext.Current.CancellationToken)).Lines);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task TheCachedMonth_IsRatedAgainAfterEachKindOfWrite(string engine)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database, currency: "EUR", market: "DE", usdPerUnit: 1.08m);
        await scenario.AddUsageAsync([(RatingScenario.FlatMeter, 9, 29m), (RatingScenario.FlatMeter, 11, 29m)]);
        await using var services = Services(database);

        async Task<MonthRatingResult> Rate()
        {
            await using var scope = services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IMonthRating>().RateAsync(scenario.PartnerId, scenario.Month, null, cancellationToken);
        }

        var first = await Rate();
        Assert.Same(first, await Rate());

        // Usage posted: seen at once.
        await scenario.AddUsageAsync([(RatingScenario.FlatMeter, 12, 1m)]);
        var posted = await Rate();
        Assert.Equal(3, posted.Lines.Count);

        // Access ended: PEC changes.
        await scenario.EndAccessAsync(new DateTimeOffset(scenario.Day(10).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var ended = await Rate();
        Assert.Equal([15, 0, 0], ended.Lines.Select(l => l.PecPercent));

        // FX re-imported: the new rate.
        await using (var db = database.CreateContext())
        {
            await db.FxRates.Where(r => r.Currency == "EUR").ExecuteDeleteAsync(cancellationToken);
            db.FxRates.Add(new Paygo.Core.Pricing.StoredFxRate { Month = 202611, Currency = "EUR", UsdPerUnit = 1.25m, ImportedAt = Now });
            await db.SaveChangesAsync(cancellationToken);
        }

        Assert.All((await Rate()).Lines, l => Assert.Equal(0.8m, l.PcToBcExchangeRate));

        // Prices re-imported (a new list id): the new price.
        await using (var db = database.CreateContext())
        {
            var list = await db.PriceLists.SingleAsync(cancellationToken);
            var rows = await db.PriceRows.AsNoTracking().Where(r => r.PriceListId == list.Id).ToListAsync(cancellationToken);
            var replacement = new Paygo.Core.Pricing.StoredPriceList { Id = Guid.NewGuid(), Market = list.Market, Month = list.Month, RowCount = list.RowCount, Sha256 = list.Sha256, ImportedAt = Now };
            await db.PriceRows.Where(r => r.PriceListId == list.Id).ExecuteDeleteAsync(cancellationToken);
            db.PriceLists.Remove(list);
            db.PriceLists.Add(replacement);
            foreach (var row in rows)
            {
                row.PriceListId = replacement.Id;
                row.UnitPrice = row.MeterId == RatingScenario.FlatMeter ? 1m : row.UnitPrice;
                db.PriceRows.Add(row);
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        Assert.All((await Rate()).Lines, l => Assert.Equal(1m, l.UnitPrice));
    }

    private static async Task<MonthRatingResult> RateAsync(TestDatabase database, RatingScenario scenario)
    {
        await using var services = Services(database);
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IMonthRating>().RateAsync(scenario.PartnerId, scenario.Month, null, TestContext.Current.CancellationToken);
    }

    // Each order in a database of its own with the same ids, so lines compare whole (ratedAt aside).
    private static async Task<List<RatedUsageLine>> RateInOrderAsync(string engine, IReadOnlyList<(string Id, string Meter, int Day, decimal Quantity)> records)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        var scenario = await RatingScenario.CreateAsync(database, currency: "EUR", market: "DE", usdPerUnit: 1.08m);
        await using (var db = database.CreateContext())
        {
            foreach (var (id, meter, day, quantity) in records)
            {
                // One insert per record, in the given order, as separate batches would arrive.
                db.UsageRecords.Add(scenario.Record(id, meter, scenario.Day(day), quantity));
                await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            }
        }

        var result = await RateAsync(database, scenario);
        Assert.Empty(result.Unrated);

        // The ids of the scenario's own rows differ per database; the rest must be identical.
        return [.. result.Lines.Select(l => l with
        {
            PartnerId = Guid.Empty,
            CustomerId = Guid.Empty,
            SubscriptionId = Guid.Empty,
            EntitlementId = Guid.Empty,
            ResourceUri = string.Empty,
            PecEvidence = l.PecEvidence.Replace(scenario.AoboAssignmentId.ToString("D"), "aobo", StringComparison.Ordinal),
        })];
    }

    private static ServiceProvider Services(TestDatabase database)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddPaygoCore(database.Storage);
        services.AddSingleton<IActorAccessor>(new FixedActor(new Actor("test", null, null)));
        services.AddRatedUsage();
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
