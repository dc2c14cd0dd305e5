using Microsoft.Playwright;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>Signing in as a person does: password, then the authenticator's code.</summary>
internal static class SignInSteps
{
    public static async Task SignInAsync(IPage page, DemoUser user, string returnUrl = "/")
    {
        await page.GotoAsync($"/signin?returnUrl={Uri.EscapeDataString(returnUrl)}");
        await SignInFromHereAsync(page, user);
        await page.GetByTestId("signed-in-user").WaitForAsync();
    }

    /// <summary>Fills the sign-in pages from wherever the browser was sent to them; does not wait for a destination.</summary>
    public static async Task SignInFromHereAsync(IPage page, DemoUser user)
    {
        await PageSteps.WaitForUrlAsync(page, "**/signin**");
        await EnterPasswordAsync(page, user.Email, "**/signin/code**");
        await page.Locator("#signin-code input").FillAsync(TestUsers.Code(user));
        await page.Locator("#code-submit").ClickAsync();
    }

    /// <summary>The password step on the sign-in page; waits for the page it leads to (code or enrolment).</summary>
    public static async Task EnterPasswordAsync(IPage page, string email, string next)
    {
        // Every Fluent element, the button too: a click on a fluent-button the module has not yet
        // upgraded submits nothing, and on a loaded CI machine the inputs can upgrade first.
        await FluentSteps.ReadyAsync(page);
        await page.Locator("#signin-email input").FillAsync(email);
        await page.Locator("#signin-password input").FillAsync(DemoUsers.Password);
        await page.Locator("#signin-submit").ClickAsync();

        // The next page's address, then its Fluent elements defined (see PageSteps for why not
        // WaitForURLAsync). ReadyAsync polls the page it finds, so it also waits out the document.
        await PageSteps.WaitForUrlAsync(page, next);
        await FluentSteps.ReadyAsync(page);
    }
}
