using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Instance;
using Paygo.Core.Partners;

namespace Paygo.Core.Identity;

/// <summary>A one-time enrolment link's token, stored only as its SHA-256 hash.</summary>
public sealed class EnrolmentToken
{
    public required string TokenHash { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}

/// <summary>
/// First-user bootstrap and one-time enrolment links (docs/adr/0008): a production instance seeds
/// nothing; <c>paygo admin bootstrap</c> creates the operator's first Global admin without a
/// password and prints a link, valid 24 hours and usable once, where that person sets a
/// password and enrols an authenticator app. Only completing a link stores a secret, so only the
/// server (not <c>paygo admin bootstrap</c>) passes the key ring's <paramref name="secrets"/>.
/// </summary>
public sealed class Enrolment(PaygoDbContext db, TimeProvider clock, IActorAccessor actors, AuditAnchorKey auditKey, ISecretProtector? secrets = null)
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    /// <summary>Creates the first operator admin and its enrolment token; refuses once the operator has a user.</summary>
    public async Task<(string? Token, ApiError? Error)> BootstrapAsync(string email, string displayName, string organisation, CancellationToken cancellationToken)
    {
        if (await db.Users.AnyAsync(u => u.PartnerId == null, cancellationToken))
        {
            return (null, new ApiError(ErrorKind.Conflict, ErrorCodes.AlreadyExists, "The operator already has users: ask one of its Global admins to add you."));
        }

        var errors = new List<FieldError>();
        email = email.Trim();
        if (email.Length is 0 or > 256 || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
        {
            errors.Add(new("email", "The e-mail address is not valid."));
        }

        if (string.IsNullOrWhiteSpace(displayName) || displayName.Length > 200)
        {
            errors.Add(new("name", "The name is required: 1 to 200 characters."));
        }

        if (errors.Count > 0)
        {
            return (null, ApiError.InvalidFields(errors));
        }

        // The admin's domain becomes the operator's first verified domain, so the admin can add colleagues.
        var domain = VerifiedDomainDirectory.DomainOf(email);
        var holder = domain is null ? null : await db.VerifiedDomains.FirstOrDefaultAsync(d => d.Domain == domain, cancellationToken);
        if (domain is null || holder is { PartnerId: not null })
        {
            return (null, ApiError.InvalidField("email", $"The domain of {email} cannot be the operator's: it is not a domain name, or it is a partner's verified domain."));
        }

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (holder is null)
        {
            db.VerifiedDomains.Add(new VerifiedDomain { Domain = domain, PartnerId = null, CreatedAt = now });
        }

        if (!await db.Operators.AnyAsync(cancellationToken))
        {
            db.Operators.Add(new OperatorOrganization { Id = Guid.NewGuid(), Name = organisation.Trim(), CreatedAt = now });
        }

        var normalized = SignInService.NormalizeEmail(email);
        var user = new PaygoUser
        {
            Id = Guid.NewGuid(),
            Email = email,
            NormalizedEmail = normalized,
            UserName = email,
            NormalizedUserName = normalized,
            DisplayName = displayName.Trim(),
            Roles = PartnerRoles.Format([PartnerRole.GlobalAdmin, PartnerRole.UserManagementAdmin]),
            SecurityStamp = Guid.NewGuid().ToString("N"),
            ConcurrencyStamp = Guid.NewGuid().ToString("N"),
            LockoutEnabled = true,
            CreatedAt = now,
        };
        db.Users.Add(user);
        var token = NewToken();
        db.EnrolmentTokens.Add(new EnrolmentToken { TokenHash = Hash(token), UserId = user.Id, ExpiresAt = now + LinkLifetime });
        await new AuditTrail(db, clock, actors, auditKey).AppendAsync(new AuditEntry("bootstrap_operator_admin", "user", AuditEntry.Succeeded,
            ResourceNewValue: JsonSerializer.Serialize(new { userId = user.Id, email }, PaygoJson.Options)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (token, null);
    }

    /// <summary>The user an unused, unexpired link belongs to, or null.</summary>
    public async Task<PaygoUser?> FindUserAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var now = clock.GetUtcNow();
        var entry = await db.EnrolmentTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now, cancellationToken);
        return entry is null ? null : await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == entry.UserId && !u.IsDisabled, cancellationToken);
    }

    /// <summary>Uses the link once: sets the password and the confirmed TOTP secret; returns the recovery codes.</summary>
    public async Task<(IReadOnlyList<string>? RecoveryCodes, IReadOnlyList<FieldError> Errors)> CompleteAsync(
        string token, string? password, string secret, string? code, CancellationToken cancellationToken)
    {
        var protector = secrets ?? throw new InvalidOperationException("Completing an enrolment link stores a TOTP secret: construct Enrolment with the key ring's ISecretProtector.");
        var errors = new List<FieldError>(PasswordPolicy.Check(password));
        var now = clock.GetUtcNow();
        var step = Totp.MatchingStep(secret, code?.Trim(), now);
        if (step is null)
        {
            errors.Add(new("code", "The code does not match: check the key in your authenticator app and type its current code."));
        }

        var user = await FindUserAsync(token, cancellationToken);
        if (user is null)
        {
            errors.Add(new("token", "This enrolment link is used, expired or unknown: ask an admin for a new one."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var hash = Hash(token);
        var used = await db.EnrolmentTokens.Where(t => t.TokenHash == hash && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (used == 0)
        {
            return (null, [new FieldError("token", "This enrolment link was used a moment ago.")]);
        }

        var passwordHash = SignInService.HashPassword(user!, password!);
        await db.Users.Where(u => u.Id == user!.Id).ExecuteUpdateAsync(s => s
            .SetProperty(u => u.PasswordHash, passwordHash)
            .SetProperty(u => u.EmailConfirmed, true), cancellationToken);
        var codes = await SecondFactorEnrolment.ConfirmTotpAsync(db, protector, user!.Id, secret, step!.Value, now, cancellationToken);
        if (codes is null)
        {
            return (null, [new FieldError("token", "This account already has a second factor; sign in instead.")]);
        }
        await new AuditTrail(db, clock, actors, auditKey).AppendAsync(new AuditEntry("user_enrolled", "user", AuditEntry.Succeeded,
            PartnerId: user.PartnerId, UserPrincipalName: user.Email,
            ResourceNewValue: JsonSerializer.Serialize(new { userId = user.Id, method = "totp" }, PaygoJson.Options)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (codes, []);
    }

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
