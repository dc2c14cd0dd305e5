using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using Paygo.Cli.Customers;
using Paygo.Cli.Hosting;
using Paygo.Core.AzurePlans;
using Paygo.Core.Common;
using Paygo.Core.Orders;
using Spectre.Console;

namespace Paygo.Cli.Subscriptions;

/// <summary>
/// <c>paygo subscriptions ...</c>: a customer's subscriptions, the Azure subscriptions under its
/// Azure plan, and their lifecycle (reference §7.1-7.4, docs/adr/0026) through the server's API.
/// </summary>
internal static class SubscriptionCommands
{
    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var subscriptions = new Command("subscriptions", "A customer's subscriptions and the Azure subscriptions under its Azure plan.");
        subscriptions.Subcommands.Add(List(environment, server));
        subscriptions.Subcommands.Add(Show(environment, server));
        subscriptions.Subcommands.Add(AddAzure(environment, server));
        subscriptions.Subcommands.Add(CancelAzure(environment, server));
        subscriptions.Subcommands.Add(ReactivateAzure(environment, server));
        subscriptions.Subcommands.Add(ChangeStatus(environment, server, "suspend", "suspended",
            "Suspends the Azure plan; refused (900115) while one of its Azure subscriptions is active."));
        subscriptions.Subcommands.Add(ChangeStatus(environment, server, "reactivate", "active", "Reactivates a suspended Azure plan."));
        subscriptions.Subcommands.Add(ChangeStatus(environment, server, "cancel", "deleted",
            "Cancels the Azure plan for good; refused (900115) while one of its Azure subscriptions is active."));
        return subscriptions;
    }

    private static Argument<string> GuidArgument(string name, string description)
    {
        var argument = new Argument<string>(name) { Description = description };
        argument.Validators.Add(result =>
        {
            if (!Guid.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError($"{name}: Not a GUID.");
            }
        });
        return argument;
    }

    private static Argument<string> PlanArgument() => GuidArgument("subscriptionId", "The Azure plan's subscription id (a GUID).");

    private static Argument<string> AzureArgument() => GuidArgument("azureSubscriptionId", "The Azure subscription's id (its entitlement id, a GUID).");

    private static string PlanPath(string customerId, string planId) => $"{CustomerCommands.PathOf(customerId)}/subscriptions/{Uri.EscapeDataString(planId)}";

    private static Command List(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var json = new Option<bool>("--json") { Description = "Print the subscriptions and their Azure subscriptions as JSON." };
        var command = new Command("list", "Lists a customer's subscriptions with their Azure subscriptions.") { customerId, json };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var details = await CustomerCommands.SubscriptionDetailsAsync(api, CustomerCommands.PathOf(parsed.GetValue(customerId)!), cancellationToken);

            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(details, PaygoJson.Options));
                return 0;
            }

            var table = new Table().AddColumns("Subscription id", "Name", "Status", "Azure subscriptions");
            foreach (var d in details)
            {
                table.AddRow(d.Subscription.Id.ToString(), Markup.Escape(d.Subscription.FriendlyName), d.Subscription.Status,
                    Markup.Escape(d.AzureSubscriptions.Count == 0 ? "-" : string.Join("\n", d.AzureSubscriptions.Select(a => $"{a.Id} {a.FriendlyName} ({a.Status})"))));
            }

            environment.Console.Write(table);
            environment.Console.WriteLine($"{details.Count} subscription(s).");
            return 0;
        }));
        return command;
    }

    private static Command Show(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var planId = PlanArgument();
        var json = new Option<bool>("--json") { Description = "Print the subscription and its Azure subscriptions as JSON." };
        var command = new Command("show", "Shows one subscription and its Azure subscriptions.") { customerId, planId, json };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var path = PlanPath(parsed.GetValue(customerId)!, parsed.GetValue(planId)!);
            var subscription = await api.GetAsync<SubscriptionResource>(path, null, cancellationToken);
            var azure = subscription.Links.AzureEntitlements is { } link
                ? (await api.GetAsync<CollectionPage<AzureEntitlementResource>>(link.Uri, null, cancellationToken)).Items
                : [];
            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(new SubscriptionDetails(subscription, azure), PaygoJson.Options));
                return 0;
            }

            environment.Console.WriteLine($"{subscription.FriendlyName} ({subscription.Id}): {subscription.Status}, offer {subscription.OfferId}");
            foreach (var a in azure)
            {
                environment.Console.WriteLine($"  Azure subscription {a.Id}: {a.FriendlyName} ({a.Status})");
            }

            return 0;
        }));
        return command;
    }

    private static Command AddAzure(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var planId = PlanArgument();
        var name = new Option<string?>("--name") { Description = $"The Azure subscription's name (\"{Checkout.FirstAzureSubscriptionName}\" when left out)." };
        var requestId = RequestIdOption.Create();
        var command = new Command("add-azure", "Adds an Azure subscription to the Azure plan; the partner's AdminAgents become its Owner (Admin agent).")
        {
            customerId, planId, name, requestId,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var given = parsed.GetValue(requestId);
            var id = RequestIdOption.Resolve(given);
            var created = await RequestIdOption.RetryableAsync(given, id, () => api.PostAsync<AzureEntitlementResource>(
                PlanPath(parsed.GetValue(customerId)!, parsed.GetValue(planId)!) + "/azureEntitlements",
                new AzureSubscriptionCreateRequest(parsed.GetValue(name)), id, cancellationToken));
            environment.Output.WriteLine($"Added Azure subscription {created.FriendlyName} ({created.Id}) to Azure plan {created.SubscriptionId}: {created.Status}.");
            return 0;
        }));
        return command;
    }

    private static Command CancelAzure(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var planId = PlanArgument();
        var azureId = AzureArgument();
        var reason = new Option<string>("--reason") { Description = "Why: compromise or other.", Required = true };
        reason.AcceptOnlyFromAmong([.. AzureSubscriptions.CancellationReasons]);
        var command = new Command("cancel-azure", "Cancels an Azure subscription: active → inactive (a Global admin who is also an Admin agent).")
        {
            customerId, planId, azureId, reason,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var path = $"{PlanPath(parsed.GetValue(customerId)!, parsed.GetValue(planId)!)}/azureEntitlements/{Uri.EscapeDataString(parsed.GetValue(azureId)!)}/cancel";
            var cancelled = await api.PostAsync<AzureEntitlementResource>(path, new AzureSubscriptionCancelRequest(parsed.GetValue(reason)), Guid.NewGuid().ToString(), cancellationToken);
            environment.Output.WriteLine($"Cancelled Azure subscription {cancelled.Id}: {cancelled.Status}.");
            return 0;
        }));
        return command;
    }

    private static Command ReactivateAzure(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var planId = PlanArgument();
        var azureId = AzureArgument();
        var command = new Command("reactivate-azure", "Reactivates a cancelled Azure subscription while its plan is active (a Global admin who is also an Admin agent).")
        {
            customerId, planId, azureId,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var path = $"{PlanPath(parsed.GetValue(customerId)!, parsed.GetValue(planId)!)}/azureEntitlements/{Uri.EscapeDataString(parsed.GetValue(azureId)!)}/reactivate";
            var reactivated = await api.PostAsync<AzureEntitlementResource>(path, null, Guid.NewGuid().ToString(), cancellationToken);
            environment.Output.WriteLine($"Reactivated Azure subscription {reactivated.Id}: {reactivated.Status}.");
            return 0;
        }));
        return command;
    }

    /// <summary>suspend, reactivate, cancel: the PATCH of reference §7.3 with the ETag just read, so a change made meanwhile is a 412, not overwritten.</summary>
    private static Command ChangeStatus(CliEnvironment environment, Option<Uri> server, string verb, string status, string description)
    {
        var customerId = CustomerCommands.IdArgument();
        var planId = PlanArgument();
        var command = new Command(verb, description) { customerId, planId };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var path = PlanPath(parsed.GetValue(customerId)!, parsed.GetValue(planId)!);
            var current = await api.GetAsync<SubscriptionResource>(path, null, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Patch, path)
            {
                Content = JsonContent.Create(new SubscriptionPatchRequest(Status: status), options: PaygoJson.Options),
            };
            request.Headers.TryAddWithoutValidation("If-Match", ETags.Header(current.Attributes.Etag!));
            using var response = await api.SendRawAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ApiClient.FailureOf(response, text);
            }

            var changed = JsonSerializer.Deserialize<SubscriptionResource>(text, PaygoJson.Options)!;
            environment.Output.WriteLine($"Azure plan {changed.FriendlyName} ({changed.Id}): {changed.Status}.");
            return 0;
        }));
        return command;
    }
}
