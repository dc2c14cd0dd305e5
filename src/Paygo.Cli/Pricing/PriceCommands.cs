using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Paygo.Cli.Hosting;
using Paygo.Core.Common;
using Paygo.Core.Pricing;
using Paygo.Rating.Pricing;
using Spectre.Console;

namespace Paygo.Cli.Pricing;

/// <summary>
/// <c>paygo prices import|export|show|diff|list</c>: the Azure plan price lists of the server
/// (DOMAIN.md §6, ADR 0010). Imports and exports stream the file, so a 200 MB list is never held whole.
/// </summary>
internal static class PriceCommands
{
    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var prices = new Command("prices", "Import, export and look up Azure plan price lists (operator).");
        prices.Subcommands.Add(Import(environment, server));
        prices.Subcommands.Add(Export(environment, server));
        prices.Subcommands.Add(Show(environment, server));
        prices.Subcommands.Add(Diff(environment, server));
        prices.Subcommands.Add(List(environment, server));
        return prices;
    }

    public static Option<string> MarketOption(bool required = true) => new("--market")
    {
        Description = "Two-letter customer market, e.g. US.",
        Required = required,
    };

    public static Option<string> MonthOption(string name = "--month", string description = "The month as yyyyMM, e.g. 202611.") => new(name)
    {
        Description = description,
        Required = true,
    };

    public static Option<bool> NoProgressOption() => new("--no-progress")
    {
        Description = "Draw no progress bar (there is none anyway when standard error is not a terminal).",
    };

    public static Option<string?> OutOption(string what) => new("--out", "-o")
    {
        Description = $"Write the {what} to this file instead of standard output.",
    };

    private static string Escape(string? value) => Uri.EscapeDataString(value?.Trim() ?? string.Empty);

    private static Command Import(CliEnvironment environment, Option<Uri> server)
    {
        var file = new Argument<FileInfo>("file") { Description = "The price list CSV: Partner Center's 18 columns, USD." }.AcceptExistingOnly();
        var market = MarketOption();
        var month = MonthOption();
        var noProgress = NoProgressOption();
        var command = new Command("import", "Imports a market's price list for a month, all or nothing; a re-import replaces the month.")
        {
            file, market, month, noProgress,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.ForTransfers(environment, parsed.GetValue(server)!);
            var path = $"/v1/pricing/pricelists?market={Escape(parsed.GetValue(market))}&month={Escape(parsed.GetValue(month))}";
            var (status, body) = await FileTransfer.UploadAsync(api, path, parsed.GetValue(file)!, FileTransfer.ProgressConsole(environment, parsed.GetValue(noProgress)), cancellationToken);
            if (status != HttpStatusCode.Created)
            {
                return await RefusedAsync(environment, status, body);
            }

            var list = JsonSerializer.Deserialize<PriceListResource>(body, PaygoJson.Options)!;
            environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Imported {list.RowCount} row(s) into the {list.Market} price list of {list.Month} (SHA-256 {list.Sha256})."));
            return 0;
        }));
        return command;
    }

    /// <summary>A refused file prints its problems; any other error is reported as every command reports one.</summary>
    public static async Task<int> RefusedAsync(CliEnvironment environment, HttpStatusCode status, string body)
    {
        if (status == HttpStatusCode.BadRequest && await FileTransfer.PrintRefusalAsync(environment, body))
        {
            return CliRun.Failed;
        }

        using var response = new HttpResponseMessage(status);
        throw ApiClient.FailureOf(response, body);
    }

    private static Command Export(CliEnvironment environment, Option<Uri> server)
    {
        var market = MarketOption();
        var month = MonthOption();
        var output = OutOption("CSV");
        var noProgress = NoProgressOption();
        var command = new Command("export", "Writes a market's price list of a month as Partner Center's CSV (the file an import of it took, byte for byte).")
        {
            market, month, output, noProgress,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.ForTransfers(environment, parsed.GetValue(server)!);

            // Microsoft's price sheet path with the history timeline: the list of exactly that month,
            // zipped because a price list compresses to a fraction of its size on the wire.
            var path = $"/v1.0/sales/pricesheets(Market='{Escape(parsed.GetValue(market))}',PricesheetView='azure_consumption')/$value?timeline=history&month={Escape(parsed.GetValue(month))}";
            var target = parsed.GetValue(output);
            var bytes = await FileTransfer.DownloadAsync(environment, api, path, target, FileTransfer.ProgressConsole(environment, parsed.GetValue(noProgress)), acceptZip: true, cancellationToken);
            if (target is not null)
            {
                environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {bytes} bytes to {target}."));
            }

            return 0;
        }));
        return command;
    }

    private static Command Show(CliEnvironment environment, Option<Uri> server)
    {
        var meter = new Option<string>("--meter") { Description = "The meter id (MeterIds of the list, a GUID).", Required = true };
        var market = MarketOption();
        var date = new Option<string?>("--date") { Description = "The day as yyyy-MM-dd; today (UTC) when left out." };
        var term = new Option<string?>("--term") { Description = "TermDuration, when the meter has prices for several terms (e.g. payG-1)." };
        var json = new Option<bool>("--json") { Description = "Print the price as JSON." };
        var command = new Command("show", "Shows what a meter costs on a day: unit, effective period and tiers.") { meter, market, date, term, json };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var day = parsed.GetValue(date) ?? DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var termQuery = parsed.GetValue(term) is { Length: > 0 } t ? "&termDuration=" + Escape(t) : string.Empty;
            var price = await api.GetAsync<MeterPriceResource>(
                $"/v1/pricing/meters/{Escape(parsed.GetValue(meter))}?market={Escape(parsed.GetValue(market))}&date={Escape(day)}{termQuery}", null, cancellationToken);
            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(price, PaygoJson.Options));
                return 0;
            }

            var console = environment.Console;
            var termText = price.TermDuration.Length == 0 ? string.Empty : $", term {price.TermDuration}";
            console.MarkupLine(Markup.Escape($"Meter {price.MeterId} in {price.Market}{termText}, on {Date(price.Date)}"));
            console.MarkupLine(Markup.Escape($"Product: {price.ProductTitle} ({price.ProductId}), SKU {price.SkuTitle} ({price.SkuId})"));
            console.MarkupLine(Markup.Escape($"Unit: {price.UnitOfMeasure} (block size {Number(price.BlockSize)}), prices in {price.Currency}"));
            console.MarkupLine(Markup.Escape($"Effective: {Time(price.EffectiveStartDate)} to {Time(price.EffectiveEndDate)} UTC"));
            var table = new Table().AddColumns(
                new TableColumn("Tier"),
                new TableColumn("Min units").RightAligned(),
                new TableColumn("Max units").RightAligned(),
                new TableColumn($"Unit price ({Markup.Escape(price.Currency)})").RightAligned());
            for (var i = 0; i < price.Tiers.Count; i++)
            {
                var tier = price.Tiers[i];
                table.AddRow((i + 1).ToString(CultureInfo.InvariantCulture), Number(tier.TierMinimumUnits), Max(tier.TierMaximumUnits), Number(tier.UnitPrice));
            }

            console.Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Diff(CliEnvironment environment, Option<Uri> server)
    {
        var market = MarketOption();
        var from = MonthOption("--from", "The earlier month as yyyyMM.");
        var to = MonthOption("--to", "The later month as yyyyMM.");
        var json = new Option<bool>("--json") { Description = "Print the changes as a JSON array." };
        var command = new Command("diff", "Lists the meters added, removed, repriced or re-tiered from one month's list to another's.") { market, from, to, json };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var page = await api.GetAsync<CollectionPage<PriceChangeResource>>(
                $"/v1/pricing/diff?market={Escape(parsed.GetValue(market))}&from={Escape(parsed.GetValue(from))}&to={Escape(parsed.GetValue(to))}", null, cancellationToken);
            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(page.Items, PaygoJson.Options));
                return 0;
            }

            var range = $"{parsed.GetValue(market)!.Trim().ToUpperInvariant()} {parsed.GetValue(from)!.Trim()} → {parsed.GetValue(to)!.Trim()}";
            if (page.Items.Count == 0)
            {
                environment.Console.WriteLine($"No price changes ({range}).");
                return 0;
            }

            var table = new Table().AddColumns("Change", "Meter", "Term", "Before", "After");
            foreach (var change in page.Items)
            {
                table.AddRow(
                    Markup.Escape(DisplayNames.Of(change.Kind)),
                    Markup.Escape(change.MeterId),
                    Markup.Escape(change.TermDuration),
                    Markup.Escape(Tiers(change.Previous)),
                    Markup.Escape(Tiers(change.Current)));
            }

            environment.Console.Write(table);
            environment.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{page.Items.Count} change(s) ({range})."));
            return 0;
        }));
        return command;
    }

    private static Command List(CliEnvironment environment, Option<Uri> server)
    {
        var market = MarketOption(required: false);
        var json = new Option<bool>("--json") { Description = "Print the lists as a JSON array." };
        var command = new Command("list", "Lists the imported price lists, by market and newest month first.") { market, json };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var query = parsed.GetValue(market) is { Length: > 0 } m ? "?market=" + Escape(m) : string.Empty;
            var page = await api.GetAsync<CollectionPage<PriceListResource>>("/v1/pricing/pricelists" + query, null, cancellationToken);
            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(page.Items, PaygoJson.Options));
                return 0;
            }

            var table = new Table().AddColumns(
                new TableColumn("Market"), new TableColumn("Month"), new TableColumn("Rows").RightAligned(), new TableColumn("Imported"), new TableColumn("By"), new TableColumn("SHA-256"));
            foreach (var list in page.Items)
            {
                table.AddRow(
                    Markup.Escape(list.Market),
                    Markup.Escape(list.Month),
                    list.RowCount.ToString(CultureInfo.InvariantCulture),
                    list.ImportedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
                    Markup.Escape(list.ImportedBy ?? "-"),
                    Markup.Escape(list.Sha256[..Math.Min(12, list.Sha256.Length)]));
            }

            environment.Console.Write(table);
            environment.Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{page.Items.Count} price list(s)."));
            return 0;
        }));
        return command;
    }

    /// <summary>Tiers on one line: a flat price alone, else <c>0–100: 1; 100–100000: 0.80; 100000 and up: 0.50</c>.</summary>
    private static string Tiers(IReadOnlyList<PriceTierResource>? tiers)
    {
        if (tiers is null || tiers.Count == 0)
        {
            return "-";
        }

        if (tiers is [{ TierMaximumUnits: null } only])
        {
            return Number(only.UnitPrice);
        }

        return string.Join("; ", tiers.Select(t => t.TierMaximumUnits is { } max && max < PriceListRow.OpenEndedTierMax
            ? $"{Number(t.TierMinimumUnits)}–{Number(max)}: {Number(t.UnitPrice)}"
            : $"{Number(t.TierMinimumUnits)} and up: {Number(t.UnitPrice)}"));
    }

    // The open-ended tier has no maximum (or Microsoft's Int64.MaxValue sentinel).
    private static string Max(decimal? max) => max is { } value && value < PriceListRow.OpenEndedTierMax ? Number(value) : "and up";

    private static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Date(DateOnly value) => value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
