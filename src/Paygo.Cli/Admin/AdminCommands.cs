using System.CommandLine;
using Paygo.Cli.Database;
using Paygo.Cli.Hosting;
using Paygo.Core;
using Paygo.Core.Audit;
using Paygo.Core.Identity;
using Paygo.Core.Storage;

namespace Paygo.Cli.Admin;

/// <summary><c>paygo admin bootstrap</c>: the first operator admin of a production instance (local, opens the database).</summary>
internal static class AdminCommands
{
    public static Command Create(CliEnvironment environment)
    {
        var admin = new Command("admin", "Local instance administration (opens the database directly).");
        var local = new LocalDatabase();
        var email = new Option<string>("--email") { Description = "E-mail of the operator's first Global admin.", Required = true };
        var name = new Option<string>("--name") { Description = "That person's display name.", Required = true };
        var organisation = new Option<string>("--organisation") { Description = "The operator organisation's name.", DefaultValueFactory = _ => "Paygo operator" };
        var url = new Option<string>("--url") { Description = "The server's public address, for the link.", DefaultValueFactory = _ => "http://localhost:5080" };
        var bootstrap = new Command("bootstrap", "Creates the operator's first Global admin and prints a one-time enrolment link, valid 24 hours.")
        {
            email, name, organisation, url,
        };
        local.AddTo(bootstrap);
        bootstrap.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            if (!Uri.TryCreate(parsed.GetValue(url), UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
            {
                throw new CliFailure($"--url must be the server's http or https address, not '{parsed.GetValue(url)}'.");
            }

            var storage = local.Resolve(parsed, environment);
            await using var db = CoreServices.CreateContext(storage);
            try
            {
                await DatabaseSetup.MigrateAsync(db, storage, seedDemo: false, cancellationToken);
            }
            catch (DatabaseUnavailableException e)
            {
                throw new CliFailure(e.Message);
            }

            var enrolment = new Enrolment(db, TimeProvider.System, new FixedActor(new Actor("paygo admin bootstrap", null, null)), AuditAnchorKey.LoadOrCreate(storage.KeysDirectory));
            var (token, error) = await enrolment.BootstrapAsync(parsed.GetValue(email)!, parsed.GetValue(name)!, parsed.GetValue(organisation)!, cancellationToken);
            if (error is not null)
            {
                throw new CliFailure(error.Description, error.Data);
            }

            var link = new Uri(baseAddress, $"/enrol?token={token}");
            environment.Output.WriteLine($"Created {parsed.GetValue(email)} as the operator's Global admin.");
            environment.Output.WriteLine($"Open this link within 24 hours to set a password and an authenticator app (it works once):");
            environment.Output.WriteLine(link.ToString());
            return 0;
        }));
        admin.Subcommands.Add(bootstrap);
        return admin;
    }
}
