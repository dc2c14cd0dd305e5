using System.Globalization;
using Microsoft.Playwright;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// The PEC evidence calendar as a partner reads it: from the customer's Azure subscription row to
/// last month's calendar, where the day the AOBO Owner ended at 13:00 is partial and one click
/// shows why and which assignment it was.
/// </summary>
public sealed class PecPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task CustomerPage_ToTheCalendar_ShowsTheDayAccessEndedAsPartial_WithItsReasonAndAssignmentOneClickAway()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var address = server.StartOnSocket();
        var now = DateTimeOffset.UtcNow;
        var lastMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(-1);
        var azure = DemoCommerce.TailspinAzureSubscriptionId;
        await using (var db = server.CreateDbContext())
        {
            Assert.Equal(1, await AccessTestData.ShapeAssignmentAsync(db, azure, lastMonth.AddMonths(-1), lastMonth.AddDays(13).AddHours(13), TestContext.Current.CancellationToken));
        }

        var page = await browser.NewPageAsync(address);
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("globaladmin@fabrikam.example"), $"/customers/{DemoCommerce.TailspinCustomerId}");
        await page.Locator($"[data-azure-subscription-id='{azure}'] [data-testid='pec-link']").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**/pec");
        await Assertions.Expect(page.GetByTestId("pec-entitlement")).ToHaveTextAsync(azure.ToString());

        var month = lastMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        await FluentSteps.SelectAsync(page, "pec-month", month);
        await FluentSteps.ClickAsync(page, page.Locator("#pec-month-submit"));
        await PageSteps.WaitForUrlAsync(page, $"**/pec?month={month}");

        string Date(int day) => lastMonth.AddDays(day - 1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var calendar = page.GetByTestId("pec-calendar");
        await Assertions.Expect(calendar).ToHaveAttributeAsync("data-month", month);
        await Assertions.Expect(calendar.Locator($"[data-date='{Date(13)}']")).ToHaveAttributeAsync("data-status", "earned");
        await Assertions.Expect(calendar.Locator($"[data-date='{Date(14)}']")).ToHaveAttributeAsync("data-status", "partial");
        await Assertions.Expect(calendar.Locator($"[data-date='{Date(15)}']")).ToHaveAttributeAsync("data-status", "lost");
        await Assertions.Expect(calendar.Locator("[data-status='earned']")).ToHaveCountAsync(13);

        await calendar.Locator($"[data-date='{Date(14)}'] a").ClickAsync();
        var details = page.GetByTestId("pec-details");
        await Assertions.Expect(details).ToHaveAttributeAsync("data-date", Date(14));
        await Assertions.Expect(details.GetByTestId("pec-detail-reason")).ToContainTextAsync("partial day, gap from 13:00 to 24:00");
        var assignment = details.Locator($"[data-testid='pec-assignment-row'][data-assignment-id='{azure}']");
        await Assertions.Expect(assignment).ToContainTextAsync("Owner");
        await Assertions.Expect(assignment).ToContainTextAsync(lastMonth.AddDays(13).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + " 13:00 UTC");
    }
}
