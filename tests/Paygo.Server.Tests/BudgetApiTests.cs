using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Budgets;
using Paygo.Core.Common;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// <c>GET/PATCH /v1/customers/{c}/usagebudget</c> (reference §7.5, docs/adr/0034) on both engines:
/// the SpendingBudget shape in both cases of the body, the amount's validation naming <c>amount</c>,
/// who may set it, and its audit record.
/// </summary>
public sealed class BudgetApiTests
{
    private static readonly DemoUser FabrikamAdminAgent = DemoUsers.All.First(u => u.PartnerId == DemoInstance.DirectBillPartnerId && u.Roles.SequenceEqual([PartnerRole.AdminAgent]));
    private static readonly DemoUser FabrikamGlobalAdmin = DemoUsers.All.First(u => u.PartnerId == DemoInstance.DirectBillPartnerId && u.Roles.SequenceEqual([PartnerRole.GlobalAdmin]));
    private static readonly DemoUser FabrikamBillingAdmin = DemoUsers.All.First(u => u.PartnerId == DemoInstance.DirectBillPartnerId && u.Roles.SequenceEqual([PartnerRole.BillingAdmin]));
    private static readonly DemoUser FabrikamSalesAgent = DemoUsers.All.First(u => u.PartnerId == DemoInstance.DirectBillPartnerId && u.Roles.SequenceEqual([PartnerRole.SalesAgent]));
    private static readonly DemoUser ContosoAdmin = DemoUsers.All.First(u => u.Email == "admin@contoso-distribution.example");
    private static readonly DemoUser AdatumAdmin = DemoUsers.All.First(u => u.Email == "admin@adatum.example");

    private static string Path(Guid customer) => $"/v1/customers/{customer}/usagebudget";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> PatchAsync(HttpClient client, Guid customer, string body) =>
        await client.PatchAsync(Path(customer), Json(body), TestContext.Current.CancellationToken);

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task NoBudget_AnswersAmountNull_ThenPascalCasePatch_SetsIt_AndGetReadsItBack(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);

        using (var none = await client.GetAsync(Path(DemoCommerce.TailspinCustomerId), TestContext.Current.CancellationToken))
        {
            var body = await HttpAssert.JsonAsync(none, HttpStatusCode.OK);
            Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("amount").ValueKind);
            Assert.Equal("SpendingBudget", body.GetProperty("attributes").GetProperty("objectType").GetString());
        }

        using (var set = await PatchAsync(client, DemoCommerce.TailspinCustomerId, """{"Amount":100,"Attributes":{"ObjectType":"SpendingBudget"}}"""))
        {
            var body = await HttpAssert.JsonAsync(set, HttpStatusCode.OK);
            Assert.Equal(100m, body.GetProperty("amount").GetDecimal());
            Assert.Equal("SpendingBudget", body.GetProperty("attributes").GetProperty("objectType").GetString());
        }

        using (var camel = await PatchAsync(client, DemoCommerce.TailspinCustomerId, """{"amount":250.5,"attributes":{"objectType":"SpendingBudget"}}"""))
        {
            Assert.Equal(250.5m, (await HttpAssert.JsonAsync(camel, HttpStatusCode.OK)).GetProperty("amount").GetDecimal());
        }

        // Billing admins read it; the stored amount is exact and in the partner's billing currency.
        using var reader = server.CreateJsonClient(FabrikamBillingAdmin);
        using var read = await reader.GetAsync(Path(DemoCommerce.TailspinCustomerId), TestContext.Current.CancellationToken);
        Assert.Equal(250.5m, (await HttpAssert.JsonAsync(read, HttpStatusCode.OK)).GetProperty("amount").GetDecimal());
        await using var db = server.CreateDbContext();
        var stored = await db.CustomerBudgets.SingleAsync(b => b.CustomerId == DemoCommerce.TailspinCustomerId, TestContext.Current.CancellationToken);
        var currency = await db.Partners.Where(p => p.Id == DemoInstance.DirectBillPartnerId).Select(p => p.BillingCurrency).SingleAsync(TestContext.Current.CancellationToken);
        Assert.Equal(250.50m, stored.Amount);
        Assert.Equal(currency, stored.Currency);
        Assert.Equal(FabrikamAdminAgent.Email, stored.UpdatedBy);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task BadAmounts_Are400NamingAmount_AndChangeNothing(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamGlobalAdmin);
        foreach (var body in new[] { "{}", """{"Amount":null}""", """{"Amount":-1}""", """{"Amount":"abc"}""", """{"Amount":true}""", """{"Amount":1.005}""", """{"Amount":1e30}""" })
        {
            using var response = await PatchAsync(client, DemoCommerce.TailspinCustomerId, body);
            var error = await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
            Assert.Equal("amount", error.GetProperty("data")[0].GetProperty("field").GetString());
        }

        using (var objectType = await PatchAsync(client, DemoCommerce.TailspinCustomerId, """{"Amount":5,"Attributes":{"ObjectType":"Customer"}}"""))
        {
            var error = await HttpAssert.ErrorBodyAsync(objectType, HttpStatusCode.BadRequest, ErrorCodes.InvalidProperty);
            Assert.Equal("attributes.objectType", error.GetProperty("data")[0].GetProperty("field").GetString());
        }

        await using var db = server.CreateDbContext();
        Assert.False(await db.CustomerBudgets.AnyAsync(TestContext.Current.CancellationToken));

        // Zero is a budget (no notifications), not an error.
        using var zero = await PatchAsync(client, DemoCommerce.TailspinCustomerId, """{"Amount":0}""");
        Assert.Equal(0m, (await HttpAssert.JsonAsync(zero, HttpStatusCode.OK)).GetProperty("amount").GetDecimal());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task OnlyTheBillingPartnersAdminAgentOrGlobalAdmin_SetsIt(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        const string Body = """{"Amount":100}""";

        using (var sales = server.CreateJsonClient(FabrikamSalesAgent))
        using (var response = await PatchAsync(sales, DemoCommerce.TailspinCustomerId, Body))
        {
            await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        }

        using (var billing = server.CreateJsonClient(FabrikamBillingAdmin))
        using (var response = await PatchAsync(billing, DemoCommerce.TailspinCustomerId, Body))
        {
            await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        }

        // The reseller of record sees Litware and reads its budget, but the indirect provider bills it and sets it.
        using (var adatum = server.CreateJsonClient(AdatumAdmin))
        {
            using var response = await PatchAsync(adatum, DemoCommerce.LitwareCustomerId, Body);
            await HttpAssert.ErrorBodyAsync(response, HttpStatusCode.Forbidden, ErrorCodes.PartnerTypeNotAllowed);
            using var read = await adatum.GetAsync(Path(DemoCommerce.LitwareCustomerId), TestContext.Current.CancellationToken);
            await HttpAssert.JsonAsync(read, HttpStatusCode.OK);
        }

        using (var contoso = server.CreateJsonClient(ContosoAdmin))
        {
            using var response = await PatchAsync(contoso, DemoCommerce.LitwareCustomerId, Body);
            await HttpAssert.JsonAsync(response, HttpStatusCode.OK);

            // Another partner's customer is not found, as one that does not exist.
            using var foreign = await PatchAsync(contoso, DemoCommerce.TailspinCustomerId, Body);
            await HttpAssert.ErrorBodyAsync(foreign, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ASet_IsAudited_OnceForAChange_AndNotForTheSameAmountAgain(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(FabrikamAdminAgent);
        foreach (var amount in new[] { "100", "100", "120" })
        {
            using var response = await PatchAsync(client, DemoCommerce.TailspinCustomerId, $$"""{"Amount":{{amount}}}""");
            await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        }

        await using var db = server.CreateDbContext();
        var records = await db.AuditRecords.Where(r => r.OperationType == BudgetBook.AuditOperation).OrderBy(r => r.Sequence).ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2, records.Count);
        Assert.All(records, r => Assert.Equal(DemoCommerce.TailspinCustomerId, r.CustomerId));
        Assert.Contains("\"previousAmount\":100", records[1].ResourceNewValue, StringComparison.Ordinal);
        Assert.Equal(FabrikamAdminAgent.Email, records[1].UserPrincipalName);
    }

    /// <summary>The customer page's budget form sets the budget as the PATCH does, and a bad amount is named.</summary>
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CustomerPage_SetsTheBudget_AndNamesABadAmount(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var browser = new DashboardClient(server);
        await browser.SignInAsync(FabrikamGlobalAdmin);
        var url = $"/customers/{DemoCommerce.TailspinCustomerId}";
        var page = await browser.GetAsync(url);
        Assert.Contains("data-testid=\"budget-form\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("data-amount=\"\"", page.Html, StringComparison.Ordinal);

        var (saved, _) = await browser.PostFormAsync(url, new()
        {
            ["_handler"] = "set-budget",
            ["__RequestVerificationToken"] = DashboardClient.AntiforgeryToken(page.Html),
            ["BudgetAmount"] = "250.5",
        });
        Assert.Contains("data-testid=\"budget-saved\"", saved.Html, StringComparison.Ordinal);
        Assert.Contains("data-amount=\"250.5", saved.Html, StringComparison.Ordinal);
        await using (var db = server.CreateDbContext())
        {
            Assert.Equal(250.5m, (await db.CustomerBudgets.AsNoTracking().SingleAsync(b => b.CustomerId == DemoCommerce.TailspinCustomerId, TestContext.Current.CancellationToken)).Amount);
        }

        var (refused, _) = await browser.PostFormAsync(url, new()
        {
            ["_handler"] = "set-budget",
            ["__RequestVerificationToken"] = DashboardClient.AntiforgeryToken(saved.Html),
            ["BudgetAmount"] = "lots",
        });
        Assert.Contains("data-testid=\"budget-errors\"", refused.Html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"amount\"", refused.Html, StringComparison.Ordinal);
    }
}
