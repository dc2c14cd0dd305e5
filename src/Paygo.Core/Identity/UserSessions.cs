using System.Security.Claims;
using Microsoft.EntityFrameworkCore;

namespace Paygo.Core.Identity;

/// <summary>
/// Whether a token, refresh token or dashboard session still stands for its user: the user
/// exists, is enabled, and has the security stamp the principal carries. Disabling a user or
/// resetting its second factor changes the stamp, which ends every token and session at once
/// (PROMISES S6). One check for the API, the token endpoint and the dashboard.
/// </summary>
public static class UserSessions
{
    public static async Task<PaygoUser?> FindValidUserAsync(PaygoDbContext db, ClaimsPrincipal? principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!Guid.TryParse(principal?.FindFirst(PaygoClaims.Subject)?.Value, out var userId))
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, cancellationToken);
        return user is { IsDisabled: false } && user.SecurityStamp == principal!.FindFirst(PaygoClaims.Stamp)?.Value ? user : null;
    }
}
