using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Access;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// Issue 11 point 1 over HTTP on both engines: Azure subscriptions added to a plan, cancelled and
/// reactivated (reference §7.4), and the plan suspended, reactivated and cancelled by PATCH
/// (reference §7.3), with every error code those sections list.
/// </summary>
public sealed class AzureSubscriptionLifecycleTests
{
    private static readonly DemoUser FabrikamAdminAgent = TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.AdminAgent)!;
    private static readonly DemoUser FabrikamGlobalAdmin = TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin)!;
    private static readonly DemoUser FabrikamSales = TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.SalesAgent)!;

    /// <summary>Contoso bills Litware; its admin is Global admin and Admin agent, the pair cancel needs.</summary>
    private static readonly DemoUser ContosoAdmin = TestUsers.ByEmail("admin@contoso-distribution.example");

    /// <summary>Adatum is Litware's reseller of record: it sees the customer, but Contoso holds the commerce relationship.</summary>
    private static readonly DemoUser AdatumAdmin = TestUsers.ByEmail("admin@adatum.example");

    private static readonly string TailspinPlan = $"/v1/customers/{DemoCommerce.TailspinCustomerId}/subscriptions/{DemoCommerce.TailspinPlanId}";
    private static readonly string LitwarePlan = $"/v1/customers/{DemoCommerce.LitwareCustomerId}/subscriptions/{DemoCommerce.LitwarePlanId}";
    private static readonly string TailspinAzure = $"{TailspinPlan}/azureEntitlements/{DemoCommerce.TailspinAzureSubscriptionId}";
    private static readonly string LitwareAzure = $"{LitwarePlan}/azureEntitlements/{DemoCommerce.LitwareAzureSubscriptionId}";

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AddAzureSubscription_CreatesItWithTheAoboOwnerAndAnAuditRecord_AndReplaysOnTheSameRequestId(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);

        using var request = new HttpRequestMessage(HttpMethod.Post, TailspinPlan + "/azureEntitlements") { Content = Json("""{"friendlyName":"Tailspin dev/test"}""") };
        request.Headers.Add("MS-RequestId", "add-tailspin-dev");
        using var created = await client.SendAsync(request, Ct);
        var body = await HttpAssert.JsonAsync(created, HttpStatusCode.Created);
        var id = Guid.Parse(body.GetProperty("id").GetString()!);
        Assert.Equal("Tailspin dev/test", body.GetProperty("friendlyName").GetString());
        Assert.Equal("active", body.GetProperty("status").GetString());
        Assert.Equal(DemoCommerce.TailspinPlanId.ToString(), body.GetProperty("subscriptionId").GetString());
        Assert.Equal("AzureEntitlement", body.GetProperty("attributes").GetProperty("objectType").GetString());
        Assert.Equal($"{TailspinPlan}/azureEntitlements/{id}", created.Headers.Location?.OriginalString);

        using var retry = new HttpRequestMessage(HttpMethod.Post, TailspinPlan + "/azureEntitlements") { Content = Json("""{"friendlyName":"Tailspin dev/test"}""") };
        retry.Headers.Add("MS-RequestId", "add-tailspin-dev");
        using var replayed = await client.SendAsync(retry, Ct);
        Assert.Equal(id.ToString(), (await HttpAssert.JsonAsync(replayed, HttpStatusCode.Created)).GetProperty("id").GetString());

        using var list = await client.GetAsync(TailspinPlan + "/azureEntitlements", Ct);
        Assert.Equal(2, (await HttpAssert.JsonAsync(list, HttpStatusCode.OK)).GetProperty("totalCount").GetInt32());
        using var one = await client.GetAsync($"{TailspinPlan}/azureEntitlements/{id}", Ct);
        await HttpAssert.JsonAsync(one, HttpStatusCode.OK);

        await using var db = server.CreateDbContext();
        var owner = await db.RoleAssignments.SingleAsync(a => a.EntitlementId == id, Ct);
        Assert.Equal(AzureRoles.OwnerRoleDefinitionId, owner.RoleDefinitionId);
        Assert.Equal(AzureRoles.AdminAgentsGroupOf(DemoInstance.DirectBillPartnerId), owner.PrincipalId);
        Assert.Equal($"/subscriptions/{id}", owner.Scope);
        Assert.Equal("aobo", owner.Source);
        Assert.Null(owner.ValidTo);
        var audit = await db.AuditRecords.SingleAsync(r => r.OperationType == "add_azure_subscription", Ct);
        Assert.Equal(DemoCommerce.TailspinCustomerId, audit.CustomerId);
        Assert.Contains(id.ToString(), audit.ResourceNewValue, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AddAzureSubscription_Refusals_CarryPartnerCentersCodes(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        using var sales = server.CreateJsonClient(FabrikamSales);

        // Without a body the Azure subscription gets the first one's name.
        using var unnamed = await client.PostAsync(TailspinPlan + "/azureEntitlements", null, Ct);
        Assert.Equal("Microsoft Azure", (await HttpAssert.JsonAsync(unnamed, HttpStatusCode.Created)).GetProperty("friendlyName").GetString());

        using var salesAdd = await sales.PostAsync(TailspinPlan + "/azureEntitlements", Json("{}"), Ct);
        await HttpAssert.ErrorBodyAsync(salesAdd, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        using var badCustomer = await client.PostAsync("/v1/customers/nope/subscriptions/" + DemoCommerce.TailspinPlanId + "/azureEntitlements", Json("{}"), Ct);
        await HttpAssert.ErrorBodyAsync(badCustomer, HttpStatusCode.BadRequest, 900118);
        using var badPlan = await client.PostAsync($"/v1/customers/{DemoCommerce.TailspinCustomerId}/subscriptions/nope/azureEntitlements", Json("{}"), Ct);
        await HttpAssert.ErrorBodyAsync(badPlan, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput);
        using var unknownPlan = await client.PostAsync($"/v1/customers/{DemoCommerce.TailspinCustomerId}/subscriptions/{Guid.NewGuid()}/azureEntitlements", Json("{}"), Ct);
        await HttpAssert.ErrorBodyAsync(unknownPlan, HttpStatusCode.NotFound, ErrorCodes.SubscriptionNotFound);
        using var tooLong = await client.PostAsync(TailspinPlan + "/azureEntitlements", Json($$"""{"friendlyName":"{{new string('n', 65)}}"}"""), Ct);
        await HttpAssert.ErrorBodyAsync(tooLong, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        using var foreign = await client.PostAsync(LitwarePlan + "/azureEntitlements", Json("{}"), Ct);
        await HttpAssert.ErrorBodyAsync(foreign, HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CancelAndReactivate_NeedAGlobalAdminWhoIsAlsoAdminAgent_AndAnswer200Then202(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var both = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin, PartnerRole.AdminAgent);
        using var globalAdmin = server.CreateJsonClient(FabrikamGlobalAdmin);
        using var adminAgent = server.CreateJsonClient(FabrikamAdminAgent);
        using var sales = server.CreateJsonClient(FabrikamSales);
        using var client = server.CreateJsonClient(both);

        // Either role alone passes the route's fence but not Core's rule: Partner Center's 900335.
        using (var alone = await globalAdmin.PostAsync(TailspinAzure + "/cancel", Json("""{"cancellationReason":"compromise"}"""), Ct))
        {
            await HttpAssert.ErrorBodyAsync(alone, HttpStatusCode.Forbidden, ErrorCodes.AzureSubscriptionPermissionDenied);
        }

        using (var alone = await adminAgent.PostAsync(TailspinAzure + "/cancel", Json("""{"cancellationReason":"compromise"}"""), Ct))
        {
            await HttpAssert.ErrorBodyAsync(alone, HttpStatusCode.Forbidden, ErrorCodes.AzureSubscriptionPermissionDenied);
        }

        using (var neither = await sales.PostAsync(TailspinAzure + "/cancel", Json("""{"cancellationReason":"compromise"}"""), Ct))
        {
            await HttpAssert.ErrorBodyAsync(neither, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        }

        using var cancelled = await client.PostAsync(TailspinAzure + "/cancel", Json("""{"cancellationReason":"compromise"}"""), Ct);
        var body = await HttpAssert.JsonAsync(cancelled, HttpStatusCode.OK);
        Assert.Equal("inactive", body.GetProperty("status").GetString());
        Assert.Equal(DemoCommerce.TailspinAzureSubscriptionId.ToString(), body.GetProperty("id").GetString());

        // A retry of the cancel answers the same, and writes nothing more.
        using var again = await client.PostAsync(TailspinAzure + "/cancel", Json("""{"cancellationReason":"other"}"""), Ct);
        Assert.Equal("inactive", (await HttpAssert.JsonAsync(again, HttpStatusCode.OK)).GetProperty("status").GetString());

        await using (var db = server.CreateDbContext())
        {
            var stored = await db.AzureEntitlements.SingleAsync(e => e.Id == DemoCommerce.TailspinAzureSubscriptionId, Ct);
            Assert.Equal("inactive", stored.Status);
            Assert.NotNull(stored.CancelledAt);
            Assert.Equal("compromise", stored.CancellationReason);
            var audit = await db.AuditRecords.SingleAsync(r => r.OperationType == "cancel_azure_subscription", Ct);
            Assert.Equal(both.Email, audit.UserPrincipalName);
        }

        using (var alone = await adminAgent.PostAsync(TailspinAzure + "/reactivate", null, Ct))
        {
            await HttpAssert.ErrorBodyAsync(alone, HttpStatusCode.Forbidden, ErrorCodes.AzureSubscriptionPermissionDenied);
        }

        using var reactivated = await client.PostAsync(TailspinAzure + "/reactivate", null, Ct);
        Assert.Equal("active", (await HttpAssert.JsonAsync(reactivated, HttpStatusCode.Accepted)).GetProperty("status").GetString());
        using var shown = await client.GetAsync(TailspinAzure, Ct);
        Assert.Equal("active", (await HttpAssert.JsonAsync(shown, HttpStatusCode.OK)).GetProperty("status").GetString());

        await using (var db = server.CreateDbContext())
        {
            var stored = await db.AzureEntitlements.SingleAsync(e => e.Id == DemoCommerce.TailspinAzureSubscriptionId, Ct);
            Assert.Null(stored.CancelledAt);
            Assert.NotNull(stored.ReactivatedAt);
            Assert.Equal(1, await db.AuditRecords.CountAsync(r => r.OperationType == "reactivate_azure_subscription", Ct));
            Assert.Equal(1, await db.AuditRecords.CountAsync(r => r.OperationType == "cancel_azure_subscription", Ct));
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CancelAndReactivate_EachCodeOfReferenceSection74(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(ContosoAdmin);
        using var reseller = server.CreateJsonClient(AdatumAdmin);
        var customer = DemoCommerce.LitwareCustomerId;

        // 400 900118: the customer id is not valid.
        using var badCustomer = await client.PostAsync($"/v1/customers/x/subscriptions/{DemoCommerce.LitwarePlanId}/azureEntitlements/{DemoCommerce.LitwareAzureSubscriptionId}/cancel", Json("""{"cancellationReason":"other"}"""), Ct);
        await HttpAssert.ErrorBodyAsync(badCustomer, HttpStatusCode.BadRequest, 900118);

        // 400 800002: a bad subscription or entitlement id, or no request content.
        using var badPlan = await client.PostAsync($"/v1/customers/{customer}/subscriptions/x/azureEntitlements/{DemoCommerce.LitwareAzureSubscriptionId}/cancel", Json("""{"cancellationReason":"other"}"""), Ct);
        Assert.Equal("subscriptionId", (await HttpAssert.ErrorBodyAsync(badPlan, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput)).GetProperty("data")[0].GetProperty("field").GetString());
        using var badEntitlement = await client.PostAsync($"{LitwarePlan}/azureEntitlements/x/reactivate", null, Ct);
        Assert.Equal("entitlementId", (await HttpAssert.ErrorBodyAsync(badEntitlement, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput)).GetProperty("data")[0].GetProperty("field").GetString());
        using var noContent = await client.PostAsync(LitwareAzure + "/cancel", null, Ct);
        await HttpAssert.ErrorBodyAsync(noContent, HttpStatusCode.BadRequest, ErrorCodes.InvalidRequestInput);

        // 403 900159: the reseller of record (a Global admin and Admin agent) has no commerce relationship; Contoso bills Litware.
        using var noRelationship = await reseller.PostAsync(LitwareAzure + "/cancel", Json("""{"cancellationReason":"other"}"""), Ct);
        await HttpAssert.ErrorBodyAsync(noRelationship, HttpStatusCode.Forbidden, ErrorCodes.NoCommerceRelationship);
        using var noRelationshipReactivate = await reseller.PostAsync(LitwareAzure + "/reactivate", null, Ct);
        await HttpAssert.ErrorBodyAsync(noRelationshipReactivate, HttpStatusCode.Forbidden, ErrorCodes.NoCommerceRelationship);

        // 400 900307: the reason is missing or not compromise|other.
        using var noReason = await client.PostAsync(LitwareAzure + "/cancel", Json("{}"), Ct);
        await HttpAssert.ErrorBodyAsync(noReason, HttpStatusCode.BadRequest, ErrorCodes.InvalidCancellationReason);
        using var badReason = await client.PostAsync(LitwareAzure + "/cancel", Json("""{"cancellationReason":"boredom"}"""), Ct);
        Assert.Equal("cancellationReason", (await HttpAssert.ErrorBodyAsync(badReason, HttpStatusCode.BadRequest, ErrorCodes.InvalidCancellationReason))
            .GetProperty("data")[0].GetProperty("field").GetString());

        // 404 800111: no such Azure subscription under the plan (and another customer's is no such one).
        using var unknown = await client.PostAsync($"{LitwarePlan}/azureEntitlements/{Guid.NewGuid()}/cancel", Json("""{"cancellationReason":"other"}"""), Ct);
        await HttpAssert.ErrorBodyAsync(unknown, HttpStatusCode.NotFound, ErrorCodes.EntitlementNotFound);
        using var unknownReactivate = await client.PostAsync($"{LitwarePlan}/azureEntitlements/{DemoCommerce.TailspinAzureSubscriptionId}/reactivate", null, Ct);
        await HttpAssert.ErrorBodyAsync(unknownReactivate, HttpStatusCode.NotFound, ErrorCodes.EntitlementNotFound);

        // 403: a Sales agent holds neither role of the pair (900335 for one role alone: the test above).
        using var salesAgent = server.CreateJsonClient(TestUsers.ByEmail("sales@contoso-distribution.example"));
        using var forbidden = await salesAgent.PostAsync(LitwareAzure + "/reactivate", null, Ct);
        await HttpAssert.ErrorBodyAsync(forbidden, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        // 400 900337: not while the plan is suspended.
        using var cancelled = await client.PostAsync(LitwareAzure + "/cancel", Json("""{"cancellationReason":"other"}"""), Ct);
        await HttpAssert.JsonAsync(cancelled, HttpStatusCode.OK);
        var plan = await GetAsync(client, LitwarePlan);
        using var suspended = await PatchAsync(client, LitwarePlan, plan, status: "suspended");
        Assert.Equal("suspended", (await HttpAssert.JsonAsync(suspended, HttpStatusCode.OK)).GetProperty("status").GetString());
        using var whileSuspended = await client.PostAsync(LitwareAzure + "/reactivate", null, Ct);
        await HttpAssert.ErrorBodyAsync(whileSuspended, HttpStatusCode.BadRequest, ErrorCodes.CannotReactivateAzureSubscription);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PlanSuspendReactivateCancel_FollowReferenceSection73(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(ContosoAdmin);
        var plan = await GetAsync(client, LitwarePlan);

        // 403 900115: the plan has an active Azure subscription; nothing changes.
        using var refused = await PatchAsync(client, LitwarePlan, plan, status: "suspended");
        var error = await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.Forbidden, ErrorCodes.AzurePlanHasActiveAzureSubscriptions);
        Assert.Contains("Azure plan can't be moved to suspended state", error.GetProperty("description").GetString(), StringComparison.Ordinal);
        using var refusedCancel = await PatchAsync(client, LitwarePlan, plan, status: "deleted");
        await HttpAssert.ErrorBodyAsync(refusedCancel, HttpStatusCode.Forbidden, ErrorCodes.AzurePlanHasActiveAzureSubscriptions);
        Assert.Equal("active", (await GetAsync(client, LitwarePlan)).GetProperty("status").GetString());

        using (var cancel = await client.PostAsync(LitwareAzure + "/cancel", Json("""{"cancellationReason":"compromise"}"""), Ct))
        {
            await HttpAssert.JsonAsync(cancel, HttpStatusCode.OK);
        }

        using var suspended = await PatchAsync(client, LitwarePlan, plan, status: "suspended");
        var suspendedBody = await HttpAssert.JsonAsync(suspended, HttpStatusCode.OK);
        Assert.Equal("suspended", suspendedBody.GetProperty("status").GetString());
        Assert.NotEqual(plan.GetProperty("attributes").GetProperty("etag").GetString(), suspendedBody.GetProperty("attributes").GetProperty("etag").GetString());

        // The ETag read before the suspension is stale now: 412, as for a rename.
        using var stale = await PatchAsync(client, LitwarePlan, plan, status: "active", ifMatch: plan.GetProperty("attributes").GetProperty("etag").GetString());
        await HttpAssert.ErrorBodyAsync(stale, HttpStatusCode.PreconditionFailed, ErrorCodes.PreconditionFailed);

        // 400 800091: a suspended plan takes no other change, and no new Azure subscription.
        using var rename = await PatchAsync(client, LitwarePlan, suspendedBody, friendlyName: "Renamed while suspended");
        await HttpAssert.ErrorBodyAsync(rename, HttpStatusCode.BadRequest, ErrorCodes.SubscriptionSuspended);
        using var add = await client.PostAsync(LitwarePlan + "/azureEntitlements", Json("{}"), Ct);
        await HttpAssert.ErrorBodyAsync(add, HttpStatusCode.BadRequest, ErrorCodes.SubscriptionSuspended);

        using var reactivated = await PatchAsync(client, LitwarePlan, suspendedBody, status: "active");
        var active = await HttpAssert.JsonAsync(reactivated, HttpStatusCode.OK);
        Assert.Equal("active", active.GetProperty("status").GetString());

        using var cancelled = await PatchAsync(client, LitwarePlan, active, status: "deleted");
        var deleted = await HttpAssert.JsonAsync(cancelled, HttpStatusCode.OK);
        Assert.Equal("deleted", deleted.GetProperty("status").GetString());

        // 400 2011: a deleted plan takes no change at all, its reactivation included.
        using var afterDelete = await PatchAsync(client, LitwarePlan, deleted, status: "active");
        await HttpAssert.ErrorBodyAsync(afterDelete, HttpStatusCode.BadRequest, ErrorCodes.SubscriptionDeleted);
        using var addAfterDelete = await client.PostAsync(LitwarePlan + "/azureEntitlements", Json("{}"), Ct);
        await HttpAssert.ErrorBodyAsync(addAfterDelete, HttpStatusCode.BadRequest, ErrorCodes.SubscriptionDeleted);
        using var reactivateUnderDeleted = await client.PostAsync(LitwareAzure + "/reactivate", null, Ct);
        await HttpAssert.ErrorBodyAsync(reactivateUnderDeleted, HttpStatusCode.BadRequest, ErrorCodes.CannotReactivateAzureSubscription);

        // Statuses Paygo sets itself are not a PATCH's to give.
        using var fabrikam = server.CreateJsonClient(FabrikamAdminAgent);
        using var expired = await PatchAsync(fabrikam, TailspinPlan, await GetAsync(fabrikam, TailspinPlan), status: "expired");
        await HttpAssert.ErrorBodyAsync(expired, HttpStatusCode.BadRequest, ErrorCodes.SubscriptionChangeNotAvailable);

        await using var db = server.CreateDbContext();
        var operations = await db.AuditRecords.Where(r => r.ResourceType == "subscription").Select(r => r.OperationType).ToListAsync(Ct);
        Assert.Equal(["cancel_subscription", "reactivate_subscription", "suspend_subscription"], operations.Order(StringComparer.Ordinal));
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        return await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>A PATCH with the whole Subscription as read, the given fields changed, as Partner Center's clients send it.</summary>
    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, string path, JsonElement read, string? status = null, string? friendlyName = null, string? ifMatch = null)
    {
        var json = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(read.GetRawText())!
            .ToDictionary(p => p.Key, p => (object?)p.Value, StringComparer.Ordinal);
        if (status is not null)
        {
            json["status"] = status;
        }

        if (friendlyName is not null)
        {
            json["friendlyName"] = friendlyName;
        }

        using var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = Json(JsonSerializer.Serialize(json)) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{ifMatch}\"");
        }

        return await client.SendAsync(request, Ct);
    }
}
