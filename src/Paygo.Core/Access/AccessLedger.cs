using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Paygo.Core.Access;

/// <summary>
/// The rule that makes access history evidence (docs/adr/0027): nothing in it is deleted or
/// changed, except that an open assignment's end may be set once. <see cref="PaygoDbContext"/>
/// runs <see cref="Check"/> before every save, so no code path (a service, the CLI on the
/// database, a test, a future feature) can rewrite the history PEC was computed from.
/// </summary>
public static class AccessLedger
{
    /// <summary>Throws <see cref="AccessHistoryViolationException"/> when a pending change would rewrite access history.</summary>
    public static void Check(ChangeTracker changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        foreach (var entry in changes.Entries())
        {
            switch (entry.Entity)
            {
                case RoleAssignment assignment:
                    CheckAssignment(entry, assignment);
                    break;
                case AccessRoleDefinition or AccessRoleEligibilityMark when entry.State is EntityState.Deleted or EntityState.Modified:
                    throw new AccessHistoryViolationException($"{entry.Metadata.ClrType.Name} records are never changed or deleted; add a new one.");
            }
        }
    }

    private static void CheckAssignment(EntityEntry entry, RoleAssignment assignment)
    {
        if (entry.State == EntityState.Deleted)
        {
            throw new AccessHistoryViolationException($"Access record {assignment.Id} cannot be deleted: end it, or record a correction that names it.");
        }

        if (entry.State != EntityState.Modified)
        {
            return;
        }

        foreach (var property in entry.Properties)
        {
            if (!property.IsModified || Equals(property.OriginalValue, property.CurrentValue))
            {
                continue;
            }

            if (property.Metadata.Name != nameof(RoleAssignment.ValidTo))
            {
                throw new AccessHistoryViolationException($"Access record {assignment.Id} cannot be changed ({property.Metadata.Name}): record a correction that names it.");
            }

            if (property.OriginalValue is not null)
            {
                throw new AccessHistoryViolationException($"Access record {assignment.Id} has already ended; its end is not changed again: record a correction that names it.");
            }

            if (property.CurrentValue is not DateTimeOffset end || end < assignment.ValidFrom)
            {
                throw new AccessHistoryViolationException($"Access record {assignment.Id} can only be ended at or after its start.");
            }
        }
    }
}

/// <summary>A write that would rewrite access history; a bug in the caller, never an expected outcome.</summary>
public sealed class AccessHistoryViolationException(string message) : InvalidOperationException(message);
