using System.CommandLine;
using System.Reflection;
using Paygo.Cli.Access;
using Paygo.Cli.Admin;
using Paygo.Cli.Agreements;
using Paygo.Cli.Audit;
using Paygo.Cli.Customers;
using Paygo.Cli.Database;
using Paygo.Cli.Demo;
using Paygo.Cli.Hosting;
using Paygo.Cli.Partners;
using Paygo.Cli.Pec;
using Paygo.Cli.Plans;
using Paygo.Cli.Pricing;
using Paygo.Cli.Rating;
using Paygo.Cli.Subscriptions;
using Paygo.Cli.Usage;

namespace Paygo.Cli;

/// <summary>
/// The <c>paygo</c> command tree. Each feature adds one command group here, built in its own
/// folder (Partners/, Database/, ...).
/// </summary>
internal static class PaygoCli
{
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken)
    {
        var root = Build(environment);
        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = environment.Output, Error = environment.Error }, cancellationToken);
    }

    public static RootCommand Build(CliEnvironment environment)
    {
        var server = ServerOption.Create(environment);
        var root = new RootCommand("paygo: the command line of Paygo, Azure plan commerce and billing.");
        root.Options.Add(server);
        root.Subcommands.Add(VersionCommand(environment));
        root.Subcommands.Add(LoginCommand.Create(environment, server));
        root.Subcommands.Add(DemoCommands.Create(environment));
        root.Subcommands.Add(DatabaseCommands.Create(environment));
        root.Subcommands.Add(AuditCommands.Create(environment));
        root.Subcommands.Add(AdminCommands.Create(environment));
        root.Subcommands.Add(PartnerCommands.Create(environment, server));
        root.Subcommands.Add(CustomerCommands.Create(environment, server));
        root.Subcommands.Add(AgreementCommands.Create(environment, server));
        root.Subcommands.Add(PlanCommands.Create(environment, server));
        root.Subcommands.Add(SubscriptionCommands.Create(environment, server));
        root.Subcommands.Add(PriceCommands.Create(environment, server));
        root.Subcommands.Add(FxCommands.Create(environment, server));
        root.Subcommands.Add(RateCommand.Create(environment));
        root.Subcommands.Add(PecCommands.Create(environment, server));
        root.Subcommands.Add(Paygo.Cli.Transitions.TransitionCommands.Create(environment, server));
        root.Subcommands.Add(UsageCommands.Create(environment, server));
        root.Subcommands.Add(AccessCommands.Create(environment, server));
        root.Subcommands.Add(Paygo.Cli.Budgets.BudgetCommands.Create(environment, server));
        root.Subcommands.Add(Paygo.Cli.Budgets.BudgetCommands.CreateNotifications(environment, server));
        root.Subcommands.Add(Paygo.Cli.Billing.BillingCommands.Create(environment, server));
        root.Subcommands.Add(Paygo.Cli.Invoices.InvoiceCommands.Create(environment, server));
        root.Subcommands.Add(Paygo.Cli.Reconcile.ReconcileCommand.Create(environment));
        return root;
    }

    public static string Version =>
        typeof(PaygoCli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static Command VersionCommand(CliEnvironment environment)
    {
        var command = new Command("version", "Prints the version of this paygo command.");
        command.SetAction(_ =>
        {
            environment.Output.WriteLine($"paygo {Version} (.NET {Environment.Version})");
            return 0;
        });
        return command;
    }
}
