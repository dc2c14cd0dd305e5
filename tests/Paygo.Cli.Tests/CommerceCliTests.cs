using System.Text.Json;
using System.Text.RegularExpressions;
using Paygo.Testing;

namespace Paygo.Cli.Tests;

/// <summary><c>paygo customers|agreements|plans</c> against a real server, signed in as the demo direct-bill partner's Admin agent.</summary>
public sealed partial class CommerceCliTests
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task CustomersCreate_ThenListWithSearch_FindsIt(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var partner = await PartnerAsync(server);

        var created = await CreateCustomerAsync(server, partner, "Proseware Ltd", "proseware");
        var searched = await CliRunner.RunAsync(server, partner, "customers", "list", "--search", "prose");
        var byDomain = await CliRunner.RunAsync(server, partner, "customers", "list", "--domain", "proseware.onmicrosoft", "--json");

        Assert.True(created.ExitCode == 0, created.Error);
        Assert.Contains("Created customer Proseware Ltd", created.Output, StringComparison.Ordinal);
        var id = CustomerId(created.Output);
        Assert.True(searched.ExitCode == 0, searched.Error);
        Assert.Contains(id, searched.Output, StringComparison.Ordinal);
        Assert.Contains("proseware.onmicrosoft.com", searched.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Tailspin", searched.Output, StringComparison.Ordinal);
        Assert.Contains("1 customer(s).", searched.Output, StringComparison.Ordinal);
        Assert.True(byDomain.ExitCode == 0, byDomain.Error);
        using var json = JsonDocument.Parse(byDomain.Output);
        var only = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(id, only.GetProperty("id").GetString());
        Assert.Equal("GB", only.GetProperty("billingProfile").GetProperty("defaultAddress").GetProperty("country").GetString());
    }

    [Fact]
    public async Task CustomersCreate_Invalid_ExitsOneNamingTheFieldAndOption()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var partner = await PartnerAsync(server);

        // A US address needs a state.
        var (exitCode, _, error) = await CliRunner.RunAsync(server, partner, "customers", "create", "--company", "Contoso US", "--domain", "contosous",
            "--email", "billing@contoso.example", "--country", "US", "--city", "Redmond", "--address", "1 Microsoft Way", "--postal-code", "98052",
            "--first-name", "Ann", "--last-name", "Lee");

        Assert.Equal(1, exitCode);
        Assert.Contains("Error 3000", error, StringComparison.Ordinal);
        Assert.Contains("billingProfile.defaultAddress.state (--state):", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomersCreate_SameRequestIdTwice_AddsOneCustomer()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var partner = await PartnerAsync(server);

        var first = await CreateCustomerAsync(server, partner, "Proseware Ltd", "proseware", "--request-id", "create-proseware-1");
        var retried = await CreateCustomerAsync(server, partner, "Proseware Ltd", "proseware", "--request-id", "create-proseware-1");
        var listed = await CliRunner.RunAsync(server, partner, "customers", "list", "--search", "Proseware", "--json");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(retried.ExitCode == 0, retried.Error);
        Assert.Equal(first.Output, retried.Output);
        using var json = JsonDocument.Parse(listed.Output);
        Assert.Single(json.RootElement.EnumerateArray());
    }

    [Fact]
    public async Task CustomersList_SearchOverSeveralPages_KeepsTheFilter()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var partner = await PartnerAsync(server);
        Assert.Equal(0, (await CreateCustomerAsync(server, partner, "Proseware East", "prosewareeast")).ExitCode);
        Assert.Equal(0, (await CreateCustomerAsync(server, partner, "Proseware West", "prosewarewest")).ExitCode);

        var firstPage = await CliRunner.RunAsync(server, partner, "customers", "list", "--search", "Proseware", "--size", "1");
        var all = await CliRunner.RunAsync(server, partner, "customers", "list", "--search", "Proseware", "--size", "1", "--all");

        Assert.True(firstPage.ExitCode == 0, firstPage.Error);
        Assert.Contains("Proseware East", firstPage.Output, StringComparison.Ordinal);
        Assert.Contains("more follow", firstPage.Output, StringComparison.Ordinal);
        Assert.True(all.ExitCode == 0, all.Error);
        Assert.Contains("Proseware West", all.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Wingtip", all.Output, StringComparison.Ordinal);
        Assert.Contains("2 customer(s).", all.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlansPurchase_WithoutMca_SaysToConfirmFirst_ThenTheSameRequestIdBuysOnce()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var partner = await PartnerAsync(server);
        var id = CustomerId((await CreateCustomerAsync(server, partner, "Proseware Ltd", "proseware")).Output);

        var refused = await CliRunner.RunAsync(server, partner, "plans", "purchase", id, "--request-id", "buy-proseware-plan");
        var future = await CliRunner.RunAsync(server, partner, "agreements", "confirm", id, "--first-name", "Ann", "--last-name", "Lee",
            "--email", "ann.lee@proseware.example", "--date-agreed", "2099-01-01");
        var confirmed = await ConfirmAsync(server, partner, id);
        var bought = await CliRunner.RunAsync(server, partner, "plans", "purchase", id, "--request-id", "buy-proseware-plan");
        var retried = await CliRunner.RunAsync(server, partner, "plans", "purchase", id, "--request-id", "buy-proseware-plan");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("paygo agreements confirm " + id, refused.Error, StringComparison.Ordinal);
        Assert.Single(refused.Error.Trim().Split('\n'));
        Assert.Equal(1, future.ExitCode);
        Assert.Contains("dateAgreed (--date-agreed): ", future.Error, StringComparison.Ordinal);
        Assert.True(confirmed.ExitCode == 0, confirmed.Error);
        Assert.True(bought.ExitCode == 0, bought.Error);
        Assert.Contains("Azure plan subscription: ", bought.Output, StringComparison.Ordinal);
        Assert.True(retried.ExitCode == 0, retried.Error);
        Assert.Equal(bought.Output, retried.Output);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AgreementsConfirmThenPlansPurchase_ShowListsThePlanAndOneAzureSubscription(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var partner = await PartnerAsync(server);
        var id = CustomerId((await CreateCustomerAsync(server, partner, "Proseware Ltd", "proseware")).Output);

        var confirmed = await ConfirmAsync(server, partner, id);
        var agreements = await CliRunner.RunAsync(server, partner, "agreements", "list", id, "--json");
        var bought = await CliRunner.RunAsync(server, partner, "plans", "purchase", id);
        var shown = await CliRunner.RunAsync(server, partner, "customers", "show", id);
        var shownJson = await CliRunner.RunAsync(server, partner, "customers", "show", id, "--json");

        Assert.True(confirmed.ExitCode == 0, confirmed.Error);
        Assert.Contains("accepted by Ann Lee <ann.lee@proseware.example> on 2025-01-15", confirmed.Output, StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(agreements.Output))
        {
            var agreement = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal("MicrosoftCustomerAgreement", agreement.GetProperty("type").GetString());
            Assert.Equal("adminagent@fabrikam.example", agreement.GetProperty("userEmail").GetString());
        }

        Assert.True(bought.ExitCode == 0, bought.Error);
        var plan = Regex.Match(bought.Output, "Azure plan subscription: (\\S+)").Groups[1].Value;
        var azure = Regex.Match(bought.Output, "Azure subscription: (\\S+)").Groups[1].Value;
        Assert.True(Guid.TryParse(plan, out _), bought.Output);
        Assert.True(Guid.TryParse(azure, out _), bought.Output);

        Assert.True(shown.ExitCode == 0, shown.Error);
        Assert.Contains("Proseware Ltd", shown.Output, StringComparison.Ordinal);
        Assert.Contains("ann.lee@proseware.example", shown.Output, StringComparison.Ordinal);
        Assert.Contains(plan, shown.Output, StringComparison.Ordinal);
        Assert.Contains("Azure plan", shown.Output, StringComparison.Ordinal);
        Assert.Contains(azure, shown.Output, StringComparison.Ordinal);

        Assert.True(shownJson.ExitCode == 0, shownJson.Error);
        using var details = JsonDocument.Parse(shownJson.Output);
        Assert.Equal(id, details.RootElement.GetProperty("customer").GetProperty("id").GetString());
        Assert.Single(details.RootElement.GetProperty("agreements").EnumerateArray());
        var subscription = Assert.Single(details.RootElement.GetProperty("subscriptions").EnumerateArray());
        Assert.Equal(plan, subscription.GetProperty("subscription").GetProperty("id").GetString());
        var azureSubscription = Assert.Single(subscription.GetProperty("azureSubscriptions").EnumerateArray());
        Assert.Equal(azure, azureSubscription.GetProperty("id").GetString());
    }

    [Fact]
    public async Task CustomersShow_UnknownCustomer_ExitsOne()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var partner = await PartnerAsync(server);

        var missing = await CliRunner.RunAsync(server, partner, "customers", "show", Guid.NewGuid().ToString());
        var malformed = await CliRunner.RunAsync(server, partner, "customers", "show", "not-a-guid");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("Error 1000", missing.Error, StringComparison.Ordinal);
        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("customerId: Not a GUID.", malformed.Error, StringComparison.Ordinal);
    }

    /// <summary>The demo direct-bill partner's Admin agent: it adds customers, attests the MCA and buys.</summary>
    private static async Task<Dictionary<string, string>> PartnerAsync(PaygoServer server) =>
        new() { ["PAYGO_TOKEN"] = await server.GetTokenAsync(TestUsers.ByEmail("adminagent@fabrikam.example")) };

    private static Task<(int ExitCode, string Output, string Error)> CreateCustomerAsync(
        PaygoServer server, Dictionary<string, string> partner, string company, string domain, params string[] more) =>
        CliRunner.RunAsync(server, partner, ["customers", "create", "--company", company, "--domain", domain, "--email", $"billing@{domain}.example",
            "--country", "GB", "--city", "London", "--address", "1 Poultry", "--postal-code", "EC2R 8EJ", "--first-name", "Ann", "--last-name", "Lee",
            "--culture", "en-GB", .. more]);

    private static Task<(int ExitCode, string Output, string Error)> ConfirmAsync(PaygoServer server, Dictionary<string, string> partner, string customerId) =>
        CliRunner.RunAsync(server, partner, "agreements", "confirm", customerId, "--first-name", "Ann", "--last-name", "Lee",
            "--email", "ann.lee@proseware.example", "--date-agreed", "2025-01-15");

    private static string CustomerId(string createOutput) => CustomerIdPattern().Match(createOutput).Groups[1].Value;

    [GeneratedRegex("\\(([0-9a-f-]{36})\\)")]
    private static partial Regex CustomerIdPattern();
}
