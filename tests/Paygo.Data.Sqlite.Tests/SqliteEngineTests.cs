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
    public async Task Pragmas_AreSentOncePerNativeConnection_NotOnEveryOpen()
    {
        // EF opens a connection for every query; the pool hands back the same native connection,
        // whose pragmas still hold, so sending them again would only double the statements of a read.
        await using var database = await TestDatabase.CreateAsync(Engines.Sqlite);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var db = database.CreateContext();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        var native = ((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection()).Handle;
        Assert.Equal(2L, await ScalarAsync(db, "PRAGMA synchronous;")); // set on the first open: FULL

        // A marker only the pool's copy of this native connection carries: NORMAL (1).
        await ScalarAsync(db, "PRAGMA synchronous=NORMAL;");
        await db.Database.CloseConnectionAsync();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);

        Assert.Same(native, ((Microsoft.Data.Sqlite.SqliteConnection)db.Database.GetDbConnection()).Handle);
        Assert.Equal(1L, await ScalarAsync(db, "PRAGMA synchronous;"));
        Assert.Equal(30000L, await ScalarAsync(db, "PRAGMA busy_timeout;"));

        // A new native connection gets them again.
        await db.Database.CloseConnectionAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await db.Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        Assert.Equal(2L, await ScalarAsync(db, "PRAGMA synchronous;"));
    }

    private static async Task<long?> ScalarAsync(Paygo.Core.PaygoDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken) as long?;
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
