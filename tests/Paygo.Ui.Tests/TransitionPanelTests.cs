using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paygo.Core.Agreements;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>"Transition billing to Azure plan" on the customer page: the sample legacy subscriptions of Wingtip move under a new Azure plan, each with its status.</summary>
public sealed class TransitionPanelTests(Browser browser) : IClassFixture<Browser>
{
    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", "legacy-azure-import.json");

    [Fact]
    public async Task TransitionButton_MovesEachLegacySubscription_AndShowsItsStatus_KeepingEveryAssignment()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var address = server.StartOnSocket();
        var ct = TestContext.Current.CancellationToken;
        var wingtip = DemoCommerce.WingtipCustomerId;
        using (var operatorClient = server.CreateJsonClient(TestUsers.OperatorAdmin))
        using (var imported = await operatorClient.PostAsync("/v1/legacyAzureImports", new StringContent(await File.ReadAllTextAsync(Sample, ct), Encoding.UTF8, "application/json"), ct))
        {
            Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        }

        // The MCA through the API as another user: the agent's authenticator code is for the browser (a code is accepted once).
        var agent = TestUsers.ByEmail("adminagent@fabrikam.example");
        using (var partnerClient = server.CreateJsonClient(TestUsers.ByEmail("salesagent@fabrikam.example")))
        using (var mca = await partnerClient.PostAsync($"/v1/customers/{wingtip}/agreements", new StringContent($$"""
            {"primaryContact":{"firstName":"Oliver","lastName":"Patel","email":"oliver.patel@wingtip.example"},
             "templateId":"{{AgreementTypes.McaTemplateId}}","dateAgreed":"2025-01-15","type":"MicrosoftCustomerAgreement"}
            """, Encoding.UTF8, "application/json"), ct))
        {
            Assert.Equal(HttpStatusCode.Created, mca.StatusCode);
        }

        List<string> before;
        await using (var db = server.CreateDbContext())
        {
            before = [.. (await db.RoleAssignments.AsNoTracking().Where(r => r.CustomerId == wingtip).ToListAsync(ct)).Select(r => $"{r.Id}|{r.Scope}|{r.ValidFrom.UtcTicks}|{r.ValidTo?.UtcTicks}").Order()];
        }

        var page = await browser.NewPageAsync(address);
        await SignInSteps.SignInAsync(page, agent, $"/customers/{wingtip}");
        var rows = page.GetByTestId("transition-row");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("transition-status").First).ToHaveAttributeAsync("data-status", "NotStarted");

        // The legacy Microsoft Azure subscriptions are listed with the customer's subscriptions, active before the move.
        await Assertions.Expect(page.GetByTestId("subscription-row")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid='subscription-status'][data-status='active']")).ToHaveCountAsync(2);

        await FluentSteps.ClickAsync(page, page.Locator("#transition-submit"));

        await PageSteps.WaitForUrlAsync(page, "**transitioned=true**");
        await Assertions.Expect(page.GetByTestId("transition-message")).ToContainTextAsync("Every role assignment was kept");
        await Assertions.Expect(page.Locator("[data-testid='transition-status'][data-status='Completed']")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#transition-submit")).ToHaveCountAsync(0);

        // After it, the suspended legacy subscriptions stay listed beside the new Azure plan.
        await Assertions.Expect(page.GetByTestId("subscription-row")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid='subscription-status'][data-status='suspended']")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid='subscription-status'][data-status='active']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid='azure-subscription-row'][data-azure-subscription-id='0b8d3e61-5c2a-4f7e-a1d4-000000000701']")).ToHaveCountAsync(1);
        await using (var db = server.CreateDbContext())
        {
            Assert.Equal(before, [.. (await db.RoleAssignments.AsNoTracking().Where(r => r.CustomerId == wingtip).ToListAsync(ct)).Select(r => $"{r.Id}|{r.Scope}|{r.ValidFrom.UtcTicks}|{r.ValidTo?.UtcTicks}").Order()]);
        }
    }
}
