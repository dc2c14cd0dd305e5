using System.Text.Json;
using System.Text.RegularExpressions;
using Paygo.Core.Demo;
using Paygo.Testing;

namespace Paygo.Cli.Tests;

/// <summary><c>paygo subscriptions ...</c> against a real server on Contoso's customer Litware, as Contoso's Global admin (who is also its Admin agent).</summary>
public sealed partial class SubscriptionCliTests
{
    private static readonly string Customer = DemoCommerce.LitwareCustomerId.ToString();
    private static readonly string Plan = DemoCommerce.LitwarePlanId.ToString();
    private static readonly string First = DemoCommerce.LitwareAzureSubscriptionId.ToString();

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AddCancelSuspendReactivate_ThroughTheWholeLifecycle(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        var admin = new Dictionary<string, string> { ["PAYGO_TOKEN"] = await server.GetTokenAsync(TestUsers.ByEmail("admin@contoso-distribution.example")) };

        var added = await CliRunner.RunAsync(server, admin, "subscriptions", "add-azure", Customer, Plan, "--name", "Litware analytics", "--request-id", "add-litware-1");
        var retried = await CliRunner.RunAsync(server, admin, "subscriptions", "add-azure", Customer, Plan, "--name", "Litware analytics", "--request-id", "add-litware-1");
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Equal(added.Output, retried.Output);
        var second = AddedId().Match(added.Output).Groups[1].Value;
        Assert.True(Guid.TryParse(second, out _), added.Output);

        var listed = await CliRunner.RunAsync(server, admin, "subscriptions", "list", Customer, "--json");
        Assert.True(listed.ExitCode == 0, listed.Error);
        using (var json = JsonDocument.Parse(listed.Output))
        {
            var plan = Assert.Single(json.RootElement.EnumerateArray());
            Assert.Equal(2, plan.GetProperty("azureSubscriptions").GetArrayLength());
        }

        var refused = await CliRunner.RunAsync(server, admin, "subscriptions", "suspend", Customer, Plan);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Error 900115", refused.Error, StringComparison.Ordinal);

        var badReason = await CliRunner.RunAsync(server, admin, "subscriptions", "cancel-azure", Customer, Plan, First, "--reason", "boredom");
        Assert.NotEqual(0, badReason.ExitCode);
        foreach (var azure in new[] { First, second })
        {
            var cancelled = await CliRunner.RunAsync(server, admin, "subscriptions", "cancel-azure", Customer, Plan, azure, "--reason", "compromise");
            Assert.True(cancelled.ExitCode == 0, cancelled.Error);
            Assert.Contains("inactive", cancelled.Output, StringComparison.Ordinal);
        }

        var suspended = await CliRunner.RunAsync(server, admin, "subscriptions", "suspend", Customer, Plan);
        Assert.True(suspended.ExitCode == 0, suspended.Error);
        Assert.Contains(": suspended.", suspended.Output, StringComparison.Ordinal);

        var whileSuspended = await CliRunner.RunAsync(server, admin, "subscriptions", "reactivate-azure", Customer, Plan, First);
        Assert.Equal(1, whileSuspended.ExitCode);
        Assert.Contains("Error 900337", whileSuspended.Error, StringComparison.Ordinal);

        var reactivatedPlan = await CliRunner.RunAsync(server, admin, "subscriptions", "reactivate", Customer, Plan);
        Assert.True(reactivatedPlan.ExitCode == 0, reactivatedPlan.Error);
        Assert.Contains(": active.", reactivatedPlan.Output, StringComparison.Ordinal);
        var reactivated = await CliRunner.RunAsync(server, admin, "subscriptions", "reactivate-azure", Customer, Plan, First);
        Assert.True(reactivated.ExitCode == 0, reactivated.Error);
        Assert.Contains("Reactivated Azure subscription " + First + ": active.", reactivated.Output, StringComparison.Ordinal);

        var shown = await CliRunner.RunAsync(server, admin, "subscriptions", "show", Customer, Plan);
        Assert.True(shown.ExitCode == 0, shown.Error);
        Assert.Contains($"Azure subscription {First}: Microsoft Azure (active)", shown.Output, StringComparison.Ordinal);
        Assert.Contains($"Azure subscription {second}: Litware analytics (inactive)", shown.Output, StringComparison.Ordinal);

        var cancelPlan = await CliRunner.RunAsync(server, admin, "subscriptions", "cancel", Customer, Plan);
        Assert.Equal(1, cancelPlan.ExitCode);
        Assert.Contains("Error 900115", cancelPlan.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelAzure_ByAnAdminAgentWhoIsNotGlobalAdmin_ExitsOneWith900335()
    {
        await using var server = await PaygoServer.StartAsync(Engines.Sqlite);
        var agent = new Dictionary<string, string> { ["PAYGO_TOKEN"] = await server.GetTokenAsync(TestUsers.ByEmail("adminagent@fabrikam.example")) };

        var refused = await CliRunner.RunAsync(server, agent, "subscriptions", "cancel-azure", DemoCommerce.TailspinCustomerId.ToString(), DemoCommerce.TailspinPlanId.ToString(),
            DemoCommerce.TailspinAzureSubscriptionId.ToString(), "--reason", "other");
        var malformed = await CliRunner.RunAsync(server, agent, "subscriptions", "show", DemoCommerce.TailspinCustomerId.ToString(), "not-a-guid");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Error 900335", refused.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, malformed.ExitCode);
        Assert.Contains("subscriptionId: Not a GUID.", malformed.Error, StringComparison.Ordinal);
    }

    [GeneratedRegex("\\(([0-9a-f-]{36})\\)")]
    private static partial Regex AddedId();
}
