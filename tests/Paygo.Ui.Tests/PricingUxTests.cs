using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// The pricing pages read like Partner Center's: paging both ways with the page size and where the
/// rows sit among all of them, the price diff naming product and SKU with a link to the meter,
/// change kinds in words, and a refused file's problem table that stays inside the page.
/// </summary>
public sealed class PricingUxTests(Browser browser) : IClassFixture<Browser>
{
    private const string Header =
        "ProductTitle,ProductId,SkuId,SkuTitle,Publisher,SkuDescription,UnitOfMeasure,TermDuration,Market,Currency,UnitPrice," +
        "PricingTierRangeMin,PricingTierRangeMax,EffectiveStartDate,EffectiveEndDate,MeterIds,MeterType,Tags\r\n";

    private const string FluentReady = FluentSteps.Ready;

    private static string Row(int i, string price) => string.Create(CultureInfo.InvariantCulture,
        $"Virtual Machines,DZH318Z0BQ5S,{i:D4},D{i} v3,Microsoft,\"D{i} v3, Linux\",100 Hours,payG-1,US,USD,{price},,,10/1/2020 12:00:00 AM,11/30/9999 11:59:59 PM,00000000-0000-4000-8000-{i:D12},100 Hours,\"Azure,Consumption\"\r\n");

    private static string PriceList(int rows, Func<int, string> price)
    {
        var text = new StringBuilder(Header);
        for (var i = 1; i <= rows; i++)
        {
            text.Append(Row(i, price(i)));
        }

        return text.ToString();
    }

    private static FilePayload Csv(string name, string text) => new() { Name = name, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(text) };

    private static async Task ImportAsync(IPage page, string month, string file)
    {
        await page.WaitForFunctionAsync(FluentReady);
        await page.Locator("#import-market input").FillAsync("US");
        await page.Locator("#import-month input").FillAsync(month);
        await page.Locator("#import-file").SetInputFilesAsync(Csv("prices.csv", file));
        await page.Locator("#import-submit").ClickAsync();
    }

    [Fact]
    public async Task Prices_PageForwardAndBack_WithSizeAndCounts()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin, "/pricing");
        await ImportAsync(page, "2026-11", PriceList(1234, _ => "0.0450"));
        await PageSteps.WaitForUrlAsync(page, "**imported=true");

        var range = page.GetByTestId("prices-range");
        var rows = page.GetByTestId("price-row");
        await Assertions.Expect(range).ToHaveTextAsync("Rows 1–50 of 1,234");
        await Assertions.Expect(page.GetByTestId("prices-previous")).ToHaveCountAsync(0);

        // Another page size starts again at the first page.
        await page.GetByTestId("prices-size-25").ClickAsync();
        await Assertions.Expect(range).ToHaveTextAsync("Rows 1–25 of 1,234");
        await Assertions.Expect(rows).ToHaveCountAsync(25);

        await page.GetByTestId("prices-next").ClickAsync();
        await Assertions.Expect(range).ToHaveTextAsync("Rows 26–50 of 1,234");
        await page.GetByTestId("prices-next").ClickAsync();
        await Assertions.Expect(range).ToHaveTextAsync("Rows 51–75 of 1,234");
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-row", "52");

        // Previous walks back one page at a time, to the first page.
        await page.GetByTestId("prices-previous").ClickAsync();
        await Assertions.Expect(range).ToHaveTextAsync("Rows 26–50 of 1,234");
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-row", "27");
        await page.GetByTestId("prices-previous").ClickAsync();
        await Assertions.Expect(range).ToHaveTextAsync("Rows 1–25 of 1,234");
        await Assertions.Expect(page.GetByTestId("prices-previous")).ToHaveCountAsync(0);

        // A filter counts the rows it keeps.
        await FluentSteps.FillAsync(page, "price-sku", "D12 v3");
        await page.Locator("#price-filter-submit").ClickAsync();
        await Assertions.Expect(range).ToHaveTextAsync("Rows 1–1 of 1");
    }

    [Fact]
    public async Task Diff_NamesProductAndSku_LinksTheMeter_AndSaysTheKindInWords()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin, "/pricing");
        await ImportAsync(page, "2026-11", PriceList(2, _ => "0.0450"));
        await PageSteps.WaitForUrlAsync(page, "**list=US-202611&imported=true");
        await ImportAsync(page, "2026-12", PriceList(2, i => i == 2 ? "0.0500" : "0.0450"));
        await PageSteps.WaitForUrlAsync(page, "**list=US-202612&imported=true");

        await page.GotoAsync("/pricing/diff");
        var change = page.GetByTestId("diff-row");
        await Assertions.Expect(change).ToHaveCountAsync(1);
        await Assertions.Expect(change.GetByTestId("diff-kind")).ToHaveTextAsync("Price changed");
        await Assertions.Expect(change.GetByTestId("diff-product")).ToContainTextAsync("Virtual Machines");
        await Assertions.Expect(change.GetByTestId("diff-product")).ToContainTextAsync("DZH318Z0BQ5S");
        await Assertions.Expect(change.GetByTestId("diff-sku")).ToContainTextAsync("D2 v3");
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "paygo-diff.png"), FullPage = true });

        await change.GetByTestId("diff-meter-link").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**/pricing/meters/00000000-0000-4000-8000-000000000002?market=US&termDuration=payG-1&date=2026-12-**");
        await Assertions.Expect(page.GetByTestId("tier-price")).ToHaveTextAsync(["0.0500"]);
    }

    [Fact]
    public async Task Import_BadHeader_ProblemTableStaysInsideThePage()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await page.SetViewportSizeAsync(1280, 800);
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin, "/pricing");

        // A header of one very long unknown column name, as a file of another format would have.
        var badHeader = string.Concat(Enumerable.Repeat("NotAColumnOfMicrosoftsPriceList", 20)) + "\r\n" + Row(1, "0.0450");
        await ImportAsync(page, "2026-11", badHeader);
        await Assertions.Expect(page.GetByTestId("import-problems")).ToContainTextAsync("Nothing was imported");
        await Assertions.Expect(page.GetByTestId("problem-row").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "paygo-bad-header.png"), FullPage = true });

        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"The page is {overflow} px wider than the window.");
    }
}
