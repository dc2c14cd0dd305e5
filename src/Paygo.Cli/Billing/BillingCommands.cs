using System.CommandLine;
using Paygo.Cli.Hosting;
using Paygo.Core.Billing;

namespace Paygo.Cli.Billing;

/// <summary><c>paygo billing close --month yyyy-MM</c>: starts a month close on the server and waits, showing its progress (docs/adr/0036).</summary>
internal static class BillingCommands
{
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.OrdinalIgnoreCase) { ["month"] = "--month" };

    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var billing = new Command("billing", "The month close: invoices and their files.");
        billing.Subcommands.Add(Close(environment, server));
        billing.Subcommands.Add(FocusCommand.Create(environment, server));
        return billing;
    }

    private static Command Close(CliEnvironment environment, Option<Uri> server)
    {
        var month = new Option<string>("--month") { Description = "The month to close, yyyy-MM (it must be over).", Required = true };
        var noWait = new Option<bool>("--no-wait") { Description = "Start the close and print its status without waiting for it." };
        var command = new Command("close", "Closes a month: rates it final, writes one invoice per partner and currency with its files, numbers them. Asking again answers the same run.")
        {
            month, noWait,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            CloseRunResource run;
            try
            {
                run = await api.PostAsync<CloseRunResource>("/v1/billing/closes", new { month = parsed.GetValue(month) }, Guid.NewGuid().ToString(), cancellationToken);
            }
            catch (CliFailure failure) when (failure.Fields.Count > 0)
            {
                throw failure.NamingOptions(OptionOfField);
            }

            var shown = string.Empty;
            while (!parsed.GetValue(noWait) && run.Status is CloseStatus.NotStarted or CloseStatus.Running)
            {
                var progress = $"{run.Month}: {run.Status}, {run.Progress.PartnersDone} of {run.Progress.PartnersTotal} partners";
                if (progress != shown)
                {
                    environment.Error.WriteLine(progress);
                    shown = progress;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
                run = await api.GetAsync<CloseRunResource>(CloseRunResource.PathOf(run.Id), null, cancellationToken);
            }

            environment.Output.WriteLine($"{run.Month}: {run.Status}, {run.Progress.PartnersDone} of {run.Progress.PartnersTotal} partners, {run.Progress.Invoices} invoice(s); run {run.Id}");
            if (run.Error is { } error)
            {
                throw new CliFailure($"Error {error.Code}: {error.Message}") { ApiCode = error.Code };
            }

            return run.Status == CloseStatus.Failed ? 1 : 0;
        }));
        return command;
    }
}
