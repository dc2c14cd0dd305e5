using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Paygo.Core.Identity;

/// <summary>
/// A WebAuthn credential (passkey or security key) registered by one user: the public key and the
/// state the WebAuthn rules ask the relying party to keep (signature counter, backup flags). The
/// private key never leaves the authenticator. Keyed by the credential id, which authenticators
/// make globally unique.
/// </summary>
public sealed class UserPasskey
{
    public required byte[] CredentialId { get; set; }

    public Guid UserId { get; set; }

    /// <summary>The user's partner (null for the operator), so every row of partner data names its tenant.</summary>
    public Guid? PartnerId { get; set; }

    /// <summary>The name the user gave the key ("YubiKey 5", "Laptop"), shown on the security page.</summary>
    public string Name { get; set; } = string.Empty;

    public required byte[] PublicKey { get; set; }

    /// <summary>The authenticator's signature counter; an assertion must raise it (a clone would not).</summary>
    public long SignCount { get; set; }

    /// <summary>Transport hints (usb, nfc, ble, internal, hybrid), comma-separated.</summary>
    public string Transports { get; set; } = string.Empty;

    public bool IsUserVerified { get; set; }

    public bool IsBackupEligible { get; set; }

    public bool IsBackedUp { get; set; }

    public required byte[] AttestationObject { get; set; }

    public required byte[] ClientDataJson { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    /// <summary>The form ASP.NET Core Identity's WebAuthn verifier reads.</summary>
    public UserPasskeyInfo ToInfo() =>
        new(CredentialId, PublicKey, CreatedAt, checked((uint)SignCount), Transports.Length == 0 ? [] : Transports.Split(','),
            IsUserVerified, IsBackupEligible, IsBackedUp, AttestationObject, ClientDataJson)
        {
            Name = Name,
        };

    public static UserPasskey From(PaygoUser user, UserPasskeyInfo info, string name)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(info);
        return new UserPasskey
        {
            CredentialId = info.CredentialId,
            UserId = user.Id,
            PartnerId = user.PartnerId,
            Name = name,
            PublicKey = info.PublicKey,
            SignCount = info.SignCount,
            Transports = string.Join(',', info.Transports ?? []),
            IsUserVerified = info.IsUserVerified,
            IsBackupEligible = info.IsBackupEligible,
            IsBackedUp = info.IsBackedUp,
            AttestationObject = info.AttestationObject,
            ClientDataJson = info.ClientDataJson,
            CreatedAt = info.CreatedAt,
        };
    }
}

/// <summary>
/// The server half of one WebAuthn ceremony: the challenge and expectations handed to the browser,
/// kept until the browser answers. Kept in the database (not in a cookie or a form field) so that a
/// challenge answers exactly once, on whichever node receives the answer.
/// </summary>
public sealed class PasskeyCeremony
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    /// <summary><see cref="PasskeyCeremonies.SignIn"/> or <see cref="PasskeyCeremonies.Registration"/>.</summary>
    public required string Purpose { get; set; }

    public required string State { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>Starts and takes (once) the state of WebAuthn ceremonies.</summary>
public sealed class PasskeyCeremonies(PaygoDbContext db, TimeProvider clock)
{
    public const string SignIn = "sign-in";
    public const string Registration = "registration";

    /// <summary>As long as the browser waits for the authenticator (Identity's default timeout), and no longer.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    public async Task<Guid> StartAsync(Guid userId, string purpose, string state, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Ceremonies the browser never finished are dropped here rather than by a sweeper.
        await db.PasskeyCeremonies.Where(c => c.UserId == userId && c.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
        var ceremony = new PasskeyCeremony { Id = Guid.NewGuid(), UserId = userId, Purpose = purpose, State = state, ExpiresAt = now + Lifetime };
        db.PasskeyCeremonies.Add(ceremony);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(ceremony).State = EntityState.Detached;
        return ceremony.Id;
    }

    /// <summary>The ceremony's state, removed as it is read; null if unknown, expired, someone else's or already taken.</summary>
    public async Task<string?> TakeAsync(Guid id, Guid userId, string purpose, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var ceremony = await db.PasskeyCeremonies.AsNoTracking()
            .FirstOrDefaultAsync(c => c.Id == id && c.UserId == userId && c.Purpose == purpose && c.ExpiresAt > now, cancellationToken);
        if (ceremony is null)
        {
            return null;
        }

        // Whoever deletes the row owns the answer; a replay of the same answer finds nothing to delete.
        var taken = await db.PasskeyCeremonies.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
        return taken == 1 ? ceremony.State : null;
    }
}

/// <summary>
/// Lets ASP.NET Core Identity's WebAuthn verifier (<c>PasskeyHandler</c>) read Paygo's users and
/// passkeys. Paygo writes users and passkeys itself, in transactions with their audit records, so
/// the store is read-only: a write through <c>UserManager</c> would be a bug and fails loudly.
/// </summary>
public sealed class PaygoUserStore(PaygoDbContext db) : IUserPasskeyStore<PaygoUser>
{
    public Task<string> GetUserIdAsync(PaygoUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(user.Id.ToString());
    }

    public Task<string?> GetUserNameAsync(PaygoUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(user.UserName);
    }

    public Task<string?> GetNormalizedUserNameAsync(PaygoUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(user.NormalizedUserName);
    }

    public Task<PaygoUser?> FindByIdAsync(string userId, CancellationToken cancellationToken) =>
        Guid.TryParse(userId, out var id)
            ? db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && !u.IsDisabled, cancellationToken)
            : Task.FromResult<PaygoUser?>(null);

    public Task<PaygoUser?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedUserName == normalizedUserName && !u.IsDisabled, cancellationToken);

    public async Task<IList<UserPasskeyInfo>> GetPasskeysAsync(PaygoUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var passkeys = await db.UserPasskeys.AsNoTracking().Where(p => p.UserId == user.Id).ToListAsync(cancellationToken);
        return [.. passkeys.Select(p => p.ToInfo())];
    }

    public async Task<PaygoUser?> FindByPasskeyIdAsync(byte[] credentialId, CancellationToken cancellationToken)
    {
        var passkey = await db.UserPasskeys.AsNoTracking().FirstOrDefaultAsync(p => p.CredentialId == credentialId, cancellationToken);
        return passkey is null ? null : await FindByIdAsync(passkey.UserId.ToString(), cancellationToken);
    }

    public async Task<UserPasskeyInfo?> FindPasskeyAsync(PaygoUser user, byte[] credentialId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var passkey = await db.UserPasskeys.AsNoTracking().FirstOrDefaultAsync(p => p.UserId == user.Id && p.CredentialId == credentialId, cancellationToken);
        return passkey?.ToInfo();
    }

    public Task AddOrUpdatePasskeyAsync(PaygoUser user, UserPasskeyInfo passkey, CancellationToken cancellationToken) => throw ReadOnly();

    public Task RemovePasskeyAsync(PaygoUser user, byte[] credentialId, CancellationToken cancellationToken) => throw ReadOnly();

    public Task SetUserNameAsync(PaygoUser user, string? userName, CancellationToken cancellationToken) => throw ReadOnly();

    public Task SetNormalizedUserNameAsync(PaygoUser user, string? normalizedName, CancellationToken cancellationToken) => throw ReadOnly();

    public Task<IdentityResult> CreateAsync(PaygoUser user, CancellationToken cancellationToken) => throw ReadOnly();

    public Task<IdentityResult> UpdateAsync(PaygoUser user, CancellationToken cancellationToken) => throw ReadOnly();

    public Task<IdentityResult> DeleteAsync(PaygoUser user, CancellationToken cancellationToken) => throw ReadOnly();

    public void Dispose()
    {
        // The DbContext belongs to the request scope.
    }

    private static NotSupportedException ReadOnly() =>
        new("Paygo writes users and passkeys through UserDirectory and PasskeyRegistration, in one transaction with their audit record.");
}
