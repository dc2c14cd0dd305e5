using System.Globalization;
using Microsoft.Playwright;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// The Billing area as the operator and a partner use it (issue 13): close the demo's previous
/// month from the page and watch its progress to the end, download an invoice's reconciliation
/// file and the month's FOCUS file, and read the PEC report's lost days with their evidence.
/// </summary>
public sealed class BillingPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Operator_ClosesTheMonth_DownloadsTheFiles_AndReadsThePecReport()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, settings: new Dictionary<string, string?> { ["demo-month"] = "true" });
        var address = server.StartOnSocket();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var previous = new DateOnly(today.Year, today.Month, 1).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var page = await browser.NewPageAsync(address);
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin, "/");
        await page.GetByTestId("nav-billing").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**/billing");
        await Assertions.Expect(page.GetByTestId("billing-no-invoices")).ToBeVisibleAsync();

        await FluentSteps.FillAsync(page, "billing-close-month", previous);
        await FluentSteps.ClickAsync(page, page.Locator("#billing-close-submit"));
        await PageSteps.WaitForUrlAsync(page, "**/billing?notice=started");

        // The page refreshes itself while the close runs; the row ends as closed with the invoices counted.
        var run = page.Locator($"[data-testid='billing-close-row'][data-month='{previous}']");
        await Assertions.Expect(run).ToHaveAttributeAsync("data-status", "succeeded", new() { Timeout = 120_000 });
        await Assertions.Expect(run.GetByTestId("billing-close-status")).ToHaveTextAsync("Closed");
        var rows = page.GetByTestId("billing-invoice-row");
        Assert.True(await rows.CountAsync() >= 2);

        var recon = await page.RunAndWaitForDownloadAsync(() => rows.First.GetByTestId("billing-download-reconciliation").ClickAsync());
        var reconLines = await File.ReadAllLinesAsync(await recon.PathAsync(), cancellationToken);
        Assert.StartsWith("PartnerId,CustomerId,CustomerName,", reconLines[0], StringComparison.Ordinal);
        Assert.True(reconLines.Length > 1);

        var focus = await page.RunAndWaitForDownloadAsync(() => FluentSteps.ClickAsync(page, page.Locator("#billing-focus-submit")));
        Assert.Equal($"focus-{previous}.csv", focus.SuggestedFilename);
        var focusLines = await File.ReadAllLinesAsync(await focus.PathAsync(), cancellationToken);
        Assert.Contains("BilledCost", focusLines[0], StringComparison.Ordinal);

        // The PEC report of Fabrikam's month: the analytics subscription's lost days name the gap.
        await page.GotoAsync($"/billing/pec?month={previous}&partner={DemoInstance.DirectBillPartnerId}");
        var lost = page.Locator($"[data-testid='pec-report-lost-day'][data-subscription='{DemoMonth.TailspinAnalyticsAzureSubscriptionId:D}']");
        await Assertions.Expect(lost.First.GetByTestId("pec-report-evidence")).ToContainTextAsync("gap from 10:30");
        await Assertions.Expect(page.GetByTestId("pec-report-alert")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("pec-report-chart").Locator("svg")).ToHaveCountAsync(1);
    }
}
