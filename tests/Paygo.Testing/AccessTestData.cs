using Microsoft.EntityFrameworkCore;
using Paygo.Core;
using Paygo.Core.Access;

namespace Paygo.Testing;

/// <summary>Access histories shaped for PEC tests.</summary>
public static class AccessTestData
{
    /// <summary>
    /// Gives an existing assignment (the demo's AOBO Owner, say) the interval [from, to) before a
    /// test looks at it. The access ledger refuses this through SaveChanges, as it must for the
    /// product (records are never rewritten, docs/adr/0027); a bulk update bypasses the change
    /// tracker, which is what a fixture that sets the history up "as if it had been imported so" needs.
    /// </summary>
    /// <remarks>
    /// The database refuses that update too (docs/adr/0038), so the fixture lifts the ledger's
    /// triggers inside one transaction and puts them back before it commits: nobody else ever sees
    /// the table unguarded, and a test of the product still meets the triggers.
    /// </remarks>
    public static async Task<int> ShapeAssignmentAsync(PaygoDbContext db, Guid assignmentId, DateTimeOffset from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var postgres = db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(postgres ? "ALTER TABLE \"RoleAssignments\" DISABLE TRIGGER USER" : AccessLedgerSql.SqliteDrop, cancellationToken);
        var changed = await db.RoleAssignments.Where(r => r.Id == assignmentId)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ValidFrom, from).SetProperty(r => r.ValidTo, to), cancellationToken);
        await db.Database.ExecuteSqlRawAsync(postgres ? "ALTER TABLE \"RoleAssignments\" ENABLE TRIGGER USER" : AccessLedgerSql.SqliteCreate, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return changed;
    }
}
