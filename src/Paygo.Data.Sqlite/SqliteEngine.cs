using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Paygo.Core;
using Paygo.Core.Common;
using Paygo.Core.Pricing;
using Paygo.Core.Storage;

namespace Paygo.Data.Sqlite;

/// <summary>
/// The embedded SQLite engine: a single file in WAL mode with <c>synchronous=FULL</c>, so an
/// acknowledged write survives a power cut (docs/adr/0003).
/// </summary>
public sealed class SqliteEngine : IStorageEngine
{
    public string Name => "SQLite";

    // The storage side of each feature that needs this engine's fast path (docs/adr/0023).
    private static readonly EngineFeatures Features = new EngineFeatures()
        .Add<IPriceRowBulkWriter>(new SqlitePriceRowBulkWriter())
        .Add<Paygo.Core.Usage.IUsageBulkWriter>(new SqliteUsageBulkWriter())
        .Add<Paygo.Core.Billing.IInvoiceRowsBulkWriter>(new SqliteInvoiceRowsBulkWriter());

    public IDatabaseErrors Errors { get; } = new SqliteDatabaseErrors();

    public bool Accepts(string connectionString) =>
        connectionString.TrimStart().StartsWith("Data Source=", StringComparison.OrdinalIgnoreCase)
        || connectionString.TrimStart().StartsWith("Filename=", StringComparison.OrdinalIgnoreCase);

    public void Validate(string connectionString) => _ = new SqliteConnectionStringBuilder(connectionString);

    public void Configure(DbContextOptionsBuilder options, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true };
        options.UseSqlite(builder.ToString(), sqlite => sqlite.MigrationsAssembly(typeof(SqliteEngine).Assembly.GetName().Name));
        options.AddInterceptors(DurabilityPragmas.Instance);
    }

    public string Describe(string connectionString) => new SqliteConnectionStringBuilder(connectionString).DataSource;

    public async Task PrepareAsync(PaygoDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var connection = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        var path = connection.DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder) && !Directory.Exists(folder))
        {
            // A folder made here (by `paygo admin bootstrap` or `paygo db migrate`) is as private as the server's data directory.
            Paygo.Core.Storage.OwnerOnly.CreateDirectory(folder);
        }

        if (connection.Mode != SqliteOpenMode.Memory && path is not ("" or ":memory:"))
        {
            KeepPrivate(Path.GetFullPath(path));
        }

        // WAL is a property of the file: set once, it stays.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    /// <summary>
    /// The database holds password hashes, TOTP secrets and every partner's billing data: only
    /// the server's user may read it. SQLite creates files with the process's umask (usually
    /// 0644), so the file is created here, empty (an empty file is an empty SQLite database),
    /// with 0600; SQLite then gives its -wal and -shm files the database file's mode. Files of
    /// an older instance are tightened on start.
    /// </summary>
    private static void KeepPrivate(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        if (!File.Exists(path))
        {
            try
            {
                using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another node of the same data directory created it first; its mode is fixed below.
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" })
        {
            if (File.Exists(file) && File.GetUnixFileMode(file) != OwnerOnly)
            {
                File.SetUnixFileMode(file, OwnerOnly);
            }
        }
    }

    public TFeature Feature<TFeature>()
        where TFeature : class => Features.Get<TFeature>(Name);

    /// <summary>
    /// <c>synchronous</c> and <c>busy_timeout</c> are per connection, so they are set on each
    /// connection SQLite opens. Microsoft.Data.Sqlite pools its native connections and EF opens
    /// one for every query, so the pragmas are sent once per native connection (remembered by its
    /// handle), not on every open: a read then costs one statement, not two (PROMISES P3).
    /// </summary>
    private sealed class DurabilityPragmas : DbConnectionInterceptor
    {
        public static readonly DurabilityPragmas Instance = new();

        private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";

        // Keyed by the native handle, which lives as long as the pooled connection behind it.
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> Prepared = [];

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            if (NeedsPragmas(connection))
            {
                using var command = connection.CreateCommand();
                command.CommandText = Pragmas;
                command.ExecuteNonQuery();
                Remember(connection);
            }
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            if (NeedsPragmas(connection))
            {
                await using var command = connection.CreateCommand();
                command.CommandText = Pragmas;
                await command.ExecuteNonQueryAsync(cancellationToken);
                Remember(connection);
            }
        }

        private static bool NeedsPragmas(DbConnection connection) =>
            connection is not SqliteConnection { Handle: { } handle } || !Prepared.TryGetValue(handle, out _);

        private static void Remember(DbConnection connection)
        {
            if (connection is SqliteConnection { Handle: { } handle })
            {
                Prepared.AddOrUpdate(handle, Prepared);
            }
        }
    }
}

/// <summary>Reads SQLite's "UNIQUE constraint failed: Table.Column" into the table name.</summary>
internal sealed class SqliteDatabaseErrors : IDatabaseErrors
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintUnique = 2067;
    private const int SqliteConstraintPrimaryKey = 1555;

    public bool IsUniqueViolation(DbUpdateException exception, out string table)
    {
        ArgumentNullException.ThrowIfNull(exception);
        table = string.Empty;
        if (exception.InnerException is not SqliteException { SqliteErrorCode: SqliteConstraint } sqlite
            || sqlite.SqliteExtendedErrorCode is not (SqliteConstraintUnique or SqliteConstraintPrimaryKey))
        {
            return false;
        }

        const string marker = "constraint failed: ";
        var at = sqlite.Message.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            var columns = sqlite.Message[(at + marker.Length)..];
            var dot = columns.IndexOf('.', StringComparison.Ordinal);
            table = dot > 0 ? columns[..dot].Trim() : columns.Trim();
        }

        return true;
    }
}
