using Microsoft.Playwright;
using Paygo.Core.Audit;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>A production instance: no demo data, the first admin bootstraps through a one-time link.</summary>
public sealed class EnrolmentLinkTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task BootstrapLink_SetsPasswordAndAuthenticator_ThenSignInWorks_AndTheLinkIsSpent()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite, demo: false);
        var address = server.StartOnSocket();
        string token;
        await using (var db = server.CreateDbContext())
        {
            (token, _) = await new Enrolment(db, TimeProvider.System, new FixedActor(Actor.System), server.Database.AuditKey)
                .BootstrapAsync("first.admin@operator.example", "First Admin", "Operator Ltd", TestContext.Current.CancellationToken) is ({ } t, null) ? (t, 0) : throw new InvalidOperationException();
        }

        var page = await browser.NewPageAsync(address);
        await page.GotoAsync($"/enrol?token={token}");
        await FluentSteps.ReadyAsync(page);
        var secret = (await page.GetByTestId("enrol-secret").TextContentAsync())!.Trim();
        await page.Locator("#enrol-password input").FillAsync("a long and unusual passphrase");
        await page.Locator("#enrol-link-code input").FillAsync(Totp.Code(secret, Totp.TimeStep(DateTimeOffset.UtcNow)));
        await page.Locator("#enrol-link-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(RecoveryCodes.Count);

        // The step used to enrol is spent: sign in with the next one.
        await page.GotoAsync("/signin");
        await FluentSteps.ReadyAsync(page);
        await page.Locator("#signin-email input").FillAsync("first.admin@operator.example");
        await page.Locator("#signin-password input").FillAsync("a long and unusual passphrase");
        await page.Locator("#signin-submit").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**/signin/code**");
        await FluentSteps.ReadyAsync(page);
        await page.Locator("#signin-code input").FillAsync(Totp.Code(secret, Totp.TimeStep(DateTimeOffset.UtcNow) + 1));
        await page.Locator("#code-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("First Admin");

        await page.GotoAsync($"/enrol?token={token}");
        await Assertions.Expect(page.GetByTestId("enrol-link-invalid")).ToBeVisibleAsync();
    }
}
