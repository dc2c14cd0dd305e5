using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Agreements;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// DOMAIN.md §3 over HTTP with Partner Center's JSON, on both engines: customer → MCA → cart →
/// checkout → subscriptions → Azure entitlements, and every rule on the way (PROMISES M2, M3).
/// </summary>
public sealed class CommerceApiTests
{
    private static readonly DemoUser FabrikamSales = TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.SalesAgent)!;

    internal static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    internal static string CustomerBody(string company, string domain, string country = "GB", string postalCode = "EC1A 1BB", string? extra = null) => $$"""
        {"companyProfile":{"domain":"{{domain}}"},
         "billingProfile":{"email":"it@contoso.example","culture":"en-GB","language":"en","companyName":"{{company}}",
           "defaultAddress":{"country":"{{country}}","city":"London","addressLine1":"1 High Street","postalCode":"{{postalCode}}","firstName":"Ada","lastName":"Lovelace"} }
         {{extra}}}
        """;

    internal static string McaBody(string firstName = "Ada", string email = "ada@contoso.example", string? dateAgreed = null) => $$"""
        {"primaryContact":{"firstName":"{{firstName}}","lastName":"Lovelace","email":"{{email}}","phoneNumber":"+44 20 7946 0000"},
         "templateId":"{{AgreementTypes.McaTemplateId}}","dateAgreed":"{{dateAgreed ?? DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd")}}","type":"MicrosoftCustomerAgreement"}
        """;

    internal static string CartBody(string catalogItemId = CatalogSeed.AzurePlanCatalogItemId, string billingCycle = "one_time", string? extra = null) => $$"""
        {"lineItems":[{"id":0,"catalogItemId":"{{catalogItemId}}","quantity":1,"billingCycle":"{{billingCycle}}"{{extra}}}]}
        """;

    internal static async Task<string> CreateCustomerAsync(HttpClient client, string company, string domain)
    {
        using var response = await client.PostAsync("/v1/customers", Json(CustomerBody(company, domain)), TestContext.Current.CancellationToken);
        return (await HttpAssert.JsonAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    internal static async Task ConfirmMcaAsync(HttpClient client, string customerId)
    {
        using var response = await client.PostAsync($"/v1/customers/{customerId}/agreements", Json(McaBody()), TestContext.Current.CancellationToken);
        await HttpAssert.JsonAsync(response, HttpStatusCode.Created);
    }

    internal static async Task<string> CreateCartAsync(HttpClient client, string customerId, string? body = null)
    {
        using var response = await client.PostAsync($"/v1/customers/{customerId}/carts", Json(body ?? CartBody()), TestContext.Current.CancellationToken);
        return (await HttpAssert.JsonAsync(response, HttpStatusCode.Created)).GetProperty("id").GetString()!;
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AzurePlanPurchase_FromNewCustomerToAzureEntitlement_WorksEndToEnd(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;

        using var created = await client.PostAsync("/v1/customers", Json(CustomerBody("Northwind Traders", "northwindtraders")), ct);
        var customer = await HttpAssert.JsonAsync(created, HttpStatusCode.Created);
        var customerId = customer.GetProperty("id").GetString()!;
        Assert.Equal("northwindtraders.onmicrosoft.com", customer.GetProperty("companyProfile").GetProperty("domain").GetString());
        Assert.Equal("GB", customer.GetProperty("billingProfile").GetProperty("defaultAddress").GetProperty("country").GetString());
        Assert.Equal("Customer", customer.GetProperty("attributes").GetProperty("objectType").GetString());
        Assert.Equal($"/v1/customers/{customerId}", created.Headers.Location?.OriginalString);

        using var metadata = await client.GetAsync("/v1/agreements?agreementType=MicrosoftCustomerAgreement", ct);
        var templateId = (await HttpAssert.JsonAsync(metadata, HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("templateId").GetString();
        Assert.Equal(AgreementTypes.McaTemplateId, templateId);
        using var agreement = await client.PostAsync($"/v1/customers/{customerId}/agreements", Json(McaBody()), ct);
        var attested = await HttpAssert.JsonAsync(agreement, HttpStatusCode.Created);
        Assert.Equal(FabrikamSales.Id.ToString(), attested.GetProperty("userId").GetString());

        using var cart = await client.PostAsync($"/v1/customers/{customerId}/carts", Json(CartBody()), ct);
        var cartBody = await HttpAssert.JsonAsync(cart, HttpStatusCode.Created);
        Assert.Equal("Active", cartBody.GetProperty("status").GetString());
        Assert.Equal("GBP", cartBody.GetProperty("lineItems")[0].GetProperty("currencyCode").GetString());
        var cartId = cartBody.GetProperty("id").GetString();

        using var checkout = await client.PostAsync($"/v1/customers/{customerId}/carts/{cartId}/checkout", null, ct);
        var result = await HttpAssert.JsonAsync(checkout, HttpStatusCode.Created);
        var order = result.GetProperty("orders")[0];
        Assert.Equal(0, result.GetProperty("orderErrors").GetArrayLength());
        Assert.Equal("completed", order.GetProperty("status").GetString());
        var planId = order.GetProperty("lineItems")[0].GetProperty("subscriptionId").GetString();

        using var subscriptions = await client.GetAsync($"/v1/customers/{customerId}/subscriptions", ct);
        var plan = (await HttpAssert.JsonAsync(subscriptions, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Single();
        Assert.Equal(planId, plan.GetProperty("id").GetString());
        Assert.Equal(CatalogSeed.AzurePlanCatalogItemId, plan.GetProperty("offerId").GetString());
        Assert.Equal("Usage-based", plan.GetProperty("unitType").GetString());
        Assert.Equal("one_time", plan.GetProperty("billingCycle").GetString());
        Assert.Equal("active", plan.GetProperty("status").GetString());
        Assert.Equal(1, plan.GetProperty("quantity").GetInt32());

        using var entitlements = await client.GetAsync($"/v1/customers/{customerId}/subscriptions/{planId}/azureEntitlements", ct);
        var list = await HttpAssert.JsonAsync(entitlements, HttpStatusCode.OK);
        var azure = list.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(1, list.GetProperty("totalCount").GetInt32());
        Assert.Equal("Microsoft Azure", azure.GetProperty("friendlyName").GetString());
        Assert.Equal("active", azure.GetProperty("status").GetString());
        Assert.Equal(planId, azure.GetProperty("subscriptionId").GetString());

        // Reference §2.5: the partner's AdminAgents are Owner of the new Azure subscription (AOBO).
        await using var db = server.CreateDbContext();
        var azureId = Guid.Parse(azure.GetProperty("id").GetString()!);
        var owner = await db.RoleAssignments.SingleAsync(r => r.EntitlementId == azureId, ct);
        Assert.Equal("Owner", owner.RoleName);
        Assert.Equal("ForeignGroup", owner.PrincipalType);
        Assert.Equal(Paygo.Core.Access.AzureRoles.AdminAgentsGroupOf(DemoInstance.DirectBillPartnerId), owner.PrincipalId);
        Assert.Null(owner.ValidTo);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Checkout_WithoutMca_Is403With13605AndCreatesNothing(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var customerId = await CreateCustomerAsync(client, "Adventure Works", "adventureworksgb");
        var ct = TestContext.Current.CancellationToken;

        foreach (var item in new[] { CatalogSeed.AzurePlanCatalogItemId, CatalogSeed.LegacyAzureCatalogItemId })
        {
            var cartId = await CreateCartAsync(client, customerId, CartBody(item, item == CatalogSeed.AzurePlanCatalogItemId ? "one_time" : "monthly"));
            using var checkout = await client.PostAsync($"/v1/customers/{customerId}/carts/{cartId}/checkout", null, ct);
            await HttpAssert.ErrorBodyAsync(checkout, HttpStatusCode.Forbidden, AgreementRecords.McaRequiredForPurchase);
        }

        var license = await CreateCartAsync(client, customerId, """{"lineItems":[{"catalogItemId":"CFQ7TTC0LH18:0001:DZH318Z0BQ3Q","quantity":5,"billingCycle":"monthly","termDuration":"P1M"}]}""");
        using var licenseCheckout = await client.PostAsync($"/v1/customers/{customerId}/carts/{license}/checkout", null, ct);
        await HttpAssert.ErrorBodyAsync(licenseCheckout, HttpStatusCode.Forbidden, AgreementRecords.McaRequiredForPurchase);

        await using var db = server.CreateDbContext();
        Assert.False(await db.CommerceSubscriptions.AnyAsync(s => s.CustomerId == Guid.Parse(customerId), ct));
        Assert.False(await db.Orders.AnyAsync(o => o.CustomerId == Guid.Parse(customerId), ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Checkout_FiftyConcurrentPurchasesOfThePlan_YieldExactlyOnePlan(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var customerId = await CreateCustomerAsync(client, "Proseware Inc", "prosewaregb");
        await ConfirmMcaAsync(client, customerId);
        var carts = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            carts.Add(await CreateCartAsync(client, customerId));
        }

        var responses = await Task.WhenAll(carts.Select(async cart =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/customers/{customerId}/carts/{cart}/checkout");
            request.Headers.Add("MS-RequestId", Guid.NewGuid().ToString());
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r =>
        {
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            Assert.Equal(ErrorCodes.AzurePlanAlreadyExists, JsonDocument.Parse(r.Body).RootElement.GetProperty("code").GetInt32());
        });
        await using var db = server.CreateDbContext();
        var customer = Guid.Parse(customerId);
        Assert.Equal(1, await db.CommerceSubscriptions.CountAsync(s => s.CustomerId == customer && s.Kind == SkuKind.AzurePlan, TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.AzureEntitlements.CountAsync(e => e.CustomerId == customer, TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.Orders.CountAsync(o => o.CustomerId == customer, TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Checkout_RetriedWithTheSameRequestId_ReplaysTheFirstAnswer(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var customerId = await CreateCustomerAsync(client, "Fourth Coffee", "fourthcoffeegb");
        await ConfirmMcaAsync(client, customerId);
        var cartId = await CreateCartAsync(client, customerId);
        var requestId = Guid.NewGuid().ToString();

        var bodies = new List<string>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/customers/{customerId}/carts/{cartId}/checkout");
            request.Headers.Add("MS-RequestId", requestId);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            bodies.Add(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        Assert.Single(bodies.Distinct());
        using var again = await client.PostAsync($"/v1/customers/{customerId}/carts/{cartId}/checkout", null, TestContext.Current.CancellationToken);
        await HttpAssert.ErrorBodyAsync(again, HttpStatusCode.Conflict, ErrorCodes.CartAlreadyOrdered);
        await using var db = server.CreateDbContext();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.CustomerId == Guid.Parse(customerId), TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CreateCustomer_TwentyConcurrentIdenticalRequests_CreateOneCustomer(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var requestId = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/customers") { Content = Json(CustomerBody("Lucerne Publishing", "lucernepublishing")) };
            request.Headers.Add("MS-RequestId", requestId);
            using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Body).Distinct());
        await using var db = server.CreateDbContext();
        Assert.Equal(1, await db.Customers.CountAsync(c => c.Domain == "lucernepublishing.onmicrosoft.com", TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CreateCustomer_BadFields_Is400NamingEachFieldAndStoresNothing(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);

        using var response = await client.PostAsync("/v1/customers", Json("""
            {"companyProfile":{"domain":"bad domain!"},
             "billingProfile":{"email":"not-an-email","culture":"xx","language":"english","companyName":"",
               "defaultAddress":{"country":"USA","city":"","addressLine1":"","postalCode":"123"}}}
            """), TestContext.Current.CancellationToken);

        var body = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        var fields = body.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToHashSet();
        foreach (var field in new[]
        {
            "companyProfile.domain", "billingProfile.email", "billingProfile.culture", "billingProfile.language", "billingProfile.companyName",
            "billingProfile.defaultAddress.country", "billingProfile.defaultAddress.city", "billingProfile.defaultAddress.addressLine1",
            "billingProfile.defaultAddress.firstName", "billingProfile.defaultAddress.lastName",
        })
        {
            Assert.Contains(field, fields);
        }

        await using var db = server.CreateDbContext();
        Assert.Equal(DemoCommerce.Customers.Count, await db.Customers.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CreateCustomer_MarketRulesAndDuplicates_AreRefusedWithTheirField(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;

        using var postal = await client.PostAsync("/v1/customers", Json(CustomerBody("Contoso US", "contosous", "US", "1234")), ct);
        var postalError = await HttpAssert.ErrorBodyAsync(postal, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Contains(postalError.GetProperty("data").EnumerateArray(), e => e.GetProperty("field").GetString() == "billingProfile.defaultAddress.postalCode");
        Assert.Contains(postalError.GetProperty("data").EnumerateArray(), e => e.GetProperty("field").GetString() == "billingProfile.defaultAddress.state");

        using var china = await client.PostAsync("/v1/customers", Json(CustomerBody("Contoso CN", "contosocn", "CN", "100000")), ct);
        var chinaError = await HttpAssert.ErrorBodyAsync(china, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("billingProfile.defaultAddress.country", chinaError.GetProperty("data")[0].GetProperty("field").GetString());
        Assert.Contains("not sold in CN", chinaError.GetProperty("description").GetString(), StringComparison.Ordinal);

        using var duplicate = await client.PostAsync("/v1/customers", Json(CustomerBody("Tailspin again", "tailspintoysuk.onmicrosoft.com")), ct);
        var duplicateError = await HttpAssert.ErrorBodyAsync(duplicate, HttpStatusCode.Conflict, ErrorCodes.AlreadyExists);
        Assert.Equal("companyProfile.domain", duplicateError.GetProperty("data")[0].GetProperty("field").GetString());

        using var reseller = await client.PostAsync("/v1/customers", Json(CustomerBody("Direct with reseller", "directreseller", extra: ""","associatedPartnerId":"6048879" """)), ct);
        var resellerError = await HttpAssert.ErrorBodyAsync(reseller, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("associatedPartnerId", resellerError.GetProperty("data")[0].GetProperty("field").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task IndirectProvider_NamesTheReseller_AndOnlyThoseTwoPartnersSeeTheCustomer(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        using var provider = server.CreateJsonClient(TestUsers.ByEmail("sales@contoso-distribution.example"));

        using var missing = await provider.PostAsync("/v1/customers", Json(CustomerBody("Relecloud GmbH", "relecloudde", "DE", "10115")), ct);
        var missingError = await HttpAssert.ErrorBodyAsync(missing, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("associatedPartnerId", missingError.GetProperty("data")[0].GetProperty("field").GetString());

        using var created = await provider.PostAsync("/v1/customers",
            Json(CustomerBody("Relecloud GmbH", "relecloudde", "DE", "10115", ""","associatedPartnerId":"6048879" """)), ct);
        var customer = await HttpAssert.JsonAsync(created, HttpStatusCode.Created);
        Assert.Equal(DemoInstance.IndirectResellerPartnerId.ToString(), customer.GetProperty("associatedPartnerId").GetString());

        using var reseller = server.CreateJsonClient(TestUsers.ByEmail("admin@adatum.example"));
        using var direct = server.CreateJsonClient(FabrikamSales);
        var filter = Uri.EscapeDataString("""{"Field":"CompanyName","Value":"relecloud","Operator":"starts_with"}""");
        foreach (var (client, sees) in new[] { (provider, true), (reseller, true), (direct, false) })
        {
            using var list = await client.GetAsync($"/v1/customers?filter={filter}", ct);
            Assert.Equal(sees ? 1 : 0, (await HttpAssert.JsonAsync(list, HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        }

        // The reseller sees its customer but cannot attest or buy for it: its provider does.
        var id = customer.GetProperty("id").GetString();
        using var attest = await reseller.PostAsync($"/v1/customers/{id}/agreements", Json(McaBody()), ct);
        await HttpAssert.ErrorBodyAsync(attest, HttpStatusCode.Forbidden, ErrorCodes.PartnerTypeNotAllowed);
        using var cart = await reseller.PostAsync($"/v1/customers/{id}/carts", Json(CartBody()), ct);
        await HttpAssert.ErrorBodyAsync(cart, HttpStatusCode.Forbidden, ErrorCodes.PartnerTypeNotAllowed);
        using var add = await reseller.PostAsync("/v1/customers", Json(CustomerBody("Reseller's own", "resellersown", "US", "98052", ""","companyProfile":{"domain":"resellersown"}""")), ct);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ConfirmMca_Rules_FutureDateSameContactAndHistory(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var customerId = DemoCommerce.WingtipCustomerId;

        using var future = await client.PostAsync($"/v1/customers/{customerId}/agreements", Json(McaBody(dateAgreed: DateTimeOffset.UtcNow.AddDays(2).ToString("yyyy-MM-dd"))), ct);
        var futureError = await HttpAssert.ErrorBodyAsync(future, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("dateAgreed", futureError.GetProperty("data")[0].GetProperty("field").GetString());

        using var noContact = await client.PostAsync($"/v1/customers/{customerId}/agreements",
            Json($$"""{"templateId":"{{AgreementTypes.McaTemplateId}}","dateAgreed":"2026-01-02","type":"MicrosoftCustomerAgreement","primaryContact":{"firstName":"Ada"} }"""), ct);
        var contactError = await HttpAssert.ErrorBodyAsync(noContact, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        var fields = contactError.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("primaryContact.lastName", fields);
        Assert.Contains("primaryContact.email", fields);

        using var first = await client.PostAsync($"/v1/customers/{customerId}/agreements", Json(McaBody()), ct);
        await HttpAssert.JsonAsync(first, HttpStatusCode.Created);
        using var same = await client.PostAsync($"/v1/customers/{customerId}/agreements", Json(McaBody()), ct);
        var sameError = await HttpAssert.ErrorBodyAsync(same, HttpStatusCode.Conflict, AgreementRecords.PartnerConfirmedAgreementAlreadyExists);
        Assert.Contains("PartnerConfirmedAgreementAlreadyExists", sameError.GetProperty("description").GetString(), StringComparison.Ordinal);
        using var changed = await client.PostAsync($"/v1/customers/{customerId}/agreements", Json(McaBody(firstName: "Grace", email: "grace@contoso.example")), ct);
        await HttpAssert.JsonAsync(changed, HttpStatusCode.Created);

        using var history = await client.GetAsync($"/v1/customers/{customerId}/agreements?agreementType=MicrosoftCustomerAgreement", ct);
        var items = (await HttpAssert.JsonAsync(history, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("Grace", items[0].GetProperty("primaryContact").GetProperty("firstName").GetString());
        Assert.All(items, i => Assert.Equal(FabrikamSales.Email, i.GetProperty("userEmail").GetString()));

        // Reference §2.2: a Global admin without an agent role cannot attest.
        using var admin = server.CreateJsonClient(TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin)!);
        using var byAdmin = await admin.PostAsync($"/v1/customers/{customerId}/agreements", Json(McaBody(firstName: "Alan")), ct);
        await HttpAssert.ErrorBodyAsync(byAdmin, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task LegacyAzureAndPlan_ExcludeEachOther(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;

        // The demo customer Tailspin has a plan: the legacy offer is closed to it.
        var legacyForPlanHolder = await CreateCartAsync(client, DemoCommerce.TailspinCustomerId.ToString(), CartBody(CatalogSeed.LegacyAzureCatalogItemId, "monthly"));
        using var refused = await client.PostAsync($"/v1/customers/{DemoCommerce.TailspinCustomerId}/carts/{legacyForPlanHolder}/checkout", null, ct);
        await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.Conflict, ErrorCodes.PlanBlocksLegacyAzure);

        // A customer on the legacy offer transitions instead of buying the plan.
        var customerId = await CreateCustomerAsync(client, "Alpine Ski House", "alpineskihouse");
        await ConfirmMcaAsync(client, customerId);
        var legacy = await CreateCartAsync(client, customerId, CartBody(CatalogSeed.LegacyAzureCatalogItemId, "monthly"));
        using var legacyBought = await client.PostAsync($"/v1/customers/{customerId}/carts/{legacy}/checkout", null, ct);
        await HttpAssert.JsonAsync(legacyBought, HttpStatusCode.Created);
        var plan = await CreateCartAsync(client, customerId);
        using var planRefused = await client.PostAsync($"/v1/customers/{customerId}/carts/{plan}/checkout", null, ct);
        await HttpAssert.ErrorBodyAsync(planRefused, HttpStatusCode.Conflict, ErrorCodes.LegacyAzureBlocksPlan);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Cart_InvalidLineItems_AreRefusedNamingTheLine(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var customer = DemoCommerce.WingtipCustomerId;

        using var unknown = await client.PostAsync($"/v1/customers/{customer}/carts", Json(CartBody("NOPE:0001:X")), ct);
        await HttpAssert.ErrorBodyAsync(unknown, HttpStatusCode.BadRequest, ErrorCodes.InvalidOffer);

        using var quantity = await client.PostAsync($"/v1/customers/{customer}/carts",
            Json($$"""{"lineItems":[{"catalogItemId":"{{CatalogSeed.AzurePlanCatalogItemId}}","quantity":2,"billingCycle":"monthly","participants":[{"key":"transaction_reseller","value":"6048879"}]}]}"""), ct);
        var errors = await HttpAssert.ErrorBodyAsync(quantity, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        var fields = errors.GetProperty("data").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
        Assert.Contains("lineItems[0].quantity", fields);
        Assert.Contains("lineItems[0].billingCycle", fields);
        Assert.Contains("lineItems[0].participants", fields);
        Assert.Contains("10004", errors.GetProperty("description").GetString(), StringComparison.Ordinal);

        using var empty = await client.PostAsync($"/v1/customers/{customer}/carts", Json("""{"lineItems":[]}"""), ct);
        await HttpAssert.ErrorBodyAsync(empty, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Checkout_PartnerWithAUserWithoutSecondFactor_IsRefusedUntilCompliant(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var cartId = await CreateCartAsync(client, DemoCommerce.TailspinCustomerId.ToString(), CartBody("CFQ7TTC0LH18:0001:DZH318Z0BQ3Q", "monthly", ""","termDuration":"P1M","quantity":3"""));
        var newcomer = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.HelpdeskAgent);
        await using (var db = server.CreateDbContext())
        {
            await db.Users.Where(u => u.Id == newcomer.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecondFactorEnrolledAt, (DateTimeOffset?)null), ct);
        }

        using var refused = await client.PostAsync($"/v1/customers/{DemoCommerce.TailspinCustomerId}/carts/{cartId}/checkout", null, ct);
        await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.Forbidden, ErrorCodes.SecurityRequirementsNotMet);

        await using (var db = server.CreateDbContext())
        {
            await db.Users.Where(u => u.Id == newcomer.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.SecondFactorEnrolledAt, DateTimeOffset.UtcNow), ct);
        }

        using var accepted = await client.PostAsync($"/v1/customers/{DemoCommerce.TailspinCustomerId}/carts/{cartId}/checkout", null, ct);
        var result = await HttpAssert.JsonAsync(accepted, HttpStatusCode.Created);
        Assert.Equal(3, result.GetProperty("orders")[0].GetProperty("lineItems")[0].GetProperty("quantity").GetInt32());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Catalog_ByCountryAndByCustomer_ServesTheAzurePlan(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;

        using var products = await client.GetAsync("/v1/products?country=US&targetView=MicrosoftAzure", ct);
        var ids = (await HttpAssert.JsonAsync(products, HttpStatusCode.OK)).GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        Assert.Contains(CatalogSeed.AzurePlanProductId, ids);
        Assert.DoesNotContain("CFQ7TTC0LH18", ids);

        using var skus = await client.GetAsync($"/v1/products/{CatalogSeed.AzurePlanProductId}/skus?country=US", ct);
        var sku = (await HttpAssert.JsonAsync(skus, HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal(1, sku.GetProperty("maximumQuantity").GetInt32());
        Assert.Equal("one_time", sku.GetProperty("supportedBillingCycles")[0].GetString());
        Assert.Equal("MicrosoftCustomerAgreement", sku.GetProperty("purchasePrerequisites")[0].GetString());

        using var availabilities = await client.GetAsync($"/v1/customers/{DemoCommerce.TailspinCustomerId}/products/{CatalogSeed.AzurePlanProductId}/skus/0001/availabilities", ct);
        var availability = (await HttpAssert.JsonAsync(availabilities, HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal(CatalogSeed.AzurePlanCatalogItemId, availability.GetProperty("catalogItemId").GetString());
        Assert.Equal("GB", availability.GetProperty("country").GetString());

        using var china = await client.GetAsync($"/v1/products?country=CN&targetView=MicrosoftAzure", ct);
        Assert.Equal(0, (await HttpAssert.JsonAsync(china, HttpStatusCode.OK)).GetProperty("items").GetArrayLength());
        using var noCountry = await client.GetAsync("/v1/products", ct);
        await HttpAssert.ErrorBodyAsync(noCountry, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Catalog_OperatorNarrowsTheAzurePlansMarkets_AndNewCustomersThereAreRefused(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var operatorClient = server.CreateJsonClient(TestUsers.OperatorAdmin);
        var ct = TestContext.Current.CancellationToken;
        using var update = await operatorClient.PutAsync(
            $"/v1/products/{CatalogSeed.AzurePlanProductId}/skus/{CatalogSeed.AzurePlanSkuId}/availabilities/{CatalogSeed.AzurePlanAvailabilityId}",
            Json("""{"countries":["GB","DE","US"]}"""), ct);
        await HttpAssert.JsonAsync(update, HttpStatusCode.OK);

        using var client = server.CreateJsonClient(FabrikamSales);
        using var france = await client.PostAsync("/v1/customers", Json(CustomerBody("Contoso France", "contosofr", "FR", "75001")), ct);
        var error = await HttpAssert.ErrorBodyAsync(france, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Contains("not sold in FR", error.GetProperty("description").GetString(), StringComparison.Ordinal);

        using var bad = await operatorClient.PutAsync(
            $"/v1/products/{CatalogSeed.AzurePlanProductId}/skus/{CatalogSeed.AzurePlanSkuId}/availabilities/{CatalogSeed.AzurePlanAvailabilityId}",
            Json("""{"countries":["GB","XX"]}"""), ct);
        var badError = await HttpAssert.ErrorBodyAsync(bad, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Equal("countries[1]", badError.GetProperty("data")[0].GetProperty("field").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ReferenceShapes_SdkStyleCustomerAndTheIndirectCartExample_AreAccepted(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var provider = server.CreateJsonClient(TestUsers.ByEmail("sales@contoso-distribution.example"));
        var ct = TestContext.Current.CancellationToken;

        // Reference §1.2's minimum create body as the .NET SDK sends it: PascalCase, attributes objects.
        using var created = await provider.PostAsync("/v1/customers", Json("""
            {"CompanyProfile":{"Domain":"fabrikamwerke","Attributes":{"ObjectType":"CustomerCompanyProfile"}},
             "BillingProfile":{"Email":"einkauf@fabrikamwerke.example","Culture":"de-DE","Language":"de","CompanyName":"Fabrikam Werke AG",
               "DefaultAddress":{"Country":"DE","City":"Berlin","AddressLine1":"Unter den Linden 1","PostalCode":"10117","FirstName":"Lena","LastName":"Schmidt"},
               "Attributes":{"ObjectType":"CustomerBillingProfile"}},
             "AssociatedPartnerId":"4f1b2a10-8c3d-4e5f-9a01-000000000103",
             "Attributes":{"ObjectType":"Customer"}}
            """), ct);
        var customer = await HttpAssert.JsonAsync(created, HttpStatusCode.Created);
        var customerId = customer.GetProperty("id").GetString();
        Assert.Equal("de-DE", customer.GetProperty("billingProfile").GetProperty("culture").GetString());
        Assert.Equal("CustomerBillingProfile", customer.GetProperty("billingProfile").GetProperty("attributes").GetProperty("objectType").GetString());

        using var mca = await provider.PostAsync($"/v1/customers/{customerId}/agreements", Json(McaBody()), ct);
        await HttpAssert.JsonAsync(mca, HttpStatusCode.Created);

        // Reference §8.6: the Azure plan cart of an indirect provider, naming the reseller as participant.
        using var cart = await provider.PostAsync($"/v1/customers/{customerId}/carts", Json($$"""
            { "lineItems": [ { "id": 0, "catalogItemId": "{{CatalogSeed.AzurePlanCatalogItemId}}",
                               "quantity": 1, "billingCycle": "one_time",
                               "participants": [ {"key":"transaction_reseller","value":"{{DemoInstance.IndirectResellerPartnerId}}"} ] } ] }
            """), ct);
        var cartBody = await HttpAssert.JsonAsync(cart, HttpStatusCode.Created);
        Assert.Equal("EUR", cartBody.GetProperty("lineItems")[0].GetProperty("currencyCode").GetString());
        using var checkout = await provider.PostAsync($"/v1/customers/{customerId}/carts/{cartBody.GetProperty("id").GetString()}/checkout", null, ct);
        var order = (await HttpAssert.JsonAsync(checkout, HttpStatusCode.Created)).GetProperty("orders")[0];
        Assert.Equal(DemoInstance.IndirectResellerPartnerId.ToString(), order.GetProperty("lineItems")[0].GetProperty("partnerIdOnRecord").GetString());

        using var subscriptions = await provider.GetAsync($"/v1/customers/{customerId}/subscriptions?order_id={order.GetProperty("id").GetString()}", ct);
        var page = await HttpAssert.JsonAsync(subscriptions, HttpStatusCode.OK);
        Assert.Equal("Collection", page.GetProperty("attributes").GetProperty("objectType").GetString());
        var plan = page.GetProperty("items")[0];
        Assert.Equal(DemoInstance.IndirectResellerPartnerId.ToString(), plan.GetProperty("partnerId").GetString());
        Assert.Equal("Subscription", plan.GetProperty("attributes").GetProperty("objectType").GetString());

        using var status = await provider.GetAsync($"/v1/customers/{customerId}/orders/{order.GetProperty("id").GetString()}/provisioningstatus", ct);
        Assert.Equal("fulfilled", (await HttpAssert.JsonAsync(status, HttpStatusCode.OK)).GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ListCustomers_SearchOverSeveralPages_KeepsTheFilterInTheNextLink(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        foreach (var name in new[] { "Paging One", "Paging Three", "Paging Two" })
        {
            await CreateCustomerAsync(client, name, name.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant());
        }

        var filter = Uri.EscapeDataString("""{"Field":"CompanyName","Value":"paging","Operator":"starts_with"}""");
        using var first = await client.GetAsync($"/v1/customers?size=2&filter={filter}", ct);
        var page = await HttpAssert.JsonAsync(first, HttpStatusCode.OK);
        Assert.Equal(["Paging One", "Paging Three"], page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("billingProfile").GetProperty("companyName").GetString()));
        var rest = (await HttpAssert.NextPageAsync(client, page)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal("Paging Two", Assert.Single(rest).GetProperty("billingProfile").GetProperty("companyName").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Catalog_OperatorEditsALicenseSku_AndCartsFollowTheNewRules(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var operatorClient = server.CreateJsonClient(TestUsers.OperatorAdmin);
        using var partner = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var customer = DemoCommerce.TailspinCustomerId;
        const string cart = """{"lineItems":[{"catalogItemId":"CFQ7TTC0LH18:0001:DZH318Z0BQ3Q","quantity":500,"billingCycle":"monthly","termDuration":"P1M"}]}""";

        using var tooMany = await partner.PostAsync($"/v1/customers/{customer}/carts", Json(cart), ct);
        await HttpAssert.ErrorBodyAsync(tooMany, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);

        using var edited = await operatorClient.PutAsync("/v1/products/CFQ7TTC0LH18/skus/0001",
            Json("""{"title":"Microsoft 365 Business Basic (EDU)","maximumQuantity":1000,"supportedBillingCycles":["monthly"]}"""), ct);
        var sku = await HttpAssert.JsonAsync(edited, HttpStatusCode.OK);
        Assert.Equal(1000, sku.GetProperty("maximumQuantity").GetInt32());
        using var accepted = await partner.PostAsync($"/v1/customers/{customer}/carts", Json(cart), ct);
        await HttpAssert.JsonAsync(accepted, HttpStatusCode.Created);

        using var renamed = await operatorClient.PutAsync("/v1/products/CFQ7TTC0LH18", Json("""{"description":"Per user, per month."}"""), ct);
        Assert.Equal("Per user, per month.", (await HttpAssert.JsonAsync(renamed, HttpStatusCode.OK)).GetProperty("description").GetString());

        using var planQuantity = await operatorClient.PutAsync($"/v1/products/{CatalogSeed.AzurePlanProductId}/skus/{CatalogSeed.AzurePlanSkuId}", Json("""{"maximumQuantity":2}"""), ct);
        await HttpAssert.ErrorBodyAsync(planQuantity, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        using var badCycle = await operatorClient.PutAsync("/v1/products/CFQ7TTC0LH18/skus/0001", Json("""{"supportedBillingCycles":["weekly"]}"""), ct);
        var cycleError = await HttpAssert.ErrorBodyAsync(badCycle, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
        Assert.Contains(cycleError.GetProperty("data").EnumerateArray(), e => e.GetProperty("field").GetString() == "supportedBillingCycles[0]");
        using var byPartner = await partner.PutAsync("/v1/products/CFQ7TTC0LH18", Json("""{"title":"x"}"""), ct);
        await HttpAssert.ErrorBodyAsync(byPartner, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Checkout_FiftyParallelIdenticalRequests_CreateOneOrder_AndTheIdForAnotherCartIsRefused(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;
        var customerId = await CreateCustomerAsync(client, "Graphic Design Institute", "graphicdesigninstitute");
        await ConfirmMcaAsync(client, customerId);
        var cartId = await CreateCartAsync(client, customerId);
        var requestId = Guid.NewGuid().ToString();

        // PROMISES M2: 50 parallel identical checkouts (same MS-RequestId) create one order and all get its answer.
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/customers/{customerId}/carts/{cartId}/checkout");
            request.Headers.Add("MS-RequestId", requestId);
            using var response = await client.SendAsync(request, ct);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(ct));
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Body).Distinct());
        await using (var db = server.CreateDbContext())
        {
            Assert.Equal(1, await db.Orders.CountAsync(o => o.CustomerId == Guid.Parse(customerId), ct));
        }

        var otherCart = await CreateCartAsync(client, DemoCommerce.WingtipCustomerId.ToString(), CartBody("CFQ7TTC0LH18:0001:DZH318Z0BQ3Q", "monthly", ""","termDuration":"P1M" """));
        using var reused = new HttpRequestMessage(HttpMethod.Post, $"/v1/customers/{DemoCommerce.WingtipCustomerId}/carts/{otherCart}/checkout");
        reused.Headers.Add("MS-RequestId", requestId);
        using var refused = await client.SendAsync(reused, ct);
        await HttpAssert.ErrorBodyAsync(refused, HttpStatusCode.Conflict, ErrorCodes.RequestIdReused);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ConfirmMca_TenConcurrentAttestationsOfTheSameContact_RecordOne(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamSales);
        var ct = TestContext.Current.CancellationToken;

        var statuses = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            using var response = await client.PostAsync($"/v1/customers/{DemoCommerce.WingtipCustomerId}/agreements", Json(McaBody()), ct);
            return response.StatusCode;
        }));

        Assert.Single(statuses, s => s == HttpStatusCode.Created);
        Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
        await using var db = server.CreateDbContext();
        Assert.Equal(1, await db.CustomerAgreements.CountAsync(a => a.CustomerId == DemoCommerce.WingtipCustomerId, ct));
    }
}
