using Microsoft.EntityFrameworkCore;
using Paygo.Core.Storage;
using Paygo.Data.Sqlite;
using Paygo.Testing;

namespace Paygo.Data.Postgres.Tests;

public sealed class PostgresEngineTests
{
    [Fact]
    public async Task Migrations_AreAllApplied()
    {
        await using var database = await TestDatabase.CreateAsync(Engines.Postgres);
        await using var db = database.CreateContext();

        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.Equal("PostgreSQL", database.Storage.Engine.Name);
    }

    [Fact]
    public void Choose_HostConnectionString_PicksPostgresAndHidesThePassword()
    {
        var postgres = new PostgresEngine();
        var storage = StorageSettings.Choose("Host=db.internal;Port=5433;Database=paygo;Username=paygo;Password=s3cret", "./data", new SqliteEngine(), [postgres]);

        Assert.Same(postgres, storage.Engine);
        Assert.Equal("db.internal:5433/paygo", storage.Description);
        Assert.DoesNotContain("s3cret", storage.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Choose_UnknownKeyword_IsAnArgumentException() =>
        Assert.ThrowsAny<ArgumentException>(() => StorageSettings.Choose("Host=db;Bogus=1", "./data", new SqliteEngine(), [new PostgresEngine()]));
}
