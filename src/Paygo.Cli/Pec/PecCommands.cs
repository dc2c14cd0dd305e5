using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Paygo.Cli.Customers;
using Paygo.Cli.Hosting;
using Paygo.Core.AzurePlans;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Pec;
using Spectre.Console;

namespace Paygo.Cli.Pec;

/// <summary><c>paygo pec show</c>: the Partner Earned Credit evidence of one Azure subscription for a month, as a day table (docs/adr/0028).</summary>
internal static class PecCommands
{
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.OrdinalIgnoreCase) { ["month"] = "--month" };

    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var pec = new Command("pec", "Partner Earned Credit evidence.");
        pec.Subcommands.Add(Show(environment, server));
        return pec;
    }

    private static Command Show(CliEnvironment environment, Option<Uri> server)
    {
        var entitlementId = new Argument<string>("entitlementId") { Description = "The Azure subscription's id (a GUID)." };
        entitlementId.Validators.Add(result =>
        {
            if (!Guid.TryParse(result.GetValueOrDefault<string>(), out _))
            {
                result.AddError("entitlementId: Not a GUID. An Azure subscription's id looks like c1e8a7d2-3f4b-4a59-b6c0-000000000401.");
            }
        });
        var month = new Option<string?>("--month") { Description = "The month as yyyy-MM; this UTC month (up to today) when left out." };
        var customer = new Option<string?>("--customer") { Description = "The customer (tenant id) the Azure subscription belongs to; without it every customer you see is searched." };
        var json = new Option<bool>("--json") { Description = "Print the evidence as the API's JSON instead of a day table." };
        var command = new Command("show", "Shows, for each UTC day of a month, whether the Azure subscription earned PEC, why, and the assignments behind it.")
        {
            entitlementId, month, customer, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(customer) is { } c && !Guid.TryParse(c, out _))
            {
                result.AddError("--customer: Not a GUID. A customer's id is its tenant id.");
            }
        });
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var azure = Guid.Parse(parsed.GetValue(entitlementId)!);
            var found = await FindPlanAsync(api, azure, parsed.GetValue(customer), cancellationToken)
                ?? throw new CliFailure(parsed.GetValue(customer) is { } c
                    ? $"Customer {c} has no Azure subscription {azure} under an Azure plan you can see."
                    : $"No Azure subscription {azure} under the Azure plans of the customers you can see (give --customer to look in one customer).");
            var path = $"{CustomerCommands.PathOf(found.Customer)}/subscriptions/{found.Plan}/azureEntitlements/{azure}/pec";
            if (parsed.GetValue(month) is { } m)
            {
                path += "?month=" + Uri.EscapeDataString(m);
            }

            PecEvidenceResource evidence;
            try
            {
                evidence = await api.GetAsync<PecEvidenceResource>(path, null, cancellationToken);
            }
            catch (CliFailure failure) when (failure.Fields.Count > 0)
            {
                throw failure.NamingOptions(OptionOfField);
            }

            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(evidence, PaygoJson.Options));
                return 0;
            }

            Print(environment.Console, evidence);
            return 0;
        }));
        return command;
    }

    /// <summary>The customer and Azure plan an Azure subscription is under: in one customer, or in every customer the caller sees.</summary>
    private static async Task<(string Customer, Guid Plan)?> FindPlanAsync(ApiClient api, Guid azure, string? customer, CancellationToken cancellationToken)
    {
        foreach (var candidate in customer is not null ? [customer] : await CustomerIdsAsync(api, cancellationToken))
        {
            var subscriptions = await api.GetAsync<CollectionPage<SubscriptionResource>>(CustomerCommands.PathOf(candidate) + "/subscriptions", null, cancellationToken);
            foreach (var subscription in subscriptions.Items)
            {
                if (subscription.Links.AzureEntitlements is not { } link)
                {
                    continue;
                }

                var entitlements = await api.GetAsync<CollectionPage<AzureEntitlementResource>>(link.Uri, null, cancellationToken);
                if (entitlements.Items.Any(e => e.Id == azure))
                {
                    return (candidate, subscription.Id);
                }
            }
        }

        return null;
    }

    private static async Task<List<string>> CustomerIdsAsync(ApiClient api, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        var path = $"/v1/customers?size={SeekPaging.MaxSize}";
        Dictionary<string, string>? headers = null;
        while (true)
        {
            var page = await api.GetAsync<CollectionPage<CustomerResource>>(path, headers, cancellationToken);
            ids.AddRange(page.Items.Select(c => c.Id.ToString()));
            if (page.Links.Next is not { } next)
            {
                return ids;
            }

            path = next.Uri;
            headers = next.Headers.ToDictionary(h => h.Key, h => h.Value);
        }
    }

    private static void Print(IAnsiConsole console, PecEvidenceResource evidence)
    {
        var month = DateOnly.ParseExact(evidence.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MMMM yyyy", CultureInfo.InvariantCulture);
        console.WriteLine($"PEC evidence of Azure subscription {evidence.EntitlementId} (customer {evidence.CustomerId}, Azure plan {evidence.SubscriptionId}), {month}, "
            + $"{Day(evidence.FirstDay)} to {Day(evidence.LastDay)} UTC; access of partner {evidence.PartnerId}"
            + (evidence.ResellerPartnerId is { } r ? $" and reseller {r}" : string.Empty) + " counts.");
        foreach (var resource in evidence.Resources)
        {
            console.WriteLine($"{resource.ResourceId} ({DisplayNames.Of(resource.ScopeType).ToLowerInvariant()}): {resource.EarnedDays} earned, {resource.PartialDays} partial, {resource.LostDays} lost of {resource.Days.Count} day(s).");
            var table = new Table().AddColumns("Date", "Status", "PEC", "Why");
            foreach (var day in resource.Days)
            {
                table.AddRow(Day(day.Date), day.Status, $"{day.CreditPercent} %", Markup.Escape(day.Description));
            }

            console.Write(table);
        }
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
