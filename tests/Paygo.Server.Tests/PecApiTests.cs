using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Core;
using Paygo.Core.Access;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Pec;
using Paygo.Core.Users;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// PEC evidence over HTTP (issue 11 point 4, docs/adr/0028) on both engines: the demo Azure
/// subscription of Tailspin Toys, whose only access is the AOBO Owner its plan purchase wrote,
/// with that row's period moved to the days each test needs.
/// </summary>
public sealed class PecApiTests
{
    private static readonly DemoUser Fabrikam = DemoUsers.All.First(u => u.PartnerId == DemoInstance.DirectBillPartnerId);

    private static readonly Guid Azure = DemoCommerce.TailspinAzureSubscriptionId;

    private static string PecPath(string? month) =>
        $"/v1/customers/{DemoCommerce.TailspinCustomerId}/subscriptions/{DemoCommerce.TailspinPlanId}/azureEntitlements/{Azure}/pec" + (month is null ? string.Empty : "?month=" + month);

    /// <summary>The demo's AOBO Owner row (its id is the Azure subscription's) held over [from, to).</summary>
    private static async Task HoldAoboAsync(PaygoServer server, DateTimeOffset from, DateTimeOffset? to)
    {
        // The demo instance is seeded when the server starts, which its first use does.
        _ = server.Services;
        await using var db = server.CreateDbContext();
        Assert.Equal(1, await AccessTestData.ShapeAssignmentAsync(db, Azure, from, to, TestContext.Current.CancellationToken));
    }

    private static async Task<JsonElement> EvidenceAsync(PaygoServer server, string month)
    {
        using var client = server.CreateJsonClient(Fabrikam);
        using var response = await client.GetAsync(PecPath(month), TestContext.Current.CancellationToken);
        return await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    private static JsonElement[] Days(JsonElement evidence, int resource = 0) =>
        [.. evidence.GetProperty("resources")[resource].GetProperty("days").EnumerateArray()];

    private static string[] Ids(JsonElement day) => [.. day.GetProperty("assignmentIds").EnumerateArray().Select(i => i.GetString()!)];

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AoboAllMonth_EveryDayEarned_NamingTheAssignment(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await HoldAoboAsync(server, new DateTimeOffset(2026, 9, 15, 10, 0, 0, TimeSpan.Zero), null);

        // A customer user's Reader on a resource group: its scope joins the resources, and the subscription's AOBO still covers it.
        await using (var db = server.CreateDbContext())
        {
            db.RoleAssignments.Add(new RoleAssignment
            {
                Id = Guid.NewGuid(), PartnerId = DemoInstance.DirectBillPartnerId, CustomerId = DemoCommerce.TailspinCustomerId, EntitlementId = Azure,
                Scope = $"/subscriptions/{Azure}/resourceGroups/rg-app", RoleDefinitionId = "acdd72a7-3385-48ef-bd42-f606fba81ae7", RoleName = "Reader",
                PrincipalId = Guid.NewGuid(), PrincipalType = "User", PrincipalDisplayName = "Amelia Hughes", Source = "rbac",
                ValidFrom = new DateTimeOffset(2026, 10, 3, 0, 0, 0, TimeSpan.Zero),
            });
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        var evidence = await EvidenceAsync(server, "2026-10");

        Assert.Equal("2026-10", evidence.GetProperty("month").GetString());
        Assert.Equal("2026-10-31", evidence.GetProperty("lastDay").GetString());
        Assert.Equal(DemoInstance.DirectBillPartnerId.ToString(), evidence.GetProperty("partnerId").GetString());
        Assert.Equal("PecEvidence", evidence.GetProperty("attributes").GetProperty("objectType").GetString());
        var resources = evidence.GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal([$"/subscriptions/{Azure}", $"/subscriptions/{Azure}/resourceGroups/rg-app"], resources.Select(r => r.GetProperty("resourceId").GetString()));
        Assert.Equal(["subscription", "resourceGroup"], resources.Select(r => r.GetProperty("scopeType").GetString()));
        foreach (var resource in resources)
        {
            Assert.Equal(31, resource.GetProperty("earnedDays").GetInt32());
            var days = resource.GetProperty("days").EnumerateArray().ToList();
            Assert.Equal(31, days.Count);
            Assert.Equal("2026-10-01", days[0].GetProperty("date").GetString());
            Assert.All(days, day =>
            {
                Assert.Equal("earned", day.GetProperty("status").GetString());
                Assert.Equal("earned", day.GetProperty("reason").GetString());
                Assert.Equal(15, day.GetProperty("creditPercent").GetInt32());
                Assert.Equal([Azure.ToString()], Ids(day));
                Assert.Contains(Azure.ToString(), day.GetProperty("description").GetString(), StringComparison.Ordinal);
            });
        }

        var owner = evidence.GetProperty("assignments").EnumerateArray().Single(a => a.GetProperty("id").GetString() == Azure.ToString());
        Assert.Equal("Owner", owner.GetProperty("roleName").GetString());
        Assert.Equal("adminAgents", owner.GetProperty("principalType").GetString());
        Assert.True(owner.GetProperty("pecEligibleRole").GetBoolean());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AssignmentEndedAt1300_ThatDayPartialWithTheGapFrom1300_LaterDaysLost(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await HoldAoboAsync(server, new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 14, 13, 0, 0, TimeSpan.Zero));

        var days = Days(await EvidenceAsync(server, "2026-10"));

        Assert.Equal(31, days.Length);
        Assert.All(days[..13], day => Assert.Equal("earned", day.GetProperty("status").GetString()));
        var ended = days[13];
        Assert.Equal("2026-10-14", ended.GetProperty("date").GetString());
        Assert.Equal("partial", ended.GetProperty("status").GetString());
        Assert.Equal("partialDay", ended.GetProperty("reason").GetString());
        Assert.Equal(0, ended.GetProperty("creditPercent").GetInt32());
        Assert.Equal(new DateTimeOffset(2026, 10, 14, 13, 0, 0, TimeSpan.Zero), ended.GetProperty("gapStart").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2026, 10, 15, 0, 0, 0, TimeSpan.Zero), ended.GetProperty("gapEnd").GetDateTimeOffset());
        Assert.Equal([Azure.ToString()], Ids(ended));
        Assert.Contains("gap from 13:00 to 24:00", ended.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.All(days[14..], day =>
        {
            Assert.Equal("lost", day.GetProperty("status").GetString());
            Assert.Equal("noAccess", day.GetProperty("reason").GetString());
            Assert.Empty(Ids(day));
        });
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task MonthParameter_MalformedOrNotStarted_Is400NamingMonth_AndOmittedIsThisMonth(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(Fabrikam);
        foreach (var month in new[] { "2026-13", "202610", "2026-1", "Oct-2026", "2026-10-01", "%20" })
        {
            using var response = await client.GetAsync(PecPath(month), TestContext.Current.CancellationToken);
            var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
            Assert.Equal("month", body.GetProperty("data")[0].GetProperty("field").GetString());
        }

        var next = DateTimeOffset.UtcNow.AddMonths(1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        using (var future = await client.GetAsync(PecPath(next), TestContext.Current.CancellationToken))
        {
            var body = await HttpAssert.ErrorBodyAsync(future, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
            Assert.Equal("month", body.GetProperty("data")[0].GetProperty("field").GetString());
            Assert.Contains("has not started", body.GetProperty("description").GetString(), StringComparison.Ordinal);
        }

        using var omitted = await client.GetAsync(PecPath(null), TestContext.Current.CancellationToken);
        var evidence = await HttpAssert.JsonAsync(omitted, HttpStatusCode.OK);
        var today = DateTimeOffset.UtcNow;
        Assert.Equal(today.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), evidence.GetProperty("month").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AnotherPartnersAzureSubscription_Is404_WhateverTheMonth(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(Fabrikam);
        foreach (var month in new[] { "2026-10", "2099-01", "bad" })
        {
            var path = $"/v1/customers/{DemoCommerce.LitwareCustomerId}/subscriptions/{DemoCommerce.LitwarePlanId}/azureEntitlements/{DemoCommerce.LitwareAzureSubscriptionId}/pec?month={month}";
            using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
            await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }

        // An unknown Azure subscription of one's own customer: Partner Center's entitlement-not-found.
        using var unknown = await client.GetAsync(
            $"/v1/customers/{DemoCommerce.TailspinCustomerId}/subscriptions/{DemoCommerce.TailspinPlanId}/azureEntitlements/{Guid.NewGuid()}/pec", TestContext.Current.CancellationToken);
        await HttpAssert.ErrorBodyAsync(unknown, HttpStatusCode.NotFound, ErrorCodes.EntitlementNotFound);
    }

    /// <summary>The days stop at today (the injected clock's UTC date), and the next month has not started.</summary>
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CurrentMonth_HasTheDaysUpToToday(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await HoldAoboAsync(server, new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), null);
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaygoDbContext>();
        var evidence = new PecEvidence(db, scope.ServiceProvider.GetRequiredService<IAccessHistorySource>(), new FixedClock(new DateTimeOffset(2026, 10, 10, 8, 30, 0, TimeSpan.Zero)));
        var caller = new Caller(Fabrikam.PartnerId, Fabrikam.Id, Fabrikam.Email, Fabrikam.Roles);

        var (thisMonth, error) = await evidence.ForEntitlementAsync(caller, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, Azure, null, null, TestContext.Current.CancellationToken);
        Assert.Null(error);
        Assert.Equal("2026-10", thisMonth!.Month);
        Assert.Equal(new DateOnly(2026, 10, 10), thisMonth.LastDay);
        Assert.Equal(10, thisMonth.Resources[0].Days.Count);
        Assert.Equal(10, thisMonth.Resources[0].EarnedDays);

        var (_, notStarted) = await evidence.ForEntitlementAsync(caller, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, Azure, "2026-11", null, TestContext.Current.CancellationToken);
        Assert.Equal("month", Assert.Single(notStarted!.Data).Field);

        // The seam for resources seen in usage: a resource of this subscription joins, one of another does not.
        var vm = $"/subscriptions/{Azure}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm1";
        var (withUsage, _) = await evidence.ForEntitlementAsync(caller, DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId, Azure, "2026-09",
            [vm, $"/subscriptions/{Guid.NewGuid()}/resourceGroups/rg-web"], TestContext.Current.CancellationToken);
        Assert.Equal([$"/subscriptions/{Azure}", vm], withUsage!.Resources.Select(r => r.ResourceId));
        Assert.Equal("resource", withUsage.Resources[1].ScopeType);
        Assert.Equal(30, withUsage.Resources[1].EarnedDays);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
