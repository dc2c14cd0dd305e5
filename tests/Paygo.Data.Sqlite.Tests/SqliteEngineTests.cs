using Microsoft.EntityFrameworkCore;
using Paygo.Core.Partners;
using Paygo.Core.Storage;
using Paygo.Testing;

namespace Paygo.Data.Sqlite.Tests;

public sealed class SqliteEngineTests
{
    [Fact]
    public async Task Connections_UseWalAndSynchronousFull()
    {
        await using var database = await TestDatabase.CreateAsync(Engines.Sqlite);
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = db.Database.GetDbConnection().CreateCommand();

        command.CommandText = "PRAGMA journal_mode;";
        var journal = (string?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        command.CommandText = "PRAGMA synchronous;";
        var synchronous = (long?)await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);

        Assert.Equal("wal", journal);
        Assert.Equal(2L, synchronous); // 2 = FULL
    }

    [Fact]
    public async Task UniqueViolation_IsRecognisedWithItsTable()
    {
        await using var database = await TestDatabase.CreateAsync(Engines.Sqlite);
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
    public void Choose_WithoutDatabase_PicksTheDataDirectoryFile()
    {
        var sqlite = new SqliteEngine();
        var storage = StorageSettings.Choose(null, "/tmp/paygo-data", sqlite, [sqlite]);

        Assert.Same(sqlite, storage.Engine);
        Assert.Equal("/tmp/paygo-data/paygo.db", storage.Description);
    }

    [Fact]
    public void Accepts_OnlySqliteConnectionStrings()
    {
        var sqlite = new SqliteEngine();
        Assert.True(sqlite.Accepts("Data Source=/var/paygo/paygo.db"));
        Assert.False(sqlite.Accepts("Host=db;Database=paygo"));
    }

    internal static Partner NewPartner(string mpnId) => new()
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
