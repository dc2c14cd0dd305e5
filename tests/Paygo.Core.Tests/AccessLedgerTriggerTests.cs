using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Access;
using Paygo.Testing;

namespace Paygo.Core.Tests;

/// <summary>
/// The access ledger is append-only in the database, not only in <see cref="AccessLedger.Check"/>
/// (docs/adr/0038): writes that bypass the change tracker (<c>ExecuteUpdate</c>,
/// <c>ExecuteDelete</c>, raw SQL) meet the migration's triggers on both engines.
/// </summary>
public sealed class AccessLedgerTriggerTests
{
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Two records that differ in every column, so copying any one column of B onto A is a change.
    private static RoleAssignment Record(string externalId, int n) => new()
    {
        Id = Guid.NewGuid(),
        PartnerId = Guid.NewGuid(),
        CustomerId = Guid.NewGuid(),
        EntitlementId = Guid.NewGuid(),
        ExternalId = externalId,
        Kind = n == 0 ? AccessKinds.Allow : AccessKinds.Deny,
        Scope = $"/subscriptions/{Guid.NewGuid()}",
        RoleDefinitionId = Guid.NewGuid().ToString("D"),
        RoleName = $"Role {n}",
        PrincipalId = Guid.NewGuid(),
        PrincipalType = n == 0 ? PrincipalTypes.User : PrincipalTypes.ServicePrincipal,
        PrincipalDisplayName = $"Principal {n}",
        ActsForPartnerId = $"{4390934 + n}",
        Source = n == 0 ? "rbac" : "import",
        ValidFrom = October.AddDays(n),
        Corrects = n == 0 ? null : Guid.NewGuid(),
        RecordedAt = October.AddDays(10 + n),
        RecordedBy = $"writer-{n}@example.com",
    };

    private static async Task<(TestDatabase Database, PaygoDbContext Db)> StartAsync(string engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        var db = database.CreateContext();
        db.RoleAssignments.AddRange(Record("ledger-a", 0), Record("ledger-b", 1));
        await db.SaveChangesAsync(Ct);
        db.ChangeTracker.Clear();
        return (database, db);
    }

    private static async Task RefusedAsync(Func<Task> write)
    {
        var error = await Assert.ThrowsAnyAsync<DbException>(write);
        Assert.Contains(AccessLedgerSql.RefusalPrefix, error.Message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Assignments_AreNeverDeleted_InBulkOrInSql(string engine)
    {
        var (database, db) = await StartAsync(engine);
        await using var _ = database;
        await using var __ = db;

        await RefusedAsync(() => db.RoleAssignments.Where(r => r.ExternalId == "ledger-a").ExecuteDeleteAsync(Ct));
        await RefusedAsync(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"RoleAssignments\"", Ct));
        if (engine == Engines.Postgres)
        {
            await RefusedAsync(() => db.Database.ExecuteSqlRawAsync("TRUNCATE \"RoleAssignments\"", Ct));
        }

        Assert.Equal(2, await db.RoleAssignments.CountAsync(Ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Assignments_TakeTheirEndOnce_AndNothingElse(string engine)
    {
        var (database, db) = await StartAsync(engine);
        await using var _ = database;
        await using var __ = db;
        var a = db.RoleAssignments.Where(r => r.ExternalId == "ledger-a");

        await RefusedAsync(() => a.ExecuteUpdateAsync(s => s.SetProperty(r => r.Scope, "/subscriptions/00000000-0000-0000-0000-000000000001"), Ct));
        await RefusedAsync(() => a.ExecuteUpdateAsync(s => s.SetProperty(r => r.ValidTo, October.AddDays(-1)), Ct)); // before its start
        await RefusedAsync(() => a.ExecuteUpdateAsync(s => s.SetProperty(r => r.ValidTo, October.AddDays(5)).SetProperty(r => r.RoleName, "Owner"), Ct));

        // The one change the ledger takes: an open record's end, at or after its start.
        Assert.Equal(1, await a.ExecuteUpdateAsync(s => s.SetProperty(r => r.ValidTo, October.AddDays(5)), Ct));
        await RefusedAsync(() => a.ExecuteUpdateAsync(s => s.SetProperty(r => r.ValidTo, October.AddDays(6)), Ct));
        await RefusedAsync(() => a.ExecuteUpdateAsync(s => s.SetProperty(r => r.ValidTo, (DateTimeOffset?)null), Ct));

        var stored = await a.AsNoTracking().SingleAsync(Ct);
        Assert.Equal(October.AddDays(5), stored.ValidTo);
        Assert.Equal("Role 0", stored.RoleName);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task EveryColumnButTheEnd_IsFrozen_EvenWhileTheEndIsSet(string engine)
    {
        var (database, db) = await StartAsync(engine);
        await using var _ = database;
        await using var __ = db;

        // The SQLite trigger names its columns: a column added to the model must be added there too.
        var columns = db.Model.FindEntityType(typeof(RoleAssignment))!.GetProperties().Select(p => p.GetColumnName()).Order(StringComparer.Ordinal).ToList();
        Assert.Equal([.. AccessLedgerSql.FrozenAssignmentColumns.Append("ValidTo").Order(StringComparer.Ordinal)], columns);

        foreach (var column in AccessLedgerSql.FrozenAssignmentColumns)
        {
            // Raw SQL, as another tool on the database would write it: end A and copy B's value of one column.
            // The column names come from the fixed list above, not from input.
            var sql = $"UPDATE \"RoleAssignments\" SET \"ValidTo\" = \"ValidFrom\", \"{column}\" = (SELECT b.\"{column}\" FROM \"RoleAssignments\" b WHERE b.\"ExternalId\" = 'ledger-b') WHERE \"ExternalId\" = 'ledger-a'";
            await RefusedAsync(() => db.Database.ExecuteSqlRawAsync(sql, Ct));
        }

        Assert.Null((await db.RoleAssignments.AsNoTracking().SingleAsync(r => r.ExternalId == "ledger-a", Ct)).ValidTo);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task RoleDefinitionsAndEligibilityMarks_AreInsertOnly(string engine)
    {
        var (database, db) = await StartAsync(engine);
        await using var _ = database;
        await using var __ = db;
        var roleId = Guid.NewGuid();
        db.AccessRoleDefinitions.Add(new AccessRoleDefinition { Id = roleId, Name = "Ledger custom role", IsCustom = true, CreatedAt = October });
        db.AccessRoleEligibilityMarks.Add(new AccessRoleEligibilityMark { Id = Guid.NewGuid(), RoleDefinitionId = roleId, PecEligible = true, MarkedAt = October });
        await db.SaveChangesAsync(Ct); // inserts are the ledger's only writes

        await RefusedAsync(() => db.AccessRoleDefinitions.Where(r => r.Name == "Reader").ExecuteUpdateAsync(s => s.SetProperty(r => r.PecEligible, true), Ct));
        await RefusedAsync(() => db.AccessRoleDefinitions.Where(r => r.Id == roleId).ExecuteDeleteAsync(Ct));
        await RefusedAsync(() => db.AccessRoleEligibilityMarks.ExecuteUpdateAsync(s => s.SetProperty(m => m.PecEligible, false), Ct));
        await RefusedAsync(() => db.AccessRoleEligibilityMarks.ExecuteDeleteAsync(Ct));
        await RefusedAsync(() => db.Database.ExecuteSqlRawAsync("DELETE FROM \"AccessRoleDefinitions\"", Ct));
        if (engine == Engines.Postgres)
        {
            await RefusedAsync(() => db.Database.ExecuteSqlRawAsync("TRUNCATE \"AccessRoleEligibilityMarks\"", Ct));
        }

        Assert.False((await db.AccessRoleDefinitions.AsNoTracking().SingleAsync(r => r.Name == "Reader", Ct)).PecEligible);
        Assert.True((await db.AccessRoleEligibilityMarks.AsNoTracking().SingleAsync(Ct)).PecEligible);
    }
}
