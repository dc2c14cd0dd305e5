using Microsoft.Playwright;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>The Access page as a partner's Admin agent uses it: import the access CSV, filter the records of an Azure subscription, end one, see a bad file refused by row and column.</summary>
public sealed class AccessPageTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task AdminAgent_ImportsTheSample_FiltersAndEndsAnAssignment_AndSeesABadFileRefused()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("adminagent@fabrikam.example"), "/access");

        // Tailspin's subscription starts with the AOBO Owner its purchase granted.
        var rows = page.GetByTestId("access-row");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-assignment", DemoCommerce.TailspinAzureSubscriptionId.ToString());

        await page.Locator("#access-file").SetInputFilesAsync(Sample());
        await FluentSteps.ClickAsync(page, page.Locator("#access-import-submit"));
        await PageSteps.WaitForUrlAsync(page, "**/access?customer=*&done=imported-4");
        await Assertions.Expect(page.GetByTestId("access-message")).ToContainTextAsync("4 record(s)");
        await Assertions.Expect(rows).ToHaveCountAsync(5);

        await FluentSteps.SelectAsync(page, "access-state", "active");
        await FluentSteps.FillAsync(page, "access-principal", "6a0f4e2b");
        await FluentSteps.ClickAsync(page, page.Locator("#access-filter-submit"));
        await PageSteps.WaitForUrlAsync(page, "**/access?*state=active*");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        var user = rows.First;
        await Assertions.Expect(user).ToHaveAttributeAsync("data-assignment", "3b7e2c1a-0d4f-4e6a-9b85-1f2a3c4d5e01");

        await FluentSteps.ClickAsync(page, user.Locator("fluent-button"));
        await PageSteps.WaitForUrlAsync(page, "**/access?*done=ended*");
        await Assertions.Expect(page.GetByTestId("access-message")).ToContainTextAsync("ended");
        await Assertions.Expect(rows).ToHaveCountAsync(0); // no longer active
        await page.GotoAsync(page.Url.Replace("state=active", "state=ended", StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("[data-assignment='3b7e2c1a-0d4f-4e6a-9b85-1f2a3c4d5e01']")).ToHaveAttributeAsync("data-state", "ended");

        var bad = (await File.ReadAllTextAsync(Sample(), TestContext.Current.CancellationToken)).Replace("rg-legacy,2026-11-20T00:00:00Z", "rg-legacy,20 November", StringComparison.Ordinal);
        await page.Locator("#access-file").SetInputFilesAsync(new FilePayload { Name = "bad.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(bad) });
        await FluentSteps.ClickAsync(page, page.Locator("#access-import-submit"));
        await Assertions.Expect(page.GetByTestId("access-import-problems")).ToContainTextAsync("row 5, column Start");
        await Assertions.Expect(page.Locator("[data-testid='problem-row'][data-row='5'][data-column='Start']")).ToHaveCountAsync(1);
    }

    private static string Sample()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Paygo.slnx")))
            {
                return Path.Combine(folder.FullName, "samples", "access", "tailspin-access.csv");
            }
        }

        throw new InvalidOperationException("No Paygo.slnx above the test's folder.");
    }
}
