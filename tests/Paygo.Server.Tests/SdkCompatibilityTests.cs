using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// What Microsoft's Partner Center .NET SDK 3.4 calls, sent as the SDK sends it (DOMAIN.md §9:
/// its headers, PascalCase bodies with explicit nulls and an <c>Attributes</c> object,
/// <c>Content-Type: application/json</c> without a charset), on both engines: the catalog by
/// customer and by SKU, subscription usage records next to <c>{subscriptionId}</c>, the fields of
/// a Subscription, and PATCH with ETags (docs/adr/0016).
/// </summary>
public sealed class SdkCompatibilityTests
{
    private static readonly DemoUser FabrikamAdminAgent = TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.AdminAgent)!;
    private static readonly DemoUser FabrikamSales = TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.SalesAgent)!;
    private static readonly DemoUser AdatumAdmin = TestUsers.ByEmail("admin@adatum.example");

    private static readonly string Tailspin = DemoCommerce.TailspinCustomerId.ToString();
    private static readonly string TailspinPlan = $"/v1/customers/{Tailspin}/subscriptions/{DemoCommerce.TailspinPlanId}";
    private static readonly string LitwarePlan = $"/v1/customers/{DemoCommerce.LitwareCustomerId}/subscriptions/{DemoCommerce.LitwarePlanId}";

    /// <summary>A request with the headers every SDK call carries.</summary>
    private static HttpRequestMessage SdkRequest(HttpMethod method, string path, string? json = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add("MS-RequestId", Guid.NewGuid().ToString());
        request.Headers.Add("MS-CorrelationId", Guid.NewGuid().ToString());
        request.Headers.Add("X-Locale", "en-US");
        request.Headers.Add("MS-PartnerCenter-Client", "Partner Center .NET SDK");
        request.Headers.Add("MS-SdkVersion", "3.4.0");
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null, string? ifMatch = null)
    {
        using var request = SdkRequest(method, path, json, ifMatch);
        return await client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private static async Task<JsonElement> GetOkAsync(HttpClient client, string path)
    {
        using var response = await SendAsync(client, HttpMethod.Get, path);
        return await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    /// <summary>The Subscription as the SDK serialises it back on PATCH: PascalCase, every property, nulls, zero dates, enums as it writes them.</summary>
    private static string SdkSubscriptionBody(JsonElement s, string friendlyName, string? status = null, string? etag = null) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["Id"] = s.GetProperty("id").GetString(),
        ["OfferId"] = s.GetProperty("offerId").GetString(),
        ["EntitlementId"] = s.TryGetProperty("entitlementId", out var entitlement) ? entitlement.GetString() : null,
        ["OfferName"] = s.GetProperty("offerName").GetString(),
        ["FriendlyName"] = friendlyName,
        ["Quantity"] = s.GetProperty("quantity").GetInt32(),
        ["UnitType"] = s.GetProperty("unitType").GetString(),
        ["ParentSubscriptionId"] = null,
        ["CreationDate"] = s.GetProperty("creationDate").GetString(),
        ["EffectiveStartDate"] = s.GetProperty("effectiveStartDate").GetString(),
        ["CommitmentEndDate"] = s.GetProperty("commitmentEndDate").GetString(),
        ["CancellationAllowedUntilDate"] = "0001-01-01T00:00:00",
        ["Status"] = status ?? s.GetProperty("status").GetString(),
        ["AutoRenewEnabled"] = s.GetProperty("autoRenewEnabled").GetBoolean(),
        ["BillingType"] = s.GetProperty("billingType").GetString(),
        ["BillingCycle"] = s.GetProperty("billingCycle").GetString(),
        ["TermDuration"] = null,
        ["HasPurchasableAddons"] = false,
        ["IsTrial"] = false,
        ["SuspensionReasons"] = null,
        ["ContractType"] = "subscription",
        ["RefundOptions"] = null,
        ["OrderId"] = s.GetProperty("orderId").GetString(),
        ["Links"] = new Dictionary<string, object?> { ["Self"] = new Dictionary<string, object?> { ["Uri"] = TailspinPlan, ["Method"] = "GET", ["Headers"] = Array.Empty<object>() } },
        ["Attributes"] = new Dictionary<string, object?> { ["Etag"] = etag, ["ObjectType"] = "Subscription" },
    });

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CatalogCalls_ByCustomerAndBySku_AnswerInPartnerCenterShapes(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        var product = $"/v1/customers/{Tailspin}/products/{CatalogSeed.AzurePlanProductId}";

        var plan = await GetOkAsync(client, product);
        Assert.Equal(CatalogSeed.AzurePlanProductId, plan.GetProperty("id").GetString());
        Assert.Equal("Azure", plan.GetProperty("productType").GetProperty("id").GetString());
        Assert.Equal("Azure", plan.GetProperty("productType").GetProperty("subType").GetProperty("id").GetString());
        Assert.Equal("Product", plan.GetProperty("attributes").GetProperty("objectType").GetString());
        Assert.Equal($"/v1/products/{CatalogSeed.AzurePlanProductId}/skus?country=GB", plan.GetProperty("links").GetProperty("skus").GetProperty("uri").GetString());

        var skus = await GetOkAsync(client, product + "/skus");
        Assert.Equal("Collection", skus.GetProperty("attributes").GetProperty("objectType").GetString());
        Assert.Equal(CatalogSeed.AzurePlanSkuId, skus.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetString());

        var sku = await GetOkAsync(client, $"{product}/skus/{CatalogSeed.AzurePlanSkuId}");
        Assert.Equal(CatalogSeed.AzurePlanProductId, sku.GetProperty("productId").GetString());
        Assert.Equal(["MicrosoftCustomerAgreement"], sku.GetProperty("purchasePrerequisites").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["one_time"], sku.GetProperty("supportedBillingCycles").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, sku.GetProperty("provisioningVariables").GetArrayLength());
        Assert.Equal("Sku", sku.GetProperty("attributes").GetProperty("objectType").GetString());

        var availability = await GetOkAsync(client, $"{product}/skus/{CatalogSeed.AzurePlanSkuId}/availabilities/{CatalogSeed.AzurePlanAvailabilityId}");
        Assert.Equal(CatalogSeed.AzurePlanCatalogItemId, availability.GetProperty("catalogItemId").GetString());

        var byCountry = await GetOkAsync(client, $"/v1/products/{CatalogSeed.AzurePlanProductId}/skus/{CatalogSeed.AzurePlanSkuId}?country=US");
        Assert.Equal(CatalogSeed.AzurePlanSkuId, byCountry.GetProperty("id").GetString());

        // Every catalog link of a subscription answers as it is.
        var links = (await GetOkAsync(client, TailspinPlan)).GetProperty("links");
        foreach (var name in new[] { "self", "product", "sku", "availability", "azureEntitlements" })
        {
            var uri = links.GetProperty(name).GetProperty("uri").GetString()!;
            using var followed = await SendAsync(client, HttpMethod.Get, uri);
            Assert.True(followed.StatusCode == HttpStatusCode.OK, $"links.{name} {uri} answered {(int)followed.StatusCode}");
        }

        Assert.False(links.TryGetProperty("offer", out _));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CatalogCalls_UnknownSkuForeignCustomerAndOtherMarket_Are404Or400WithTheErrorBody(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        var skus = $"/v1/products/{CatalogSeed.AzurePlanProductId}/skus";

        using var unknown = await SendAsync(client, HttpMethod.Get, skus + "/9999?country=US");
        await HttpAssert.ErrorBodyAsync(unknown, HttpStatusCode.NotFound, 400013);
        using var noCountry = await SendAsync(client, HttpMethod.Get, $"{skus}/{CatalogSeed.AzurePlanSkuId}");
        await HttpAssert.ErrorBodyAsync(noCountry, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        using var unknownAvailability = await SendAsync(client, HttpMethod.Get, $"{skus}/{CatalogSeed.AzurePlanSkuId}/availabilities/NOPE?country=US");
        await HttpAssert.ErrorBodyAsync(unknownAvailability, HttpStatusCode.NotFound, 400013);

        // Litware is Contoso's customer: Fabrikam cannot read the catalog through it.
        var foreign = $"/v1/customers/{DemoCommerce.LitwareCustomerId}/products/{CatalogSeed.AzurePlanProductId}";
        foreach (var path in new[] { foreign, foreign + "/skus", $"{foreign}/skus/{CatalogSeed.AzurePlanSkuId}" })
        {
            using var response = await SendAsync(client, HttpMethod.Get, path);
            await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }

        // The customer's market decides: a SKU the operator sells only in the US is not there for a GB customer.
        var license = "CFQ7TTC0LH18:0001:DZH318Z0BQ3Q".Split(':');
        using (var operatorClient = server.CreateJsonClient())
        {
            using var narrowed = await operatorClient.PutAsync($"/v1/products/{license[0]}/skus/{license[1]}/availabilities/{license[2]}",
                CommerceApiTests.Json("""{"countries":["US"]}"""), TestContext.Current.CancellationToken);
            await HttpAssert.JsonAsync(narrowed, HttpStatusCode.OK);
        }

        var licenseProduct = $"/v1/customers/{Tailspin}/products/{license[0]}";
        foreach (var path in new[] { licenseProduct, $"{licenseProduct}/skus/{license[1]}", $"{licenseProduct}/skus/{license[1]}/availabilities/{license[2]}" })
        {
            using var response = await SendAsync(client, HttpMethod.Get, path);
            await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.NotFound, 400013);
        }

        Assert.Equal(license[1], (await GetOkAsync(client, $"/v1/products/{license[0]}/skus/{license[1]}?country=US")).GetProperty("id").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task UsageRecords_AreOnePerAzurePlan_LiteralsWinOverIds_AndMalformedIdsAre400(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);

        // Rated usage serves the records (docs/adr/0033): the plan's, at zero before any usage.
        var records = await GetOkAsync(client, $"/v1/customers/{Tailspin}/subscriptions/usagerecords");
        Assert.Equal(1, records.GetProperty("totalCount").GetInt32());
        Assert.Equal(0m, records.GetProperty("items")[0].GetProperty("totalCost").GetDecimal());
        Assert.Equal("Collection", records.GetProperty("attributes").GetProperty("objectType").GetString());

        using var foreign = await SendAsync(client, HttpMethod.Get, $"/v1/customers/{DemoCommerce.LitwareCustomerId}/subscriptions/usagerecords");
        await HttpAssert.ErrorBodyAsync(foreign, HttpStatusCode.NotFound, ErrorCodes.NotFound);

        // A segment in an id's place that is no served literal is a malformed id: 400 naming the
        // field, as Partner Center answers (900118 for a customer id).
        foreach (var (path, field) in new[]
        {
            ($"/v1/customers/{Tailspin}/subscriptions/notaroute", "subscriptionId"),
            ($"/v1/customers/{Tailspin}/orders/notaroute", "orderId"),
            ($"/v1/customers/{Tailspin}/carts/notaroute", "cartId"),
            ($"/v1/customers/{Tailspin}/subscriptions/{DemoCommerce.TailspinPlanId}/azureEntitlements/notaroute", "entitlementId"),
        })
        {
            using var response = await SendAsync(client, HttpMethod.Get, path);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode}");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
            Assert.Contains(body.RootElement.GetProperty("data").EnumerateArray(), d => d.GetProperty("field").GetString() == field);
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Subscription_CarriesTheFieldsTheSdkReads_AndItsETag(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);

        using var response = await SendAsync(client, HttpMethod.Get, TailspinPlan);
        var plan = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);

        foreach (var field in new[]
        {
            "id", "offerId", "entitlementId", "offerName", "friendlyName", "quantity", "unitType", "creationDate", "effectiveStartDate", "commitmentEndDate",
            "commitmentEndDateTime", "status", "autoRenewEnabled", "billingType", "billingCycle", "contractType", "hasPurchasableAddons", "isTrial",
            "isMicrosoftProduct", "publisherName", "actions", "suspensionReasons", "refundOptions", "orderId", "productType", "links", "attributes",
        })
        {
            Assert.True(plan.TryGetProperty(field, out _), $"The subscription has no '{field}'.");
        }

        Assert.Equal("Azure", plan.GetProperty("productType").GetProperty("id").GetString());
        Assert.Equal("Azure", plan.GetProperty("productType").GetProperty("displayName").GetString());
        Assert.False(plan.GetProperty("hasPurchasableAddons").GetBoolean());
        Assert.Equal(JsonValueKind.Array, plan.GetProperty("refundOptions").ValueKind);
        Assert.Equal(DemoCommerce.TailspinOrderId.ToString(), plan.GetProperty("orderId").GetString());
        Assert.Equal(DemoCommerce.TailspinAzureSubscriptionId.ToString(), plan.GetProperty("entitlementId").GetString());

        var etag = plan.GetProperty("attributes").GetProperty("etag").GetString();
        Assert.False(string.IsNullOrEmpty(etag));
        Assert.Equal($"\"{etag}\"", response.Headers.ETag?.Tag);

        // The list carries the same ETag: a client may PATCH what it listed.
        var listed = (await GetOkAsync(client, $"/v1/customers/{Tailspin}/subscriptions")).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(etag, listed.GetProperty("attributes").GetProperty("etag").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Patch_TheSdkBodyWithIfMatch_RenamesAudited_AndAStaleETagIs412(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        var ct = TestContext.Current.CancellationToken;

        using var read = await SendAsync(client, HttpMethod.Get, TailspinPlan);
        var plan = await HttpAssert.JsonAsync(read, HttpStatusCode.OK);
        var etag = read.Headers.ETag!.Tag;

        var body = SdkSubscriptionBody(plan, "Tailspin production", etag: plan.GetProperty("attributes").GetProperty("etag").GetString());
        using var renamed = await SendAsync(client, HttpMethod.Patch, TailspinPlan, body, etag);
        var result = await HttpAssert.JsonAsync(renamed, HttpStatusCode.OK);
        Assert.Equal("Tailspin production", result.GetProperty("friendlyName").GetString());
        var newETag = result.GetProperty("attributes").GetProperty("etag").GetString();
        Assert.NotEqual(etag, $"\"{newETag}\"");
        Assert.Equal($"\"{newETag}\"", renamed.Headers.ETag?.Tag);
        Assert.Equal("Tailspin production", (await GetOkAsync(client, TailspinPlan)).GetProperty("friendlyName").GetString());

        // The SDK's retry of the same PATCH (same If-Match, now stale) finds it applied: 200, not 412.
        using var retried = await SendAsync(client, HttpMethod.Patch, TailspinPlan, body, etag);
        Assert.Equal("Tailspin production", (await HttpAssert.JsonAsync(retried, HttpStatusCode.OK)).GetProperty("friendlyName").GetString());

        // Another change on the stale ETag, in the header or only in the body's Attributes: 412 with the error body, nothing changed.
        using var stale = await SendAsync(client, HttpMethod.Patch, TailspinPlan, SdkSubscriptionBody(plan, "Lost update"), etag);
        await HttpAssert.ErrorBodyAsync(stale, HttpStatusCode.PreconditionFailed, ErrorCodes.PreconditionFailed);
        using var staleInBody = await SendAsync(client, HttpMethod.Patch, TailspinPlan,
            SdkSubscriptionBody(plan, "Lost update", etag: plan.GetProperty("attributes").GetProperty("etag").GetString()));
        await HttpAssert.ErrorBodyAsync(staleInBody, HttpStatusCode.PreconditionFailed, ErrorCodes.PreconditionFailed);
        Assert.Equal("Tailspin production", (await GetOkAsync(client, TailspinPlan)).GetProperty("friendlyName").GetString());

        // Without any ETag (the SDK sometimes sends none), the rename applies; "*" matches any state.
        using var unconditional = await SendAsync(client, HttpMethod.Patch, TailspinPlan, SdkSubscriptionBody(plan, "Tailspin Azure"));
        Assert.Equal("Tailspin Azure", (await HttpAssert.JsonAsync(unconditional, HttpStatusCode.OK)).GetProperty("friendlyName").GetString());
        using var any = await SendAsync(client, HttpMethod.Patch, TailspinPlan, SdkSubscriptionBody(plan, "Tailspin Azure plan"), "*");
        await HttpAssert.JsonAsync(any, HttpStatusCode.OK);

        await using var db = server.CreateDbContext();
        var audited = await db.AuditRecords.Where(r => r.OperationType == "update_subscription").ToListAsync(ct);
        Assert.Equal(3, audited.Count);
        Assert.All(audited, r => Assert.Equal(DemoCommerce.TailspinCustomerId, r.CustomerId));
        Assert.Contains(audited, r => r.ResourceNewValue!.Contains("Tailspin production", StringComparison.Ordinal));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Patch_SuspendBadFieldsRolesAndForeignCustomers_AreClear4xxNever405(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        var plan = await GetOkAsync(client, TailspinPlan);

        using var suspend = await SendAsync(client, HttpMethod.Patch, TailspinPlan, SdkSubscriptionBody(plan, plan.GetProperty("friendlyName").GetString()!, status: "suspended"));
        // Tailspin's plan has an active Azure subscription: Partner Center's 403 900115 (reference §7.3).
        var suspendError = await HttpAssert.ErrorBodyAsync(suspend, HttpStatusCode.Forbidden, ErrorCodes.AzurePlanHasActiveAzureSubscriptions);
        Assert.Equal("status", suspendError.GetProperty("data")[0].GetProperty("field").GetString());
        Assert.Equal("active", (await GetOkAsync(client, TailspinPlan)).GetProperty("status").GetString());

        using var unknownStatus = await SendAsync(client, HttpMethod.Patch, TailspinPlan, SdkSubscriptionBody(plan, "x", status: "paused"));
        await HttpAssert.ErrorBodyAsync(unknownStatus, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        using var tooLong = await SendAsync(client, HttpMethod.Patch, TailspinPlan, SdkSubscriptionBody(plan, new string('n', 101)));
        Assert.Equal("friendlyName", (await HttpAssert.ErrorBodyAsync(tooLong, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty))
            .GetProperty("data")[0].GetProperty("field").GetString());
        using var unknown = await SendAsync(client, HttpMethod.Patch, $"/v1/customers/{Tailspin}/subscriptions/{Guid.NewGuid()}", SdkSubscriptionBody(plan, "x"));
        await HttpAssert.ErrorBodyAsync(unknown, HttpStatusCode.NotFound, ErrorCodes.SubscriptionNotFound);
        using var foreign = await SendAsync(client, HttpMethod.Patch, LitwarePlan, SdkSubscriptionBody(plan, "x"));
        await HttpAssert.ErrorBodyAsync(foreign, HttpStatusCode.NotFound, ErrorCodes.NotFound);

        // Subscription management is the Admin agent's (reference §2.3); a Sales agent reads but does not change.
        using var sales = server.CreateJsonClient(FabrikamSales);
        using var salesPatch = await SendAsync(sales, HttpMethod.Patch, TailspinPlan, SdkSubscriptionBody(plan, "x"));
        await HttpAssert.ErrorBodyAsync(salesPatch, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        // Adatum resells Litware's plan; Contoso, which bills it, manages it.
        using var reseller = server.CreateJsonClient(AdatumAdmin);
        var litware = await GetOkAsync(reseller, LitwarePlan);
        using var resellerPatch = await SendAsync(reseller, HttpMethod.Patch, LitwarePlan, SdkSubscriptionBody(litware, "x"));
        await HttpAssert.ErrorBodyAsync(resellerPatch, HttpStatusCode.Forbidden, ErrorCodes.PartnerTypeNotAllowed);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Patch_ConcurrentRenamesOnOneETag_OneWinsTheOthersAre412(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        using var read = await SendAsync(client, HttpMethod.Get, TailspinPlan);
        var plan = await HttpAssert.JsonAsync(read, HttpStatusCode.OK);
        var etag = read.Headers.ETag!.Tag;

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => SendAsync(client, HttpMethod.Patch, TailspinPlan, SdkSubscriptionBody(plan, $"Name {i}"), etag)));
        try
        {
            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed));
        }
        finally
        {
            foreach (var response in responses)
            {
                response.Dispose();
            }
        }

        await using var db = server.CreateDbContext();
        Assert.Equal(1, await db.AuditRecords.CountAsync(r => r.OperationType == "update_subscription", TestContext.Current.CancellationToken));
    }
}
