using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// Passkeys as the second factor, driven through Chromium's virtual authenticator (DevTools
/// WebAuthn domain): a real WebAuthn ceremony with a real key pair, verified by the server.
/// WebAuthn needs a domain as relying party, so these pages are opened on <c>localhost</c>.
/// </summary>
public sealed class PasskeyTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Enrolment_WithAPasskey_GivesRecoveryCodesAndThePasskeySignsInNextTime()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(OnLocalhost(server.StartOnSocket()));
        await AddVirtualAuthenticatorAsync(page);
        var user = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.AdminAgent);
        await RemoveSecondFactorAsync(server, user.Id);

        await page.GotoAsync("/signin");
        await SignInSteps.EnterPasswordAsync(page, user.Email, "**/signin/enrol**");
        await page.Locator("#enrol-passkey-name input").FillAsync("Test key");
        await page.GetByTestId("enrol-passkey-button").ClickAsync();

        await Assertions.Expect(page.GetByTestId("enrol-done")).ToContainTextAsync("passkey");
        await Assertions.Expect(page.GetByTestId("recovery-codes").Locator("li")).ToHaveCountAsync(RecoveryCodes.Count);
        await page.GetByTestId("enrol-continue").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync();

        await FluentSteps.ClickAsync(page, page.GetByTestId("signout"));
        await page.GotoAsync("/signin");
        await SignInSteps.EnterPasswordAsync(page, user.Email, "**/signin/code**");
        await page.GetByTestId("signin-passkey-button").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signed-in-user")).ToBeVisibleAsync();

        await using var db = server.CreateDbContext();
        var stored = await db.UserPasskeys.SingleAsync(p => p.UserId == user.Id, TestContext.Current.CancellationToken);
        Assert.Equal("Test key", stored.Name);
        Assert.NotNull(stored.LastUsedAt);
        var enrolled = await db.Users.SingleAsync(u => u.Id == user.Id, TestContext.Current.CancellationToken);
        Assert.Null(enrolled.TotpSecret);
        Assert.NotNull(enrolled.SecondFactorEnrolledAt);
        var records = await db.AuditRecords.Where(r => r.UserPrincipalName == user.Email).ToListAsync(TestContext.Current.CancellationToken);
        var details = records.Select(r => (r.OperationType, Detail: JsonDocument.Parse(r.ResourceNewValue ?? "{}").RootElement)).ToList();
        Assert.Contains(details, d => d.OperationType == "user_second_factor_enrolled" && d.Detail.GetProperty("method").GetString() == "passkey");
        Assert.Contains(details, d => d.OperationType == "user_sign_in"
            && d.Detail.GetProperty("method").GetString() == "dashboard password+passkey"
            && d.Detail.GetProperty("result").GetString() == "Succeeded");
    }

    [Fact]
    public async Task SecurityPage_AddsAndRemovesAPasskeyOfASignedInUser()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(OnLocalhost(server.StartOnSocket()));
        await AddVirtualAuthenticatorAsync(page);
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin);

        await page.GetByTestId("signed-in-user").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**/account/security");
        await Assertions.Expect(page.GetByTestId("passkeys-empty")).ToBeVisibleAsync();
        await page.Locator("#add-passkey-name input").FillAsync("Laptop");
        await page.GetByTestId("add-passkey-button").ClickAsync();

        await Assertions.Expect(page.GetByTestId("security-message")).ToContainTextAsync("Laptop");
        await Assertions.Expect(page.GetByTestId("passkey-row")).ToHaveCountAsync(1);

        await FluentSteps.ClickAsync(page, page.GetByTestId("passkey-remove"));
        await Assertions.Expect(page.GetByTestId("security-message")).ToHaveTextAsync("Passkey removed.");
        await Assertions.Expect(page.GetByTestId("passkeys-empty")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task SignIn_WithAPasskeyThatIsNotTheUsers_IsRefusedAndCountsAsAFailure()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var origin = OnLocalhost(server.StartOnSocket());

        // The owner registers a passkey in one browser; the other user's browser holds a different authenticator.
        var ownerPage = await browser.NewPageAsync(origin);
        await AddVirtualAuthenticatorAsync(ownerPage);
        var owner = TestUsers.OperatorAdmin;
        await SignInSteps.SignInAsync(ownerPage, owner, "/account/security");
        await ownerPage.GetByTestId("add-passkey-button").ClickAsync();
        await Assertions.Expect(ownerPage.GetByTestId("passkey-row")).ToHaveCountAsync(1);

        var intruderPage = await browser.NewPageAsync(origin);
        await AddVirtualAuthenticatorAsync(intruderPage);
        await intruderPage.GotoAsync("/signin");
        await SignInSteps.EnterPasswordAsync(intruderPage, owner.Email, "**/signin/code**");
        await intruderPage.GetByTestId("signin-passkey-button").ClickAsync();

        // The virtual authenticator holds no credential the server allows, so the browser refuses before posting.
        await Assertions.Expect(intruderPage.GetByTestId("signin-passkey-browser-error")).ToBeVisibleAsync();
        Assert.DoesNotContain("signed-in-user", await intruderPage.ContentAsync(), StringComparison.Ordinal);
    }

    private static Uri OnLocalhost(Uri address) => new UriBuilder(address) { Host = "localhost" }.Uri;

    private static async Task AddVirtualAuthenticatorAsync(IPage page)
    {
        var devTools = await page.Context.NewCDPSessionAsync(page);
        await devTools.SendAsync("WebAuthn.enable");
        await devTools.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
    }

    private static async Task RemoveSecondFactorAsync(PaygoServer server, Guid userId)
    {
        await using var db = server.CreateDbContext();
        var entity = await db.Users.FindAsync([userId], TestContext.Current.CancellationToken);
        entity!.TotpSecret = null;
        entity.SecondFactorEnrolledAt = null;
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    }
}
