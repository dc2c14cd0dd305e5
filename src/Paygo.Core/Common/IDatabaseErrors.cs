using Microsoft.EntityFrameworkCore;

namespace Paygo.Core.Common;

/// <summary>What each storage engine says when a unique key is violated, in one provider-neutral question.</summary>
public interface IDatabaseErrors
{
    /// <summary>True when <paramref name="exception"/> is a unique-key violation; <paramref name="table"/> names the table.</summary>
    bool IsUniqueViolation(DbUpdateException exception, out string table);
}
