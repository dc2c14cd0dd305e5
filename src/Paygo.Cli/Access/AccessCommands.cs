using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Paygo.Cli.Hosting;
using Paygo.Cli.Pricing;
using Paygo.Core.Access;
using Paygo.Core.Common;

namespace Paygo.Cli.Access;

/// <summary>
/// <c>paygo access import|export|list|end</c>: the access store (DOMAIN.md §4, §10; docs/adr/0027).
/// Import and export move the access CSV; list shows a customer's records; end sets an open
/// record's end (the one change a record takes).
/// </summary>
internal static class AccessCommands
{
    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var access = new Command("access", "Import, export, list and end Azure RBAC access records (the history PEC is computed from).");
        access.Subcommands.Add(Import(environment, server));
        access.Subcommands.Add(Export(environment, server));
        access.Subcommands.Add(List(environment, server));
        access.Subcommands.Add(End(environment, server));
        return access;
    }

    private static Option<string> CustomerOption(bool required) => new("--customer") { Description = "The customer's id (tenant id).", Required = required };

    private static Option<string> SubscriptionOption() => new("--subscription") { Description = "Only this Azure subscription (entitlement id)." };

    private static Command Import(CliEnvironment environment, Option<Uri> server)
    {
        var file = new Argument<FileInfo>("file") { Description = "The access CSV: AssignmentId, Kind, PrincipalType, PrincipalId, PartnerId, RoleDefinitionName, Scope, Start, End." }.AcceptExistingOnly();
        var command = new Command("import", "Imports an access file, all or nothing; a refusal names each bad row and column.") { file };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.ForTransfers(environment, parsed.GetValue(server)!);
            var (status, body) = await FileTransfer.UploadAsync(api, "/v1/access/assignments", parsed.GetValue(file)!, progress: null, cancellationToken);
            if (status != HttpStatusCode.OK)
            {
                return await RefusedAsync(environment, status, body);
            }

            var imported = JsonSerializer.Deserialize<AccessImportResource>(body, PaygoJson.Options)!;
            environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Imported {imported.Rows} row(s): {imported.Recorded} recorded, {imported.Ended} ended, {imported.Unchanged} already recorded."));
            return 0;
        }));
        return command;
    }

    private static Command Export(CliEnvironment environment, Option<Uri> server)
    {
        var customer = CustomerOption(required: false);
        var subscription = SubscriptionOption();
        var output = PriceCommands.OutOption("access CSV");
        var command = new Command("export", "Writes the access CSV of every record you can see (corrected records left out); it imports back byte for byte.") { customer, subscription, output };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var query = Query(("customerId", parsed.GetValue(customer)), ("entitlementId", parsed.GetValue(subscription)));
            var target = parsed.GetValue(output);
            var bytes = await FileTransfer.DownloadAsync(environment, api, "/v1/access/assignments" + query, target, progress: null, acceptZip: false, cancellationToken);
            if (target is not null)
            {
                environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {bytes} bytes to {target}."));
            }

            return 0;
        }));
        return command;
    }

    private static Command List(CliEnvironment environment, Option<Uri> server)
    {
        var customer = CustomerOption(required: true);
        var subscription = SubscriptionOption();
        var state = new Option<string>("--state") { Description = "active, scheduled, ended or superseded (all when absent)." };
        var json = new Option<bool>("--json") { Description = "Print the page as JSON." };
        var command = new Command("list", "Lists a customer's access records, newest start first.") { customer, subscription, state, json };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var query = Query(("entitlementId", parsed.GetValue(subscription)), ("state", parsed.GetValue(state)), ("size", "1000"));
            var page = await api.GetAsync<AccessPage>($"/v1/customers/{Uri.EscapeDataString(parsed.GetValue(customer)!.Trim())}/access/assignments{query}", null, cancellationToken);
            if (parsed.GetValue(json))
            {
                environment.Output.WriteLine(JsonSerializer.Serialize(page, PaygoJson.Options));
                return 0;
            }

            environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{page.TotalCount} record(s)."));
            foreach (var r in page.Items)
            {
                var end = r.End is { } e ? e.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "open";
                environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Id}  {r.State,-10} {r.Kind,-5} {r.RoleDefinitionName} for {r.PrincipalType} {r.PrincipalId}{(r.PartnerId is null ? string.Empty : $" (PartnerID {r.PartnerId})")} on {r.Scope}, {r.Start:yyyy-MM-dd'T'HH:mm:ss'Z'} to {end}"));
            }

            return 0;
        }));
        return command;
    }

    private static Command End(CliEnvironment environment, Option<Uri> server)
    {
        var id = new Argument<string>("id") { Description = "The access record's id (the first column of paygo access list)." };
        var customer = CustomerOption(required: true);
        var at = new Option<DateTimeOffset?>("--at") { Description = "When it ended (UTC, ISO 8601); now when absent." };
        var command = new Command("end", "Ends an open access record; an end is set once (correct a record through the API or the dashboard).") { id, customer, at };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var record = await api.PostAsync<AccessAssignmentResource>(
                $"/v1/customers/{Uri.EscapeDataString(parsed.GetValue(customer)!.Trim())}/access/assignments/{Uri.EscapeDataString(parsed.GetValue(id)!.Trim())}/end",
                new AccessEndRequest(parsed.GetValue(at)?.ToUniversalTime()), Guid.NewGuid().ToString(), cancellationToken);
            environment.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Ended {record.AssignmentId} ({record.RoleDefinitionName} on {record.Scope}) at {record.End:yyyy-MM-dd'T'HH:mm:ss'Z'}."));
            return 0;
        }));
        return command;
    }

    /// <summary>A refused file prints its problems by row and column; any other error is reported as usual.</summary>
    private static async Task<int> RefusedAsync(CliEnvironment environment, HttpStatusCode status, string body)
    {
        AccessImportErrorBody? refused = null;
        try
        {
            refused = status == HttpStatusCode.BadRequest ? JsonSerializer.Deserialize<AccessImportErrorBody>(body, PaygoJson.Options) : null;
        }
        catch (JsonException)
        {
        }

        if (refused is { Code: AccessCodes.FileRefused, Data: not null })
        {
            await environment.Error.WriteLineAsync(refused.Description);
            foreach (var problem in refused.Data.Take(FileTransfer.ProblemsShown))
            {
                var where = problem.Column is null
                    ? string.Create(CultureInfo.InvariantCulture, $"row {problem.Row}")
                    : string.Create(CultureInfo.InvariantCulture, $"row {problem.Row}, column {problem.Column}");
                await environment.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {where}: {problem.Message} (code {problem.Code})"));
            }

            if (refused.ProblemCount > FileTransfer.ProblemsShown)
            {
                await environment.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  … and {refused.ProblemCount - FileTransfer.ProblemsShown} more"));
            }

            return CliRun.Failed;
        }

        using var response = new HttpResponseMessage(status);
        throw ApiClient.FailureOf(response, body);
    }

    private static string Query(params (string Name, string? Value)[] parts)
    {
        var given = parts.Where(p => !string.IsNullOrWhiteSpace(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!.Trim())}").ToList();
        return given.Count == 0 ? string.Empty : "?" + string.Join('&', given);
    }
}
