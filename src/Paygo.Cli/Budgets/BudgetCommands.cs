using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Paygo.Cli.Customers;
using Paygo.Cli.Hosting;
using Paygo.Core.Budgets;
using Paygo.Core.Common;
using Paygo.Core.Notifications;
using Spectre.Console;

namespace Paygo.Cli.Budgets;

/// <summary><c>paygo budgets show|set</c> and <c>paygo notifications list</c>, through the API (docs/adr/0034).</summary>
internal static class BudgetCommands
{
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.OrdinalIgnoreCase) { ["amount"] = "--amount" };

    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var budgets = new Command("budgets", "A customer's monthly spending budget.");
        budgets.Subcommands.Add(Show(environment, server));
        budgets.Subcommands.Add(Set(environment, server));
        return budgets;
    }

    public static Command CreateNotifications(CliEnvironment environment, Option<Uri> server)
    {
        var notifications = new Command("notifications", "The notifications sent to your organisation.");
        var size = new Option<int?>("--size") { Description = "How many, newest first (1 to 1000; 100 when left out)." };
        var list = new Command("list", "Lists the notifications sent to your organisation, newest first.") { size };
        list.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var path = "/v1/notifications" + (parsed.GetValue(size) is { } s ? "?size=" + s.ToString(CultureInfo.InvariantCulture) : string.Empty);
            var page = await api.GetAsync<CollectionPage<NotificationResource>>(path, null, cancellationToken);
            if (page.Items.Count == 0)
            {
                environment.Console.MarkupLine("No notifications.");
                return 0;
            }

            var table = new Table().AddColumns("Created (UTC)", "Kind", "Customer", "Subject", "Sent through", "Status");
            foreach (var n in page.Items)
            {
                table.AddRow(n.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), Markup.Escape(n.Kind), Markup.Escape(n.CustomerName ?? n.CustomerId?.ToString() ?? "-"),
                    Markup.Escape(n.Subject), Markup.Escape(n.SentThrough), Markup.Escape(n.Error is null ? n.Status : $"{n.Status}: {n.Error}"));
            }

            environment.Console.Write(table);
            return 0;
        }));
        notifications.Subcommands.Add(list);
        return notifications;
    }

    private static Argument<string> CustomerArgument()
    {
        var customerId = new Argument<string>("customerId") { Description = "The customer's tenant id (a GUID)." };
        customerId.Validators.Add(result =>
        {
            if (!Guid.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError("customerId: Not a GUID. A customer's id is its tenant id.");
            }
        });
        return customerId;
    }

    private static Command Show(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerArgument();
        var command = new Command("show", "Shows the customer's monthly spending budget (in the partner's billing currency).") { customerId };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var customer = Guid.Parse(parsed.GetValue(customerId)!);
            var budget = await api.GetAsync<SpendingBudgetResource>(PathOf(customer), null, cancellationToken);
            Print(environment, customer, budget);
            return 0;
        }));
        return command;
    }

    private static Command Set(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerArgument();
        var amount = new Option<decimal>("--amount") { Description = "The monthly budget, 0 or more with at most two decimals, e.g. 100.", Required = true };
        var command = new Command("set", "Sets the customer's monthly spending budget (Admin agent or Global admin of the billing partner).") { customerId, amount };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var customer = Guid.Parse(parsed.GetValue(customerId)!);
            using var request = new HttpRequestMessage(HttpMethod.Patch, PathOf(customer))
            {
                Content = JsonContent.Create(new { Amount = parsed.GetValue(amount), Attributes = new { ObjectType = SpendingBudgetResource.ObjectType } }),
            };
            using var response = await api.SendRawAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var failure = ApiClient.FailureOf(response, text);
                throw failure.Fields.Count > 0 ? failure.NamingOptions(OptionOfField) : failure;
            }

            Print(environment, customer, JsonSerializer.Deserialize<SpendingBudgetResource>(text, PaygoJson.Options)!);
            return 0;
        }));
        return command;
    }

    private static string PathOf(Guid customer) => $"{CustomerCommands.PathOf(customer.ToString())}/usagebudget";

    private static void Print(CliEnvironment environment, Guid customer, SpendingBudgetResource budget) =>
        environment.Output.WriteLine(budget.Amount is { } a
            ? $"Customer {customer}: monthly spending budget {a.ToString("0.00", CultureInfo.InvariantCulture)}"
            : $"Customer {customer}: no spending budget set.");
}
