using System.Net.Http.Json;
using Microsoft.Playwright;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.Pricing;
using Paygo.Server.RatedUsage;
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
        await PageSteps.WaitForUrlAsync(page, "**/usage");

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

        // One customer's view draws its month-to-date spend against its budget: Tailspin's
        // 9.18 GBP are 91.8 % of a 10.00 GBP budget.
        // Set by another of Fabrikam's users, so the API sign-in does not reuse the browser's code.
        var adminAgent = DemoUsers.All.First(u => u.PartnerId == DemoInstance.DirectBillPartnerId && u.Roles.SequenceEqual([PartnerRole.AdminAgent]));
        using (var admin = server.CreateJsonClient(adminAgent))
        {
            using var budget = await admin.PatchAsync($"/v1/customers/{DemoCommerce.TailspinCustomerId}/usagebudget",
                new StringContent("""{"amount":10}""", System.Text.Encoding.UTF8, "application/json"), cancellationToken);
            budget.EnsureSuccessStatusCode();
        }

        await tailspin.GetByRole(AriaRole.Link).ClickAsync();
        await PageSteps.WaitForUrlAsync(page, $"**/usage?period=current&customer={DemoCommerce.TailspinCustomerId}");
        await Assertions.Expect(page.GetByTestId("usage-budget")).ToHaveAttributeAsync("data-budget", "10.00");
        await Assertions.Expect(page.GetByTestId("usage-budget")).ToHaveAttributeAsync("data-percent", "91.8");
        var chart = await page.GetByTestId("usage-chart").InnerHTMLAsync();
        Assert.Contains(UsageChart.BudgetColour.TrimStart('#'), chart, StringComparison.OrdinalIgnoreCase);
    }
}
