using System.CommandLine;
using System.Globalization;
using Paygo.Cli.Hosting;
using Paygo.Core.RatedUsage;
using Paygo.Rating.Files;
using Spectre.Console;

namespace Paygo.Cli.RatedUsage;

/// <summary>
/// <c>paygo usage unbilled</c>: the open period's daily rated usage (docs/adr/0033) through
/// <c>GET /v1/invoices/unbilled/lineitems</c>, every page followed; written as the 55-column daily
/// rated usage CSV with <c>--out</c>, or summarised per customer, Azure subscription and meter.
/// </summary>
internal static class UnbilledCommand
{
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.OrdinalIgnoreCase)
    {
        ["period"] = "--period",
        ["customerId"] = "--customer",
        ["partnerId"] = "--partner",
    };

    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var customer = new Option<string?>("--customer") { Description = "Only this customer (its tenant id)." };
        var period = new Option<string>("--period") { Description = "current (this UTC month) or previous.", DefaultValueFactory = _ => "current" };
        period.AcceptOnlyFromAmong("current", "previous");
        var partner = new Option<string?>("--partner") { Description = "The billed partner (operator only; a partner reads its own)." };
        var output = new Option<FileInfo?>("--out") { Description = "Write the daily rated usage CSV (the 55 columns of Partner Center's file) here instead of a summary." };
        var command = new Command("unbilled",
            "Shows the unbilled daily rated usage of the current or previous month: a summary per customer, Azure subscription and meter, or with --out the daily rated usage CSV. Exit code 0, or 1 when the server refused.")
        {
            customer, period, partner, output,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var partnerId = parsed.GetValue(partner);
            var partnerQuery = partnerId is null ? string.Empty : "partnerId=" + Uri.EscapeDataString(partnerId);
            var items = new List<DailyRatedUsageLineItem>();
            try
            {
                // The billing currency is the partner's; its usage summary names it.
                var summary = await api.GetAsync<PartnerUsageSummaryResource>("/v1/usagesummary" + (partnerQuery.Length == 0 ? string.Empty : "?" + partnerQuery), null, cancellationToken);
                var path = $"{UnbilledUsage.Path}?provider=onetime&invoicelineitemtype=usagelineitems&currencycode={summary.CurrencyCode}&period={parsed.GetValue(period)}&size={UnbilledUsage.MaxPageSize}"
                    + (partnerQuery.Length == 0 ? string.Empty : "&" + partnerQuery)
                    + (parsed.GetValue(customer) is { } c ? "&customerId=" + Uri.EscapeDataString(c) : string.Empty);
                Dictionary<string, string>? headers = null;
                while (true)
                {
                    var page = await api.GetAsync<UnbilledLineItemPage>(path, headers, cancellationToken);
                    items.AddRange(page.Items);
                    if (page.Links.Next is not { } next)
                    {
                        break;
                    }

                    path = next.Uri;
                    headers = next.Headers.ToDictionary(h => h.Key, h => h.Value);
                }
            }
            catch (CliFailure failure) when (failure.Fields.Count > 0)
            {
                throw failure.NamingOptions(OptionOfField);
            }

            if (parsed.GetValue(output) is { } file)
            {
                await using (var writer = new CsvTableWriter(file.Create(), DailyRatedUsageFile.Table))
                {
                    foreach (var item in items)
                    {
                        writer.WriteCells(item.ToCells());
                    }
                }

                environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {items.Count} daily rated usage line(s) to {file.FullName}."));
                return 0;
            }

            Print(environment.Console, items);
            return 0;
        }));
        return command;
    }

    private static void Print(IAnsiConsole console, List<DailyRatedUsageLineItem> items)
    {
        if (items.Count == 0)
        {
            console.WriteLine("No unbilled usage in that period.");
            return;
        }

        var currency = items[0].BillingCurrency;
        var table = new Table().AddColumns("Customer", "Azure subscription", "Meter", "Days", "Quantity", "PEC days", $"Total ({currency})");
        foreach (var group in items.GroupBy(i => (i.CustomerName, i.EntitlementId, i.MeterName, i.MeterId)))
        {
            table.AddRow(
                Markup.Escape(group.Key.CustomerName),
                group.Key.EntitlementId,
                Markup.Escape($"{group.Key.MeterName} ({group.Key.MeterId})"),
                group.Select(i => i.UsageDate).Distinct().Count().ToString(CultureInfo.InvariantCulture),
                group.Sum(i => i.Quantity).ToString(CultureInfo.InvariantCulture),
                group.Where(i => i.HasPartnerEarnedCredit).Select(i => i.UsageDate).Distinct().Count().ToString(CultureInfo.InvariantCulture),
                group.Sum(i => i.BillingPreTaxTotal).ToString("0.00##", CultureInfo.InvariantCulture));
        }

        console.Write(table);
        console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{items.Count} line(s), {items.Sum(i => i.BillingPreTaxTotal):0.00##} {currency} before tax ({items.Sum(i => i.PricingPreTaxTotal):0.00##} USD), unrounded estimates."));
    }
}
