using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// The customer page's Azure subscription actions (issue 11 point 1) as Contoso's Global admin, who
/// is also its Admin agent: add an Azure subscription under the plan, cancel both, suspend the plan
/// (refused while one is active), reactivate the plan and an Azure subscription.
/// </summary>
public sealed class AzureSubscriptionsPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task AddCancelSuspendAndReactivate_FromTheCustomerPage()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        var litware = $"/customers/{DemoCommerce.LitwareCustomerId}";
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("admin@contoso-distribution.example"), litware);
        var rows = page.GetByTestId("azure-subscription-row");
        await Assertions.Expect(rows).ToHaveCountAsync(1);

        await FluentSteps.FillAsync(page, "azure-name", "Litware analytics");
        await FluentSteps.ClickAsync(page, page.Locator("#add-azure-subscription"));
        await PageSteps.WaitForUrlAsync(page, "**changed=added**");
        await Assertions.Expect(page.GetByTestId("subscription-message")).ToContainTextAsync("Azure subscription added");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        var added = rows.Filter(new() { HasText = "Litware analytics" });
        await Assertions.Expect(added.GetByTestId("azure-subscription-status")).ToHaveAttributeAsync("data-status", "active");

        // The plan keeps active Azure subscriptions: Partner Center's 900115, and nothing changes.
        await FluentSteps.ClickAsync(page, page.Locator("#plan-suspend"));
        await Assertions.Expect(page.GetByTestId("subscription-errors")).ToContainTextAsync("900115");
        await Assertions.Expect(page.GetByTestId("subscription-status")).ToHaveAttributeAsync("data-status", "active");

        await FluentSteps.SelectAsync(page, "cancel-reason", "compromise");
        await FluentSteps.ClickAsync(page, added.GetByTestId("azure-cancel"));
        await PageSteps.WaitForUrlAsync(page, "**changed=cancelled**");
        await Assertions.Expect(added.GetByTestId("azure-subscription-status")).ToHaveAttributeAsync("data-status", "inactive");
        var first = rows.Filter(new() { HasText = DemoCommerce.LitwareAzureSubscriptionId.ToString() });
        await FluentSteps.ClickAsync(page, first.GetByTestId("azure-cancel"));
        await PageSteps.WaitForUrlAsync(page, "**changed=cancelled**");
        await Assertions.Expect(first.GetByTestId("azure-subscription-status")).ToHaveAttributeAsync("data-status", "inactive");

        await FluentSteps.ClickAsync(page, page.Locator("#plan-suspend"));
        await PageSteps.WaitForUrlAsync(page, "**changed=suspended**");
        await Assertions.Expect(page.GetByTestId("subscription-status")).ToHaveAttributeAsync("data-status", "suspended");
        await Assertions.Expect(page.Locator("#add-azure-subscription")).ToHaveCountAsync(0);

        await FluentSteps.ClickAsync(page, page.Locator("#plan-reactivate"));
        await PageSteps.WaitForUrlAsync(page, "**changed=plan-reactivated**");
        await Assertions.Expect(page.GetByTestId("subscription-status")).ToHaveAttributeAsync("data-status", "active");
        await FluentSteps.ClickAsync(page, first.GetByTestId("azure-reactivate"));
        await PageSteps.WaitForUrlAsync(page, "**changed=reactivated**");
        await Assertions.Expect(first.GetByTestId("azure-subscription-status")).ToHaveAttributeAsync("data-status", "active");

        await using var db = server.CreateDbContext();
        var reasons = await db.AzureEntitlements.Where(e => e.SubscriptionId == DemoCommerce.LitwarePlanId).Select(e => new { e.FriendlyName, e.Status, e.CancellationReason })
            .ToListAsync(TestContext.Current.CancellationToken);
        Assert.Contains(reasons, e => e is { FriendlyName: "Litware analytics", Status: "inactive", CancellationReason: "compromise" });
    }

    [Fact]
    public async Task AnAdminAgentAlone_SeesAddButNotCancel_AndIsToldWhy()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("adminagent@fabrikam.example"), $"/customers/{DemoCommerce.TailspinCustomerId}");

        await Assertions.Expect(page.Locator("#add-azure-subscription")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("azure-cancel")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("cancel-not-allowed")).ToContainTextAsync("both Global admin and Admin agent");
    }
}
