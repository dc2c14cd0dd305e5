using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Testing;

namespace Paygo.Core.Tests;

/// <summary>PROMISES S7: one record per change, in its transaction, hash-chained; the verifier finds edits and deletions.</summary>
public sealed class AuditTrailTests
{
    private static readonly Guid PartnerA = Guid.Parse("a0000000-0000-0000-0000-00000000000a");
    private static readonly Guid PartnerB = Guid.Parse("b0000000-0000-0000-0000-00000000000b");

    private static async Task WriteAsync(TestDatabase database, int count, Guid? partnerId)
    {
        for (var i = 0; i < count; i++)
        {
            await using var db = database.CreateContext();
            await new AuditTrail(db, TimeProvider.System, new FixedActor(Actor.System), database.AuditKey)
                .WriteAsync(new AuditEntry("test_event", "test", AuditEntry.Succeeded, PartnerId: partnerId, ResourceNewValue: $"{{\"n\":{i}}}"), CancellationToken.None);
        }
    }

    private static async Task WriteAsync(TestDatabase database, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await using var db = database.CreateContext();
            await new AuditTrail(db, TimeProvider.System, new FixedActor(new Actor($"user{i}@example.com", null, $"corr-{i}")), database.AuditKey)
                .WriteAsync(new AuditEntry("test_event", "test", AuditEntry.Succeeded, ResourceNewValue: $"{{\"n\":{i}}}"), CancellationToken.None);
        }
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Verify_AnUntouchedChain_IsWhole(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 5);
        await using var db = database.CreateContext();

        Assert.Null((await AuditTrail.VerifyAsync(db, database.AuditKey, CancellationToken.None)).FirstBreak);
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
        var broken = (await AuditTrail.VerifyAsync(check, database.AuditKey, CancellationToken.None)).FirstBreak;

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
        var broken = (await AuditTrail.VerifyAsync(check, database.AuditKey, CancellationToken.None)).FirstBreak;

        Assert.Equal(2, broken!.Sequence);
        Assert.Contains("missing", broken.Reason, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Verify_ARewrittenRecord_BreaksAtItsSuccessor(string engine)
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
        Assert.Equal(3, ((await AuditTrail.VerifyAsync(check, database.AuditKey, CancellationToken.None)).FirstBreak)!.Sequence);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ConcurrentWriters_GetAGaplessChain(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);

        await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
        {
            await using var db = database.CreateContext();
            await new AuditTrail(db, TimeProvider.System, new FixedActor(Actor.System), database.AuditKey)
                .WriteAsync(new AuditEntry("parallel", "test", AuditEntry.Succeeded, ResourceNewValue: i.ToString(System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None);
        }));

        await using var check = database.CreateContext();
        Assert.Equal(16, await check.AuditRecords.CountAsync(TestContext.Current.CancellationToken));
        Assert.Null((await AuditTrail.VerifyAsync(check, database.AuditKey, CancellationToken.None)).FirstBreak);
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
            await new AuditTrail(db, TimeProvider.System, new FixedActor(Actor.System), database.AuditKey).AppendAsync(new AuditEntry("create_partner", "partner", AuditEntry.Succeeded), CancellationToken.None);
            db.Partners.Add(TestData.Partner("5123456")); // same PartnerID: the save fails
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(TestContext.Current.CancellationToken));
        }

        await using var check = database.CreateContext();
        Assert.Equal(0, await check.AuditRecords.CountAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Append_EachPartnerHasItsOwnChain_AndTheOperatorOne(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 3, PartnerA);
        await WriteAsync(database, 2, PartnerB);
        await WriteAsync(database, 1, null);
        await using var db = database.CreateContext();

        var verification = await AuditTrail.VerifyAsync(db, database.AuditKey, CancellationToken.None);

        Assert.True(verification.IsIntact);
        Assert.Equal([(AuditChains.For(PartnerA), 3L), (AuditChains.For(PartnerB), 2L), (AuditChains.Operator, 1L)],
            verification.Chains.Select(c => (c.Chain, c.HeadSequence)).ToArray());
        Assert.Equal([1L, 2, 3], await db.AuditRecords.Where(r => r.PartnerId == PartnerA).OrderBy(r => r.Sequence).Select(r => r.Sequence).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Verify_DeletedLastRecords_AreFound(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 5, PartnerA);
        await WriteAsync(database, 2, PartnerB);
        await using (var db = database.CreateContext())
        {
            await db.AuditRecords.Where(r => r.PartnerId == PartnerA && r.Sequence >= 4).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        await using var check = database.CreateContext();
        var verification = await AuditTrail.VerifyAsync(check, database.AuditKey, CancellationToken.None);

        var broken = Assert.Single(verification.Chains, c => !c.IsIntact);
        Assert.Equal(AuditChains.For(PartnerA), broken.Chain);
        Assert.Equal(4, broken.Break!.Sequence);
        Assert.Contains("deleted from the end", broken.Break.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Engines.Sqlite, false)]
    [InlineData(Engines.Sqlite, true)]
    [InlineData(Engines.Postgres, false)]
    [InlineData(Engines.Postgres, true)]
    public async Task Verify_AnEditedRecordWithTheWholeChainRecomputed_IsFound(string engine, bool alsoMoveTheHead)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 4, PartnerA);
        await using (var db = database.CreateContext())
        {
            // The attacker knows the hash rule and rewrites record 2 and every hash after it...
            var records = await db.AuditRecords.Where(r => r.PartnerId == PartnerA).OrderBy(r => r.Sequence).ToListAsync(TestContext.Current.CancellationToken);
            records[1].ResourceNewValue = "{\"n\":99}";
            var previous = records[0].Hash;
            foreach (var record in records.Skip(1))
            {
                record.Hash = AuditTrail.ComputeHash(previous, record);
                previous = record.Hash;
            }

            if (alsoMoveTheHead)
            {
                // ...and may move the head to the new last hash, but cannot sign it without the key.
                (await db.AuditChainHeads.SingleAsync(TestContext.Current.CancellationToken)).Hash = previous;
            }

            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var check = database.CreateContext();
        var verification = await AuditTrail.VerifyAsync(check, database.AuditKey, CancellationToken.None);

        Assert.False(verification.IsIntact);
        Assert.Contains(alsoMoveTheHead ? "not signed" : "does not match the chain's signed head", verification.FirstBreak!.Reason, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Verify_ADeletedHeadOrAnotherKey_IsFound(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 2, PartnerA);

        await using (var check = database.CreateContext())
        {
            var otherKey = await AuditTrail.VerifyAsync(check, AuditAnchorKey.CreateEphemeral(), CancellationToken.None);
            Assert.Contains("not signed", otherKey.FirstBreak!.Reason, StringComparison.Ordinal);
        }

        await using (var db = database.CreateContext())
        {
            await db.AuditChainHeads.ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        await using var afterDelete = database.CreateContext();
        var verification = await AuditTrail.VerifyAsync(afterDelete, database.AuditKey, CancellationToken.None);
        Assert.Contains("no signed head", verification.FirstBreak!.Reason, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Verify_EveryRecordOfAChainDeleted_IsFoundFromItsHead(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 2, PartnerA);
        await WriteAsync(database, 1, PartnerB);
        await using (var db = database.CreateContext())
        {
            await db.AuditRecords.Where(r => r.PartnerId == PartnerB).ExecuteDeleteAsync(TestContext.Current.CancellationToken);
        }

        await using var check = database.CreateContext();
        var verification = await AuditTrail.VerifyAsync(check, database.AuditKey, CancellationToken.None);

        Assert.Equal(AuditChains.For(PartnerB), Assert.Single(verification.Chains, c => !c.IsIntact).Chain);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ConcurrentWriters_OfTwoPartners_GetTwoGaplessChains(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);

        await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            await using var db = database.CreateContext();
            await new AuditTrail(db, TimeProvider.System, new FixedActor(Actor.System), database.AuditKey)
                .WriteAsync(new AuditEntry("parallel", "test", AuditEntry.Succeeded, PartnerId: i % 2 == 0 ? PartnerA : PartnerB), CancellationToken.None);
        }));

        await using var check = database.CreateContext();
        var verification = await AuditTrail.VerifyAsync(check, database.AuditKey, CancellationToken.None);
        Assert.True(verification.IsIntact, verification.FirstBreak?.Reason);
        Assert.Equal([12L, 12L], verification.Chains.Select(c => c.Records).ToArray());
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task AnchorUnanchoredChains_SignsHeadsOfRecordsWrittenBeforeHeads_Once(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await WriteAsync(database, 3, null);
        await using (var db = database.CreateContext())
        {
            await db.AuditChainHeads.ExecuteDeleteAsync(TestContext.Current.CancellationToken); // as after the upgrade's migration
        }

        await using (var db = database.CreateContext())
        {
            Assert.Equal([AuditChains.Operator], await AuditTrail.AnchorUnanchoredChainsAsync(db, database.AuditKey, TimeProvider.System, CancellationToken.None));
        }

        await using (var db = database.CreateContext())
        {
            Assert.Empty(await AuditTrail.AnchorUnanchoredChainsAsync(db, database.AuditKey, TimeProvider.System, CancellationToken.None));
        }

        await WriteAsync(database, 1, null);
        await using var check = database.CreateContext();
        var verification = await AuditTrail.VerifyAsync(check, database.AuditKey, CancellationToken.None);
        Assert.True(verification.IsIntact, verification.FirstBreak?.Reason);
        Assert.Equal(4, Assert.Single(verification.Chains).HeadSequence);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task List_PagesThroughInterleavedChains_WithoutLosingOrRepeatingARecord(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        // Records of three chains, several with the same instant (a fixed clock).
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        for (var i = 0; i < 9; i++)
        {
            await using var db = database.CreateContext();
            await new AuditTrail(db, clock, new FixedActor(Actor.System), database.AuditKey)
                .WriteAsync(new AuditEntry("test_event", "test", AuditEntry.Succeeded, PartnerId: (i % 3) switch { 0 => PartnerA, 1 => PartnerB, _ => null }), CancellationToken.None);
            if (i % 2 == 1)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var seen = new List<Guid>();
        string? token = null;
        do
        {
            await using var db = database.CreateContext();
            var (page, error) = await new AuditQueries(db, clock).ListAsync(new Paygo.Core.Users.Caller(null, null, null, [Paygo.Core.Identity.PartnerRole.GlobalAdmin]), "2026-11-30", "2026-12-01", 2, token, CancellationToken.None);
            Assert.Null(error);
            seen.AddRange(page!.Items.Select(r => r.Id));
            token = page.Links.Next?.Headers.Single().Value;
        }
        while (token is not null);

        await using var check = database.CreateContext();
        Assert.Equal(9, seen.Count);
        Assert.Equal(9, seen.Distinct().Count());
        await using var partnerDb = database.CreateContext();
        var (partnerPage, _) = await new AuditQueries(partnerDb, clock).ListAsync(new Paygo.Core.Users.Caller(PartnerA, null, null, [Paygo.Core.Identity.PartnerRole.GlobalAdmin]), "2026-11-30", "2026-12-01", 100, null, CancellationToken.None);
        Assert.Equal(3, partnerPage!.Items.Count);
        Assert.All(partnerPage.Items, r => Assert.Equal(PartnerA, r.PartnerId));
    }

    [Fact]
    public void AnchorKey_CreatedBeforeAnyServerStart_IsInAnOwnerOnlyFolderAndFile()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var data = Directory.CreateTempSubdirectory("paygo-key-").FullName;
        try
        {
            var keys = Path.Combine(data, "keys");
            var first = AuditAnchorKey.LoadOrCreate(keys);
            var again = AuditAnchorKey.LoadOrCreate(keys);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(keys, AuditAnchorKey.FileName)));
            Assert.Equal(first.Sign("operator", 1, "h"), again.Sign("operator", 1, "h"));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
