using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Paygo.Cli.Hosting;
using Paygo.Core.Common;
using Paygo.Core.Pricing;

namespace Paygo.Cli.Pricing;

/// <summary><c>paygo fx import|export|rate</c>: Microsoft's monthly FX rates and the PCToBCExchangeRate they give (DOMAIN.md §6).</summary>
internal static class FxCommands
{
    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var fx = new Command("fx", "Import and export FX rates; show a currency's PCToBCExchangeRate (operator).");
        fx.Subcommands.Add(Import(environment, server));
        fx.Subcommands.Add(Export(environment, server));
        fx.Subcommands.Add(Rate(environment, server));
        return fx;
    }

    private static string Escape(string? value) => Uri.EscapeDataString(value?.Trim() ?? string.Empty);

    private static Command Import(CliEnvironment environment, Option<Uri> server)
    {
        var file = new Argument<FileInfo>("file") { Description = "Microsoft's FX file: CurrencyCode, USDPerUnit, Month (yyyyMM)." }.AcceptExistingOnly();
        var command = new Command("import", "Imports FX rates, all or nothing; each month in the file replaces that month's rates.") { file };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.ForTransfers(environment, parsed.GetValue(server)!);

            // A few kilobytes: no progress bar to draw.
            var (status, body) = await FileTransfer.UploadAsync(api, "/v1/pricing/fxrates", parsed.GetValue(file)!, progress: null, cancellationToken);
            if (status != HttpStatusCode.Created)
            {
                return await PriceCommands.RefusedAsync(environment, status, body);
            }

            var imported = JsonSerializer.Deserialize<FxRateBook.FxImportResource>(body, PaygoJson.Options)!;
            environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Imported {imported.Rates} rate(s) for {string.Join(", ", imported.Months)}."));
            return 0;
        }));
        return command;
    }

    private static Command Export(CliEnvironment environment, Option<Uri> server)
    {
        var month = PriceCommands.MonthOption();
        var output = PriceCommands.OutOption("FX file");
        var command = new Command("export", "Writes a month's FX rates as Microsoft's FX file.") { month, output };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var target = parsed.GetValue(output);
            var bytes = await FileTransfer.DownloadAsync(environment, api, $"/v1.0/sales/fxrates(Month='{Escape(parsed.GetValue(month))}')/$value", target, progress: null, acceptZip: false, cancellationToken);
            if (target is not null)
            {
                environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {bytes} bytes to {target}."));
            }

            return 0;
        }));
        return command;
    }

    private static Command Rate(CliEnvironment environment, Option<Uri> server)
    {
        var currency = new Option<string>("--currency") { Description = "ISO 4217 billing currency, e.g. EUR.", Required = true };
        var month = PriceCommands.MonthOption();
        var json = new Option<bool>("--json") { Description = "Print the rate as JSON." };
        var command = new Command("rate", "Shows the PCToBCExchangeRate of a currency for a month (1 / USDPerUnit, 9 decimals).") { currency, month, json };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var rate = await api.GetAsync<ExchangeRateResource>(
                $"/v1/pricing/exchangerates?currency={Escape(parsed.GetValue(currency))}&month={Escape(parsed.GetValue(month))}", null, cancellationToken);
            environment.Output.WriteLine(parsed.GetValue(json)
                ? JsonSerializer.Serialize(rate, PaygoJson.Options)
                : string.Create(CultureInfo.InvariantCulture, $"PCToBCExchangeRate {rate.Currency} {rate.Month}: {rate.PcToBcExchangeRate} (1 USD = {rate.PcToBcExchangeRate} {rate.Currency})."));
            return 0;
        }));
        return command;
    }
}
