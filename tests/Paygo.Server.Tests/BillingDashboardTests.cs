using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// The dashboard's Billing area as a browser without JavaScript uses it (issue 13): the operator
/// closes the demo's previous month from the page and watches it finish, the invoices list with
/// their downloads (the same bytes as the API), the FOCUS download, the PEC report page with the
/// analytics subscription's lost days; a partner's user sees only its own invoices and no close.
/// </summary>
public sealed partial class BillingDashboardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Operator_ClosesTheMonthFromThePage_AndEveryoneDownloadsTheirInvoices(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine, settings: new Dictionary<string, string?> { ["demo-month"] = "true" });
        var previous = new DateOnly(Today.Year, Today.Month, 1).AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        using var browser = new DashboardClient(server);
        await browser.SignInAsync(TestUsers.OperatorAdmin);

        var empty = await browser.GetAsync("/billing");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Contains("data-testid=\"billing-no-invoices\"", empty.Html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"billing-close-form\"", empty.Html, StringComparison.Ordinal);

        // A month still running is refused on the page, naming the field.
        var (refused, _) = await browser.PostFormAsync("/billing", new()
        {
            ["_handler"] = "close-month",
            ["__RequestVerificationToken"] = DashboardClient.AntiforgeryToken(empty.Html),
            ["CloseMonth"] = Today.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        });
        Assert.Contains("data-testid=\"billing-errors\"", refused.Html, StringComparison.Ordinal);
        Assert.Contains("data-field=\"month\"", refused.Html, StringComparison.Ordinal);

        var (started, _) = await browser.PostFormAsync("/billing", new()
        {
            ["_handler"] = "close-month",
            ["__RequestVerificationToken"] = DashboardClient.AntiforgeryToken(refused.Html),
            ["CloseMonth"] = previous,
        });
        Assert.Contains("/billing?notice=started", started.Url, StringComparison.Ordinal);
        Assert.Contains($"data-month=\"{previous}\"", started.Html, StringComparison.Ordinal);

        // The page shows the run's progress until it is closed (it refreshes itself meanwhile).
        var page = started;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!page.Html.Contains("data-status=\"succeeded\"", StringComparison.Ordinal))
        {
            Assert.Contains("<progress", page.Html, StringComparison.Ordinal);
            Assert.DoesNotContain("data-status=\"failed\"", page.Html, StringComparison.Ordinal);
            Assert.True(DateTime.UtcNow < deadline, "The close did not finish in time.");
            await Task.Delay(500, Ct);
            page = await browser.GetAsync("/billing");
        }

        Assert.DoesNotContain("http-equiv=\"refresh\"", page.Html, StringComparison.Ordinal);
        var invoices = InvoiceRow().Matches(page.Html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(invoices);

        // The downloads are the API's bytes: the 46-column file, the statement PDF, the FOCUS CSV.
        var first = invoices[0];
        using (var recon = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/billing/invoices/{first}/files/reconciliation")))
        {
            Assert.Equal(HttpStatusCode.OK, recon.StatusCode);
            Assert.StartsWith(string.Join(',', InvoiceReconciliationFile.Table.Header), await recon.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var pdf = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/billing/invoices/{first}/statement")))
        {
            Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
            Assert.StartsWith("%PDF-", Encoding.ASCII.GetString(await pdf.Content.ReadAsByteArrayAsync(Ct), 0, 5), StringComparison.Ordinal);
        }

        var focusForm = page.Html[page.Html.IndexOf("data-testid=\"billing-focus-form\"", StringComparison.Ordinal)..];
        Assert.Contains($"value=\"{previous}\"", focusForm, StringComparison.Ordinal);
        using (var focus = await browser.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/billing/focus?month={previous}")))
        {
            Assert.Equal(HttpStatusCode.OK, focus.StatusCode);
            Assert.StartsWith(string.Join(',', FocusFile.Table.Header), await focus.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // The PEC report page: the operator picks Fabrikam; the analytics subscription's lost days carry the AOBO evidence.
        var pec = await browser.GetAsync($"/billing/pec?month={previous}&partner={DemoInstance.DirectBillPartnerId}");
        Assert.Equal(HttpStatusCode.OK, pec.StatusCode);
        Assert.Contains($"data-testid=\"pec-report-lost-day\" data-subscription=\"{DemoMonth.TailspinAnalyticsAzureSubscriptionId:D}\"", pec.Html, StringComparison.Ordinal);
        Assert.Contains("gap from 10:30", pec.Html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"pec-report-alert\"", pec.Html, StringComparison.Ordinal);
        Assert.Contains("<svg", pec.Html, StringComparison.Ordinal);

        // A partner's user: its own invoices only, no close form.
        var admin = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin);
        using var partner = new DashboardClient(server);
        await partner.SignInAsync(admin);
        var own = await partner.GetAsync("/billing");
        Assert.DoesNotContain("billing-close-form", own.Html, StringComparison.Ordinal);
        var ownInvoices = InvoiceRow().Matches(own.Html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(ownInvoices);
        Assert.True(ownInvoices.Count < invoices.Count, "The partner sees every partner's invoices.");
        var foreign = invoices.Except(ownInvoices).First();
        using (var hidden = await partner.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/billing/invoices/{foreign}/files/reconciliation")))
        {
            Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        }

        var ownPec = await partner.GetAsync($"/billing/pec?month={previous}");
        Assert.Contains("gap from 10:30", ownPec.Html, StringComparison.Ordinal);
    }

    [GeneratedRegex("data-testid=\"billing-invoice-row\" data-invoice=\"(G[0-9]{9})\"")]
    private static partial Regex InvoiceRow();
}
