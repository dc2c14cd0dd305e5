using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Paygo.Cli.Hosting;
using Paygo.Core.Agreements;
using Paygo.Core.AzurePlans;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Spectre.Console;

namespace Paygo.Cli.Customers;

/// <summary>A customer with its MCA attestations and subscriptions, as <c>paygo customers show --json</c> prints it.</summary>
internal sealed record CustomerDetails(CustomerResource Customer, IReadOnlyList<AgreementResource> Agreements, IReadOnlyList<SubscriptionDetails> Subscriptions);

/// <summary>A subscription and, for an Azure plan, its Azure subscriptions.</summary>
internal sealed record SubscriptionDetails(SubscriptionResource Subscription, IReadOnlyList<AzureEntitlementResource> AzureSubscriptions);

/// <summary><c>paygo customers list|show|create</c>: a partner's customers through the server's API (DOMAIN.md §3).</summary>
internal static class CustomerCommands
{
    /// <summary>Which option of <c>customers create</c> fills which field of the request, so a field error names what to fix.</summary>
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.OrdinalIgnoreCase)
    {
        ["billingProfile.companyName"] = "--company",
        ["billingProfile.email"] = "--email",
        ["billingProfile.culture"] = "--culture",
        ["billingProfile.language"] = "--language",
        ["companyProfile.domain"] = "--domain",
        ["billingProfile.defaultAddress.country"] = "--country",
        ["billingProfile.defaultAddress.city"] = "--city",
        ["billingProfile.defaultAddress.state"] = "--state",
        ["billingProfile.defaultAddress.addressLine1"] = "--address",
        ["billingProfile.defaultAddress.postalCode"] = "--postal-code",
        ["billingProfile.defaultAddress.firstName"] = "--first-name",
        ["billingProfile.defaultAddress.lastName"] = "--last-name",
        ["billingProfile.defaultAddress.phoneNumber"] = "--phone",
        ["associatedPartnerId"] = "--reseller",
    };

    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var customers = new Command("customers", "List, show and add customers (partner).");
        customers.Subcommands.Add(List(environment, server));
        customers.Subcommands.Add(Show(environment, server));
        customers.Subcommands.Add(CreateCustomer(environment, server));
        return customers;
    }

    /// <summary>The <c>customerId</c> argument of every command about one customer.</summary>
    public static Argument<string> IdArgument()
    {
        var argument = new Argument<string>("customerId") { Description = "The customer's id (its tenant id, a GUID)." };

        // An empty id would turn /v1/customers/{id}/carts into another route and a puzzling answer;
        // the server routes only GUIDs as customer ids (docs/adr/0016), so anything else is named here.
        argument.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(value))
            {
                result.AddError("customerId must not be empty.");
            }
            else if (!Guid.TryParse(value, out _))
            {
                result.AddError("customerId: Not a GUID. A customer's id is its tenant id, e.g. 7a3c0e55-1d2b-4c8e-9f10-000000000201.");
            }
        });
        return argument;
    }

    /// <summary>The path of a customer's resource; the id is escaped so that no argument can reach another route.</summary>
    public static string PathOf(string customerId) => $"/v1/customers/{Uri.EscapeDataString(customerId)}";

    /// <summary>A customer's subscriptions, each with the Azure subscriptions under it (<c>customers show</c>, <c>subscriptions list</c>).</summary>
    public static async Task<List<SubscriptionDetails>> SubscriptionDetailsAsync(ApiClient api, string customerPath, CancellationToken cancellationToken)
    {
        var subscriptions = await api.GetAsync<CollectionPage<SubscriptionResource>>(customerPath + "/subscriptions", null, cancellationToken);
        var details = new List<SubscriptionDetails>();
        foreach (var subscription in subscriptions.Items)
        {
            // Only an Azure plan links to Azure subscriptions; a license subscription has none to ask for.
            var azure = subscription.Links.AzureEntitlements is { } link
                ? (await api.GetAsync<CollectionPage<AzureEntitlementResource>>(link.Uri, null, cancellationToken)).Items
                : [];
            details.Add(new SubscriptionDetails(subscription, azure));
        }

        return details;
    }

    private static Command List(CliEnvironment environment, Option<Uri> server)
    {
        var search = new Option<string?>("--search") { Description = "Only customers whose company name starts with this (case-insensitive)." };
        var domain = new Option<string?>("--domain") { Description = "Only customers whose domain starts with this." };
        var size = new Option<int>("--size") { Description = "Customers per page.", DefaultValueFactory = _ => SeekPaging.DefaultSize };
        var all = new Option<bool>("--all") { Description = "Follow the pages to the end instead of printing the first page only." };
        var json = new Option<bool>("--json") { Description = "Print the customers as a JSON array instead of a table." };
        var command = new Command("list", "Lists customers by company name.") { search, domain, size, all, json };
        command.Validators.Add(result =>
        {
            // The API takes one filter per request.
            if (result.GetResult(search) is not null && result.GetResult(domain) is not null)
            {
                result.AddError("Give --search or --domain, not both.");
            }
        });
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var filter = parsed.GetValue(search) is { } name ? Filter("CompanyName", name)
                : parsed.GetValue(domain) is { } prefix ? Filter("Domain", prefix)
                : null;
            var query = filter is null ? string.Empty : "&filter=" + Uri.EscapeDataString(filter);
            var path = $"/v1/customers?size={parsed.GetValue(size)}{query}";
            Dictionary<string, string>? headers = null;
            var customers = new List<CustomerResource>();
            var more = false;
            while (true)
            {
                var page = await api.GetAsync<CollectionPage<CustomerResource>>(path, headers, cancellationToken);
                customers.AddRange(page.Items);
                if (page.Links.Next is not { } next)
                {
                    break;
                }

                if (!parsed.GetValue(all))
                {
                    more = true;
                    break;
                }

                // The next link repeats the search filter, as every page of a search must.
                path = next.Uri;
                headers = next.Headers.ToDictionary(h => h.Key, h => h.Value);
            }

            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(customers, PaygoJson.Options));
                return 0;
            }

            var table = new Table().AddColumns("Customer id", "Company", "Domain", "Country", "Reseller");
            foreach (var customer in customers)
            {
                table.AddRow(
                    customer.Id.ToString(),
                    Markup.Escape(customer.CompanyProfile.CompanyName),
                    Markup.Escape(customer.CompanyProfile.Domain),
                    Markup.Escape(customer.BillingProfile.DefaultAddress.Country),
                    Markup.Escape(customer.AssociatedPartnerId ?? "-"));
            }

            environment.Console.Write(table);
            environment.Console.WriteLine(more
                ? $"{customers.Count} customer(s) shown; more follow (--all lists them all)."
                : $"{customers.Count} customer(s).");
            return 0;
        }));
        return command;
    }

    private static Command Show(CliEnvironment environment, Option<Uri> server)
    {
        var id = IdArgument();
        var json = new Option<bool>("--json") { Description = "Print the customer, its attestations and subscriptions as one JSON object." };
        var command = new Command("show", "Shows a customer: profile, MCA attestations, subscriptions and their Azure subscriptions.") { id, json };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var path = PathOf(parsed.GetValue(id)!);
            var customer = await api.GetAsync<CustomerResource>(path, null, cancellationToken);
            var agreements = await api.GetAsync<CollectionPage<AgreementResource>>(path + "/agreements", null, cancellationToken);
            var details = await SubscriptionDetailsAsync(api, path, cancellationToken);
            var shown = new CustomerDetails(customer, agreements.Items, details);
            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(shown, PaygoJson.Options));
                return 0;
            }

            Print(environment.Console, shown);
            return 0;
        }));
        return command;
    }

    private static Command CreateCustomer(CliEnvironment environment, Option<Uri> server)
    {
        var company = new Option<string>("--company") { Description = "Company name.", Required = true };
        var domain = new Option<string>("--domain") { Description = "The tenant's domain, e.g. contoso.onmicrosoft.com (a bare prefix gets .onmicrosoft.com).", Required = true };
        var email = new Option<string>("--email") { Description = "Billing contact's e-mail address.", Required = true };
        var country = new Option<string>("--country") { Description = "ISO 3166-1 alpha-2 country: the customer's market.", Required = true };
        var city = new Option<string>("--city") { Description = "City.", Required = true };
        var address = new Option<string>("--address") { Description = "Street address (address line 1).", Required = true };
        var postalCode = new Option<string>("--postal-code") { Description = "Postal code.", Required = true };
        var state = new Option<string?>("--state") { Description = $"State or province (required in {string.Join(", ", CustomerRules.StateCountries.Order(StringComparer.Ordinal))})." };

        // The server requires the billing contact's name with every address, so --help says so.
        var firstName = new Option<string>("--first-name") { Description = "Billing contact's first name.", Required = true };
        var lastName = new Option<string>("--last-name") { Description = "Billing contact's last name.", Required = true };
        var culture = new Option<string>("--culture") { Description = "Billing culture.", DefaultValueFactory = _ => "en-US" };
        var language = new Option<string>("--language") { Description = "Billing language (2 letters).", DefaultValueFactory = _ => "en" };
        var reseller = new Option<string?>("--reseller") { Description = "Indirect provider only: the reseller of record (tenant id or PartnerID)." };
        var phone = new Option<string?>("--phone") { Description = "Billing contact's phone number." };
        var requestId = RequestIdOption.Create();
        var command = new Command("create", "Adds a customer.")
        {
            company, domain, email, country, city, address, postalCode, state, firstName, lastName, culture, language, reseller, phone, requestId,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var first = parsed.GetValue(firstName);
            var last = parsed.GetValue(lastName);
            var request = new CustomerCreateRequest(
                new CustomerBillingProfileDto(
                    first,
                    last,
                    parsed.GetValue(email),
                    parsed.GetValue(culture),
                    parsed.GetValue(language),
                    parsed.GetValue(company),
                    new AddressDto(
                        Country: parsed.GetValue(country),
                        City: parsed.GetValue(city),
                        State: parsed.GetValue(state),
                        AddressLine1: parsed.GetValue(address),
                        PostalCode: parsed.GetValue(postalCode),
                        FirstName: first,
                        LastName: last,
                        PhoneNumber: parsed.GetValue(phone))),
                new CustomerCompanyProfileDto(Domain: parsed.GetValue(domain)),
                parsed.GetValue(reseller));
            var given = parsed.GetValue(requestId);
            var id = RequestIdOption.Resolve(given);
            CustomerResource customer;
            try
            {
                customer = await RequestIdOption.RetryableAsync(given, id, () => api.PostAsync<CustomerResource>("/v1/customers", request, id, cancellationToken));
            }
            catch (CliFailure failure) when (failure.Fields.Count > 0)
            {
                throw failure.NamingOptions(OptionOfField);
            }

            var resellerText = customer.AssociatedPartnerId is { } r ? $", reseller of record {r}" : string.Empty;
            environment.Output.WriteLine(
                $"Created customer {customer.CompanyProfile.CompanyName} ({customer.Id}), domain {customer.CompanyProfile.Domain}, {customer.BillingProfile.DefaultAddress.Country}{resellerText}.");
            return 0;
        }));
        return command;
    }

    private static string Filter(string field, string value) =>
        JsonSerializer.Serialize(new Dictionary<string, string> { ["Field"] = field, ["Value"] = value, ["Operator"] = "starts_with" });

    private static void Print(IAnsiConsole console, CustomerDetails shown)
    {
        var customer = shown.Customer;
        var billing = customer.BillingProfile;
        var address = billing.DefaultAddress;
        var street = string.Join(", ", new[] { address.AddressLine1, address.AddressLine2, address.PostalCode is null ? address.City : $"{address.PostalCode} {address.City}", address.State }
            .Where(part => !string.IsNullOrWhiteSpace(part)));
        var profile = new Table().HideHeaders().AddColumns("Field", "Value");
        profile.AddRow("Customer", Markup.Escape($"{customer.CompanyProfile.CompanyName} ({customer.Id})"));
        profile.AddRow("Domain", Markup.Escape(customer.CompanyProfile.Domain));
        profile.AddRow("Country", Markup.Escape(address.Country));
        profile.AddRow("Address", Markup.Escape(street));
        profile.AddRow("Billing contact", Markup.Escape($"{billing.FirstName} {billing.LastName} <{billing.Email}>{(address.PhoneNumber is { } p ? ", " + p : string.Empty)}"));
        profile.AddRow("Culture, language", Markup.Escape($"{billing.Culture}, {billing.Language}"));
        profile.AddRow("Reseller of record", Markup.Escape(customer.AssociatedPartnerId ?? "-"));
        profile.AddRow("Added", Date(customer.CreatedDate));
        console.Write(profile);

        if (shown.Agreements.Count == 0)
        {
            console.WriteLine("No Microsoft Customer Agreement on record: run paygo agreements confirm before buying.");
        }
        else
        {
            console.Write(AgreementTable(shown.Agreements));
        }

        if (shown.Subscriptions.Count == 0)
        {
            console.WriteLine("No subscriptions.");
            return;
        }

        var subscriptions = new Table().AddColumns("Subscription id", "Offer", "Status", "Created", "Azure subscription id", "Azure name", "Azure status");
        foreach (var (subscription, azure) in shown.Subscriptions)
        {
            var offer = Markup.Escape(subscription.OfferName);
            var created = Date(subscription.CreationDate);
            if (azure.Count == 0)
            {
                subscriptions.AddRow(subscription.Id.ToString(), offer, Markup.Escape(DisplayNames.Of(subscription.Status)), created, "-", string.Empty, string.Empty);
                continue;
            }

            // One row per Azure subscription; the plan's own cells only on its first row.
            for (var i = 0; i < azure.Count; i++)
            {
                subscriptions.AddRow(
                    i == 0 ? subscription.Id.ToString() : string.Empty,
                    i == 0 ? offer : string.Empty,
                    i == 0 ? Markup.Escape(DisplayNames.Of(subscription.Status)) : string.Empty,
                    i == 0 ? created : string.Empty,
                    azure[i].Id.ToString(),
                    Markup.Escape(azure[i].FriendlyName),
                    Markup.Escape(DisplayNames.Of(azure[i].Status)));
            }
        }

        console.Write(subscriptions);
    }

    /// <summary>Attestations, newest first, with who attested: shared with <c>paygo agreements list</c>.</summary>
    public static Table AgreementTable(IEnumerable<AgreementResource> agreements)
    {
        var table = new Table().AddColumns("Agreement", "Date agreed", "Customer contact", "E-mail", "Phone", "Attested by", "Recorded");
        foreach (var agreement in agreements)
        {
            var contact = agreement.PrimaryContact;
            table.AddRow(
                Markup.Escape(DisplayNames.Of(agreement.Type)),
                Date(agreement.DateAgreed),
                Markup.Escape($"{contact.FirstName} {contact.LastName}"),
                Markup.Escape(contact.Email),
                Markup.Escape(contact.PhoneNumber ?? "-"),
                Markup.Escape(agreement.UserEmail ?? agreement.UserId),
                agreement.CreatedDate.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        }

        return table;
    }

    private static string Date(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
