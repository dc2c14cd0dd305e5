using Microsoft.EntityFrameworkCore;
using Paygo.Testing;

namespace Paygo.Core.Tests;

/// <summary>What every engine must tell Core in the same words.</summary>
public sealed class StorageEngineTests
{
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task UniqueViolation_IsRecognisedWithItsTable(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();
        db.Partners.Add(TestData.Partner("5123456"));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        db.Partners.Add(TestData.Partner("5123456"));

        var exception = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));

        Assert.True(database.Storage.Engine.Errors.IsUniqueViolation(exception, out var table));
        Assert.Equal("Partners", table);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task OtherFailures_AreNotUniqueViolations(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var db = database.CreateContext();
        var partner = TestData.Partner("5123456");
        partner.Name = new string('x', 1000); // PostgreSQL: varchar(200) overflow; SQLite: no limit
        db.Partners.Add(partner);

        try
        {
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }
        catch (DbUpdateException exception)
        {
            Assert.False(database.Storage.Engine.Errors.IsUniqueViolation(exception, out _));
        }
    }
}
