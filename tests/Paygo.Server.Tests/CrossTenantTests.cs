using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Paygo.Core.Catalog;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// PROMISES S2: no partner sees another's data. Every /v1 route is called by every demo user with
/// every route value pointing at an object of another organisation; the answer must be 403 or 404,
/// never data. A new route joins automatically; a route value this test does not know yet fails
/// it until its foreign objects are added to <see cref="ForeignObjects"/>.
/// </summary>
public sealed partial class CrossTenantTests
{
    /// <summary>For each route value, objects that belong to an organisation other than <c>tenant</c> (null = the operator).</summary>
    private static readonly Dictionary<string, Func<Guid?, IEnumerable<string>>> ForeignObjects = new(StringComparer.Ordinal)
    {
        ["userId"] = tenant => DemoUsers.All.Where(u => u.PartnerId != tenant).Select(u => u.Id.ToString()),
        ["partnerId"] = tenant => new[] { DemoInstance.DirectBillPartnerId, DemoInstance.IndirectProviderPartnerId, DemoInstance.IndirectResellerPartnerId }
            .Where(p => p != tenant).Select(p => p.ToString()),
        ["customerId"] = tenant => ForeignCustomers(tenant).Select(c => c.ToString()),
        ["cartId"] = tenant => Owned(tenant, (DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinCartId), (DemoCommerce.LitwareCustomerId, DemoCommerce.LitwareCartId)),
        ["orderId"] = tenant => Owned(tenant, (DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinOrderId), (DemoCommerce.LitwareCustomerId, DemoCommerce.LitwareOrderId)),
        ["subscriptionId"] = tenant => Owned(tenant, (DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinPlanId), (DemoCommerce.LitwareCustomerId, DemoCommerce.LitwarePlanId)),
        ["entitlementId"] = tenant => Owned(tenant,
            (DemoCommerce.TailspinCustomerId, DemoCommerce.TailspinAzureSubscriptionId), (DemoCommerce.LitwareCustomerId, DemoCommerce.LitwareAzureSubscriptionId)),

        // The catalog is shared reference data that no tenant owns; these values only matter next to a foreign customer.
        ["productId"] = _ => [CatalogSeed.AzurePlanProductId],
        ["skuId"] = _ => [CatalogSeed.AzurePlanSkuId],
        ["availabilityId"] = _ => [CatalogSeed.AzurePlanAvailabilityId],

        // Price lists and FX rates are the operator's reference data, the same for every partner.
        ["meterId"] = _ => ["9f0a3d1c-6b2e-4c55-9d8e-0c1f2a3b4c5d"],
        ["market"] = _ => ["US"],
        ["view"] = _ => ["azure_consumption"],
        ["month"] = _ => ["202611"],

        // transition: the demo holds no product upgrades; an id of none must be as closed as another partner's.
        ["upgradeId"] = _ => ["0d5c3b2a-1f4e-4a6b-9c8d-000000000a01"],
        // access: a record id only ever comes with its customer's id, which is foreign here; role definitions are shared reference data.
        ["assignmentId"] = _ => [DemoCommerce.TailspinAzureSubscriptionId.ToString(), DemoCommerce.LitwareAzureSubscriptionId.ToString()],
        ["roleDefinitionId"] = _ => ["8e3af657-a8ff-443c-a75c-2fe8c4bcb635"],
        // billing: close runs are the operator's; the demo holds no invoices, and a number of none must be as closed as another partner's.
        ["closeId"] = _ => ["0d5c3b2a-1f4e-4a6b-9c8d-000000000b01"],
        ["invoiceId"] = _ => ["G000000001"],
        ["kind"] = _ => [Paygo.Core.Billing.InvoiceFileKinds.Reconciliation, Paygo.Core.Billing.InvoiceFileKinds.DailyUsage],
        // exports (§8.3): the demo holds none; an id of none must be as closed as another partner's (BillingApiTests checks a real one).
        ["operationId"] = _ => ["0d5c3b2a-1f4e-4a6b-9c8d-000000000c01"],
        ["manifestId"] = _ => ["0d5c3b2a-1f4e-4a6b-9c8d-000000000c02"],
        ["name"] = _ => ["part-00000.json.gz"],
    };

    /// <summary>Route values of shared reference data: a route with only these holds no tenant's data and is not part of the matrix.</summary>
    private static readonly HashSet<string> SharedRouteValues = new(StringComparer.Ordinal) { "productId", "skuId", "availabilityId", "meterId", "market", "view", "month", "roleDefinitionId" };

    /// <summary>Demo customers neither billed by nor resold by <paramref name="tenant"/>.</summary>
    private static IEnumerable<Guid> ForeignCustomers(Guid? tenant) =>
        DemoCommerce.Customers.Where(c => c.Partner != tenant && c.Reseller != tenant).Select(c => c.Customer);

    private static IEnumerable<string> Owned(Guid? tenant, params (Guid Customer, Guid Id)[] objects) =>
        objects.Where(o => ForeignCustomers(tenant).Contains(o.Customer)).Select(o => o.Id.ToString());

    [Fact]
    public async Task EveryRouteValue_OfEveryApiRoute_HasForeignObjectsInTheMatrix()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);

        var unknown = Routes(server).SelectMany(r => RouteValue().Matches(r.Pattern).Select(m => m.Groups[1].Value)).Distinct()
            .Where(name => !ForeignObjects.ContainsKey(name)).ToList();

        Assert.Empty(unknown);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PartnerUsers_OnForeignObjects_Get403Or404_AndNeverTheirData(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var routes = Routes(server)
            .Where(r => RouteValue().Matches(r.Pattern).Any(m => !SharedRouteValues.Contains(m.Groups[1].Value)))
            .ToList();
        var failures = new List<string>();

        foreach (var user in DemoUsers.All.Where(u => u.PartnerId is not null))
        {
            using var client = server.CreateJsonClient(user);
            foreach (var (method, pattern) in routes)
            {
                foreach (var path in Fill(pattern, user.PartnerId))
                {
                    using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
                    using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
                    if (response.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound))
                    {
                        failures.Add($"{user.Email}: {method} {path} answered {(int)response.StatusCode}");
                    }
                }
            }
        }

        Assert.Empty(failures);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Lists_OfAPartnerUser_HoldOnlyItsOwnOrganisation(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        foreach (var user in DemoUsers.All.Where(u => u.PartnerId is not null && u.Roles.Contains(Paygo.Core.Identity.PartnerRole.GlobalAdmin)))
        {
            using var client = server.CreateJsonClient(user);
            foreach (var path in new[] { "/v1/users", $"/v1/auditrecords?startDate={DateTimeOffset.UtcNow.AddDays(-1):yyyy-MM-dd}", "/v1/mfacompliance" })
            {
                using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
                var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                foreach (var other in DemoUsers.All.Where(u => u.PartnerId != user.PartnerId))
                {
                    Assert.DoesNotContain(other.Email, text, StringComparison.OrdinalIgnoreCase);
                }
            }
        }
    }

    [GeneratedRegex("\\{([A-Za-z]+)[^}]*\\}")]
    private static partial Regex RouteValue();

    private static List<(string Method, string Pattern)> Routes(PaygoServer server) =>
        [.. ApiRouteTable.ApiRoutes(server).Select(r => (r.Method, r.Pattern))];

    private static IEnumerable<string> Fill(string pattern, Guid? tenant)
    {
        var names = RouteValue().Matches(pattern).Select(m => m.Groups[1].Value).Distinct().ToList();
        IEnumerable<string> paths = [pattern];
        foreach (var name in names)
        {
            paths = paths.SelectMany(p => ForeignObjects[name](tenant).Take(3).Select(id => Regex.Replace(p, "\\{" + name + "[^}]*\\}", id)));
        }

        return paths;
    }
}
