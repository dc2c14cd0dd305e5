using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Partners;
using Paygo.Core.Users;
using Paygo.Testing;

namespace Paygo.Core.Tests;

/// <summary>Partner onboarding against a real database of each engine.</summary>
public sealed class PartnerDirectoryTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));

    private PartnerDirectory Directory(TestDatabase database, PaygoDbContext db) =>
        new(db, new IdempotentCreates(db, _clock, database.Storage.Engine.Errors, new AuditTrail(db, _clock, new FixedActor(Actor.System), database.AuditKey)), _clock);

    /// <summary>The created resource as the server serialises it: what a client would receive.</summary>
    private static string Json(Result<Created<PartnerResource>> outcome) =>
        System.Text.Json.JsonSerializer.Serialize(outcome.Value!.Resource, PaygoJson.Options);

    private static PartnerCreateRequest Request(string mpnId, string name = "Tailspin Toys", string country = "FR") =>
        new(name, "direct-bill", mpnId, country);

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_ValidPartner_IsStoredWithItsCurrency(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();

        var outcome = await Directory(database, db).CreateAsync(Caller.OperatorSystem, Request("5123456"), null, CancellationToken.None);

        Assert.Null(outcome.Error);
        Assert.NotNull(outcome.Value);
        await using var check = database.CreateContext();
        var stored = await check.Partners.SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal("5123456", stored.MpnId);
        Assert.Equal("EUR", stored.BillingCurrency);
        Assert.Equal(_clock.GetUtcNow(), stored.CreatedAt);
        Assert.Equal($"/v1/partners/{stored.Id}", outcome.Value.Location);
        Assert.Equal(stored.Id, outcome.Value.Resource.Id);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_SameRequestIdAndBody_ReplaysFirstResponseAndCreatesOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();
        var directory = Directory(database, db);

        var first = await directory.CreateAsync(Caller.OperatorSystem, Request("5123456"), "req-1", CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(23));
        var again = await directory.CreateAsync(Caller.OperatorSystem, Request("5123456"), "req-1", CancellationToken.None);

        Assert.Equal(Json(first), Json(again));
        Assert.Equal(first.Value!.Location, again.Value!.Location);
        await using var check = database.CreateContext();
        Assert.Equal(1, await check.Partners.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_SameRequestIdOtherBody_IsRefusedWithoutChange(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();
        var directory = Directory(database, db);

        await directory.CreateAsync(Caller.OperatorSystem, Request("5123456"), "req-1", CancellationToken.None);
        var other = await directory.CreateAsync(Caller.OperatorSystem, Request("5999999"), "req-1", CancellationToken.None);

        Assert.Equal(ErrorKind.Conflict, other.Error!.Kind);
        Assert.Equal(ErrorCodes.RequestIdReused, other.Error.Code);
        await using var check = database.CreateContext();
        Assert.Equal(1, await check.Partners.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_RequestIdOlderThan24Hours_CountsAsNew(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();
        var directory = Directory(database, db);

        await directory.CreateAsync(Caller.OperatorSystem, Request("5123456"), "req-1", CancellationToken.None);
        _clock.Advance(TimeSpan.FromHours(25));
        var later = await directory.CreateAsync(Caller.OperatorSystem, Request("5999999"), "req-1", CancellationToken.None);

        Assert.Null(later.Error);
        await using var check = database.CreateContext();
        Assert.Equal(2, await check.Partners.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_DuplicatePartnerId_Is409NamingMpnId(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();
        var directory = Directory(database, db);

        await directory.CreateAsync(Caller.OperatorSystem, Request("5123456"), null, CancellationToken.None);
        var duplicate = await directory.CreateAsync(Caller.OperatorSystem, Request("5123456", "Someone Else"), null, CancellationToken.None);

        Assert.Equal(ErrorKind.Conflict, duplicate.Error!.Kind);
        Assert.Equal("mpnId", Assert.Single(duplicate.Error.Data).Field);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_TwentyConcurrentIdenticalRequests_CreateOnePartnerAndAllGetItsResponse(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            await using var db = database.CreateContext();
            return await Directory(database, db).CreateAsync(Caller.OperatorSystem, Request("5123456"), "same-request", CancellationToken.None);
        }));

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Single(outcomes.Select(Json).Distinct());
        await using var check = database.CreateContext();
        Assert.Equal(1, await check.Partners.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Create_InvalidRequest_WritesNothing(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();

        var outcome = await Directory(database, db).CreateAsync(Caller.OperatorSystem, Request("5123456", country: "XX"), "req-1", CancellationToken.None);

        Assert.Equal(ErrorKind.Invalid, outcome.Error!.Kind);
        await using var check = database.CreateContext();
        Assert.Equal(0, await check.Partners.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(0, await check.IdempotencyRecords.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task List_PagesThroughEveryPartnerOnceInNameOrder(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using (var seed = database.CreateContext())
        {
            // Equal names force the id tie-breaker to do its work.
            for (var i = 0; i < 7; i++)
            {
                await Directory(database, seed).CreateAsync(Caller.OperatorSystem, Request($"510000{i}", i % 3 == 0 ? "Same Name" : $"Partner {i}"), null, CancellationToken.None);
            }
        }

        await using var db = database.CreateContext();
        var directory = Directory(database, db);
        var seen = new List<PartnerResource>();
        string? token = null;
        do
        {
            var (page, error) = await directory.ListAsync(Caller.OperatorSystem, 3, token, CancellationToken.None);
            Assert.Null(error);
            Assert.True(page!.Items.Count <= 3);
            Assert.Equal(page.Items.Count, page.TotalCount);
            seen.AddRange(page.Items);
            token = page.Links.Next?.Headers.Single(h => h.Key == SeekPaging.ContinuationTokenHeader).Value;
        }
        while (token is not null);

        Assert.Equal(7, seen.Count);
        Assert.Equal(7, seen.Select(p => p.Id).Distinct().Count());
        await using var check = database.CreateContext();
        var expected = await check.Partners.OrderBy(p => p.Name).ThenBy(p => p.Id).Select(p => p.Id).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(expected, seen.Select(p => p.Id));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task List_ForeignContinuationToken_IsRefused(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();

        var (page, error) = await Directory(database, db).ListAsync(Caller.OperatorSystem, 3, "garbage", CancellationToken.None);

        Assert.Null(page);
        Assert.Equal(ErrorCodes.InvalidRequestInput, error!.Code);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DemoInstance_SeedsOnePartnerOfEachTypeOnce(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using (var db = database.CreateContext())
        {
            Assert.True(await DemoInstance.SeedAsync(db, database.AuditKey, CancellationToken.None));
        }

        await using (var db = database.CreateContext())
        {
            Assert.False(await DemoInstance.SeedAsync(db, database.AuditKey, CancellationToken.None));
        }

        await using var check = database.CreateContext();
        var partners = await check.Partners.OrderBy(p => p.MpnId).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal([PartnerType.DirectBill, PartnerType.IndirectProvider, PartnerType.IndirectReseller], partners.Select(p => p.Type));
        Assert.Equal(DemoInstance.DirectBillPartnerId, partners[0].Id);
        Assert.Equal(1, await check.Operators.CountAsync(TestContext.Current.CancellationToken));
    }
}
