using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Demo;
using Paygo.Core.Pricing;
using Paygo.Testing;
using static Paygo.Testing.UsageTestData;

namespace Paygo.Server.Tests;

/// <summary>
/// The PEC evidence route lists the resources and meters of the month's stored usage, not only the
/// scopes that hold assignments (issue 11 point 4, docs/adr/0038), on both engines.
/// </summary>
public sealed class PecUsageEvidenceTests
{
    private const string SpotMeter = "2c3d4e5f-0000-4c55-9d8e-0c1f2a3b4c5e";

    private static readonly DemoUser Fabrikam = DemoUsers.All.First(u => u.PartnerId == DemoInstance.DirectBillPartnerId);

    private static readonly Guid Azure = DemoCommerce.TailspinAzureSubscriptionId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Evidence_ListsTheResourcesAndMetersOfStoredUsage(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await SeedDemoPricesAsync(server.Database);
        await AddSpotMeterAsync(server);
        var web = ResourceOf(Azure, "vm-web");
        var batch = ResourceOf(Azure, "vm-batch");
        using (var feed = await UsageFeedClientAsync(server, Ct))
        {
            using var response = await feed.PostAsJsonAsync("/v1/usage", new[]
            {
                Record("pec-1", resource: web),
                Record("pec-2", resource: web.ToUpperInvariant()), // the same resource, as ARM compares ids
                Record("pec-3", resource: batch, meter: SpotMeter),
            }, Ct);
            var result = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
            Assert.All(result.GetProperty("items").EnumerateArray(), i => Assert.Equal("accepted", i.GetProperty("status").GetString()));
        }

        using var client = server.CreateJsonClient(Fabrikam);
        var month = Today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var evidence = await HttpAssert.JsonAsync(await client.GetAsync(
            $"/v1/customers/{DemoCommerce.TailspinCustomerId}/subscriptions/{DemoCommerce.TailspinPlanId}/azureEntitlements/{Azure}/pec?month={month}", Ct), HttpStatusCode.OK);

        var resources = evidence.GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("resourceId").GetString()!, StringComparer.OrdinalIgnoreCase);
        Assert.Equal([$"/subscriptions/{Azure}", batch, web], evidence.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("resourceId").GetString()!),
            StringComparer.OrdinalIgnoreCase);
        Assert.False(resources[$"/subscriptions/{Azure}"].TryGetProperty("meters", out _)); // no usage names the subscription itself

        var vm = Assert.Single(resources[web].GetProperty("meters").EnumerateArray());
        Assert.Equal(Meter, vm.GetProperty("meterId").GetString());
        Assert.Equal("Virtual Machines D2s v3", vm.GetProperty("meterName").GetString());
        Assert.False(vm.TryGetProperty("excludedBy", out _));
        Assert.Equal(1, vm.GetProperty("usageDays").GetInt32());
        var vmDay = Assert.Single(vm.GetProperty("days").EnumerateArray());
        Assert.Equal(Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), vmDay.GetProperty("date").GetString());
        Assert.NotEqual("excludedMeter", vmDay.GetProperty("reason").GetString());

        // A Spot meter earns nothing whatever the access, and the evidence names the rule.
        var spot = Assert.Single(resources[batch].GetProperty("meters").EnumerateArray());
        Assert.Equal("spot", spot.GetProperty("excludedBy").GetString());
        Assert.Equal(0, spot.GetProperty("earnedDays").GetInt32());
        var spotDay = Assert.Single(spot.GetProperty("days").EnumerateArray());
        Assert.Equal(("excludedMeter", "spot"), (spotDay.GetProperty("reason").GetString(), spotDay.GetProperty("excludedBy").GetString()));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Evidence_IgnoresUsageOfOtherAzureSubscriptionsAndMonths(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        await SeedDemoPricesAsync(server.Database);
        using (var feed = await UsageFeedClientAsync(server, Ct))
        {
            var lastMonth = new DateOnly(Today.Year, Today.Month, 1).AddDays(-1);
            using var response = await feed.PostAsJsonAsync("/v1/usage", new[]
            {
                Record("other-month", resource: ResourceOf(Azure, "vm-old"), day: lastMonth),
                Record("other-sub", entitlement: DemoCommerce.LitwareAzureSubscriptionId),
            }, Ct);
            var result = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
            Assert.All(result.GetProperty("items").EnumerateArray(), i => Assert.Equal("accepted", i.GetProperty("status").GetString()));
        }

        using var client = server.CreateJsonClient(Fabrikam);
        var month = Today.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var evidence = await HttpAssert.JsonAsync(await client.GetAsync(
            $"/v1/customers/{DemoCommerce.TailspinCustomerId}/subscriptions/{DemoCommerce.TailspinPlanId}/azureEntitlements/{Azure}/pec?month={month}", Ct), HttpStatusCode.OK);

        Assert.Equal([$"/subscriptions/{Azure}"], evidence.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("resourceId").GetString()!));
    }

    // A Spot meter in Tailspin's market (GB) this month, as a price list import stores it.
    private static async Task AddSpotMeterAsync(PaygoServer server)
    {
        await using var db = server.CreateDbContext();
        var month = (Today.Year * 100) + Today.Month;
        var list = await db.PriceLists.SingleAsync(l => l.Market == "GB" && l.Month == month, Ct);
        var template = await db.PriceRows.AsNoTracking().FirstAsync(r => r.PriceListId == list.Id, Ct);
        db.PriceRows.Add(new StoredPriceRow
        {
            PriceListId = list.Id,
            RowNumber = 3,
            ProductTitle = template.ProductTitle,
            ProductId = template.ProductId,
            SkuId = "0007",
            SkuTitle = "D2s v3 Spot",
            Publisher = "Microsoft",
            SkuDescription = "D2s v3 Spot, Linux",
            UnitOfMeasure = template.UnitOfMeasure,
            TermDuration = template.TermDuration,
            Market = "GB",
            Currency = "USD",
            UnitPrice = 0.01m,
            EffectiveStart = template.EffectiveStart,
            EffectiveEnd = template.EffectiveEnd,
            MeterId = SpotMeter,
            MeterType = template.MeterType,
            Tags = template.Tags,
        });
        await db.SaveChangesAsync(Ct);
    }
}
