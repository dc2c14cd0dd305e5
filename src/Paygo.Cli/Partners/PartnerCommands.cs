using System.CommandLine;
using System.Text.Json;
using Paygo.Cli.Hosting;
using Paygo.Core.Common;
using Paygo.Core.Partners;
using Spectre.Console;

namespace Paygo.Cli.Partners;

/// <summary><c>paygo partners list|create|domains</c>: partner onboarding and verified domains through the server's API.</summary>
internal static class PartnerCommands
{
    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var partners = new Command("partners", "List and onboard partners (operator).");
        partners.Subcommands.Add(List(environment, server));
        partners.Subcommands.Add(CreatePartner(environment, server));
        partners.Subcommands.Add(Domains(environment, server));
        return partners;
    }

    /// <summary><c>paygo partners domains list|set &lt;partnerId|operator&gt;</c>: the domains an organisation's users must be under.</summary>
    private static Command Domains(CliEnvironment environment, Option<Uri> server)
    {
        var domains = new Command("domains", "Verified domains of a partner or of the operator: users are created only under them.");
        var listOrganisation = new Argument<string>("partner") { Description = "The partner's tenant id, or 'operator'." };
        var list = new Command("list", "Lists the verified domains.") { listOrganisation };
        list.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var page = await api.GetAsync<CollectionPage<VerifiedDomainResource>>(DomainsPath(parsed.GetValue(listOrganisation)!), null, cancellationToken);
            PrintDomains(environment, page.Items);
            return 0;
        }));

        var setOrganisation = new Argument<string>("partner") { Description = "The partner's tenant id, or 'operator'." };
        var names = new Argument<string[]>("domains") { Description = "The whole list (none to clear it), such as contoso.com contoso.co.uk.", Arity = ArgumentArity.ZeroOrMore };
        var set = new Command("set", "Replaces the whole list of verified domains.") { setOrganisation, names };
        set.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            using var request = new HttpRequestMessage(HttpMethod.Put, DomainsPath(parsed.GetValue(setOrganisation)!))
            {
                Content = System.Net.Http.Json.JsonContent.Create(new VerifiedDomainsUpdate(parsed.GetValue(names) ?? []), options: PaygoJson.Options),
            };
            using var response = await api.SendRawAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw ApiClient.FailureOf(response, text);
            }

            PrintDomains(environment, JsonSerializer.Deserialize<CollectionPage<VerifiedDomainResource>>(text, PaygoJson.Options)!.Items);
            return 0;
        }));

        domains.Subcommands.Add(list);
        domains.Subcommands.Add(set);
        return domains;
    }

    private static string DomainsPath(string organisation) => $"/v1/partners/{Uri.EscapeDataString(organisation)}/domains";

    private static void PrintDomains(CliEnvironment environment, IReadOnlyList<VerifiedDomainResource> domains)
    {
        foreach (var domain in domains)
        {
            environment.Output.WriteLine(domain.Domain);
        }

        environment.Output.WriteLine($"{domains.Count} verified domain(s).");
    }

    private static Command List(CliEnvironment environment, Option<Uri> server)
    {
        var json = new Option<bool>("--json") { Description = "Print the partners as a JSON array instead of a table." };
        var pageSize = new Option<int>("--page-size") { Description = "Partners per request while paging through the list.", DefaultValueFactory = _ => SeekPaging.DefaultSize };
        var command = new Command("list", "Lists every partner, following the server's pages.") { json, pageSize };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var partners = new List<PartnerResource>();
            var path = $"/v1/partners?size={parsed.GetValue(pageSize)}";
            Dictionary<string, string>? headers = null;
            while (true)
            {
                CollectionPage<PartnerResource> page;
                try
                {
                    page = await api.GetAsync<CollectionPage<PartnerResource>>(path, headers, cancellationToken);
                }
                catch (CliFailure failure) when (failure.ApiCode == ErrorCodes.Forbidden)
                {
                    // The list of partners is the operator's; a partner's user only sees a bare 403 otherwise.
                    throw new CliFailure(
                        $"{failure.Message} Only the operator's users list partners; you are signed in as a partner's user. "
                        + "Your own customers: paygo customers list. Sign in as an operator user (e.g. admin@northwind-ops.example) to list partners.");
                }


                partners.AddRange(page.Items);
                if (page.Links.Next is not { } next)
                {
                    break;
                }

                path = next.Uri;
                headers = next.Headers.ToDictionary(h => h.Key, h => h.Value);
            }

            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(partners, PaygoJson.Options));
                return 0;
            }

            var table = new Table().AddColumns("Name", "Type", "PartnerID", "Country", "Currency", "Tenant id");
            foreach (var partner in partners)
            {
                table.AddRow(
                    Markup.Escape(partner.Name),
                    Markup.Escape(DisplayNames.Of(partner.PartnerType)),
                    partner.MpnId,
                    partner.Country,
                    partner.BillingCurrency,
                    partner.Id.ToString());
            }

            environment.Console.Write(table);
            environment.Console.WriteLine($"{partners.Count} partner(s).");
            return 0;
        }));
        return command;
    }

    private static Command CreatePartner(CliEnvironment environment, Option<Uri> server)
    {
        var name = new Option<string>("--name") { Description = "Company name.", Required = true };
        var type = new Option<string>("--type") { Description = "direct-bill, indirect-provider or indirect-reseller.", Required = true };
        var mpnId = new Option<string>("--mpn-id") { Description = "PartnerID (MPN id), digits.", Required = true };
        var country = new Option<string>("--country") { Description = "ISO 3166-1 alpha-2 country; fixes the billing currency.", Required = true };
        var tenantId = new Option<string?>("--tenant-id") { Description = "The partner's tenant id (GUID); generated when left out." };
        var requestId = new Option<string?>("--request-id") { Description = "MS-RequestId for a safe retry; a new GUID when left out." };
        var command = new Command("create", "Onboards a partner.") { name, type, mpnId, country, tenantId, requestId };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var request = new PartnerCreateRequest(
                parsed.GetValue(name),
                parsed.GetValue(type),
                parsed.GetValue(mpnId),
                parsed.GetValue(country),
                parsed.GetValue(tenantId));
            var partner = await api.PostAsync<PartnerResource>(
                "/v1/partners", request, parsed.GetValue(requestId) ?? Guid.NewGuid().ToString(), cancellationToken);
            environment.Output.WriteLine($"Created partner {partner.Name} ({partner.Id}), {partner.PartnerType}, PartnerID {partner.MpnId}, billed in {partner.BillingCurrency}.");
            return 0;
        }));
        return command;
    }
}
