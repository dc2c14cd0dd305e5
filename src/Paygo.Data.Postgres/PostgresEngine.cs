using Microsoft.EntityFrameworkCore;
using Npgsql;
using Paygo.Core;
using Paygo.Core.Common;
using Paygo.Core.Pricing;
using Paygo.Core.Storage;

namespace Paygo.Data.Postgres;

/// <summary>The PostgreSQL engine, chosen by a <c>Host=...;Database=...</c> connection string.</summary>
public sealed class PostgresEngine : IStorageEngine
{
    public string Name => "PostgreSQL";

    // The storage side of each feature that needs this engine's fast path (docs/adr/0023).
    private static readonly EngineFeatures Features = new EngineFeatures()
        .Add<IPriceRowBulkWriter>(new PostgresPriceRowBulkWriter())
        .Add<Paygo.Core.Usage.IUsageBulkWriter>(new PostgresUsageBulkWriter())
        .Add<Paygo.Core.Billing.IInvoiceRowsBulkWriter>(new PostgresInvoiceRowsBulkWriter());

    public IDatabaseErrors Errors { get; } = new PostgresDatabaseErrors();

    public bool Accepts(string connectionString) =>
        connectionString.Contains("Host=", StringComparison.OrdinalIgnoreCase)
        || connectionString.Contains("Server=", StringComparison.OrdinalIgnoreCase);

    public void Validate(string connectionString) => _ = new NpgsqlConnectionStringBuilder(connectionString);

    public void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly(typeof(PostgresEngine).Assembly.GetName().Name));

    public string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    public Task PrepareAsync(PaygoDbContext db, CancellationToken cancellationToken) => Task.CompletedTask;

    public TFeature Feature<TFeature>()
        where TFeature : class => Features.Get<TFeature>(Name);
}

/// <summary>SQLSTATE 23505 is PostgreSQL's unique violation; the exception names the table.</summary>
internal sealed class PostgresDatabaseErrors : IDatabaseErrors
{
    public bool IsUniqueViolation(DbUpdateException exception, out string table)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } postgres)
        {
            table = postgres.TableName ?? string.Empty;
            return true;
        }

        table = string.Empty;
        return false;
    }
}
