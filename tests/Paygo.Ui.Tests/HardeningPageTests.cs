using Microsoft.Playwright;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// The Content Security Policy (docs/adr/0014) does not break the dashboard: Chromium reports no
/// violation on the pages with Fluent UI components, the QR code, passkeys.js and the API
/// reference; and signing out ends on a proper page with a way back in.
/// </summary>
public sealed class HardeningPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task DashboardPages_UnderTheContentSecurityPolicy_ReportNoViolation()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        var violations = WatchViolations(page);

        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin);
        foreach (var path in new[] { "/", "/customers", "/pricing", "/users", "/account/security", "/device" })
        {
            await page.GotoAsync(path);
            await PageSteps.WaitForLoadStateAsync(page, LoadState.NetworkIdle);
        }

        // Fluent UI's web components did upgrade (their scripts ran) on the last page.
        await page.WaitForFunctionAsync("() => customElements.get('fluent-text') !== undefined");
        await page.GotoAsync("/scalar/v1");

        // The API reference started (its inline starter script is allowed by hash) and lists the operations.
        await page.WaitForFunctionAsync("() => document.body.innerText.includes('Introduction') && document.body.innerText.includes('Partners')", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await PageSteps.WaitForLoadStateAsync(page, LoadState.NetworkIdle);

        Assert.Empty(violations);
    }

    [Fact]
    public async Task Enrolment_QrCodeAndPasskeyButton_ReportNoViolation()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        var violations = WatchViolations(page);
        var user = await TestUsers.AddAsync(server.Database, Paygo.Core.Demo.DemoInstance.DirectBillPartnerId, Paygo.Core.Identity.PartnerRole.AdminAgent);
        await using (var db = server.CreateDbContext())
        {
            var entity = await db.Users.FindAsync([user.Id], TestContext.Current.CancellationToken);
            entity!.TotpSecret = null;
            entity.SecondFactorEnrolledAt = null;
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await page.GotoAsync("/signin");
        await SignInSteps.EnterPasswordAsync(page, user.Email, "**/signin/enrol**");

        await Assertions.Expect(page.GetByTestId("enrol-qr").Locator("svg")).ToBeVisibleAsync();
        await PageSteps.WaitForLoadStateAsync(page, LoadState.NetworkIdle);
        Assert.Empty(violations);
    }

    [Fact]
    public async Task SignOut_ShowsTheSignedOutPage_WithALinkToSignInAgain()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin);

        await FluentSteps.ClickAsync(page, page.GetByTestId("signout"));

        await Assertions.Expect(page.GetByTestId("signed-out")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToHaveCountAsync(0);
        await page.GetByTestId("signin-again").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**/signin**");
        await page.GotoAsync("/customers");
        await PageSteps.WaitForUrlAsync(page, "**/signin**");
    }

    /// <summary>Chromium logs each blocked script, style, image or frame as a console error naming the policy.</summary>
    private static List<string> WatchViolations(IPage page)
    {
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                lock (violations)
                {
                    violations.Add($"{page.Url}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (violations)
            {
                violations.Add($"{page.Url}: script error {error}");
            }
        };
        return violations;
    }
}
