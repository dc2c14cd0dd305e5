using Microsoft.EntityFrameworkCore;

namespace Paygo.Core.Identity;

/// <summary>
/// The one step every authenticator-app enrolment ends with, from the dashboard's forced
/// enrolment or an enrolment link: the confirmed secret becomes the user's first second factor
/// (its confirming time step counts as used) and the user gets new recovery codes. Runs inside
/// the caller's transaction, next to the caller's audit record.
/// </summary>
public static class SecondFactorEnrolment
{
    /// <summary>The recovery codes in clear text (shown once), or null when the user enrolled meanwhile. The secret is stored encrypted.</summary>
    public static async Task<IReadOnlyList<string>?> ConfirmTotpAsync(
        PaygoDbContext db, ISecretProtector secrets, Guid userId, string secret, long confirmedStep, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(secrets);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Enrolment runs in the transaction that also writes its audit record.");
        }

        var stored = secrets.Protect(userId, secret);
        var enrolled = await db.Users
            .Where(u => u.Id == userId && u.SecondFactorEnrolledAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.TotpSecret, stored)
                .SetProperty(u => u.LastTotpTimeStep, confirmedStep)
                .SetProperty(u => u.SecondFactorEnrolledAt, now)
                .SetProperty(u => u.TwoFactorEnabled, true), cancellationToken);
        return enrolled == 0 ? null : await RecoveryCodes.ReplaceAsync(db, userId, cancellationToken);
    }
}
