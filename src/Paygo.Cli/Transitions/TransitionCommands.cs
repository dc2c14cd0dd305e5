using System.CommandLine;
using System.Text.Json;
using Paygo.Cli.Customers;
using Paygo.Cli.Hosting;
using Paygo.Core.Common;
using Paygo.Core.Transitions;

namespace Paygo.Cli.Transitions;

/// <summary>
/// <c>paygo transition import-legacy|check|start|status</c>: the legacy MS-AZR-0145P import (the
/// operator) and the transition of a customer's legacy Azure subscriptions to the Azure plan
/// through Partner Center's productUpgrades routes (reference §6, docs/adr/0029).
/// </summary>
internal static class TransitionCommands
{
    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var transition = new Command("transition", "Transition from the legacy Microsoft Azure offer (MS-AZR-0145P) to the Azure plan.");
        transition.Subcommands.Add(ImportLegacy(environment, server));
        transition.Subcommands.Add(Check(environment, server));
        transition.Subcommands.Add(Start(environment, server));
        transition.Subcommands.Add(Status(environment, server));
        return transition;
    }

    private static Body UpgradeBody(string customerId) => new(customerId, ProductUpgrades.AzureFamily);

    private static Command ImportLegacy(CliEnvironment environment, Option<Uri> server)
    {
        var file = new Argument<FileInfo>("file") { Description = "The JSON file of legacy subscriptions (see samples/legacy-azure-import.json)." }.AcceptExistingOnly();
        var command = new Command("import-legacy", "The operator imports legacy MS-AZR-0145P subscriptions with their Azure subscription ids and role assignments; all or nothing.") { file };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            var path = parsed.GetValue(file)!;
            LegacyImportRequest request;
            try
            {
                // Read as the server will, so a malformed file is named here, before anything is sent.
                request = JsonSerializer.Deserialize<LegacyImportRequest>(await File.ReadAllTextAsync(path.FullName, cancellationToken), PaygoJson.Options)
                    ?? throw new CliFailure($"{path.Name} is empty.");
            }
            catch (JsonException e)
            {
                throw new CliFailure($"{path.Name} is not a legacy import file: {e.Message}");
            }

            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var result = await api.PostAsync<LegacyImportResult>("/v1/legacyAzureImports", request, Guid.NewGuid().ToString(), cancellationToken);
            environment.Output.WriteLine($"Imported {result.Subscriptions} legacy Azure subscription(s) for {result.Customers} customer(s), with {result.RoleAssignments} role assignment(s).");
            return 0;
        }));
        return command;
    }

    private static Command Check(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var command = new Command("check", "Says whether the customer can transition to the Azure plan now, and why not; exits 0 when it can, 1 when it cannot.") { customerId };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var id = parsed.GetValue(customerId)!;
            var answer = await api.PostAsync<ProductUpgradesEligibility>("/v1/productUpgrades/eligibility", UpgradeBody(id), Guid.NewGuid().ToString(), cancellationToken);
            if (answer.IsEligible)
            {
                environment.Output.WriteLine($"Customer {id} can transition to the Azure plan: run 'paygo transition start {id}'.");
                return 0;
            }

            environment.Output.WriteLine($"Customer {id} cannot transition now: {answer.Reason}");
            if (answer.UpgradeId is { } upgrade)
            {
                environment.Output.WriteLine($"Upgrade: {upgrade} ('paygo transition status {id}')");
            }

            return 1;
        }));
        return command;
    }

    private static Command Start(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var requestId = RequestIdOption.Create();
        var command = new Command("start", "Transitions the customer's legacy Azure subscriptions to the Azure plan (buying the plan if needed) and prints each one's status.")
        {
            customerId, requestId,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var id = parsed.GetValue(customerId)!;
            var given = parsed.GetValue(requestId);
            var resolved = RequestIdOption.Resolve(given);
            var status = await RequestIdOption.RetryableAsync(given, resolved,
                () => api.PostAsync<ProductUpgradesStatus>("/v1/productupgrades", UpgradeBody(id), resolved, cancellationToken));
            Print(environment, id, status);
            return 0;
        }));
        return command;
    }

    private static Command Status(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var upgradeId = new Argument<string?>("upgradeId") { Description = "The upgrade's id; the customer's upgrade when left out.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("status", "Shows the customer's upgrade: its status and, per Azure subscription, the transition date and status.") { customerId, upgradeId };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var id = parsed.GetValue(customerId)!;
            var upgrade = parsed.GetValue(upgradeId);
            if (upgrade is null)
            {
                var eligibility = await api.PostAsync<ProductUpgradesEligibility>("/v1/productUpgrades/eligibility", UpgradeBody(id), Guid.NewGuid().ToString(), cancellationToken);
                upgrade = eligibility.UpgradeId ?? throw new CliFailure($"Customer {id} has no upgrade yet: run 'paygo transition check {id}'.");
            }

            var status = await api.PostAsync<ProductUpgradesStatus>($"/v1/productUpgrades/{Uri.EscapeDataString(upgrade)}/status", UpgradeBody(id), Guid.NewGuid().ToString(), cancellationToken);
            Print(environment, id, status);
            return 0;
        }));
        return command;
    }

    private static void Print(CliEnvironment environment, string customerId, ProductUpgradesStatus status)
    {
        environment.Output.WriteLine($"Upgrade {status.Id} of customer {customerId}: {status.Status}");
        foreach (var line in status.LineItems)
        {
            environment.Output.WriteLine($"  Azure subscription {line.SourceProduct.Id} -> Azure plan {line.TargetProduct.Id}: {line.Status} {line.UpgradedDate:yyyy-MM-ddTHH:mm:ssZ}");
        }
    }

    /// <summary>Partner Center's <c>ProductUpgradeRequest</c> as the CLI sends it.</summary>
    private sealed record Body(string CustomerId, string ProductFamily);
}
