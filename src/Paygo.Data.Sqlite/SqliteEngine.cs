using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Paygo.Core;
using Paygo.Core.Common;
using Paygo.Core.Storage;

namespace Paygo.Data.Sqlite;

/// <summary>
/// The embedded SQLite engine: a single file in WAL mode with <c>synchronous=FULL</c>, so an
/// acknowledged write survives a power cut (docs/adr/0003).
/// </summary>
public sealed class SqliteEngine : IStorageEngine
{
    public string Name => "SQLite";

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
        var path = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // WAL is a property of the file: set once, it stays.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
    }

    public Task InsertPriceRowsAsync(PaygoDbContext db, Guid priceListId, IReadOnlyList<Paygo.Rating.Pricing.PriceListRow> rows, IProgress<int>? progress, CancellationToken cancellationToken) =>
        SqlitePriceRows.InsertAsync(db, priceListId, rows, progress, cancellationToken);

    /// <summary>
    /// <c>synchronous</c> and <c>busy_timeout</c> are per connection, so they are set on every open.
    /// </summary>
    private sealed class DurabilityPragmas : DbConnectionInterceptor
    {
        public static readonly DurabilityPragmas Instance = new();

        private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
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
