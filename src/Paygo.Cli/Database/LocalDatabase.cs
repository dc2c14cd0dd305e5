using System.CommandLine;
using Paygo.Cli.Hosting;
using Paygo.Core.Storage;
using Paygo.Data.Postgres;
using Paygo.Data.Sqlite;

namespace Paygo.Cli.Database;

/// <summary>The <c>--database</c> and <c>--data-dir</c> options of local admin commands, and the storage they choose.</summary>
internal sealed class LocalDatabase
{
    public Option<string?> Database { get; } = new("--database")
    {
        Description = "PostgreSQL connection string (Host=...;Database=...) or Data Source=<file> (env PAYGO_DATABASE).",
    };

    public Option<string?> DataDirectory { get; } = new("--data-dir")
    {
        Description = "Data directory of the embedded SQLite database when --database is left out (env PAYGO_DATA_DIR; default ./data).",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Database);
        command.Options.Add(DataDirectory);
    }

    public StorageSettings Resolve(ParseResult parsed, CliEnvironment environment)
    {
        try
        {
            var sqlite = new SqliteEngine();
            return StorageSettings.Choose(
                parsed.GetValue(Database) ?? environment.Variable("PAYGO_DATABASE"),
                parsed.GetValue(DataDirectory) ?? environment.Variable("PAYGO_DATA_DIR") ?? "./data",
                sqlite,
                [new PostgresEngine(), sqlite]);
        }
        catch (ArgumentException e)
        {
            throw new CliFailure($"The database connection string is not valid: {e.Message}");
        }
    }
}
