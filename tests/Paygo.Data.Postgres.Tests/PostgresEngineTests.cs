using Microsoft.EntityFrameworkCore;
using Paygo.Core.Partners;
using Paygo.Core.Storage;
using Paygo.Data.Sqlite;
using Paygo.Testing;

namespace Paygo.Data.Postgres.Tests;

public sealed class PostgresEngineTests
{
    [Fact]
    public async Task UniqueViolation_IsRecognisedWithItsTable()
    {
        await using var database = await TestDatabase.CreateAsync(Engines.Postgres);
        var errors = database.Storage.Engine.Errors;
        await using var db = database.CreateContext();
        db.Partners.Add(NewPartner("5123456"));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        db.Partners.Add(NewPartner("5123456"));

        var exception = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        Assert.True(errors.IsUniqueViolation(exception, out var table));
        Assert.Equal("Partners", table);
    }

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

    private static Partner NewPartner(string mpnId) => new()
    {
        Id = Guid.NewGuid(),
        Name = "Tailspin",
        MpnId = mpnId,
        Country = "US",
        BillingCurrency = "USD",
        Type = PartnerType.DirectBill,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
