using System.CommandLine;
using System.Globalization;
using Paygo.Cli.Hosting;
using Paygo.Core.Billing;
using Paygo.Core.Common;
using Spectre.Console;

namespace Paygo.Cli.Invoices;

/// <summary><c>paygo invoices list|show|download</c>: the invoices the signed-in user may see, and their two CSV files (docs/adr/0036).</summary>
internal static class InvoiceCommands
{
    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var invoices = new Command("invoices", "Invoices of closed months and their reconciliation and daily usage files.");
        invoices.Subcommands.Add(List(environment, server));
        invoices.Subcommands.Add(Show(environment, server));
        invoices.Subcommands.Add(Download(environment, server));
        return invoices;
    }

    private static Command List(CliEnvironment environment, Option<Uri> server)
    {
        var command = new Command("list", "Lists the invoices: number, partner, period, currency, subtotal, tax, total.");
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var page = await api.GetAsync<CollectionPage<InvoiceResource>>("/v1/invoices", null, cancellationToken);
            var table = new Table().AddColumns("Invoice", "Partner", "Period", "Currency", "Subtotal", "Tax", "Total");
            foreach (var invoice in page.Items)
            {
                table.AddRow(invoice.Id, invoice.PartnerId.ToString("D"), $"{invoice.BillingPeriodStartDate:yyyy-MM}", invoice.CurrencyCode,
                    Amount(invoice.Subtotal), Amount(invoice.TaxTotal), Amount(invoice.TotalCharges));
            }

            environment.Console.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Show(CliEnvironment environment, Option<Uri> server)
    {
        var id = new Argument<string>("id") { Description = "The invoice number, e.g. G000000001." };
        var command = new Command("show", "Shows an invoice with its files' SHA-256.") { id };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var invoice = await api.GetAsync<InvoiceResource>("/v1/invoices/" + Uri.EscapeDataString(parsed.GetValue(id)!), null, cancellationToken);
            var output = environment.Output;
            output.WriteLine($"Invoice      {invoice.Id}");
            output.WriteLine($"Partner      {invoice.PartnerId:D}");
            output.WriteLine($"Period       {invoice.BillingPeriodStartDate:yyyy-MM-dd} to {invoice.BillingPeriodEndDate:yyyy-MM-dd}");
            output.WriteLine($"Invoice date {invoice.InvoiceDate:yyyy-MM-dd}");
            output.WriteLine($"Subtotal     {Amount(invoice.Subtotal)} {invoice.CurrencyCode}");
            output.WriteLine($"Tax          {Amount(invoice.TaxTotal)} {invoice.CurrencyCode}");
            output.WriteLine($"Total        {Amount(invoice.TotalCharges)} {invoice.CurrencyCode}");
            output.WriteLine($"Recon file   {invoice.Files.Reconciliation.Sha256}");
            output.WriteLine($"Daily file   {invoice.Files.DailyUsage.Sha256}");
            return 0;
        }));
        return command;
    }

    private static Command Download(CliEnvironment environment, Option<Uri> server)
    {
        var id = new Argument<string>("id") { Description = "The invoice number, e.g. G000000001." };
        var file = new Option<string>("--file")
        {
            Description = "reconciliation (the 46-column invoice reconciliation file), dailyusage (the 55-column daily rated usage file), " +
                "statement (the invoice statement, PDF) or statement-html (the same statement as a printable HTML page).",
            Required = true,
        };
        file.AcceptOnlyFromAmong(InvoiceFileKinds.Reconciliation, InvoiceFileKinds.DailyUsage, StatementPdf, StatementHtml);
        var output = new Option<string>("--out") { Description = "The file to write.", Required = true };
        var command = new Command("download", "Downloads one of an invoice's CSV files as written at close, or its statement.") { id, file, output };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.ForTransfers(environment, parsed.GetValue(server)!);
            var invoice = Uri.EscapeDataString(parsed.GetValue(id)!);
            var path = parsed.GetValue(file) switch
            {
                StatementPdf => $"/v1/invoices/{invoice}/documents/statement",
                StatementHtml => $"/v1/invoices/{invoice}/documents/statement?format=html",
                var kind => $"/v1/invoices/{invoice}/files/{kind}",
            };
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            using var response = await api.SendRawAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ApiClient.FailureOf(response, await response.Content.ReadAsStringAsync(cancellationToken));
            }

            var target = parsed.GetValue(output)!;
            await using (var stream = File.Create(target))
            {
                await response.Content.CopyToAsync(stream, cancellationToken);
            }

            // The CSVs' hash is the one stored at close; a statement is rendered on request and has none.
            var sha = response.Headers.TryGetValues("X-Paygo-Sha256", out var values) ? $", SHA-256 {values.FirstOrDefault()}" : string.Empty;
            environment.Output.WriteLine($"Wrote {target} ({new FileInfo(target).Length.ToString(CultureInfo.InvariantCulture)} bytes{sha})");
            return 0;
        }));
        return command;
    }

    private const string StatementPdf = "statement";

    private const string StatementHtml = "statement-html";

    private static string Amount(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
