using Microsoft.Playwright;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>User management in the dashboard: add a user, see the MFA compliance change, disable the user.</summary>
public sealed class UsersPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task AddUser_MakesTheOrganisationNonCompliant_AndDisableWorks()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());

        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("globaladmin@fabrikam.example"), "/settings/users");
        await Assertions.Expect(page.GetByTestId("mfa-compliance")).ToContainTextAsync("MFA compliant");
        await FluentSteps.ReadyAsync(page);
        await page.Locator("#user-name input").FillAsync("Ana Agent");
        await page.Locator("#user-email input").FillAsync("ana@fabrikam.example");
        await page.Locator("#user-password input").FillAsync("a long and unusual passphrase");
        // A fluent-checkbox's role is set through ElementInternals, which Playwright's CheckAsync does not read.
        await FluentSteps.ClickAsync(page, page.GetByTestId("role-AdminAgent"));
        await page.Locator("#user-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("users-message")).ToContainTextAsync("ana@fabrikam.example");
        await Assertions.Expect(page.GetByTestId("mfa-compliance")).ToContainTextAsync("Not MFA compliant");
        var row = page.GetByTestId("user-row").Filter(new LocatorFilterOptions { HasText = "ana@fabrikam.example" });
        await Assertions.Expect(row).ToContainTextAsync("Not enrolled");

        // The create answered with a full page load: the server-rendered text shows before the
        // Fluent module has upgraded <fluent-button>, and a click on a not-yet-upgraded button
        // submits nothing (CI lost this race under load). Wait for the upgrade, as a user's eye does.
        await page.WaitForFunctionAsync("() => customElements.get('fluent-button') !== undefined");
        await row.GetByTestId("user-toggle").ClickAsync();
        await Assertions.Expect(page.GetByTestId("user-row").Filter(new LocatorFilterOptions { HasText = "ana@fabrikam.example" })).ToContainTextAsync("Disabled");
        await Assertions.Expect(page.GetByTestId("mfa-compliance")).ToContainTextAsync("MFA compliant");
    }

    [Fact]
    public async Task UsersPage_ForASalesAgent_IsDenied()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());

        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("salesagent@fabrikam.example"));
        await page.GotoAsync("/settings/users");

        await Assertions.Expect(page.GetByTestId("denied")).ToBeVisibleAsync();
    }
}
