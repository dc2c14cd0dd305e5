using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Paygo.Ui.Tests;

/// <summary>
/// Waiting for the browser without Playwright .NET's client-side event waits. <c>WaitForURLAsync</c>
/// and <c>WaitForLoadStateAsync</c> check the state the client last heard of and then subscribe
/// to the event that changes it; the events arrive on another thread, so one that lands between the
/// check and the subscription is lost and the wait runs to its timeout with the page long loaded
/// (microsoft/playwright-dotnet#3364, open). CI met it in two of three runs on a loaded machine:
/// the page log of a failed test showed the code page's DOMContentLoaded and load fired 40 ms after
/// the click, and the wait for them timing out 60 s later. The address is therefore asserted the
/// way the issue suggests, by <c>Expect(page).ToHaveURLAsync</c>, which the Playwright driver
/// polls and answers (no client event to lose); the steps after it wait for what they need (an
/// element, Fluent's upgrade) through locators, which are polled the same way.
/// </summary>
internal static class PageSteps
{
    /// <summary>Waits until the page's address matches <paramref name="glob"/> (Playwright's URL glob: <c>**</c> any text, <c>*</c> any text without <c>/</c>, the rest literal).</summary>
    public static Task WaitForUrlAsync(IPage page, string glob) => Assertions.Expect(page).ToHaveURLAsync(GlobToRegex(glob));

    /// <summary>
    /// Waits for a load state: short waits in a loop, so a state whose event was lost is found by
    /// the next wait's check (the client does record it), within the browser's usual bound.
    /// </summary>
    public static async Task WaitForLoadStateAsync(IPage page, LoadState state)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(Browser.TimeoutMilliseconds);
        while (true)
        {
            try
            {
                await page.WaitForLoadStateAsync(state, new() { Timeout = 2_000 });
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                // Looked again below: either still loading, or the event was missed.
            }
        }
    }

    /// <summary>The glob as an anchored regular expression (no options: Playwright hands it to the browser as JavaScript).</summary>
    public static Regex GlobToRegex(string glob)
    {
        ArgumentNullException.ThrowIfNull(glob);
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] != '*')
            {
                pattern.Append(Regex.Escape(glob[i].ToString()));
            }
            else if (i + 1 < glob.Length && glob[i + 1] == '*')
            {
                pattern.Append(".*");
                i++;
            }
            else
            {
                pattern.Append("[^/]*");
            }
        }

        return new Regex(pattern.Append('$').ToString());
    }
}
