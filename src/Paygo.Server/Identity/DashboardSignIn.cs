using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Paygo.Core;
using Paygo.Core.Audit;
using Paygo.Core.Identity;

namespace Paygo.Server.Identity;

/// <summary>
/// The dashboard's sign-in, in two steps: the password (then a 5-minute sign-in cookie names the
/// user), and the second factor (then the session cookie, with <c>mfa</c>). A user without a
/// second factor is sent to enrol an authenticator app first; the secret waits in the encrypted
/// sign-in cookie until a code from the app confirms it (DOMAIN.md §2).
/// </summary>
internal sealed class DashboardSignIn(PaygoDbContext db, SignInService signIn, AuditTrail audit, TimeProvider clock, ISecretProtector secrets)
{
    public const string PendingSecretClaim = "paygo_pending_totp";

    /// <summary>Only a local path may be a return address (no open redirects).</summary>
    public static string LocalOrHome(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";

    public async Task<PaygoUser?> PendingUserAsync(HttpContext context)
    {
        var step = await context.AuthenticateAsync(AuthSetup.SignInScheme);
        if (!Guid.TryParse(step.Principal?.FindFirst(PaygoClaims.Subject)?.Value, out var userId))
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, context.RequestAborted);
        return user is { IsDisabled: false } ? user : null;
    }

    public async Task<(PaygoUser User, string Secret)?> PendingEnrolmentAsync(HttpContext context)
    {
        var step = await context.AuthenticateAsync(AuthSetup.SignInScheme);
        var secret = step.Principal?.FindFirst(PendingSecretClaim)?.Value;
        var user = await PendingUserAsync(context);
        return user is null || secret is null || user.HasSecondFactor ? null : (user, secret);
    }

    public async Task<bool> CompleteWithCodeAsync(HttpContext context, PaygoUser user, string? code)
    {
        var outcome = await signIn.CheckSecondFactorAsync(user, code, context.RequestAborted);
        await AuditAsync(outcome, user.Email, "dashboard password+otp", context.RequestAborted);
        if (!outcome.Succeeded)
        {
            return false;
        }

        await StartSessionAsync(context, user);
        return true;
    }

    /// <summary>Confirms the pending secret with a code from the app; returns the recovery codes, or null for a wrong code.</summary>
    public async Task<IReadOnlyList<string>?> CompleteEnrolmentAsync(HttpContext context, PaygoUser user, string secret, string? code)
    {
        var now = clock.GetUtcNow();
        var step = Totp.MatchingStep(secret, code?.Trim(), now);
        if (step is null)
        {
            return null;
        }

        var cancellationToken = context.RequestAborted;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var codes = await SecondFactorEnrolment.ConfirmTotpAsync(db, secrets, user.Id, secret, step.Value, now, cancellationToken);
        if (codes is null)
        {
            return null;
        }

        await audit.AppendAsync(new AuditEntry("user_second_factor_enrolled", "user", AuditEntry.Succeeded,
            PartnerId: user.PartnerId, UserPrincipalName: user.Email,
            ResourceNewValue: JsonSerializer.Serialize(new { userId = user.Id, method = "totp" })), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        user.SecondFactorEnrolledAt = now;
        await StartSessionAsync(context, user);
        return codes;
    }

    public Task AuditAsync(SignInOutcome outcome, string? email, string method, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return audit.WriteAsync(outcome.ToAuditEntry(email, method), cancellationToken);
    }

    private static async Task StartSessionAsync(HttpContext context, PaygoUser user)
    {
        await context.SignOutAsync(AuthSetup.SignInScheme);
        await context.SignInAsync(AuthSetup.DashboardScheme, Principals.ForUser(user, AuthSetup.DashboardScheme, Principals.MfaMethods));
    }
}
