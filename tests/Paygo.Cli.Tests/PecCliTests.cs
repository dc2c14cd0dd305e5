using System.Text.Json;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Cli.Tests;

/// <summary><c>paygo pec show</c> against a real server, on the demo Azure subscription of Tailspin Toys whose AOBO Owner ended on 14 October 2026 at 13:00.</summary>
public sealed class PecCliTests
{
    private static readonly string Azure = DemoCommerce.TailspinAzureSubscriptionId.ToString();

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PecShow_PrintsADayTable_WithThePartialDayAndItsGap(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var partner = new Dictionary<string, string> { ["PAYGO_TOKEN"] = await server.GetTokenAsync(TestUsers.ByEmail("adminagent@fabrikam.example")) };
        await using (var db = server.CreateDbContext())
        {
            Assert.Equal(1, await AccessTestData.ShapeAssignmentAsync(db, DemoCommerce.TailspinAzureSubscriptionId,
                new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 14, 13, 0, 0, TimeSpan.Zero), TestContext.Current.CancellationToken));
        }

        // Without --customer the command finds the customer and plan the Azure subscription is under.
        var (exitCode, output, error) = await CliRunner.RunAsync(server, partner, "pec", "show", Azure, "--month", "2026-10");

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n');
        Assert.Contains($"/subscriptions/{Azure} (subscription): 13 earned, 1 partial, 17 lost of 31 day(s).", output, StringComparison.Ordinal);
        var thirteenth = Assert.Single(lines, l => l.Contains("2026-10-13", StringComparison.Ordinal));
        Assert.Contains("earned", thirteenth, StringComparison.Ordinal);
        Assert.Contains($"covered by {Azure}", thirteenth, StringComparison.Ordinal);
        var fourteenth = Assert.Single(lines, l => l.Contains("2026-10-14", StringComparison.Ordinal));
        Assert.Contains("partial", fourteenth, StringComparison.Ordinal);
        Assert.Contains("gap from 13:00 to 24:00", fourteenth, StringComparison.Ordinal);
        var fifteenth = Assert.Single(lines, l => l.Contains("2026-10-15", StringComparison.Ordinal));
        Assert.Contains("lost: no access", fifteenth, StringComparison.Ordinal);

        var json = await CliRunner.RunAsync(server, partner, "pec", "show", Azure, "--month", "2026-10", "--customer", DemoCommerce.TailspinCustomerId.ToString(), "--json");
        Assert.True(json.ExitCode == 0, json.Error);
        using var document = JsonDocument.Parse(json.Output);
        Assert.Equal("partialDay", document.RootElement.GetProperty("resources")[0].GetProperty("days")[13].GetProperty("reason").GetString());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PecShow_BadMonthOrUnknownSubscription_ExitsOneSayingWhat(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var partner = new Dictionary<string, string> { ["PAYGO_TOKEN"] = await server.GetTokenAsync(TestUsers.ByEmail("adminagent@fabrikam.example")) };

        var badMonth = await CliRunner.RunAsync(server, partner, "pec", "show", Azure, "--month", "2026-13");
        var foreign = await CliRunner.RunAsync(server, partner, "pec", "show", DemoCommerce.LitwareAzureSubscriptionId.ToString(), "--month", "2026-10");

        Assert.Equal(1, badMonth.ExitCode);
        Assert.Contains("Error 3000", badMonth.Error, StringComparison.Ordinal);
        Assert.Contains("month (--month):", badMonth.Error, StringComparison.Ordinal);
        Assert.Equal(1, foreign.ExitCode);
        Assert.Contains($"No Azure subscription {DemoCommerce.LitwareAzureSubscriptionId}", foreign.Error, StringComparison.Ordinal);
    }
}
