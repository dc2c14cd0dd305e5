using Microsoft.EntityFrameworkCore;
using Npgsql;
using Paygo.Core;
using Paygo.Core.Storage;
using Paygo.Data.Postgres;
using Paygo.Data.Sqlite;

namespace Paygo.Testing;

/// <summary>
/// A fresh, migrated, empty database of one engine for one test, dropped afterwards.
/// SQLite: a file in a temporary folder. PostgreSQL: a database copied from a migrated
/// template (fast: no migrations per test), named after the build of the migrations.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private readonly string? _postgresAdmin;
    private readonly string? _postgresDatabase;

    private TestDatabase(string engine, StorageSettings storage, string dataDirectory, string? postgresAdmin, string? postgresDatabase)
    {
        Engine = engine;
        Storage = storage;
        DataDirectory = dataDirectory;
        _postgresAdmin = postgresAdmin;
        _postgresDatabase = postgresDatabase;
    }

    public string Engine { get; }

    public StorageSettings Storage { get; }

    /// <summary>A temporary data directory; for SQLite it holds the database file.</summary>
    public string DataDirectory { get; }

    /// <summary>What the server's <c>--database</c> takes: null for SQLite (the data directory's file).</summary>
    public string? DatabaseOption => Engine == Engines.Postgres ? Storage.ConnectionString : null;

    public static async Task<TestDatabase> CreateAsync(string engine, bool migrate = true)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("paygo-test-").FullName;
        var sqlite = new SqliteEngine();
        if (engine == Engines.Sqlite)
        {
            var storage = StorageSettings.Choose(null, dataDirectory, sqlite, [sqlite]);
            var database = new TestDatabase(engine, storage, dataDirectory, null, null);
            if (migrate)
            {
                await using var db = database.CreateContext();
                await DatabaseSetup.MigrateAsync(db, storage, seedDemo: false, CancellationToken.None);
            }

            return database;
        }

        var admin = Engines.RequirePostgres();
        var name = $"paygo_t_{Guid.NewGuid():N}";
        if (migrate)
        {
            var template = await EnsureTemplateAsync(admin);
            await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        }
        else
        {
            await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
        var postgres = new PostgresEngine();
        return new TestDatabase(engine, StorageSettings.Choose(connectionString, dataDirectory, sqlite, [postgres]), dataDirectory, admin, name);
    }

    public PaygoDbContext CreateContext() => CoreServices.CreateContext(Storage);

    /// <summary>The audit key in the data directory, the one a server on this database signs chain heads with.</summary>
    public Paygo.Core.Audit.AuditAnchorKey AuditKey => Paygo.Core.Audit.AuditAnchorKey.LoadOrCreate(Storage.KeysDirectory);

    public async ValueTask DisposeAsync()
    {
        if (_postgresAdmin is not null && _postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(_postgresAdmin, $"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)");
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A server under test may still hold a file for a moment; the OS cleans temp.
        }
    }

    /// <summary>
    /// The migrated template database, created once per build of the migrations and shared by
    /// test processes; an advisory lock keeps concurrent test projects from racing.
    /// </summary>
    private static async Task<string> EnsureTemplateAsync(string admin)
    {
        var build = typeof(PostgresEngine).Assembly.ManifestModule.ModuleVersionId.ToString("N")[..12];
        var template = $"paygo_tpl_{build}";
        await TemplateLock.WaitAsync();
        try
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(7265637)", connection))
            {
                await lockCommand.ExecuteNonQueryAsync();
            }

            try
            {
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
                exists.Parameters.AddWithValue("name", template);
                if (await exists.ExecuteScalarAsync() is null)
                {
                    var building = template + "_building";
                    await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)");
                    await ExecuteAsync(admin, $"CREATE DATABASE \"{building}\"");
                    var options = new DbContextOptionsBuilder<PaygoDbContext>();
                    var cs = new NpgsqlConnectionStringBuilder(admin) { Database = building, Pooling = false }.ToString();
                    new PostgresEngine().Configure(options, cs);
                    await using (var db = new PaygoDbContext(options.Options))
                    {
                        await db.Database.MigrateAsync();
                    }

                    await ExecuteAsync(admin, $"ALTER DATABASE \"{building}\" RENAME TO \"{template}\"");
                }
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(7265637)", connection);
                await unlock.ExecuteNonQueryAsync();
            }

            return template;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
