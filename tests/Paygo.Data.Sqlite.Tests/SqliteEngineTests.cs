using Microsoft.EntityFrameworkCore;
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
}
