using System.Globalization;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Paygo.Core.Pricing;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// The pricing area as the operator's billing team uses it: import a month's price list and the
/// next month's, browse, filter and page it, read a meter's tiers, compare the months, see a bad
/// file refused row by row, import FX rates; and a partner reads prices without an upload form.
/// </summary>
public sealed class PricingPageTests(Browser browser) : IClassFixture<Browser>
{
    private const string Header =
        "ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,Market,Currency,UnitPrice," +
        "PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,MeterIds,MeterType,Tags\r\n";

    private const string TieredMeter = "9f0a3d1c-6b2e-4c55-9d8e-0c1f2a3b4c5d";
    private const string FlatMeter = "1b2c3d4e-0000-4c55-9d8e-0c1f2a3b4c5d";

    private const string FxFile = "\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n\"AED\",\"0.27224589249009701\",\"202611\"\r\n\"EUR\",\"1.25\",\"202611\"\r\n\"GBP\",\"1.3\",\"202611\"\r\n";

    // Reference §4.2's graduated example (1-100 at 1, 101-100000 at 0.80, then 0.50) and one flat meter.
    private static string PriceList(string flatPrice = "0.0450", string middleTierPrice = "0.80") =>
        Header +
        $"Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,Azure Monitor Standard,1 GB,payG-1,US,USD,1,1,100,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{TieredMeter},1 GB,\"Azure,Consumption\"\r\n" +
        $"Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,Azure Monitor Standard,1 GB,payG-1,US,USD,{middleTierPrice},101,100000,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{TieredMeter},1 GB,\"Azure,Consumption\"\r\n" +
        $"Azure Monitor,DDD123456ABC,01AB,Standard,Microsoft,Azure Monitor Standard,1 GB,payG-1,US,USD,0.50,100001,9223372036854780000,3/1/2018 12:00:00 AM,11/30/9999 11:59:59 PM,{TieredMeter},1 GB,\"Azure,Consumption\"\r\n" +
        $"Virtual Machines,DZH318Z0BQ5S,0006,D2s v3,Microsoft,\"D2s v3, Linux\",100 Hours,payG-1,US,USD,{flatPrice},,,10/1/2020 12:00:00 AM,11/30/9999 11:59:59 PM,{FlatMeter},100 Hours,\"Azure,Consumption\"\r\n";

    private static FilePayload Csv(string name, string text) => new() { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(text) };

    private static async Task ImportAsync(IPage page, string market, string month, FilePayload file)
    {
        await page.Locator("#import-market input").FillAsync(market);
        await page.Locator("#import-month input").FillAsync(month);
        await page.Locator("#import-file").SetInputFilesAsync(file);
        await page.Locator("#import-submit").ClickAsync();
    }

    [Fact]
    public async Task Operator_ImportsTwoMonths_BrowsesFiltersPages_SeesTiersAndTheDiff()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin, "/pricing?size=2");
        await Assertions.Expect(page.GetByTestId("pricelists-empty")).ToBeVisibleAsync();

        await ImportAsync(page, "US", "2026-11", Csv("november.csv", PriceList()));
        await PageSteps.WaitForUrlAsync(page, "**/pricing?list=US-202611&imported=true");
        await Assertions.Expect(page.GetByTestId("pricing-message")).ToContainTextAsync("4 rows");

        // The second month reprices the flat meter; the page then shows the latest month first.
        await ImportAsync(page, "US", "2026-12", Csv("december.csv", PriceList(flatPrice: "0.0500")));
        await PageSteps.WaitForUrlAsync(page, "**/pricing?list=US-202612&imported=true");
        var rows = page.GetByTestId("price-row");
        await Assertions.Expect(rows).ToHaveCountAsync(4);

        // Paging, two rows at a time, in file order.
        await page.GotoAsync("/pricing?list=US-202611&size=2");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0).GetByTestId("price-tier-range")).ToHaveTextAsync("1 – 100");
        await Assertions.Expect(rows.Nth(1).GetByTestId("price-tier-range")).ToHaveTextAsync("101 – 100000");
        await page.GetByTestId("prices-next").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0).GetByTestId("price-tier-range")).ToHaveTextAsync("100001 and up");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("D2s v3");
        await Assertions.Expect(rows.Nth(1).GetByTestId("price-unit-price")).ToHaveTextAsync("0.0450");
        await Assertions.Expect(page.GetByTestId("prices-next")).ToHaveCountAsync(0);

        // Filtering by product keeps the chosen list.
        await FluentSteps.FillAsync(page, "price-product", "virtual");
        await page.Locator("#price-filter-submit").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**product=virtual**");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToHaveAttributeAsync("data-meter-id", FlatMeter);
        await FluentSteps.FillAsync(page, "price-product", string.Empty);
        await FluentSteps.FillAsync(page, "price-meter", TieredMeter);
        await page.Locator("#price-filter-submit").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, $"**meter={TieredMeter}**");
        await Assertions.Expect(rows).ToHaveCountAsync(2);

        // The meter's price on a day: the three tiers in Azure's TierMinimumUnits form.
        await rows.Nth(0).GetByTestId("meter-link").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, $"**/pricing/meters/{TieredMeter}?market=US&date=2026-11-**");
        var tiers = page.GetByTestId("tier-row");
        await Assertions.Expect(tiers).ToHaveCountAsync(3);
        await Assertions.Expect(page.GetByTestId("tier-min")).ToHaveTextAsync(["0", "100", "100000"]);
        await Assertions.Expect(page.GetByTestId("tier-max")).ToHaveTextAsync(["100", "100000", "and up"]);
        await Assertions.Expect(page.GetByTestId("tier-price")).ToHaveTextAsync(["1", "0.80", "0.50"]);
        await Assertions.Expect(page.GetByTestId("meter-unit")).ToHaveTextAsync("1 GB");

        // Another day through the date form; a month without a list says so.
        await FluentSteps.FillAsync(page, "meter-date", "2027-01-15");
        await page.Locator("#meter-date-submit").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**date=2027-01-15**");
        await Assertions.Expect(page.GetByTestId("meter-errors")).ToContainTextAsync("No price list is imported for market US and month 202701");
        await Assertions.Expect(tiers).ToHaveCountAsync(0);

        // November against December: only the flat meter changed.
        await page.GetByTestId("nav-pricing-diff").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**/pricing/diff");
        var changes = page.GetByTestId("diff-row");
        await Assertions.Expect(changes).ToHaveCountAsync(1);
        await Assertions.Expect(changes).ToHaveAttributeAsync("data-meter-id", FlatMeter);
        await Assertions.Expect(changes.GetByTestId("diff-previous")).ToContainTextAsync("0.0450");
        await Assertions.Expect(changes.GetByTestId("diff-current")).ToContainTextAsync("0.0500");

        // The same month on both sides: nothing changed.
        await FluentSteps.SelectAsync(page, "diff-from", "202612");
        await page.Locator("#diff-submit").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**from=202612**");
        await Assertions.Expect(page.GetByTestId("diff-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Operator_BadPriceFile_IsRefusedWithRowAndColumn_AndFxFileShowsRates()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin, "/pricing");

        // The middle tier's price is not a number: row 3 of the file (the header is row 1).
        await ImportAsync(page, "US", "2026-11", Csv("bad.csv", PriceList(middleTierPrice: "eighty")));
        var problems = page.GetByTestId("import-problems");
        await Assertions.Expect(problems).ToContainTextAsync("Nothing was imported");
        var problem = page.GetByTestId("problem-row");
        await Assertions.Expect(problem).ToHaveCountAsync(1);
        await Assertions.Expect(problem).ToHaveAttributeAsync("data-row", "3");
        await Assertions.Expect(problem).ToHaveAttributeAsync("data-column", "UnitPrice");
        await Assertions.Expect(problem).ToContainTextAsync("eighty");
        await Assertions.Expect(page.GetByTestId("pricelists-empty")).ToBeVisibleAsync();

        // A file far above the API's default body limit, every row with a price that is not a
        // number: the page takes it, lists the first 50 problems and counts them all.
        const int badRows = 30_000;
        var large = new StringBuilder(Header);
        for (var i = 0; i < badRows; i++)
        {
            large.Append(CultureInfo.InvariantCulture,
                $"Virtual Machines,DZH318Z0BQ5S,0006,D2s v3,Microsoft,\"D2s v3, Linux\",100 Hours,payG-1,US,USD,x,,,10/1/2020 12:00:00 AM,11/30/9999 11:59:59 PM,{Guid.NewGuid()},100 Hours,\"Azure,Consumption\"\r\n");
        }

        Assert.True(large.Length > 4 * 1024 * 1024);
        await ImportAsync(page, "US", "2026-11", Csv("large.csv", large.ToString()));
        await Assertions.Expect(page.GetByTestId("problem-count")).ToContainTextAsync($"{badRows} problems; the first 50 are listed");
        await Assertions.Expect(page.GetByTestId("problem-row")).ToHaveCountAsync(50);
        await Assertions.Expect(page.GetByTestId("problem-row").First).ToHaveAttributeAsync("data-row", "2");

        await page.GotoAsync("/pricing/fx");
        await Assertions.Expect(page.GetByTestId("fx-empty")).ToBeVisibleAsync();
        await page.Locator("#fx-file").SetInputFilesAsync(Csv("fx.csv", "\"CurrencyCode\",\"USDPerUnit\",\"Month\"\r\n\"EUR\",\"-1\",\"202611\"\r\n"));
        await page.Locator("#fx-import-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("problem-row")).ToHaveAttributeAsync("data-row", "2");
        await Assertions.Expect(page.GetByTestId("fx-empty")).ToBeVisibleAsync();

        await page.Locator("#fx-file").SetInputFilesAsync(Csv("fx.csv", FxFile));
        await page.Locator("#fx-import-submit").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**/pricing/fx?month=202611**");
        await Assertions.Expect(page.GetByTestId("fx-message")).ToContainTextAsync("202611");
        var rates = page.GetByTestId("fx-row");
        await Assertions.Expect(rates).ToHaveCountAsync(3);
        var eur = rates.Filter(new LocatorFilterOptions { HasText = "EUR" });
        await Assertions.Expect(eur.GetByTestId("fx-usd-per-unit")).ToHaveTextAsync("1.25");
        Assert.Equal(0.8m, decimal.Parse(await eur.GetByTestId("fx-pctobc").InnerTextAsync(), CultureInfo.InvariantCulture));
        var aed = rates.Filter(new LocatorFilterOptions { HasText = "AED" });
        Assert.Equal(3.67315m, decimal.Parse(await aed.GetByTestId("fx-pctobc").InnerTextAsync(), CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task PartnerSalesAgent_BrowsesPrices_WithoutUploadForms()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var address = server.StartOnSocket();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<PriceListStore>();
            var outcome = await store.ImportAsync(Paygo.Core.Users.Caller.OperatorSystem, new MemoryStream(Encoding.UTF8.GetBytes(PriceList())), Paygo.Core.Markets.Market.Parse("US"), new Paygo.Rating.Pricing.BillingMonth(2026, 11), "test", null, TestContext.Current.CancellationToken);
            Assert.NotNull(outcome.PriceList);
        }

        var page = await browser.NewPageAsync(address);
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("salesagent@fabrikam.example"), "/pricing");

        await Assertions.Expect(page.GetByTestId("price-row")).ToHaveCountAsync(4);
        await Assertions.Expect(page.GetByTestId("import-not-allowed")).ToContainTextAsync("imported by the operator");
        await Assertions.Expect(page.GetByTestId("import-form")).ToHaveCountAsync(0);

        await page.GetByTestId("nav-pricing-fx").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**/pricing/fx");
        await Assertions.Expect(page.GetByTestId("fx-import-not-allowed")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("fx-import-form")).ToHaveCountAsync(0);
    }
}
