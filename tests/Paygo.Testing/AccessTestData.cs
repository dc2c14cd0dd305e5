using Microsoft.EntityFrameworkCore;
using Paygo.Core;

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
    public static Task<int> ShapeAssignmentAsync(PaygoDbContext db, Guid assignmentId, DateTimeOffset from, DateTimeOffset? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.RoleAssignments.Where(r => r.Id == assignmentId)
            .ExecuteUpdateAsync(set => set.SetProperty(r => r.ValidFrom, from).SetProperty(r => r.ValidTo, to), cancellationToken);
    }
}
