using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;

namespace Paygo.Core.Storage;

/// <summary>
/// One database engine Paygo runs on (SQLite or PostgreSQL): how to configure EF Core for it,
/// how it reports key violations, and how to describe it without leaking a password.
/// Implemented in the Data.* projects, which also hold each engine's migrations.
/// </summary>
public interface IStorageEngine
{
    /// <summary>Name for humans and logs: <c>SQLite</c>, <c>PostgreSQL</c>.</summary>
    string Name { get; }

    IDatabaseErrors Errors { get; }

    /// <summary>True when the connection string is meant for this engine.</summary>
    bool Accepts(string connectionString);

    /// <summary>Throws <see cref="ArgumentException"/> for a connection string the engine cannot parse.</summary>
    void Validate(string connectionString);

    void Configure(DbContextOptionsBuilder options, string connectionString);

    /// <summary>Where the database is, without secrets (host, port, database or file path).</summary>
    string Describe(string connectionString);

    /// <summary>Prepares what must exist before migrating (SQLite's folder and WAL mode).</summary>
    Task PrepareAsync(PaygoDbContext db, CancellationToken cancellationToken);

    /// <summary>
    /// The engine's implementation of a feature's storage interface, such as the price list's
    /// bulk writer (<c>Feature&lt;IPriceRowBulkWriter&gt;()</c>); throws <see cref="NotSupportedException"/> when it has none.
    /// </summary>
    TFeature Feature<TFeature>()
        where TFeature : class;
}
