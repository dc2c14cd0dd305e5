using Microsoft.Playwright;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>The dashboard's sign-in: both factors every time, forced enrolment, and pages closed to the wrong roles.</summary>
public sealed class SignInPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Dashboard_WithoutSignIn_SendsToSignIn()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());

        await page.GotoAsync("/settings/partners");

        await PageSteps.WaitForUrlAsync(page, "**/signin**");
        Assert.Contains("returnUrl", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_WrongCode_IsRefusedAndTheRightCodeThenWorks()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        var user = TestUsers.OperatorAdmin;

        await page.GotoAsync("/signin");
        await SignInSteps.EnterPasswordAsync(page, user.Email, "**/signin/code**");
        await page.Locator("#signin-code input").FillAsync("000000");
        await page.Locator("#code-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("code-error")).ToBeVisibleAsync();

        await FluentSteps.ReadyAsync(page);
        await page.Locator("#signin-code input").FillAsync(TestUsers.Code(user));
        await page.Locator("#code-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Olivia Operator");
    }

    [Fact]
    public async Task SignIn_UserWithoutSecondFactor_MustEnrolAndGetsRecoveryCodes()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        var user = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.AdminAgent);
        await using (var db = server.CreateDbContext())
        {
            var entity = await db.Users.FindAsync([user.Id], TestContext.Current.CancellationToken);
            entity!.TotpSecret = null;
            entity.SecondFactorEnrolledAt = null;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await page.GotoAsync("/signin");
        await SignInSteps.EnterPasswordAsync(page, user.Email, "**/signin/enrol**");
        var secret = (await page.GetByTestId("enrol-secret").TextContentAsync())!.Trim();
        await FluentSteps.ReadyAsync(page);
        await page.Locator("#enrol-code input").FillAsync(Totp.Code(secret, Totp.TimeStep(DateTimeOffset.UtcNow)));
        await page.Locator("#enrol-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(RecoveryCodes.Count);
        await page.GetByTestId("enrol-continue").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task PartnersPage_ForAPartnerUser_IsDenied()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());

        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("globaladmin@fabrikam.example"));
        await page.GotoAsync("/settings/partners");

        await Assertions.Expect(page.GetByTestId("denied")).ToBeVisibleAsync();
    }
}
