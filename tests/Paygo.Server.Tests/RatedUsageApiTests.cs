using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.Pricing;
using Paygo.Core.RatedUsage;
using Paygo.Testing;
using static Paygo.Testing.UsageTestData;

namespace Paygo.Server.Tests;

/// <summary>
/// The rated usage of the open month over HTTP (reference §8.2, docs/adr/0033): an acked usage
/// record is in the unbilled line items and the usage summaries on the next read, pages follow
/// Partner Center's seek paging, and every wrong parameter is named.
/// </summary>
public sealed class RatedUsageApiTests
{
    /// <summary>The GBP rate the tests store for the current month: USDPerUnit 1.25 → PCToBCExchangeRate 0.8.</summary>
    private const decimal GbpUsdPerUnit = 1.25m;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DemoUser FabrikamAdmin => TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin)!;

    private static string Unbilled(string currency = "GBP", string period = "current", string? extra = null) =>
        $"{UnbilledUsage.Path}?provider=onetime&invoicelineitemtype=usagelineitems&currencycode={currency}&period={period}{extra}";

    private static async Task<PaygoServer> StartAsync(string engine)
    {
        var server = await PaygoServer.StartAsync(engine);
        await SeedDemoPricesAsync(server.Database);
        await using var db = server.CreateDbContext();
        db.FxRates.Add(new StoredFxRate { Month = (Today.Year * 100) + Today.Month, Currency = "GBP", UsdPerUnit = GbpUsdPerUnit, ImportedAt = DateTimeOffset.UnixEpoch });
        await db.SaveChangesAsync(Ct);
        return server;
    }

    private static async Task PostAsync(PaygoServer server, params object[] records)
    {
        using var feed = await UsageFeedClientAsync(server, Ct);
        using var response = await feed.PostAsJsonAsync("/v1/usage", records, Ct);
        var result = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(records.Length, result.GetProperty("accepted").GetInt32());
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        return await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AnAckedRecord_IsInTheUnbilledLineItems_OnTheNextRead(string engine)
    {
        await using var server = await StartAsync(engine);
        using var fabrikam = server.CreateJsonClient(FabrikamAdmin);
        Assert.Equal(0, (await GetAsync(fabrikam, Unbilled())).GetProperty("totalCount").GetInt32());

        await PostAsync(server, Record("api-1", quantity: 200m));
        var page = await GetAsync(fabrikam, Unbilled());

        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal("Collection", page.GetProperty("attributes").GetProperty("objectType").GetString());
        Assert.False(page.GetProperty("links").TryGetProperty("next", out _));
        Assert.Equal("DailyRatedUsageLineItem", item.GetProperty("attributes").GetProperty("objectType").GetString());
        // The 55 columns in camelCase, the API's own five, and attributes.
        Assert.Equal(61, item.EnumerateObject().Count());
        Assert.Equal(DemoCommerce.TailspinCustomerId.ToString(), item.GetProperty("customerId").GetString());
        Assert.Equal(DemoCommerce.TailspinPlanId.ToString(), item.GetProperty("subscriptionId").GetString());
        Assert.Equal(DemoCommerce.TailspinAzureSubscriptionId.ToString(), item.GetProperty("entitlementId").GetString());
        Assert.Equal("GB", item.GetProperty("customerCountry").GetString());
        Assert.Equal(200m, item.GetProperty("quantity").GetDecimal());
        // 200 units at 0.045 USD is 9 USD; the AOBO Owner of the checkout earns PEC: 7.65.
        Assert.Equal(15, item.GetProperty("partnerEarnedCreditPercentage").GetInt32());
        Assert.True(item.GetProperty("hasPartnerEarnedCredit").GetBoolean());
        Assert.Equal(7.65m, item.GetProperty("pricingPreTaxTotal").GetDecimal());
        Assert.Equal(0.8m, item.GetProperty("pcToBCExchangeRate").GetDecimal());
        Assert.Equal(6.12m, item.GetProperty("billingPreTaxTotal").GetDecimal());
        Assert.Equal(("GBP", "USD"), (item.GetProperty("billingCurrency").GetString(), item.GetProperty("pricingCurrency").GetString()));
        Assert.Equal(("Virtual Machines", "D2s v3", "Microsoft"), (item.GetProperty("productName").GetString(), item.GetProperty("skuName").GetString(), item.GetProperty("publisherName").GetString()));
        Assert.Equal(("rg-web", "Microsoft.Compute"), (item.GetProperty("resourceGroup").GetString(), item.GetProperty("consumedService").GetString()));
        Assert.Equal(string.Empty, item.GetProperty("resellerMpnId").GetString());
    }

    /// <summary>
    /// The unbilled reconciliation (invoicelineitemtype=billinglineitems): the invoice lines the
    /// close would write now, in the 46 columns with the invoice number blank, grouped and rounded
    /// as the close does, seek-paged like every line-item list.
    /// </summary>
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task UnbilledBillingLineItems_AreTheLinesTheCloseWouldWrite(string engine)
    {
        await using var server = await StartAsync(engine);
        using var fabrikam = server.CreateJsonClient(FabrikamAdmin);
        var path = $"{UnbilledUsage.Path}?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=GBP&period=current";
        Assert.Equal(0, (await GetAsync(fabrikam, path)).GetProperty("totalCount").GetInt32());

        await PostAsync(server, Record("recon-1", quantity: 200m), Record("recon-2", quantity: 100m),
            Record("recon-3", entitlement: DemoCommerce.LitwareAzureSubscriptionId, quantity: 50m));
        var all = await GetAsync(fabrikam, path);
        var items = all.GetProperty("items").EnumerateArray().ToList();
        var tailspin = Assert.Single(items, i => i.GetProperty("customerId").GetString() == DemoCommerce.TailspinCustomerId.ToString());
        Assert.Equal("OneTimeInvoiceLineItem", tailspin.GetProperty("attributes").GetProperty("objectType").GetString());
        Assert.Equal(string.Empty, tailspin.GetProperty("invoiceNumber").GetString());
        Assert.Equal(300m, tailspin.GetProperty("billableQuantity").GetDecimal());
        Assert.Equal(0.045m, tailspin.GetProperty("unitPrice").GetDecimal());
        // Σ PricingPreTaxTotal 11.475 USD → ROUNDDOWN 11.47 × 0.8 = 9.176 → ROUNDDOWN 9.17 GBP (DOMAIN.md §6).
        Assert.Equal(9.17m, tailspin.GetProperty("subtotal").GetDecimal());
        Assert.Equal(tailspin.GetProperty("subtotal").GetDecimal() + tailspin.GetProperty("taxTotal").GetDecimal(), tailspin.GetProperty("total").GetDecimal());
        Assert.Equal("GBP", tailspin.GetProperty("currency").GetString());
        Assert.Contains("Partner earned credit", tailspin.GetProperty("priceAdjustmentDescription").GetString(), StringComparison.Ordinal);

        // Seek-paged one line at a time, the same lines in the same order.
        var seen = new List<string>();
        var page = await GetAsync(fabrikam, path + "&size=1");
        while (true)
        {
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("customerId").GetString() + "|" + i.GetProperty("subtotal").GetDecimal()));
            if (!page.GetProperty("links").TryGetProperty("next", out var next))
            {
                break;
            }

            Assert.Contains("invoicelineitemtype=billinglineitems", next.GetProperty("uri").GetString(), StringComparison.Ordinal);
            page = await HttpAssert.NextPageAsync(fabrikam, page);
        }

        Assert.Equal(items.Select(i => i.GetProperty("customerId").GetString() + "|" + i.GetProperty("subtotal").GetDecimal()), seen);

        // A usage line items token is not a billing line items token.
        using (var request = new HttpRequestMessage(HttpMethod.Get, path + "&seekOperation=Next"))
        {
            request.Headers.Add(SeekPagingHeader, "bm90LWEtdG9rZW4");
            using var refused = await fabrikam.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Pages_FollowTheContinuationToken_UntilTheLast(string engine)
    {
        await using var server = await StartAsync(engine);
        var ids = Enumerable.Range(1, 5).Select(i => $"page-{i}").ToList();
        await PostAsync(server, [.. ids.Select((id, i) => Record(id, day: Today.AddDays(-i % 2), quantity: 1m + i))]);
        using var fabrikam = server.CreateJsonClient(FabrikamAdmin);

        var seen = new List<string>();
        var page = await GetAsync(fabrikam, Unbilled(extra: "&size=2"));
        var pages = 1;
        while (true)
        {
            Assert.True(page.GetProperty("totalCount").GetInt32() <= 2);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("usageDate").GetString() + "|" + i.GetProperty("quantity").GetDecimal()));
            if (!page.GetProperty("links").TryGetProperty("next", out var next))
            {
                Assert.False(page.TryGetProperty("continuationToken", out _));
                break;
            }

            Assert.Equal(page.GetProperty("continuationToken").GetString(), next.GetProperty("headers")[0].GetProperty("value").GetString());
            Assert.Contains("seekOperation=Next", next.GetProperty("uri").GetString(), StringComparison.Ordinal);
            page = await HttpAssert.NextPageAsync(fabrikam, page);
            pages++;
        }

        Assert.Equal(3, pages);
        var all = (await GetAsync(fabrikam, Unbilled())).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("usageDate").GetString() + "|" + i.GetProperty("quantity").GetDecimal()).ToList();
        Assert.Equal(5, all.Count);
        Assert.Equal(all, seen);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task EveryWrongParameter_IsNamed(string engine)
    {
        await using var server = await StartAsync(engine);
        using var fabrikam = server.CreateJsonClient(FabrikamAdmin);
        using var operatorAdmin = server.CreateJsonClient();

        async Task Refused(HttpClient client, string path, HttpStatusCode status, string? field)
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            var body = await HttpAssert.JsonAsync(response, status);
            Assert.Equal("Paygo", body.GetProperty("source").GetString());
            if (field is not null)
            {
                Assert.Contains(body.GetProperty("data").EnumerateArray(), d => d.GetProperty("field").GetString() == field);
            }
        }

        await Refused(fabrikam, $"{UnbilledUsage.Path}?provider=all&invoicelineitemtype=usagelineitems&currencycode=GBP&period=current", HttpStatusCode.BadRequest, "provider");
        await Refused(fabrikam, $"{UnbilledUsage.Path}?provider=onetime&invoicelineitemtype=lines&currencycode=GBP&period=current", HttpStatusCode.BadRequest, "invoicelineitemtype");
        await Refused(fabrikam, $"{UnbilledUsage.Path}?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=EUR&period=current", HttpStatusCode.BadRequest, "currencycode");
        await Refused(fabrikam, $"{UnbilledUsage.Path}?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=GBP&period=next", HttpStatusCode.BadRequest, "period");
        await Refused(fabrikam, $"{UnbilledUsage.Path}?provider=onetime&invoicelineitemtype=billinglineitems&currencycode=GBP&period=current&seekOperation=Next", HttpStatusCode.BadRequest, SeekPagingHeader);
        await Refused(fabrikam, Unbilled(currency: "EUR"), HttpStatusCode.BadRequest, "currencycode");
        await Refused(fabrikam, $"{UnbilledUsage.Path}?provider=onetime&invoicelineitemtype=usagelineitems&period=current", HttpStatusCode.BadRequest, "currencycode");
        await Refused(fabrikam, Unbilled(period: "last"), HttpStatusCode.BadRequest, "period");
        await Refused(fabrikam, Unbilled(extra: "&size=2001"), HttpStatusCode.BadRequest, "size");
        await Refused(fabrikam, Unbilled(extra: "&size=two"), HttpStatusCode.BadRequest, "size");
        await Refused(fabrikam, Unbilled(extra: "&seekOperation=Next"), HttpStatusCode.BadRequest, SeekPagingHeader);
        await Refused(operatorAdmin, Unbilled(), HttpStatusCode.BadRequest, "partnerId");

        // Another partner named: answered as a partner that does not exist (S2).
        await Refused(fabrikam, Unbilled(currency: "EUR", extra: $"&partnerId={DemoInstance.IndirectProviderPartnerId}"), HttpStatusCode.NotFound, null);
        await Refused(fabrikam, Unbilled(extra: $"&customerId={DemoCommerce.LitwareCustomerId}"), HttpStatusCode.NotFound, null);

        // The operator reads a named partner's.
        Assert.Equal(0, (await GetAsync(operatorAdmin, Unbilled(extra: $"&partnerId={DemoInstance.DirectBillPartnerId}"))).GetProperty("totalCount").GetInt32());
    }

    private const string SeekPagingHeader = "MS-ContinuationToken";

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Summaries_AddUpTheLines(string engine)
    {
        await using var server = await StartAsync(engine);
        var other = ResourceOf(DemoCommerce.TailspinAzureSubscriptionId, "vm-02");
        await PostAsync(server, Record("sum-1", quantity: 200m), Record("sum-2", quantity: 100m, resource: other), Record("sum-3", day: Today.AddDays(-1), quantity: 300m));
        using var fabrikam = server.CreateJsonClient(FabrikamAdmin);
        var lines = (await GetAsync(fabrikam, Unbilled())).GetProperty("items").EnumerateArray().ToList();
        var total = lines.Sum(l => l.GetProperty("billingPreTaxTotal").GetDecimal());
        var usd = lines.Sum(l => l.GetProperty("pricingPreTaxTotal").GetDecimal());
        Assert.Equal(3, lines.Count);

        var partner = await GetAsync(fabrikam, "/v1/usagesummary");
        Assert.Equal((total, usd, "GBP"), (partner.GetProperty("totalCost").GetDecimal(), partner.GetProperty("usdTotalCost").GetDecimal(), partner.GetProperty("currencyCode").GetString()));
        Assert.Equal("PartnerUsageSummary", partner.GetProperty("attributes").GetProperty("objectType").GetString());

        var customers = (await GetAsync(fabrikam, "/v1/customers/usagerecords")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(total, Assert.Single(customers, c => c.GetProperty("resourceId").GetString() == DemoCommerce.TailspinCustomerId.ToString()).GetProperty("totalCost").GetDecimal());

        var tailspin = $"/v1/customers/{DemoCommerce.TailspinCustomerId}";
        var customer = await GetAsync(fabrikam, $"{tailspin}/usagesummary");
        Assert.Equal(total, customer.GetProperty("totalCost").GetDecimal());
        Assert.False(customer.TryGetProperty("budget", out _));

        var plans = (await GetAsync(fabrikam, $"{tailspin}/subscriptions/usagerecords")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(total, Assert.Single(plans).GetProperty("totalCost").GetDecimal());

        var plan = $"{tailspin}/subscriptions/{DemoCommerce.TailspinPlanId}";
        Assert.Equal(total, (await GetAsync(fabrikam, $"{plan}/usagesummary")).GetProperty("totalCost").GetDecimal());

        var resources = (await GetAsync(fabrikam, $"{plan}/resourceusagerecords")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, resources.Count);
        Assert.Equal([500m, 100m], resources.Select(r => r.GetProperty("quantityUsed").GetDecimal()));

        var meter = Assert.Single((await GetAsync(fabrikam, $"{plan}/meterusagerecords")).GetProperty("items").EnumerateArray());
        Assert.Equal((600m, total, Meter), (meter.GetProperty("quantityUsed").GetDecimal(), meter.GetProperty("totalCost").GetDecimal(), meter.GetProperty("meterId").GetString()));

        // Another partner's customer and plan: 404, never data.
        using var contoso = server.CreateJsonClient(TestUsers.ByEmail("admin@contoso-distribution.example"));
        using var foreign = await contoso.GetAsync(new Uri($"{plan}/meterusagerecords", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task TheUsagePage_ShowsTheLines_TheChartAsSvg_AndDownloadsTheCsv(string engine)
    {
        await using var server = await StartAsync(engine);
        await PostAsync(server, Record("page-1", quantity: 200m), Record("page-2", day: Today.AddDays(-1), quantity: 100m));
        using var browser = new DashboardClient(server);
        await browser.SignInAsync(FabrikamAdmin);

        var page = await browser.GetAsync("/usage");
        var csv = await browser.GetAsync($"{Paygo.Server.RatedUsage.RatedUsageEndpoints.DashboardDownloadPath}?period=current");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"nav-usage\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("data-lines=\"2\"", page.Html, StringComparison.Ordinal);
        // 300 units at 0.045 USD with PEC: 11.475 USD, 9.18 GBP.
        Assert.Contains("9.18 GBP", page.Html, StringComparison.Ordinal);
        Assert.Contains("<svg", page.Html, StringComparison.Ordinal);
        Assert.Equal(2, page.Html.Split("data-testid=\"usage-line\"").Length - 1);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        var rows = csv.Html.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("PartnerId,PartnerName,CustomerId,", rows[0], StringComparison.Ordinal);
        Assert.Equal(3, rows.Length);
    }
}
