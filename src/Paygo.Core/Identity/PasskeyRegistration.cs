using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;

namespace Paygo.Core.Identity;

/// <summary>
/// Stores and removes a user's passkeys once WebAuthn has verified them, each change in one
/// transaction with its audit record. A passkey registered by a user with no second factor yet is
/// that user's enrolment: it gets its recovery codes here, as after an authenticator app.
/// </summary>
public sealed class PasskeyRegistration(PaygoDbContext db, AuditTrail audit, TimeProvider clock)
{
    public const int MaxPasskeysPerUser = 10;
    public const int MaxNameLength = 100;

    /// <summary>The passkey is saved; <see cref="RecoveryCodes"/> is set when it was the user's first second factor.</summary>
    public sealed record Added(UserPasskey Passkey, IReadOnlyList<string>? RecoveryCodes);

    public async Task<(Added? Result, string? Error)> AddAsync(PaygoUser user, UserPasskeyInfo verified, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(verified);
        name = string.IsNullOrWhiteSpace(name) ? "Passkey" : name.Trim();
        if (name.Length > MaxNameLength)
        {
            return (null, $"The passkey name is longer than {MaxNameLength} characters.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var count = await db.UserPasskeys.CountAsync(p => p.UserId == user.Id, cancellationToken);
        if (count >= MaxPasskeysPerUser)
        {
            return (null, $"You already have {MaxPasskeysPerUser} passkeys; remove one first.");
        }

        if (await db.UserPasskeys.AnyAsync(p => p.CredentialId == verified.CredentialId, cancellationToken))
        {
            return (null, "This passkey is already registered.");
        }

        var passkey = UserPasskey.From(user, verified, name);
        passkey.CreatedAt = clock.GetUtcNow();
        db.UserPasskeys.Add(passkey);

        IReadOnlyList<string>? codes = null;
        var firstSecondFactor = await db.Users
            .Where(u => u.Id == user.Id && u.SecondFactorEnrolledAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(u => u.SecondFactorEnrolledAt, passkey.CreatedAt)
                .SetProperty(u => u.TwoFactorEnabled, true), cancellationToken) == 1;
        if (firstSecondFactor)
        {
            codes = await RecoveryCodes.ReplaceAsync(db, user.Id, cancellationToken);
            user.SecondFactorEnrolledAt = passkey.CreatedAt;
        }

        await audit.AppendAsync(new AuditEntry(
            firstSecondFactor ? "user_second_factor_enrolled" : "user_passkey_added", "user", AuditEntry.Succeeded,
            PartnerId: user.PartnerId, UserPrincipalName: user.Email,
            ResourceNewValue: JsonSerializer.Serialize(new { userId = user.Id, method = "passkey", name }, PaygoJson.Options)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (new Added(passkey, codes), null);
    }

    /// <summary>Records a successful sign-in with the passkey: its new signature counter and backup state.</summary>
    public Task<int> RecordUseAsync(Guid userId, UserPasskeyInfo used, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(used);
        var now = clock.GetUtcNow();
        return db.UserPasskeys
            .Where(p => p.UserId == userId && p.CredentialId == used.CredentialId)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.SignCount, (long)used.SignCount)
                .SetProperty(p => p.IsBackedUp, used.IsBackedUp)
                .SetProperty(p => p.LastUsedAt, now), cancellationToken);
    }

    /// <summary>Removes one of the user's passkeys, unless it is the user's only second factor.</summary>
    public async Task<string?> RemoveAsync(PaygoUser user, byte[] credentialId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var passkey = await db.UserPasskeys.FirstOrDefaultAsync(p => p.UserId == user.Id && p.CredentialId == credentialId, cancellationToken);
        if (passkey is null)
        {
            return "That passkey is not registered to you.";
        }

        var current = await db.Users.AsNoTracking().FirstAsync(u => u.Id == user.Id, cancellationToken);
        var others = await db.UserPasskeys.CountAsync(p => p.UserId == user.Id && p.CredentialId != credentialId, cancellationToken);
        if (current.TotpSecret is null && others == 0)
        {
            return "This passkey is your only second factor: add an authenticator app or another passkey before removing it.";
        }

        db.UserPasskeys.Remove(passkey);
        await audit.AppendAsync(new AuditEntry("user_passkey_removed", "user", AuditEntry.Succeeded,
            PartnerId: user.PartnerId, UserPrincipalName: user.Email,
            ResourceNewValue: JsonSerializer.Serialize(new { userId = user.Id, method = "passkey", name = passkey.Name }, PaygoJson.Options)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public Task<List<UserPasskey>> ListAsync(Guid userId, CancellationToken cancellationToken) =>
        db.UserPasskeys.AsNoTracking().Where(p => p.UserId == userId).OrderBy(p => p.CreatedAt).ToListAsync(cancellationToken);
}
