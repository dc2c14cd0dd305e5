using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.Transitions;
using Paygo.Testing;
using static Paygo.Server.Tests.CommerceApiTests;

namespace Paygo.Server.Tests;

/// <summary>
/// Issue 11 point 5 over HTTP on both engines: the operator's legacy import and the transition to
/// the Azure plan with every rule and code of reference §6. The transition must keep every role
/// assignment (same ids, same intervals) and move each Azure subscription exactly once.
/// </summary>
public sealed class TransitionApiTests
{
    private static readonly DemoUser FabrikamSales = TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.SalesAgent)!;

    internal static string LegacyFile(string customerId, params (Guid Subscription, string Status, bool Shared, DateTimeOffset CreatedAt, Guid[] Assignments)[] subscriptions) =>
        JsonSerializer.Serialize(new
        {
            subscriptions = subscriptions.Select(s => new
            {
                customerId,
                azureSubscriptionId = s.Subscription,
                friendlyName = "Legacy " + s.Subscription.ToString()[..8],
                createdAt = s.CreatedAt,
                status = s.Status,
                partnerSharedServices = s.Shared,
                roleAssignments = s.Assignments.Select((a, i) => new
                {
                    id = a,
                    scope = i == 0 ? $"/subscriptions/{s.Subscription}" : $"/SUBSCRIPTIONS/{s.Subscription}/resourceGroups/rg-app",
                    roleDefinitionId = i == 0 ? "8e3af657-a8ff-443c-a75c-2fe8c4bcb635" : "b24988ac-6180-42a0-ab88-20f7382dd24c",
                    roleName = i == 0 ? "Owner" : "Contributor",
                    principalId = Guid.NewGuid(),
                    principalType = i == 0 ? "ForeignGroup" : "User",
                    principalDisplayName = i == 0 ? "Foreign Principal for 'Fabrikam Direct Ltd'" : "ops@fabrikam.example",
                    source = i == 0 ? "aobo" : "rbac",
                    validFrom = s.CreatedAt.AddMinutes(i),
                    validTo = i == 0 ? (DateTimeOffset?)null : s.CreatedAt.AddDays(30).AddHours(13),
                }),
            }),
        }, PaygoJson.Options);

    private static readonly DateTimeOffset LongAgo = new(2024, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static string UpgradeBody(string customerId, string family = "azure") => $$"""{"customerId":"{{customerId}}","productFamily":"{{family}}"}""";

    /// <summary>A new customer of Fabrikam with an MCA on record and <paramref name="count"/> imported legacy subscriptions, two assignments each.</summary>
    private static async Task<(string CustomerId, Guid[] Subscriptions)> LegacyCustomerAsync(PaygoServer server, HttpClient client, string name, int count = 2, string status = "active", bool shared = false, bool mca = true)
    {
        var customerId = await CreateCustomerAsync(client, name, name.ToLowerInvariant().Replace(" ", "", StringComparison.Ordinal));
        if (mca)
        {
            await ConfirmMcaAsync(client, customerId);
        }

        var subscriptions = Enumerable.Range(0, count).Select(_ => Guid.NewGuid()).ToArray();
        using var operatorClient = server.CreateJsonClient(TestUsers.OperatorAdmin);
        using var imported = await operatorClient.PostAsync("/v1/legacyAzureImports",
            Json(LegacyFile(customerId, [.. subscriptions.Select(s => (s, status, shared, LongAgo, new[] { Guid.NewGuid(), Guid.NewGuid() }))])), TestContext.Current.CancellationToken);
        var result = await HttpAssert.JsonAsync(imported, HttpStatusCode.OK);
        Assert.Equal(count, result.GetProperty("subscriptions").GetInt32());
        return (customerId, subscriptions);
    }

    /// <summary>
    /// The transition moves commerce, not access: each Azure subscription's PEC evidence, day by day,
    /// is the same read under the legacy subscription before the move and under the plan after it.
    /// </summary>
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Transition_LeavesThePecEvidenceOfEveryDayAsItWas(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var (customerId, subscriptions) = await LegacyCustomerAsync(server, client, "Coho Winery");
        var today = DateTime.UtcNow;
        string[] months = [today.AddMonths(-1).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), today.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)];

        async Task<string> EvidenceAsync(Guid parent, Guid azure, string month)
        {
            using var response = await client.GetAsync($"/v1/customers/{customerId}/subscriptions/{parent}/azureEntitlements/{azure}/pec?month={month}", ct);
            var evidence = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
            return evidence.GetProperty("resources").GetRawText() + evidence.GetProperty("assignments").GetRawText();
        }

        // Before: each Azure subscription is its own legacy subscription (same id).
        var before = new List<string>();
        foreach (var azure in subscriptions)
        {
            foreach (var month in months)
            {
                before.Add(await EvidenceAsync(azure, azure, month));
            }
        }

        Assert.Contains(before, e => e.Contains("\"earned\"", StringComparison.Ordinal));

        using var created = await client.PostAsync("/v1/productupgrades", Json(UpgradeBody(customerId, "Azure")), ct);
        await HttpAssert.JsonAsync(created, HttpStatusCode.Created);
        Guid plan;
        await using (var db = server.CreateDbContext())
        {
            var customer = Guid.Parse(customerId);
            plan = await db.CommerceSubscriptions.AsNoTracking().Where(s => s.CustomerId == customer && s.Kind == SkuKind.AzurePlan).Select(s => s.Id).SingleAsync(ct);
        }

        var after = new List<string>();
        foreach (var azure in subscriptions)
        {
            foreach (var month in months)
            {
                after.Add(await EvidenceAsync(plan, azure, month));
            }
        }

        Assert.Equal(before, after);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Transition_KeepsEveryAssignment_MovesEachAzureSubscription_SuspendsTheLegacyOne_AndRecordsTheInstant(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var (customerId, subscriptions) = await LegacyCustomerAsync(server, client, "Alpine Ski House");
        var customer = Guid.Parse(customerId);

        List<string> Snapshot(IEnumerable<Paygo.Core.Access.RoleAssignment> rows) =>
            [.. rows.OrderBy(r => r.Id).Select(r => $"{r.Id}|{r.EntitlementId}|{r.Scope}|{r.RoleDefinitionId}|{r.PrincipalId}|{r.Source}|{r.ValidFrom.UtcTicks}|{r.ValidTo?.UtcTicks}")];
        List<string> before;
        await using (var db = server.CreateDbContext())
        {
            before = Snapshot(await db.RoleAssignments.AsNoTracking().Where(r => r.CustomerId == customer).ToListAsync(ct));
        }

        Assert.Equal(4, before.Count);

        using var eligibility = await client.PostAsync("/v1/productUpgrades/eligibility", Json(UpgradeBody(customerId)), ct);
        var eligible = await HttpAssert.JsonAsync(eligibility, HttpStatusCode.OK);
        Assert.True(eligible.GetProperty("isEligible").GetBoolean());
        Assert.False(eligible.TryGetProperty("upgradeId", out var none) && none.ValueKind != JsonValueKind.Null);
        Assert.Equal("ProductUpgradesEligibility", eligible.GetProperty("attributes").GetProperty("objectType").GetString());

        var startedAt = DateTimeOffset.UtcNow;
        using var created = await client.PostAsync("/v1/productupgrades", Json(UpgradeBody(customerId, "Azure")), ct);
        var status = await HttpAssert.JsonAsync(created, HttpStatusCode.Created);
        var upgradeId = status.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/productUpgrades/{upgradeId}", created.Headers.Location!.OriginalString);
        Assert.Equal("Completed", status.GetProperty("status").GetString());
        Assert.Equal(2, status.GetProperty("lineItems").GetArrayLength());

        await using (var db = server.CreateDbContext())
        {
            // Every assignment is still there: same ids, same scopes, same intervals.
            Assert.Equal(before, Snapshot(await db.RoleAssignments.AsNoTracking().Where(r => r.CustomerId == customer).ToListAsync(ct)));

            var plan = await db.CommerceSubscriptions.AsNoTracking().SingleAsync(s => s.CustomerId == customer && s.Kind == SkuKind.AzurePlan, ct);
            Assert.Equal(CatalogSeed.AzurePlanCatalogItemId, plan.OfferId);
            Assert.True(await db.Orders.AnyAsync(o => o.Id == plan.OrderId, ct));
            foreach (var subscription in subscriptions)
            {
                var entitlement = await db.AzureEntitlements.AsNoTracking().SingleAsync(e => e.Id == subscription, ct);
                Assert.Equal(plan.Id, entitlement.SubscriptionId);
                var legacy = await db.CommerceSubscriptions.AsNoTracking().SingleAsync(s => s.Id == subscription, ct);
                Assert.Equal("suspended", legacy.Status);
                var transition = await db.AzureSubscriptionTransitions.AsNoTracking().SingleAsync(t => t.EntitlementId == subscription, ct);
                Assert.InRange(transition.TransitionedAt, startedAt.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));

                // Usage before the instant stays legacy; from it on it belongs to the plan.
                Assert.Equal(new OfferMembership(AzureOffer.LegacyAzure, subscription), await OfferHistory.AtAsync(db, subscription, transition.TransitionedAt.AddTicks(-10), ct));
                Assert.Equal(new OfferMembership(AzureOffer.AzurePlan, plan.Id), await OfferHistory.AtAsync(db, subscription, transition.TransitionedAt, ct));
            }

            Assert.True(await db.AuditRecords.AnyAsync(a => a.OperationType == "create_product_upgrade" && a.CustomerId == customer, ct));
        }

        using var statusResponse = await client.PostAsync($"/v1/productUpgrades/{upgradeId}/status",
            Json($$$"""{"customerId":"{{{customerId}}}","productFamily":"azure","Attributes":{"ObjectType":"ProductUpgradeRequest"}}"""), ct);
        var read = await HttpAssert.JsonAsync(statusResponse, HttpStatusCode.OK);
        Assert.Equal("Completed", read.GetProperty("status").GetString());
        var line = read.GetProperty("lineItems")[0];
        Assert.Equal("AzureSubscription", line.GetProperty("sourceProduct").GetProperty("name").GetString());
        Assert.Equal("Microsoft Azure plan", line.GetProperty("targetProduct").GetProperty("name").GetString());
        Assert.Equal("Completed", line.GetProperty("status").GetString());

        // Afterwards: the transition is done (900110), and the legacy offer is closed to the customer.
        using var again = await client.PostAsync("/v1/productupgrades", Json(UpgradeBody(customerId)), ct);
        await HttpAssert.ErrorBodyAsync(again, HttpStatusCode.BadRequest, TransitionCodes.UpgradeCompleted);
        using var afterEligibility = await client.PostAsync("/v1/productUpgrades/eligibility", Json(UpgradeBody(customerId)), ct);
        var after = await HttpAssert.JsonAsync(afterEligibility, HttpStatusCode.OK);
        Assert.False(after.GetProperty("isEligible").GetBoolean());
        Assert.Equal(upgradeId, after.GetProperty("upgradeId").GetString());
        var legacyCart = await CreateCartAsync(client, customerId, CartBody(CatalogSeed.LegacyAzureCatalogItemId, "monthly"));
        using var legacyRefused = await client.PostAsync($"/v1/customers/{customerId}/carts/{legacyCart}/checkout", null, ct);
        await HttpAssert.ErrorBodyAsync(legacyRefused, HttpStatusCode.Conflict, ErrorCodes.PlanBlocksLegacyAzure);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Transition_TwentyConcurrentRequests_MoveEachAzureSubscriptionOnce_AndTheOthersGetTheReferenceCodes(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var (customerId, subscriptions) = await LegacyCustomerAsync(server, client, "Coho Winery", count: 3);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await client.PostAsync("/v1/productupgrades", Json(UpgradeBody(customerId)), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return (response.StatusCode, Code: response.StatusCode == HttpStatusCode.Created ? 0 : JsonDocument.Parse(body).RootElement.GetProperty("code").GetInt32());
        }));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.True(
            (a.StatusCode, a.Code) is (HttpStatusCode.Conflict, TransitionCodes.UpgradeInProgress) or (HttpStatusCode.BadRequest, TransitionCodes.UpgradeCompleted), $"{a.StatusCode} {a.Code}"));
        await using var db = server.CreateDbContext();
        var customer = Guid.Parse(customerId);
        Assert.Single(await db.CommerceSubscriptions.Where(s => s.CustomerId == customer && s.Kind == SkuKind.AzurePlan).ToListAsync(ct));
        Assert.Single(await db.ProductUpgrades.Where(u => u.CustomerId == customer).ToListAsync(ct));
        Assert.Equal(subscriptions.Order(), (await db.AzureSubscriptionTransitions.Where(t => t.CustomerId == customer).Select(t => t.EntitlementId).ToListAsync(ct)).Order());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Transition_RetriedWithTheSameRequestId_ReplaysTheFirstAnswer_AndPathsIgnoreCase(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var (customerId, _) = await LegacyCustomerAsync(server, client, "Fourth Coffee", count: 1);

        using var eligibility = await client.PostAsync("/V1/PRODUCTUPGRADES/ELIGIBILITY", Json(UpgradeBody(customerId, "AZURE")), ct);
        Assert.True((await HttpAssert.JsonAsync(eligibility, HttpStatusCode.OK)).GetProperty("isEligible").GetBoolean());

        var requestId = Guid.NewGuid().ToString();
        async Task<(HttpStatusCode Status, string Body, string? Location)> PostAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(UpgradeBody(customerId)) };
            request.Headers.Add("MS-RequestId", requestId);
            using var response = await client.SendAsync(request, ct);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(ct), response.Headers.Location?.OriginalString);
        }

        var first = await PostAsync("/v1/productUpgrades");
        var retry = await PostAsync("/v1/ProductUpgrades");
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(first, retry);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Import_OneBadField_ImportsNothing_AndNamesEachField(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        using var operatorClient = server.CreateJsonClient(TestUsers.OperatorAdmin);
        var ct = TestContext.Current.CancellationToken;
        var customerId = await CreateCustomerAsync(client, "Adventure Works", "adventureworks");
        var good = Guid.NewGuid();
        var bad = Guid.NewGuid();
        var file = LegacyFile(customerId, (good, "active", false, LongAgo, [Guid.NewGuid()]), (bad, "active", false, LongAgo, [Guid.NewGuid(), Guid.NewGuid()]))
            .Replace($"\"/SUBSCRIPTIONS/{bad}/resourceGroups/rg-app\"", $"\"/subscriptions/{good}/resourceGroups/rg-app\"", StringComparison.Ordinal)
            .Replace("\"status\":\"active\"", "\"status\":\"disabled\"", StringComparison.Ordinal);

        using var refused = await operatorClient.PostAsync("/v1/legacyAzureImports", Json(file), ct);
        var error = await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        var fields = error.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("field").GetString()).ToList();
        Assert.Contains("subscriptions[0].status", fields);
        Assert.Contains("subscriptions[1].status", fields);
        Assert.Contains("subscriptions[1].roleAssignments[1].scope", fields);

        // A customer that already holds an Azure plan cannot receive legacy subscriptions.
        using var planHolder = await operatorClient.PostAsync("/v1/legacyAzureImports",
            Json(LegacyFile(DemoCommerce.TailspinCustomerId.ToString(), (Guid.NewGuid(), "active", false, LongAgo, [Guid.NewGuid()]))), ct);
        var planError = await HttpAssert.ErrorBodyAsync(planHolder, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("subscriptions[0].customerId", planError.GetProperty("data")[0].GetProperty("field").GetString());

        // A partner cannot import at all: the operator plays Microsoft's part.
        using var byPartner = await client.PostAsync("/v1/legacyAzureImports", Json(LegacyFile(customerId, (Guid.NewGuid(), "active", false, LongAgo, []))), ct);
        Assert.Equal(HttpStatusCode.Forbidden, byPartner.StatusCode);

        await using var db = server.CreateDbContext();
        var customer = Guid.Parse(customerId);
        Assert.False(await db.CommerceSubscriptions.AnyAsync(s => s.CustomerId == customer, ct));
        Assert.False(await db.AzureEntitlements.AnyAsync(e => e.CustomerId == customer, ct));
        Assert.False(await db.RoleAssignments.AnyAsync(r => r.CustomerId == customer, ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Transition_EachRestriction_AnswersItsReferenceCode_AndMovesNothing(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;

        async Task ExpectAsync(string customerId, HttpStatusCode status, int code)
        {
            using var eligibility = await client.PostAsync("/v1/productUpgrades/eligibility", Json(UpgradeBody(customerId)), ct);
            var answer = await HttpAssert.JsonAsync(eligibility, HttpStatusCode.OK);
            Assert.False(answer.GetProperty("isEligible").GetBoolean());
            Assert.False(string.IsNullOrEmpty(answer.GetProperty("reason").GetString()));
            using var created = await client.PostAsync("/v1/productupgrades", Json(UpgradeBody(customerId)), ct);
            await HttpAssert.ErrorBodyAsync(created, status, code);
            await using var db = server.CreateDbContext();
            var id = Guid.Parse(customerId);
            Assert.False(await db.AzureSubscriptionTransitions.AnyAsync(t => t.CustomerId == id, ct));
        }

        // 900108: no legacy Azure subscriptions (Tailspin has only an Azure plan).
        await ExpectAsync(DemoCommerce.TailspinCustomerId.ToString(), HttpStatusCode.Forbidden, TransitionCodes.NoAzureSubscriptions);

        // 900105: a suspended legacy subscription.
        await ExpectAsync((await LegacyCustomerAsync(server, client, "Suspended Co", status: "suspended")).CustomerId, HttpStatusCode.Forbidden, TransitionCodes.SuspendedSubscriptions);

        // 900119: Azure Partner Shared Services.
        await ExpectAsync((await LegacyCustomerAsync(server, client, "Shared Services Co", shared: true)).CustomerId, HttpStatusCode.Forbidden, TransitionCodes.PartnerSharedServices);

        // 900120: no MCA on record, which the Azure plan needs.
        await ExpectAsync((await LegacyCustomerAsync(server, client, "No Mca Co", mca: false)).CustomerId, HttpStatusCode.Forbidden, TransitionCodes.CannotProcess);

        // 900130: bought a moment ago through a checkout.
        var recent = await CreateCustomerAsync(client, "Recent Co", "recentco");
        await ConfirmMcaAsync(client, recent);
        var cart = await CreateCartAsync(client, recent, CartBody(CatalogSeed.LegacyAzureCatalogItemId, "monthly"));
        using (var bought = await client.PostAsync($"/v1/customers/{recent}/carts/{cart}/checkout", null, ct))
        {
            await HttpAssert.JsonAsync(bought, HttpStatusCode.Created);
        }

        await ExpectAsync(recent, HttpStatusCode.Forbidden, TransitionCodes.RecentlyPurchased);

        // 900107: the Azure plan is not sold in the customer's country any more.
        var (gb, _) = await LegacyCustomerAsync(server, client, "Narrowed Co");
        using var operatorClient = server.CreateJsonClient(TestUsers.OperatorAdmin);
        using (var narrowed = await operatorClient.PutAsync(
            $"/v1/products/{CatalogSeed.AzurePlanProductId}/skus/{CatalogSeed.AzurePlanSkuId}/availabilities/{CatalogSeed.AzurePlanAvailabilityId}", Json("""{"countries":["DE","US"]}"""), ct))
        {
            await HttpAssert.JsonAsync(narrowed, HttpStatusCode.OK);
        }

        await ExpectAsync(gb, HttpStatusCode.BadRequest, TransitionCodes.CatalogItemNotFound);

        // Not "azure": only Azure transitions; a malformed customer id is 900118.
        using var office = await client.PostAsync("/v1/productupgrades", Json(UpgradeBody(gb, "office")), ct);
        Assert.Equal("productFamily", (await HttpAssert.ErrorBodyAsync(office, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty)).GetProperty("data")[0].GetProperty("field").GetString());
        using var badId = await client.PostAsync("/v1/productupgrades", Json(UpgradeBody("not-a-guid")), ct);
        await HttpAssert.ErrorBodyAsync(badId, HttpStatusCode.BadRequest, 900118);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Status_UnknownOrAnotherCustomersUpgrade_Is900106Or900111(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var (customerId, _) = await LegacyCustomerAsync(server, client, "Status Co", count: 1);
        using var created = await client.PostAsync("/v1/productupgrades", Json(UpgradeBody(customerId)), ct);
        var upgradeId = (await HttpAssert.JsonAsync(created, HttpStatusCode.Created)).GetProperty("id").GetString();

        using var unknown = await client.PostAsync($"/v1/productUpgrades/{Guid.NewGuid()}/status", Json(UpgradeBody(customerId)), ct);
        await HttpAssert.ErrorBodyAsync(unknown, HttpStatusCode.NotFound, TransitionCodes.UpgradeNotFound);

        using var other = await client.PostAsync($"/v1/productUpgrades/{upgradeId}/status", Json(UpgradeBody(DemoCommerce.TailspinCustomerId.ToString())), ct);
        await HttpAssert.ErrorBodyAsync(other, HttpStatusCode.BadRequest, TransitionCodes.UpgradeOfAnotherCustomer);

        // Another partner learns nothing: for it the upgrade does not exist.
        using var contoso = server.CreateJsonClient(TestUsers.ByEmail("admin@contoso-distribution.example"));
        using var foreign = await contoso.PostAsync($"/v1/productUpgrades/{upgradeId}/status", Json(UpgradeBody(DemoCommerce.LitwareCustomerId.ToString())), ct);
        await HttpAssert.ErrorBodyAsync(foreign, HttpStatusCode.NotFound, TransitionCodes.UpgradeNotFound);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task UnfinishedUpgrade_BlocksAzurePurchases_With900112To900114_AndASecondStartWith900109(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var (customerId, _) = await LegacyCustomerAsync(server, client, "Blocked Co", count: 1);
        var customer = Guid.Parse(customerId);
        await using (var db = server.CreateDbContext())
        {
            db.ProductUpgrades.Add(new ProductUpgrade
            {
                Id = Guid.NewGuid(), PartnerId = DemoInstance.DirectBillPartnerId, CustomerId = customer, ProductFamily = ProductUpgrades.AzureFamily,
                Status = ProductUpgradeStatus.Pending, CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync(ct);
        }

        foreach (var (state, code) in new[]
        {
            (ProductUpgradeStatus.Pending, TransitionCodes.PurchaseBlockedUpgradePending),
            (ProductUpgradeStatus.InProgress, TransitionCodes.PurchaseBlockedUpgradeInProgress),
            (ProductUpgradeStatus.Failed, TransitionCodes.PurchaseBlockedUpgradeFailed),
        })
        {
            await using (var db = server.CreateDbContext())
            {
                await db.ProductUpgrades.Where(u => u.CustomerId == customer).ExecuteUpdateAsync(s => s.SetProperty(u => u.Status, state), ct);
            }

            var cart = await CreateCartAsync(client, customerId);
            using var refused = await client.PostAsync($"/v1/customers/{customerId}/carts/{cart}/checkout", null, ct);
            await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.Conflict, code);
            if (state != ProductUpgradeStatus.Failed)
            {
                using var second = await client.PostAsync("/v1/productupgrades", Json(UpgradeBody(customerId)), ct);
                await HttpAssert.ErrorBodyAsync(second, HttpStatusCode.Conflict, TransitionCodes.UpgradeInProgress);
            }
        }

        // A failed upgrade may be started again, and then completes.
        using var restarted = await client.PostAsync("/v1/productupgrades", Json(UpgradeBody(customerId)), ct);
        Assert.Equal("Completed", (await HttpAssert.JsonAsync(restarted, HttpStatusCode.Created)).GetProperty("status").GetString());
    }
}
