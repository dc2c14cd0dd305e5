using Microsoft.Playwright;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// The dashboard's everyday manners: the menu shows only what the signed-in roles may open, an
/// empty sign-in says which field is missing, form errors name the form's labels (not API paths),
/// and an unknown address shows a page in the dashboard's look.
/// </summary>
public sealed class DashboardUxTests(Browser browser) : IClassFixture<Browser>
{
    private const string FluentReady = FluentSteps.Ready;

    [Fact]
    public async Task Menu_BeforeSignIn_ShowsNoArea()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());

        await page.GotoAsync("/signin");

        await Assertions.Expect(page.GetByTestId("nav-home")).ToBeVisibleAsync();
        foreach (var entry in new[] { "nav-customers", "nav-pricing", "nav-partners", "nav-users" })
        {
            await Assertions.Expect(page.GetByTestId(entry)).ToHaveCountAsync(0);
        }
    }

    [Theory]
    [InlineData("admin@northwind-ops.example", "nav-customers nav-pricing nav-partners nav-users", "")]
    [InlineData("salesagent@fabrikam.example", "nav-customers nav-pricing", "nav-partners nav-users")]
    [InlineData("globaladmin@fabrikam.example", "nav-customers nav-pricing nav-users", "nav-partners")]
    public async Task Menu_ShowsEachEntryOnlyToRolesThatMayOpenIt(string email, string shown, string hidden)
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());

        await SignInSteps.SignInAsync(page, TestUsers.ByEmail(email));

        foreach (var entry in shown.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            await Assertions.Expect(page.GetByTestId(entry)).ToBeVisibleAsync();
        }

        foreach (var entry in hidden.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            await Assertions.Expect(page.GetByTestId(entry)).ToHaveCountAsync(0);
        }
    }

    [Fact]
    public async Task SignIn_EmptyFields_SayWhichFieldToFill()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await page.GotoAsync("/signin");
        await page.WaitForFunctionAsync(FluentReady);

        await page.Locator("#signin-submit").ClickAsync();

        var form = page.GetByTestId("signin-form");
        await Assertions.Expect(form).ToContainTextAsync("Enter your e-mail address.");
        await Assertions.Expect(form).ToContainTextAsync("Enter your password.");
        await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveCountAsync(0);

        // Only the password missing: only the password is asked for.
        await page.WaitForFunctionAsync(FluentReady);
        await page.Locator("#signin-email input").FillAsync(TestUsers.OperatorAdmin.Email);
        await page.Locator("#signin-submit").ClickAsync();
        await Assertions.Expect(form).ToContainTextAsync("Enter your password.");
        await Assertions.Expect(form).Not.ToContainTextAsync("Enter your e-mail address.");
        await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AddCustomer_Errors_NameTheFormsLabelsNotApiPaths()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("adminagent@fabrikam.example"), "/customers/new");
        await page.WaitForFunctionAsync(FluentReady);

        await page.Locator("#customer-company input").FillAsync("Proseware Analytics Ltd");
        await page.Locator("#customer-submit").ClickAsync();

        var errors = page.GetByTestId("customer-errors");
        await Assertions.Expect(errors.Locator("[data-field='billingProfile.defaultAddress.firstName']")).ToContainTextAsync("First name is required");
        await Assertions.Expect(errors).Not.ToContainTextAsync("billingProfile");
        await Assertions.Expect(errors).Not.ToContainTextAsync("defaultAddress");
        await Assertions.Expect(page.GetByTestId("customer-form")).Not.ToContainTextAsync("billingProfile.");
    }

    [Fact]
    public async Task UnknownAddress_ShowsThePageNotFoundPageWithTheMenu()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin);

        var response = await page.GotoAsync("/no/such/page");

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByTestId("not-found")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("nav-customers")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "paygo-not-found.png"), FullPage = true });
    }
}
