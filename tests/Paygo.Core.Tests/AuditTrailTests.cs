using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Testing;

namespace Paygo.Core.Tests;

/// <summary>PROMISES S7: one record per change, in its transaction, hash-chained; the verifier finds edits and deletions.</summary>
public sealed class AuditTrailTests
{
    private static async Task WriteAsync(TestDatabase database, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var db = database.CreateContext();
            await new AuditTrail(db, TimeProvider.System, new FixedActor(new Actor($"user{i}@example.com", null, $"corr-{i}")))
                .WriteAsync(new AuditEntry("test_event", "test", AuditEntry.Succeeded, ResourceNewValue: $"{{\"n\":{i}}}"), CancellationToken.None);
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Verify_AnUntouchedChain_IsWhole(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 5);
        await using var db = database.CreateContext();

        Assert.Null(await AuditTrail.VerifyAsync(db, CancellationToken.None));
        Assert.Equal([1L, 2, 3, 4, 5], await db.AuditRecords.OrderBy(r => r.Sequence).Select(r => r.Sequence).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Verify_AnEditedRecord_IsFoundAtItsPosition(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 5);
        await using (var db = database.CreateContext())
        {
            await db.AuditRecords.Where(r => r.Sequence == 3).ExecuteUpdateAsync(s => s.SetProperty(r => r.UserPrincipalName, "mallory@example.com"), TestContext.Current.CancellationToken);
        }

        await using var check = database.CreateContext();
        var broken = await AuditTrail.VerifyAsync(check, CancellationToken.None);

        Assert.Equal(3, broken!.Sequence);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Verify_ADeletedRecord_IsFound(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 5);
        await using (var db = database.CreateContext())
        {
            await db.AuditRecords.Where(r => r.Sequence == 2).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        await using var check = database.CreateContext();
        var broken = await AuditTrail.VerifyAsync(check, CancellationToken.None);

        Assert.Equal(2, broken!.Sequence);
        Assert.Contains("missing", broken.Reason, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Verify_ATruncatedTail_IsNotDetectable_ButARewrittenOneIs(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 3);
        await using (var db = database.CreateContext())
        {
            // Rewriting a record's content and hash without its successors' still breaks at the successor.
            var second = await db.AuditRecords.SingleAsync(r => r.Sequence == 2, TestContext.Current.CancellationToken);
            second.ResourceNewValue = "{\"n\":99}";
            second.Hash = AuditTrail.ComputeHash((await db.AuditRecords.SingleAsync(r => r.Sequence == 1, TestContext.Current.CancellationToken)).Hash, second);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var check = database.CreateContext();
        Assert.Equal(3, (await AuditTrail.VerifyAsync(check, CancellationToken.None))!.Sequence);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ConcurrentWriters_GetAGaplessChain(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            await using var db = database.CreateContext();
            await new AuditTrail(db, TimeProvider.System, new FixedActor(Actor.System))
                .WriteAsync(new AuditEntry("parallel", "test", AuditEntry.Succeeded, ResourceNewValue: i.ToString(System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None);
        }));

        await using var check = database.CreateContext();
        Assert.Equal(16, await check.AuditRecords.CountAsync(TestContext.Current.CancellationToken));
        Assert.Null(await AuditTrail.VerifyAsync(check, CancellationToken.None));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task FailedChange_LeavesNoAuditRecord(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using (var db = database.CreateContext())
        {
            db.Partners.Add(TestData.Partner("5123456"));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using (var db = database.CreateContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await new AuditTrail(db, TimeProvider.System, new FixedActor(Actor.System)).AppendAsync(new AuditEntry("create_partner", "partner", AuditEntry.Succeeded), CancellationToken.None);
            db.Partners.Add(TestData.Partner("5123456")); // same PartnerID: the save fails
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        }

        await using var check = database.CreateContext();
        Assert.Equal(0, await check.AuditRecords.CountAsync(TestContext.Current.CancellationToken));
    }
}
