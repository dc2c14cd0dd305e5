using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Paygo.Cli.Customers;
using Paygo.Cli.Hosting;
using Paygo.Core.Agreements;
using Paygo.Core.Common;
using Spectre.Console;

namespace Paygo.Cli.Agreements;

/// <summary>
/// <c>paygo agreements confirm|list</c>: the partner's attestation that a customer accepted the
/// Microsoft Customer Agreement, which every order needs (DOMAIN.md §3, reference §1.3).
/// </summary>
internal static class AgreementCommands
{
    /// <summary>Which option of <c>agreements confirm</c> fills which field of the request, so a field error names what to fix.</summary>
    private static readonly Dictionary<string, string> OptionOfField = new(StringComparer.OrdinalIgnoreCase)
    {
        ["primaryContact.firstName"] = "--first-name",
        ["primaryContact.lastName"] = "--last-name",
        ["primaryContact.email"] = "--email",
        ["primaryContact.phoneNumber"] = "--phone",
        ["dateAgreed"] = "--date-agreed",
    };

    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var agreements = new Command("agreements", "Confirm and list customers' Microsoft Customer Agreement attestations.");
        agreements.Subcommands.Add(Confirm(environment, server));
        agreements.Subcommands.Add(List(environment, server));
        return agreements;
    }

    private static Command Confirm(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var firstName = new Option<string>("--first-name") { Description = "First name of the customer's person who accepted.", Required = true };
        var lastName = new Option<string>("--last-name") { Description = "Last name of that person.", Required = true };
        var email = new Option<string>("--email") { Description = "E-mail address of that person.", Required = true };
        var phone = new Option<string?>("--phone") { Description = "Phone number of that person." };
        var dateAgreed = new Option<DateOnly?>("--date-agreed")
        {
            Description = "The day the customer accepted, YYYY-MM-DD (UTC); today when left out.",
            CustomParser = result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    return date;
                }

                result.AddError($"--date-agreed must be a date as YYYY-MM-DD, not '{text}'.");
                return null;
            },
        };
        var command = new Command("confirm", "Records that the customer accepted the Microsoft Customer Agreement (needed before any purchase).")
        {
            customerId, firstName, lastName, email, phone, dateAgreed,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);

            // The template id is the server's to say (Partner Center's agreement metadata), not a constant of this command.
            var metadata = await api.GetAsync<CollectionPage<AgreementMetadataResource>>(
                $"/v1/agreements?agreementType={AgreementTypes.MicrosoftCustomerAgreement}", null, cancellationToken);
            var template = metadata.Items.Count > 0
                ? metadata.Items[0]
                : throw new CliFailure("The server offers no Microsoft Customer Agreement template to confirm.");
            var day = parsed.GetValue(dateAgreed) ?? DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);
            var request = new AgreementCreateRequest(
                new ContactDto(parsed.GetValue(firstName), parsed.GetValue(lastName), parsed.GetValue(email), parsed.GetValue(phone)),
                template.TemplateId,
                day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z",
                AgreementTypes.MicrosoftCustomerAgreement);
            var id = parsed.GetValue(customerId)!;
            AgreementResource agreement;
            try
            {
                agreement = await api.PostAsync<AgreementResource>(CustomerCommands.PathOf(id) + "/agreements", request, Guid.NewGuid().ToString(), cancellationToken);
            }
            catch (CliFailure failure) when (failure.Fields.Count > 0)
            {
                throw failure.NamingOptions(OptionOfField);
            }

            var contact = agreement.PrimaryContact;
            environment.Output.WriteLine(
                $"Confirmed the Microsoft Customer Agreement for customer {id}: accepted by {contact.FirstName} {contact.LastName} <{contact.Email}> on {agreement.DateAgreed.UtcDateTime:yyyy-MM-dd}, attested by {agreement.UserEmail ?? agreement.UserId}.");
            return 0;
        }));
        return command;
    }

    private static Command List(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var json = new Option<bool>("--json") { Description = "Print the attestations as a JSON array instead of a table." };
        var command = new Command("list", "Lists a customer's attestations, newest first, with who attested.") { customerId, json };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var page = await api.GetAsync<CollectionPage<AgreementResource>>(CustomerCommands.PathOf(parsed.GetValue(customerId)!) + "/agreements", null, cancellationToken);
            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(page.Items, PaygoJson.Options));
                return 0;
            }

            if (page.Items.Count == 0)
            {
                environment.Output.WriteLine("No Microsoft Customer Agreement on record for this customer.");
                return 0;
            }

            environment.Console.Write(CustomerCommands.AgreementTable(page.Items));
            environment.Console.WriteLine($"{page.Items.Count} attestation(s).");
            return 0;
        }));
        return command;
    }
}
