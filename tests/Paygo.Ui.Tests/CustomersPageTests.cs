using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paygo.Core.Catalog;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Ui.Tests;

/// <summary>
/// The customers area as a partner's billing team uses it: add a customer, confirm its Microsoft
/// Customer Agreement, buy its Azure plan; search and page the list; and never see another
/// partner's customer.
/// </summary>
public sealed class CustomersPageTests(Browser browser) : IClassFixture<Browser>
{
    private const string FluentReady = FluentSteps.Ready;

    [Fact]
    public async Task AddCustomer_ThenConfirmMcaAndBuyAzurePlan_ShowsThePlanWithOneActiveAzureSubscription()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("adminagent@fabrikam.example"), "/customers");

        await page.GetByTestId("add-customer").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**/customers/new");
        await page.WaitForFunctionAsync(FluentReady);
        await page.Locator("#customer-company input").FillAsync("Proseware Analytics Ltd");
        await page.Locator("#customer-domain input").FillAsync("prosewareanalytics");
        await page.Locator("#customer-first-name input").FillAsync("Grace");
        await page.Locator("#customer-last-name input").FillAsync("Hopper");
        await page.Locator("#customer-email input").FillAsync("grace.hopper@proseware.example");
        await page.Locator("#customer-culture input").FillAsync("en-GB");
        await page.Locator("#customer-language input").FillAsync("en");
        await page.Locator("#customer-address1 input").FillAsync("20 Canada Square");
        await page.Locator("#customer-city input").FillAsync("London");
        await page.Locator("#customer-postal-code input").FillAsync("12345");
        await page.Locator("#customer-country input").FillAsync("GB");
        await page.Locator("#customer-submit").ClickAsync();

        // A UK address with a US-style postal code: the service names the field, nothing is created.
        var errors = page.GetByTestId("customer-errors");
        await Assertions.Expect(errors.Locator("[data-field='billingProfile.defaultAddress.postalCode']")).ToContainTextAsync("postal code of GB");
        Assert.Equal(1, await errors.Locator("[data-field]").CountAsync());
        await using (var db = server.CreateDbContext())
        {
            Assert.False(await db.Customers.AnyAsync(c => c.CompanyName == "Proseware Analytics Ltd", TestContext.Current.CancellationToken));
        }

        await page.WaitForFunctionAsync(FluentReady);
        await page.Locator("#customer-postal-code input").FillAsync("E14 5AB");
        await page.Locator("#customer-submit").ClickAsync();

        await PageSteps.WaitForUrlAsync(page, "**/customers/*?created=true");
        await Assertions.Expect(page.GetByTestId("customer-message")).ToContainTextAsync("Proseware Analytics Ltd added");
        await Assertions.Expect(page.GetByTestId("company-profile")).ToContainTextAsync("prosewareanalytics.onmicrosoft.com");
        await Assertions.Expect(page.GetByTestId("mca-status")).ToContainTextAsync("Not on record");
        var customerId = Guid.Parse(await page.GetByTestId("customer-id").InnerTextAsync());

        // Buying before the MCA is on record: Partner Center's 13605, and what to do about it.
        await page.WaitForFunctionAsync(FluentReady);
        await page.Locator("#buy-azure-plan").ClickAsync();
        await Assertions.Expect(page.GetByTestId("purchase-errors")).ToContainTextAsync("13605");
        await Assertions.Expect(page.GetByTestId("purchase-hint")).ToContainTextAsync("Confirm the customer's acceptance");
        await Assertions.Expect(page.GetByTestId("subscriptions-empty")).ToBeVisibleAsync();

        await page.WaitForFunctionAsync(FluentReady);
        await page.Locator("#mca-first-name input").FillAsync("Ada");
        await page.Locator("#mca-last-name input").FillAsync("Lovelace");
        await page.Locator("#mca-email input").FillAsync("ada.lovelace@proseware.example");
        await page.Locator("#mca-submit").ClickAsync();

        await PageSteps.WaitForUrlAsync(page, "**confirmed=true**");
        await Assertions.Expect(page.GetByTestId("customer-message")).ToContainTextAsync("confirmation recorded");
        var mcaRow = page.GetByTestId("mca-row");
        await Assertions.Expect(mcaRow).ToHaveCountAsync(1);
        await Assertions.Expect(mcaRow).ToContainTextAsync("Ada Lovelace");
        await Assertions.Expect(mcaRow).ToContainTextAsync("adminagent@fabrikam.example");
        await Assertions.Expect(mcaRow).ToContainTextAsync(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        await page.WaitForFunctionAsync(FluentReady);
        await page.Locator("#buy-azure-plan").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**purchased=**");

        await using (var db = server.CreateDbContext())
        {
            var azureSubscription = await db.AzureEntitlements.SingleAsync(e => e.CustomerId == customerId, TestContext.Current.CancellationToken);
            var plan = await db.CommerceSubscriptions.SingleAsync(s => s.CustomerId == customerId, TestContext.Current.CancellationToken);
            Assert.Equal(SkuKind.AzurePlan, plan.Kind);
            Assert.Equal(plan.Id, azureSubscription.SubscriptionId);
            await Assertions.Expect(page.GetByTestId("purchase-message")).ToContainTextAsync(azureSubscription.Id.ToString());
            var planRow = page.GetByTestId("subscription-row");
            await Assertions.Expect(planRow).ToHaveCountAsync(1);
            await Assertions.Expect(planRow).ToContainTextAsync("Microsoft Azure plan");
            await Assertions.Expect(planRow.GetByTestId("subscription-status")).ToHaveTextAsync("Active");
            var azureRow = page.GetByTestId("azure-subscription-row");
            await Assertions.Expect(azureRow).ToHaveCountAsync(1);
            await Assertions.Expect(azureRow).ToContainTextAsync(azureSubscription.Id.ToString());
            await Assertions.Expect(azureRow.GetByTestId("azure-subscription-status")).ToHaveTextAsync("Active");
        }

        await Assertions.Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#buy-azure-plan")).ToBeHiddenAsync();

        // Back in the list, the new customer shows both facts.
        await page.GetByTestId("nav-customers").ClickAsync();
        var row = page.GetByTestId("customer-row").Filter(new LocatorFilterOptions { HasText = "Proseware Analytics Ltd" });
        await Assertions.Expect(row.GetByTestId("customer-mca")).ToHaveTextAsync("Yes");
        await Assertions.Expect(row.GetByTestId("customer-plan")).ToHaveTextAsync("Yes");
    }

    [Fact]
    public async Task BuyAzurePlan_PostedTwiceWithTheSameRequestId_BuysOnce()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("salesagent@fabrikam.example"), $"/customers/{DemoCommerce.WingtipCustomerId}");

        // The contact is prefilled from the billing profile and the date with today.
        await page.WaitForFunctionAsync(FluentReady);
        await page.Locator("#mca-submit").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**confirmed=true**");
        await Assertions.Expect(page.GetByTestId("mca-row")).ToContainTextAsync("Oliver Patel");

        // A double click, or a retry after a lost response, sends the same form twice.
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var input in await page.GetByTestId("buy-form").Locator("input[type=hidden]").AllAsync())
        {
            form.Set((await input.GetAttributeAsync("name"))!, (await input.GetAttributeAsync("value"))!);
        }

        var locations = new List<string>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var response = await page.Context.APIRequest.PostAsync($"/customers/{DemoCommerce.WingtipCustomerId}", new() { Form = form, MaxRedirects = 0 });
            Assert.True(response.Status == 302, $"Post {attempt + 1}: {response.Status} {await response.TextAsync()}");
            locations.Add(response.Headers["location"]);
        }

        Assert.Equal(locations[0], locations[1]);
        await using var db = server.CreateDbContext();
        Assert.Equal(1, await db.Orders.CountAsync(o => o.CustomerId == DemoCommerce.WingtipCustomerId, TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.CommerceSubscriptions.CountAsync(s => s.CustomerId == DemoCommerce.WingtipCustomerId, TestContext.Current.CancellationToken));
        Assert.Equal(1, await db.AzureEntitlements.CountAsync(e => e.CustomerId == DemoCommerce.WingtipCustomerId, TestContext.Current.CancellationToken));

        await page.GotoAsync(locations[0]);
        await Assertions.Expect(page.GetByTestId("purchase-message")).ToContainTextAsync("Azure plan bought");
        await Assertions.Expect(page.GetByTestId("subscription-row")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Search_ByCompanyNamePrefix_FindsTailspin()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("salesagent@fabrikam.example"), "/customers");

        await FluentSteps.FillAsync(page, "customer-search-text", "tail");
        await page.Locator("#customer-search-submit").ClickAsync();

        await PageSteps.WaitForUrlAsync(page, "**q=tail**");
        var rows = page.GetByTestId("customer-row");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync("Tailspin Toys UK Ltd");
        await Assertions.Expect(rows.GetByTestId("customer-mca")).ToHaveTextAsync("Yes");
        await Assertions.Expect(rows.GetByTestId("customer-plan")).ToHaveTextAsync("Yes");

        await FluentSteps.SelectAsync(page, "customer-search-field", "domain");
        await FluentSteps.FillAsync(page, "customer-search-text", "wingtip");
        await page.Locator("#customer-search-submit").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, "**q=wingtip**");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync("wingtippharma.onmicrosoft.com");

        await page.GetByTestId("customer-search-clear").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await rows.Filter(new LocatorFilterOptions { HasText = "Tailspin" }).GetByTestId("customer-link").ClickAsync();
        await PageSteps.WaitForUrlAsync(page, $"**/customers/{DemoCommerce.TailspinCustomerId}");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Tailspin Toys UK Ltd");
        await Assertions.Expect(page.GetByTestId("azure-subscription-row")).ToContainTextAsync(DemoCommerce.TailspinAzureSubscriptionId.ToString());
    }

    [Fact]
    public async Task List_ForTheOperator_ShowsEveryPartnersCustomers_OnePageAtATime()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.OperatorAdmin, "/customers?size=2");

        // Company name order: Litware (Contoso's, through Adatum), Tailspin, Wingtip (Fabrikam's).
        var rows = page.GetByTestId("customer-row");
        await Assertions.Expect(rows).ToHaveCountAsync(2);
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Litware Maschinenbau GmbH");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Adatum Reseller Inc");
        await Assertions.Expect(rows.Nth(1)).ToContainTextAsync("Tailspin Toys UK Ltd");
        await Assertions.Expect(page.GetByTestId("add-customer")).ToHaveCountAsync(0);

        await page.GetByTestId("customers-next").ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync("Wingtip Pharma plc");
        await Assertions.Expect(rows.GetByTestId("customer-mca")).ToHaveTextAsync("No");
        await Assertions.Expect(page.GetByTestId("customers-next")).ToHaveCountAsync(0);

        // The operator looks but does not attest or buy for a partner's customer.
        await rows.GetByTestId("customer-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("mca-not-allowed")).ToContainTextAsync("Fabrikam Direct Ltd");
        await Assertions.Expect(page.GetByTestId("buy-not-allowed")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task AddCustomer_AsIndirectProvider_NamesTheResellerOfRecord()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("sales@contoso-distribution.example"), "/customers/new");

        await page.WaitForFunctionAsync(FluentReady);
        await page.Locator("#customer-company input").FillAsync("Fourth Coffee GmbH");
        await page.Locator("#customer-domain input").FillAsync("fourthcoffeede");
        await page.Locator("#customer-first-name input").FillAsync("Lena");
        await page.Locator("#customer-last-name input").FillAsync("Schmidt");
        await page.Locator("#customer-email input").FillAsync("lena.schmidt@fourthcoffee.example");
        await page.Locator("#customer-culture input").FillAsync("de-DE");
        await page.Locator("#customer-language input").FillAsync("de");
        await page.Locator("#customer-address1 input").FillAsync("Marienplatz 1");
        await page.Locator("#customer-city input").FillAsync("München");
        await page.Locator("#customer-postal-code input").FillAsync("80331");
        await page.Locator("#customer-country input").FillAsync("DE");
        await page.Locator("#customer-submit").ClickAsync();

        // An indirect provider's customer needs its reseller of record.
        await Assertions.Expect(page.GetByTestId("customer-errors").Locator("[data-field='associatedPartnerId']")).ToBeVisibleAsync();

        await FluentSteps.SelectAsync(page, "customer-reseller", DemoInstance.IndirectResellerPartnerId.ToString());
        await page.WaitForFunctionAsync(FluentReady);
        await page.Locator("#customer-submit").ClickAsync();

        await PageSteps.WaitForUrlAsync(page, "**/customers/*?created=true");
        await Assertions.Expect(page.GetByTestId("customer-reseller")).ToHaveTextAsync("Adatum Reseller Inc");
        await using var db = server.CreateDbContext();
        var customer = await db.Customers.SingleAsync(c => c.Domain == "fourthcoffeede.onmicrosoft.com", TestContext.Current.CancellationToken);
        Assert.Equal(DemoInstance.IndirectProviderPartnerId, customer.PartnerId);
        Assert.Equal(DemoInstance.IndirectResellerPartnerId, customer.ResellerPartnerId);
    }

    [Fact]
    public async Task CustomerPage_ForTheResellerOfRecord_ShowsTheCustomerButLeavesMcaAndBuyingToTheProvider()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("admin@adatum.example"), "/customers");

        var rows = page.GetByTestId("customer-row");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows).ToContainTextAsync("Litware Maschinenbau GmbH");
        await Assertions.Expect(page.GetByTestId("add-customer")).ToHaveCountAsync(0);

        await rows.GetByTestId("customer-link").ClickAsync();
        await Assertions.Expect(page.GetByTestId("mca-not-allowed")).ToContainTextAsync("Contoso Distribution GmbH");
        await Assertions.Expect(page.GetByTestId("mca-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("azure-subscription-row")).ToContainTextAsync(DemoCommerce.LitwareAzureSubscriptionId.ToString());
    }

    [Fact]
    public async Task CustomerPage_OfAnotherPartnersCustomer_SaysNotFound()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var page = await browser.NewPageAsync(server.StartOnSocket());
        await SignInSteps.SignInAsync(page, TestUsers.ByEmail("admin@contoso-distribution.example"));

        var response = await page.GotoAsync($"/customers/{DemoCommerce.TailspinCustomerId}");

        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByTestId("customer-not-found")).ToBeVisibleAsync();
        Assert.DoesNotContain("Tailspin", await page.ContentAsync(), StringComparison.Ordinal);
    }
}
