using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using Paygo.Core;
using Paygo.Core.Identity;

namespace Paygo.Server.Identity;

/// <summary>The requirement of one <see cref="ApiOperation"/>.</summary>
public sealed record PermissionRequirement(ApiOperation ApiOperation) : IAuthorizationRequirement;

/// <summary>
/// Decides a <see cref="PermissionRequirement"/> for a bearer token: user tokens need <c>mfa</c>
/// in <c>amr</c>, a user who is still enabled with the same security stamp (so disabling a user
/// or resetting its second factor ends its tokens at once, PROMISES S6), and a role the matrix
/// allows; app tokens need a credential that still exists and a scope the matrix allows.
/// </summary>
internal sealed class PermissionHandler(PaygoDbContext db, IOpenIddictApplicationManager applications)
    : AuthorizationHandler<PermissionRequirement>
{
    public const string MfaRequired = "MFA required";
    public const string Revoked = "revoked";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, PermissionRequirement requirement)
    {
        var principal = context.User;
        var subject = principal.FindFirst(PaygoClaims.Subject)?.Value;
        var kind = principal.FindFirst(PaygoClaims.Kind)?.Value;
        if (subject is null)
        {
            return;
        }

        if (kind == PaygoClaims.AppKind)
        {
            if (await applications.FindByClientIdAsync(subject) is null)
            {
                context.Fail(new AuthorizationFailureReason(this, Revoked));
                return;
            }

            if (PermissionMatrix.AllowsApp(requirement.ApiOperation, principal.GetScopes()))
            {
                context.Succeed(requirement);
            }

            return;
        }

        if (!principal.HasClaim(PaygoClaims.AuthenticationMethod, PaygoClaims.Mfa))
        {
            context.Fail(new AuthorizationFailureReason(this, MfaRequired));
            return;
        }

        if (!Guid.TryParse(subject, out var userId))
        {
            return;
        }

        var state = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.IsDisabled, u.SecurityStamp })
            .FirstOrDefaultAsync();
        if (state is null || state.IsDisabled || state.SecurityStamp != principal.FindFirst(PaygoClaims.Stamp)?.Value)
        {
            context.Fail(new AuthorizationFailureReason(this, Revoked));
            return;
        }

        var isOperator = principal.FindFirst(PaygoClaims.Tenant)?.Value == TenantNames.Operator;
        var roles = principal.FindAll(PaygoClaims.Role)
            .Select(c => Enum.TryParse<PartnerRole>(c.Value, out var role) ? role : (PartnerRole?)null)
            .OfType<PartnerRole>();
        if (PermissionMatrix.AllowsUser(requirement.ApiOperation, isOperator, roles))
        {
            context.Succeed(requirement);
        }
    }
}
