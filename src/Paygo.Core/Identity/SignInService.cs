using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;

namespace Paygo.Core.Identity;

/// <summary>How a sign-in attempt ended; <see cref="Reason"/> is for the audit trail, never for the caller.</summary>
public sealed record SignInOutcome(SignInOutcomeKind Kind, PaygoUser? User, string Reason, bool StartedLockout = false)
{
    public bool Succeeded => Kind == SignInOutcomeKind.Succeeded;

    /// <summary>
    /// The audit entry of this attempt, from the token endpoint or the dashboard alike: the attempt
    /// that locks the account is a lockout, the others are sign-ins. The caller chose the user
    /// name and client id, so what is stored of them is bounded.
    /// </summary>
    public AuditEntry ToAuditEntry(string? userName, string method, string? clientId = null)
    {
        var detail = JsonSerializer.Serialize(new { method, result = Kind.ToString(), reason = Reason });
        return new AuditEntry(
            StartedLockout ? "user_locked_out" : "user_sign_in",
            "user",
            Succeeded ? AuditEntry.Succeeded : AuditEntry.Failed,
            PartnerId: User?.PartnerId,
            ResourceNewValue: detail,
            UserPrincipalName: Bounded(userName),
            ApplicationId: Bounded(clientId));
    }

    private static string? Bounded(string? value) => value is { Length: > 200 } ? value[..200] : value;
}

public enum SignInOutcomeKind
{
    Succeeded,
    Failed,
    LockedOut,

    /// <summary>The password was right but the user has no second factor yet: enrol before anything else.</summary>
    EnrolmentRequired,
}

/// <summary>
/// Password plus second factor on every authentication (DOMAIN.md §2). Guessing limits are per
/// account and live in the database, so they hold across sessions, addresses and server nodes:
/// each attempt first reserves one of <see cref="MaxFailures"/> slots with an atomic update, so
/// even parallel guessers get ten guesses in all before a 15-minute lockout.
/// </summary>
public sealed class SignInService(PaygoDbContext db, TimeProvider clock, SignInOptions options, ISecretProtector secrets)
{
    public SignInService(PaygoDbContext db, TimeProvider clock, ISecretProtector secrets)
        : this(db, clock, new SignInOptions(), secrets)
    {
    }

    public const int MaxFailures = 10;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<PaygoUser> Hasher = PasswordPolicy.CreateHasher();

    // Verified against for unknown users so that their answer takes as long as a known user's.
    private static readonly string DummyHash = Hasher.HashPassword(new PaygoUser(), "paygo-timing-equaliser-" + Guid.NewGuid());

    public static string HashPassword(PaygoUser user, string password) => Hasher.HashPassword(user, password);

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();

    /// <summary>Password and second factor (TOTP code or recovery code) together, as the token endpoint receives them.</summary>
    public Task<SignInOutcome> SignInAsync(string? email, string? password, string? secondFactor, CancellationToken cancellationToken) =>
        WithFailureFloorAsync(() => SignInCoreAsync(email, password, secondFactor, cancellationToken), cancellationToken);

    /// <summary>The first step of an interactive sign-in: the password alone (the dashboard asks for the code next).</summary>
    public Task<SignInOutcome> CheckPasswordOnlyAsync(string? email, string? password, CancellationToken cancellationToken) =>
        WithFailureFloorAsync(() => CheckPasswordOnlyCoreAsync(email, password, cancellationToken), cancellationToken);

    /// <summary>The second step: a TOTP code (single use per time step) or an unused recovery code.</summary>
    public Task<SignInOutcome> CheckSecondFactorAsync(PaygoUser user, string? code, CancellationToken cancellationToken) =>
        WithFailureFloorAsync(() => CheckSecondFactorCoreAsync(user, code, cancellationToken), cancellationToken);

    /// <summary>
    /// The second step with a passkey: <paramref name="verify"/> checks the WebAuthn assertion and
    /// returns null when it holds, or why not. A failed assertion is a failed guess like a wrong
    /// code: it takes a slot, and the tenth locks the account (DOMAIN.md §2).
    /// </summary>
    public Task<SignInOutcome> CheckPasskeyAsync(PaygoUser user, Func<CancellationToken, Task<string?>> verify, CancellationToken cancellationToken) =>
        WithFailureFloorAsync(async () =>
        {
            ArgumentNullException.ThrowIfNull(user);
            ArgumentNullException.ThrowIfNull(verify);
            if (!await ReserveSlotAsync(user.Id, cancellationToken))
            {
                return new(SignInOutcomeKind.LockedOut, user, "account locked");
            }

            var failure = await verify(cancellationToken);
            if (failure is not null)
            {
                return await FailAsync(user, failure, cancellationToken);
            }

            await ResetFailuresAsync(user.Id, cancellationToken);
            return new(SignInOutcomeKind.Succeeded, user, "password and passkey accepted");
        }, cancellationToken);

    /// <summary>
    /// Every failed attempt answers no sooner than <see cref="SignInOptions.FailureFloor"/> after it
    /// began, so unknown users, wrong passwords, wrong codes and locked accounts cannot be told
    /// apart by timing (the database writes of a known user's failure would show otherwise).
    /// </summary>
    private async Task<SignInOutcome> WithFailureFloorAsync(Func<Task<SignInOutcome>> attempt, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var outcome = await attempt();
        if (outcome.Kind is SignInOutcomeKind.Failed or SignInOutcomeKind.LockedOut)
        {
            var remaining = options.FailureFloor - clock.GetElapsedTime(started);
            if (remaining > TimeSpan.Zero)
            {
                await Task.Delay(remaining, clock, cancellationToken);
            }
        }

        return outcome;
    }

    private async Task<SignInOutcome> SignInCoreAsync(string? email, string? password, string? secondFactor, CancellationToken cancellationToken)
    {
        var (outcome, user) = await CheckPasswordAsync(email, password, cancellationToken);
        if (outcome is not null)
        {
            return outcome;
        }

        if (!user!.HasSecondFactor)
        {
            return new(SignInOutcomeKind.EnrolmentRequired, user, "second factor not enrolled");
        }

        return await CheckSecondFactorCoreAsync(user, secondFactor, cancellationToken);
    }

    private async Task<SignInOutcome> CheckPasswordOnlyCoreAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        var (outcome, user) = await CheckPasswordAsync(email, password, cancellationToken);
        if (outcome is not null)
        {
            return outcome;
        }

        return user!.HasSecondFactor
            ? new(SignInOutcomeKind.Succeeded, user, "password accepted")
            : new(SignInOutcomeKind.EnrolmentRequired, user, "second factor not enrolled");
    }

    private async Task<SignInOutcome> CheckSecondFactorCoreAsync(PaygoUser user, string? code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!await ReserveSlotAsync(user.Id, cancellationToken))
        {
            return new(SignInOutcomeKind.LockedOut, user, "account locked");
        }

        code = code?.Trim();
        var now = clock.GetUtcNow();
        if (code is { Length: RecoveryCodes.Length + 1 } && code[RecoveryCodes.Length / 2] == '-')
        {
            if (await RecoveryCodes.RedeemAsync(db, user.Id, code, now, cancellationToken))
            {
                await ResetFailuresAsync(user.Id, cancellationToken);
                return new(SignInOutcomeKind.Succeeded, user, "recovery code accepted");
            }

            return await FailAsync(user, "wrong or used recovery code", cancellationToken);
        }

        var secret = user.TotpSecret is null ? null : secrets.Unprotect(user.Id, user.TotpSecret);
        if (secret is null && user.TotpSecret is not null)
        {
            // A slot is spent as for a wrong code, so this answer looks like any other failure.
            return await FailAsync(user, "stored TOTP secret cannot be decrypted (key ring of the data directory missing or changed)", cancellationToken);
        }

        var step = secret is null ? null : Totp.MatchingStep(secret, code, now);
        if (step is null)
        {
            return await FailAsync(user, "wrong one-time code", cancellationToken);
        }

        // Accept the step only if no request has accepted it (or a later one) before: atomic on both engines.
        var accepted = await db.Users
            .Where(u => u.Id == user.Id && u.LastTotpTimeStep < step.Value)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastTotpTimeStep, step.Value), cancellationToken);
        if (accepted == 0)
        {
            return await FailAsync(user, "one-time code already used", cancellationToken);
        }

        user.LastTotpTimeStep = step.Value;
        await ResetFailuresAsync(user.Id, cancellationToken);
        return new(SignInOutcomeKind.Succeeded, user, "password and one-time code accepted");
    }

    private async Task<(SignInOutcome? Outcome, PaygoUser? User)> CheckPasswordAsync(string? email, string? password, CancellationToken cancellationToken)
    {
        PaygoUser? user = null;
        if (!string.IsNullOrWhiteSpace(email) && email.Length <= 256)
        {
            var normalized = NormalizeEmail(email);
            user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized, cancellationToken);
        }

        if (user is null)
        {
            Hasher.VerifyHashedPassword(new PaygoUser(), DummyHash, password ?? string.Empty);
            return (new(SignInOutcomeKind.Failed, null, "unknown user"), null);
        }

        if (!await ReserveSlotAsync(user.Id, cancellationToken))
        {
            Hasher.VerifyHashedPassword(user, DummyHash, password ?? string.Empty);
            return (new(SignInOutcomeKind.LockedOut, user, "account locked"), null);
        }

        var verdict = user.PasswordHash is null || password is null
            ? PasswordVerificationResult.Failed
            : Hasher.VerifyHashedPassword(user, user.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            return (await FailAsync(user, "wrong password", cancellationToken), null);
        }

        if (user.IsDisabled)
        {
            await ReleaseSlotAsync(user, cancellationToken);
            return (new(SignInOutcomeKind.Failed, user, "user disabled"), null);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var rehashed = Hasher.HashPassword(user, password!);
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.PasswordHash, rehashed), cancellationToken);
        }

        // A right password is not a guess at the second factor, which takes its own slot.
        await ReleaseSlotAsync(user, cancellationToken);
        return (null, user);
    }

    /// <summary>Takes one of the account's attempt slots; false while it is locked or every slot is taken.</summary>
    private async Task<bool> ReserveSlotAsync(Guid userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var reserved = await db.Users
            .Where(u => u.Id == userId && u.AccessFailedCount < MaxFailures && (u.LockoutEnd == null || u.LockoutEnd <= now))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount + 1), cancellationToken);
        return reserved == 1;
    }

    /// <summary>Gives back the slot of an attempt that was not a failed guess.</summary>
    private Task<int> ReleaseSlotAsync(PaygoUser user, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == user.Id && u.AccessFailedCount > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, u => u.AccessFailedCount - 1), cancellationToken);

    private Task<int> ResetFailuresAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.AccessFailedCount, 0), cancellationToken);

    /// <summary>The slot stays used; the attempt that fills the last slot locks the account.</summary>
    private async Task<SignInOutcome> FailAsync(PaygoUser user, string reason, CancellationToken cancellationToken)
    {
        var until = clock.GetUtcNow() + LockoutDuration;
        var locked = await db.Users
            .Where(u => u.Id == user.Id && u.AccessFailedCount >= MaxFailures)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, until).SetProperty(u => u.AccessFailedCount, 0), cancellationToken);
        return locked == 1
            ? new(SignInOutcomeKind.LockedOut, user, $"{reason}; account locked until {until:O}", StartedLockout: true)
            : new(SignInOutcomeKind.Failed, user, reason);
    }
}

/// <summary>Tunables of sign-in (<c>Paygo:Auth:FailureFloorMilliseconds</c>).</summary>
public sealed record SignInOptions
{
    /// <summary>The least time a failed attempt takes to answer; longer than any real failure path.</summary>
    public TimeSpan FailureFloor { get; init; } = TimeSpan.FromMilliseconds(1000);
}

/// <summary>Single-use recovery codes (<c>ABCDE-FGHIJ</c>), stored as SHA-256 hashes only.</summary>
public static class RecoveryCodes
{
    public const int Length = 10;
    public const int Count = 10;
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    /// <summary>Replaces a user's codes with <see cref="Count"/> new ones; returns them in clear text, once.</summary>
    public static async Task<IReadOnlyList<string>> ReplaceAsync(PaygoDbContext db, Guid userId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.RecoveryCodes.Where(c => c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
        var codes = Enumerable.Range(0, Count).Select(_ => NewCode()).ToList();
        db.RecoveryCodes.AddRange(codes.Select(c => new RecoveryCode { UserId = userId, CodeHash = Hash(c) }));
        await db.SaveChangesAsync(cancellationToken);
        return codes;
    }

    public static async Task<bool> RedeemAsync(PaygoDbContext db, Guid userId, string code, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var hash = Hash(code.ToUpperInvariant());
        var redeemed = await db.RecoveryCodes
            .Where(c => c.UserId == userId && c.CodeHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, now), cancellationToken);
        return redeemed == 1;
    }

    private static string NewCode()
    {
        var chars = RandomNumberGenerator.GetItems<char>(Alphabet, Length);
        return $"{new string(chars, 0, Length / 2)}-{new string(chars, Length / 2, Length / 2)}";
    }

    private static string Hash(string code) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(code)));
}
