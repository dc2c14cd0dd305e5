using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Paygo.Cli.Hosting;
using Paygo.Core;
using Paygo.Core.Storage;

namespace Paygo.Cli.Database;

/// <summary><c>paygo db migrate</c>: a local admin command that opens the database directly, no server needed.</summary>
internal static class DatabaseCommands
{
    public static Command Create(CliEnvironment environment)
    {
        var db = new Command("db", "Local database administration (opens the database directly).");
        db.Subcommands.Add(Migrate(environment));
        return db;
    }

    private static Command Migrate(CliEnvironment environment)
    {
        var local = new LocalDatabase();
        var demo = new Option<bool>("--demo") { Description = "Also seed the demo instance into an empty database." };
        var command = new Command("migrate", "Creates the database if needed and applies every pending migration.") { demo };
        local.AddTo(command);
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            var storage = local.Resolve(parsed, environment);
            await using var context = CoreServices.CreateContext(storage);
            try
            {
                await DatabaseSetup.MigrateAsync(context, storage, parsed.GetValue(demo), cancellationToken);
            }
            catch (DatabaseUnavailableException e)
            {
                throw new CliFailure(e.Message);
            }

            var applied = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
            environment.Output.WriteLine($"The {storage.Engine.Name} database at {storage.Description} is at migration {applied.LastOrDefault() ?? "(none)"} ({applied.Count} applied).");
            return 0;
        }));
        return command;
    }
}
