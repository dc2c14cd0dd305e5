using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Cli.Tests;

/// <summary><c>paygo transition import-legacy|check|start|status</c> against a real server: the sample file for the demo customer Wingtip, then its transition.</summary>
public sealed class TransitionCliTests
{
    private static readonly string Sample = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", "legacy-azure-import.json");

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ImportLegacy_ThenCheckStartStatus_TransitionsBothSubscriptions(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var partner = new Dictionary<string, string> { ["PAYGO_TOKEN"] = await server.GetTokenAsync(TestUsers.ByEmail("adminagent@fabrikam.example")) };
        var wingtip = DemoCommerce.WingtipCustomerId.ToString();

        var imported = await CliRunner.RunAsync(server, "transition", "import-legacy", Sample);
        var again = await CliRunner.RunAsync(server, "transition", "import-legacy", Sample);
        var noMca = await CliRunner.RunAsync(server, partner, "transition", "check", wingtip);
        var confirmed = await CliRunner.RunAsync(server, partner, "agreements", "confirm", wingtip, "--first-name", "Oliver", "--last-name", "Patel",
            "--email", "oliver.patel@wingtip.example", "--date-agreed", "2025-01-15");
        var check = await CliRunner.RunAsync(server, partner, "transition", "check", wingtip);
        var start = await CliRunner.RunAsync(server, partner, "transition", "start", wingtip);
        var status = await CliRunner.RunAsync(server, partner, "transition", "status", wingtip);
        var done = await CliRunner.RunAsync(server, partner, "transition", "check", wingtip);

        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains("Imported 2 legacy Azure subscription(s) for 1 customer(s), with 3 role assignment(s).", imported.Output, StringComparison.Ordinal);

        // All or nothing: the second import names each subscription already there.
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("subscriptions[0].azureSubscriptionId:", again.Error, StringComparison.Ordinal);
        Assert.Contains("subscriptions[1].roleAssignments[0].id:", again.Error, StringComparison.Ordinal);

        Assert.Equal(1, noMca.ExitCode);
        Assert.Contains("Microsoft Customer Agreement", noMca.Output, StringComparison.Ordinal);
        Assert.True(confirmed.ExitCode == 0, confirmed.Error);
        Assert.True(check.ExitCode == 0, check.Output + check.Error);
        Assert.True(start.ExitCode == 0, start.Error);
        Assert.Contains(": Completed", start.Output, StringComparison.Ordinal);
        Assert.Contains("Azure subscription 0b8d3e61-5c2a-4f7e-a1d4-000000000701 -> Azure plan", start.Output, StringComparison.Ordinal);
        Assert.Contains("Azure subscription 0b8d3e61-5c2a-4f7e-a1d4-000000000702 -> Azure plan", start.Output, StringComparison.Ordinal);
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Equal(start.Output, status.Output);
        Assert.Equal(1, done.ExitCode);
        Assert.Contains("already upgraded", done.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportLegacy_NotJson_IsRefusedBeforeSending()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var file = Path.GetTempFileName();
        await File.WriteAllTextAsync(file, "customerId,azureSubscriptionId\n", TestContext.Current.CancellationToken);
        try
        {
            var (exitCode, _, error) = await CliRunner.RunAsync(server, "transition", "import-legacy", file);
            Assert.Equal(1, exitCode);
            Assert.Contains("is not a legacy import file", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
