using Paygo.Core.Users;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Core.Pricing;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// Every dashboard page draws its form controls with Fluent UI components: no native input
/// (other than hidden fields and the file inputs Fluent has no static-SSR equivalent for), no
/// native select and no native button. Walked as the operator's and a partner's Global admin,
/// with price lists and FX rates imported so the pricing pages show their filter forms.
/// </summary>
public sealed class FluentControlsTests(Browser browser) : IClassFixture<Browser>
{
    private const string Header =
        "ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,Market,Currency,UnitPrice," +
        "PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,MeterIds,MeterType,Tags\r\n";

    private const string Meter = "1b2c3d4e-0000-4c55-9d8e-0c1f2a3b4c5d";

    private static string PriceList(string price) =>
        Header +
        $"Virtual Machines,DZH318Z0BQ5S,0006,D2s v3,Microsoft,\"D2s v3, Linux\",100 Hours,payG-1,US,USD,{price},,,10/1/2020 12:00:00 AM,11/30/9999 11:59:59 PM,{Meter},100 Hours,\"Azure,Consumption\"\r\n";

    private const string FxFile = "\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n\"EUR\",\"1.25\",\"202611\"\r\n";

    // Light DOM only: a Fluent component's own native control lives in its shadow root, which
    // querySelectorAll does not enter (Playwright's locators would). The one exception is the
    // button a fluent-dropdown inserts as its slotted control once it is upgraded.
    private const string NativeControls = """
        () => [...document.querySelectorAll('input, select, button, textarea')]
            .filter(e => !(e.tagName === 'INPUT' && (e.type === 'hidden' || e.type === 'file')))
            .filter(e => !(e.slot === 'control' && e.parentElement?.tagName === 'FLUENT-DROPDOWN'))
            .map(e => e.outerHTML.slice(0, 160))
        """;

    private static readonly string[] Pages =
    [
        "/", "/customers", "/customers/new", "/billing", "/access", "/pricing", "/pricing/fx", "/pricing/diff",
        $"/pricing/meters/{Meter}?market=US", "/settings/partners", "/settings/users", "/account/security", "/device",
        "/no-such-page",
        $"/customers/{Paygo.Core.Demo.DemoCommerce.TailspinCustomerId}/subscriptions/{Paygo.Core.Demo.DemoCommerce.TailspinPlanId}/azure/{Paygo.Core.Demo.DemoCommerce.TailspinAzureSubscriptionId}/pec",
    ];

    [Theory]
    [InlineData("admin@northwind-ops.example")]
    [InlineData("globaladmin@fabrikam.example")]
    public async Task EveryPage_UsesFluentControls_NotNativeOnes(string email)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var address = server.StartOnSocket();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var ct = TestContext.Current.CancellationToken;
            var store = scope.ServiceProvider.GetRequiredService<PriceListStore>();
            Assert.NotNull((await store.ImportAsync(Caller.OperatorSystem, Stream("0.0450"), Paygo.Core.Markets.Market.Parse("US"), new Paygo.Rating.Pricing.BillingMonth(2026, 11), "test", null, ct)).PriceList);
            Assert.NotNull((await store.ImportAsync(Caller.OperatorSystem, Stream("0.0500"), Paygo.Core.Markets.Market.Parse("US"), new Paygo.Rating.Pricing.BillingMonth(2026, 12), "test", null, ct)).PriceList);
            Assert.NotNull((await scope.ServiceProvider.GetRequiredService<FxRateBook>().ImportAsync(Caller.OperatorSystem, new MemoryStream(Encoding.UTF8.GetBytes(FxFile)), ct)).Imported);
        }

        var page = await browser.NewPageAsync(address);
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail(email));

        // The customer pages carry the MCA form (a date field) for a customer without an attestation.
        await page.GotoAsync("/customers");
        var customers = await page.Locator("a[href^='/customers/']:not([href='/customers/new'])")
            .EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        var walk = Pages.Concat(customers.Distinct().Take(3)).ToList();

        var found = new List<string>();
        foreach (var path in walk)
        {
            await page.GotoAsync(path);
            foreach (var control in await page.EvaluateAsync<string[]>(NativeControls))
            {
                found.Add($"{path}: {control}");
            }
        }

        Assert.True(customers.Length > 0, "The customers page listed no customer to walk.");
        Assert.True(found.Count == 0, "Native controls left:\n" + string.Join("\n", found));
    }

    private static MemoryStream Stream(string price) => new(Encoding.UTF8.GetBytes(PriceList(price)));
}
