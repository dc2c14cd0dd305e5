using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Partners;

namespace Paygo.Core.Users;

/// <summary>
/// The users of one organisation, managed by its Global admins and User management admins. Every
/// query is scoped to the caller's organisation: another organisation's user is "not found".
/// Only a Global admin may give or take the Global admin role. New users' addresses must be under
/// one of the organisation's verified domains.
/// </summary>
public sealed class UserDirectory(PaygoDbContext db, IdempotentCreates creates, AuditTrail audit, TimeProvider clock)
{
    public const string CreateOperation = "POST /v1/users";

    public async Task<IReadOnlyList<UserResource>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsersRead);
        var users = await OwnUsers(caller).OrderBy(u => u.NormalizedEmail).ToListAsync(cancellationToken);
        return [.. users.Select(UserResource.From)];
    }

    public async Task<UserResource?> FindAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsersRead);
        var user = await OwnUsers(caller).FirstOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user is null ? null : UserResource.From(user);
    }

    public Task<Result<Created<UserResource>>> CreateAsync(Caller caller, UserCreateRequest request, string? requestId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsersManage);
        ArgumentNullException.ThrowIfNull(request);

        // The password is hashed, never stored or hashed for idempotency in clear text.
        var fingerprint = request with { Password = request.Password is null ? null : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(request.Password))) };
        return creates.CreateAsync<UserResource>(caller.Scope, requestId, CreateOperation, fingerprint, async ct =>
        {
            var errors = new List<FieldError>();
            var email = request.Email?.Trim();
            if (string.IsNullOrEmpty(email) || email.Length > 256 || !System.Net.Mail.MailAddress.TryCreate(email, out var parsed) || parsed.Address != email)
            {
                errors.Add(new("email", $"The field 'email' must be an e-mail address such as ana@contoso.com."));
            }

            var name = request.DisplayName?.Trim();
            if (string.IsNullOrEmpty(name) || name.Length > 200 || name.Any(char.IsControl))
            {
                errors.Add(new("displayName", "The field 'displayName' is required: 1 to 200 printable characters."));
            }

            var roles = new List<PartnerRole>();
            if (request.Roles is null || request.Roles.Count == 0)
            {
                errors.Add(new("roles", "The field 'roles' needs at least one Partner Center role, such as \"Admin agent\"."));
            }
            else
            {
                foreach (var text in request.Roles)
                {
                    if (PartnerRoles.TryParseWire(text, out var role))
                    {
                        roles.Add(role);
                    }
                    else
                    {
                        errors.Add(new("roles", $"'{text}' is not a Partner Center role: Global admin, Admin agent, Sales agent, Billing admin, Helpdesk agent or User management admin."));
                    }
                }
            }

            errors.AddRange(PasswordPolicy.Check(request.Password));
            if (errors.Count > 0)
            {
                return (null, ApiError.InvalidFields(errors));
            }

            // Before any look-up of the address: outside the caller's own domains the answer is the
            // same whether or not the address exists elsewhere (docs/adr/0015).
            // The message lists the caller's own domains only, the same for every refused address.
            var domain = VerifiedDomainDirectory.DomainOf(email!);
            var own = await db.VerifiedDomains.AsNoTracking().Where(d => d.PartnerId == caller.PartnerId).OrderBy(d => d.Domain).Select(d => d.Domain).ToListAsync(ct);
            if (domain is null || !own.Contains(domain))
            {
                return (null, ApiError.InvalidField("email",
                    $"The field 'email' must be under one of your organisation's verified domains ({(own.Count == 0 ? "none yet" : string.Join(", ", own))}), and '{ErrorText.Quote(domain ?? email!)}' is not one: ask the operator to verify it."));
            }

            if (roles.Contains(PartnerRole.GlobalAdmin) && !caller.Roles.Contains(PartnerRole.GlobalAdmin))
            {
                return (null, new ApiError(ErrorKind.Forbidden, ErrorCodes.Forbidden, "Only a Global admin may give the Global admin role."));
            }

            var normalized = SignInService.NormalizeEmail(email!);
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, ct))
            {
                return (null, Duplicate(email!));
            }

            var now = clock.GetUtcNow();
            var user = new PaygoUser
            {
                Id = Guid.NewGuid(),
                PartnerId = caller.PartnerId,
                Email = email,
                NormalizedEmail = normalized,
                UserName = email,
                NormalizedUserName = normalized,
                DisplayName = name!,
                Roles = PartnerRoles.Format(roles),
                SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString("N"),
                LockoutEnabled = true,
                CreatedAt = now,
            };
            user.PasswordHash = SignInService.HashPassword(user, request.Password!);
            db.Users.Add(user);
            var resource = UserResource.From(user);
            return (new PreparedCreate<UserResource>(resource, resource.Links.Self.Uri, new AuditEntry("create_user", "user", AuditEntry.Succeeded, PartnerId: caller.PartnerId)), null);
        },
        _ => Duplicate(request.Email ?? string.Empty),
        cancellationToken);
    }

    /// <summary>Disables or re-enables a user; disabling ends its tokens and sessions at once (new security stamp).</summary>
    public Task<(UserResource? User, ApiError? Error)> SetDisabledAsync(Caller caller, Guid id, bool disabled, CancellationToken cancellationToken) =>
        ChangeAsync(caller, id, disabled ? "disable_user" : "enable_user", user =>
        {
            if (disabled && user.Id == caller.UserId)
            {
                return new ApiError(ErrorKind.Conflict, ErrorCodes.CannotChangeOwnAccess, "You cannot disable your own user; ask another admin.");
            }

            user.IsDisabled = disabled;
            if (disabled)
            {
                user.SecurityStamp = Guid.NewGuid().ToString("N");
            }

            return null;
        }, cancellationToken);

    /// <summary>Removes the user's second factors (authenticator app and passkeys) and recovery codes: it must enrol again at its next sign-in, and its tokens end now.</summary>
    public Task<(UserResource? User, ApiError? Error)> ResetSecondFactorAsync(Caller caller, Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(caller, id, "reset_user_second_factor", user =>
        {
            user.TotpSecret = null;
            user.SecondFactorEnrolledAt = null;
            user.TwoFactorEnabled = false;
            user.SecurityStamp = Guid.NewGuid().ToString("N");
            db.RecoveryCodes.RemoveRange(db.RecoveryCodes.Where(c => c.UserId == user.Id));
            db.UserPasskeys.RemoveRange(db.UserPasskeys.Where(p => p.UserId == user.Id));
            return null;
        }, cancellationToken);

    /// <summary>The MFA compliance report of the caller's organisation, or (for the operator) of any partner.</summary>
    public async Task<MfaComplianceReport> ComplianceAsync(Caller caller, Guid? partnerId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsersRead);
        var organisation = caller.IsOperator ? partnerId : caller.PartnerId;
        var users = await db.Users.AsNoTracking().Where(u => u.PartnerId == organisation).OrderBy(u => u.NormalizedEmail).ToListAsync(cancellationToken);
        var missing = users.Count(u => !u.IsDisabled && !u.HasSecondFactor);
        return new MfaComplianceReport(organisation, missing == 0, missing, [.. users.Select(UserResource.From)], new ResourceAttributes("MfaComplianceReport"));
    }

    /// <summary>
    /// The signed-in user's own account, for their security page: no role is needed to look after
    /// one's own sign-in, so this is the one read without an <see cref="ApiOperation"/>; null once
    /// the user is disabled or their security stamp changed.
    /// </summary>
    public Task<PaygoUser?> CurrentUserAsync(System.Security.Claims.ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        UserSessions.FindValidUserAsync(db, principal, cancellationToken);

    private IQueryable<PaygoUser> OwnUsers(Caller caller) =>
        db.Users.AsNoTracking().Where(u => u.PartnerId == caller.PartnerId);

    private async Task<(UserResource? User, ApiError? Error)> ChangeAsync(Caller caller, Guid id, string operation, Func<PaygoUser, ApiError?> change, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsersManage);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.PartnerId == caller.PartnerId, cancellationToken);
        if (user is null)
        {
            return (null, ApiError.NotFound($"No user with id {id} in your organisation."));
        }

        if (user.RoleList.Contains(PartnerRole.GlobalAdmin) && !caller.Roles.Contains(PartnerRole.GlobalAdmin))
        {
            return (null, new ApiError(ErrorKind.Forbidden, ErrorCodes.Forbidden, "Only a Global admin may change a Global admin."));
        }

        if (change(user) is { } error)
        {
            return (null, error);
        }

        var resource = UserResource.From(user);
        await audit.AppendAsync(new AuditEntry(operation, "user", AuditEntry.Succeeded, PartnerId: caller.PartnerId,
            ResourceNewValue: JsonSerializer.Serialize(resource, PaygoJson.Options)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (resource, null);
    }

    private static ApiError Duplicate(string email) =>
        new(ErrorKind.Conflict, ErrorCodes.AlreadyExists, $"A user with the e-mail {email} already exists.", [new FieldError("email", "Already in use.")]);
}
