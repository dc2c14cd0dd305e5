using System.Net.Http.Json;
using Microsoft.Playwright;
using Paygo.Core.Demo;
using Paygo.Core.Pricing;
using Paygo.Testing;
using static Paygo.Testing.UsageTestData;

namespace Paygo.Ui.Tests;

/// <summary>
/// The Usage page as a partner reads it: from the navigation to this month's cost per customer,
/// the daily cost chart, the rated lines, and the CSV download, right after usage was posted.
/// </summary>
public sealed class UsagePageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task UsagePage_ShowsThePostedUsage_PerCustomer_WithTheChart_AndDownloadsTheCsv()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var address = server.StartOnSocket();
        await SeedDemoPricesAsync(server.Database);
        await using (var db = server.CreateDbContext())
        {
            db.FxRates.Add(new StoredFxRate { Month = (Today.Year * 100) + Today.Month, Currency = "GBP", UsdPerUnit = 1.25m, ImportedAt = DateTimeOffset.UnixEpoch });
            await db.SaveChangesAsync(cancellationToken);
        }

        using (var feed = await UsageFeedClientAsync(server, cancellationToken))
        {
            using var posted = await feed.PostAsJsonAsync("/v1/usage", new[] { Record("ui-1", quantity: 200m), Record("ui-2", quantity: 100m, resource: ResourceOf(DemoCommerce.TailspinAzureSubscriptionId, "vm-02")) }, cancellationToken);
            posted.EnsureSuccessStatusCode();
        }

        var page = await browser.NewPageAsync(address);
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("globaladmin@fabrikam.example"), "/");
        await page.GetByTestId("nav-usage").ClickAsync();
        await page.WaitForURLAsync("**/usage");

        // 300 units at 0.045 USD with PEC is 11.475 USD, 9.18 GBP at 0.8.
        await Assertions.Expect(page.GetByTestId("usage-summary")).ToHaveAttributeAsync("data-lines", "2");
        await Assertions.Expect(page.GetByTestId("usage-summary")).ToContainTextAsync("9.18 GBP");
        var tailspin = page.Locator($"[data-testid='usage-customer-row'][data-customer='{DemoCommerce.TailspinCustomerId}']");
        await Assertions.Expect(tailspin.GetByTestId("usage-customer-total")).ToHaveTextAsync("9.18");
        await Assertions.Expect(page.GetByTestId("usage-chart").Locator("svg")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("usage-line")).ToHaveCountAsync(2);

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("usage-download").ClickAsync());
        var path = await download.PathAsync();
        var lines = await File.ReadAllLinesAsync(path, cancellationToken);
        Assert.StartsWith("PartnerId,PartnerName,CustomerId,", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
    }
}
