using Microsoft.Playwright;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>The partners page as an operator uses it: load, onboard, see the new partner listed.</summary>
public sealed class PartnersPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task PartnersPage_CreatePartner_ShowsItInTheList()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());

        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin, "/settings/partners");
        await FluentSteps.ReadyAsync(page);
        Assert.Equal(3, await page.GetByTestId("partner-row").CountAsync());

        await page.Locator("#partner-name input").FillAsync("Tailspin Toys SAS");
        await FluentSteps.SelectAsync(page, "partner-type", "indirect-provider");
        await page.Locator("#partner-mpnid input").FillAsync("5123456");
        await page.Locator("#partner-country input").FillAsync("FR");
        await page.Locator("#partner-submit").ClickAsync();

        await page.GetByTestId("partner-created").WaitForAsync();
        var row = page.GetByTestId("partner-row").Filter(new LocatorFilterOptions { HasText = "Tailspin Toys SAS" });
        await Assertions.Expect(row).ToContainTextAsync("Indirect provider");
        await Assertions.Expect(row).ToContainTextAsync("EUR");
        Assert.Equal(4, await page.GetByTestId("partner-row").CountAsync());
    }

    [Fact]
    public async Task PartnersPage_InvalidCountry_ShowsTheFieldErrorAndCreatesNothing()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());

        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin, "/settings/partners");
        await FluentSteps.ReadyAsync(page);
        await page.Locator("#partner-name input").FillAsync("Bad Country Ltd");
        await page.Locator("#partner-mpnid input").FillAsync("5123457");
        await page.Locator("#partner-country input").FillAsync("XX");
        await page.Locator("#partner-submit").ClickAsync();

        var errors = page.GetByTestId("partner-errors");
        await Assertions.Expect(errors).ToContainTextAsync("Country must be");
        Assert.Equal(3, await page.GetByTestId("partner-row").CountAsync());
    }

    [Fact]
    public async Task Navigation_ReachesEveryArea()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());

        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin);
        foreach (var (testId, heading) in new[] { ("nav-customers", "Customers"), ("nav-billing", "Billing"), ("nav-pricing", "Pricing"), ("nav-access", "Access"), ("nav-partners", "Partners") })
        {
            await page.GetByTestId(testId).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(heading);
        }
    }
}
