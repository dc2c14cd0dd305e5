using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Paygo.Cli.Hosting;
using Paygo.Core;
using Paygo.Core.Storage;
using Paygo.Data.Postgres;
using Paygo.Data.Sqlite;

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
        var database = new Option<string?>("--database") { Description = "PostgreSQL connection string (Host=...;Database=...) or Data Source=<file> (env PAYGO_DATABASE)." };
        var dataDirectory = new Option<string?>("--data-dir") { Description = "Data directory of the embedded SQLite database when --database is left out (env PAYGO_DATA_DIR; default ./data)." };
        var demo = new Option<bool>("--demo") { Description = "Also seed the demo instance into an empty database." };
        var command = new Command("migrate", "Creates the database if needed and applies every pending migration.") { database, dataDirectory, demo };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            StorageSettings storage;
            try
            {
                var sqlite = new SqliteEngine();
                storage = StorageSettings.Choose(
                    parsed.GetValue(database) ?? environment.Variable("PAYGO_DATABASE"),
                    parsed.GetValue(dataDirectory) ?? environment.Variable("PAYGO_DATA_DIR") ?? "./data",
                    sqlite,
                    [new PostgresEngine(), sqlite]);
            }
            catch (ArgumentException e)
            {
                throw new CliFailure($"The database connection string is not valid: {e.Message}");
            }

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
