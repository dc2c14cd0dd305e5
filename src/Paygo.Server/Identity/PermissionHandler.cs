using Microsoft.AspNetCore.Authorization;
using OpenIddict.Abstractions;
using Paygo.Core;
using Paygo.Core.Identity;
using Paygo.Core.Users;

namespace Paygo.Server.Identity;

/// <summary>The requirement of one <see cref="ApiOperation"/>.</summary>
public sealed record PermissionRequirement(ApiOperation Operation) : IAuthorizationRequirement;

/// <summary>
/// Decides a <see cref="PermissionRequirement"/> for a bearer token: user tokens need <c>mfa</c>
/// in <c>amr</c>, a user who is still enabled with the same security stamp (so disabling a user
/// or resetting its second factor ends its tokens at once, PROMISES S6), and a role the matrix
/// allows; app tokens need a credential that still exists and a scope the matrix allows. Both
/// need the token's own entry to be valid: reuse of a refresh token revokes every token of its
/// chain, access tokens included. The answer is cached per token (<see cref="TokenValidityCache"/>);
/// the database and OpenIddict's managers are resolved only when the cache has no answer, so a
/// cached request builds none of them (PROMISES P3). A singleton: it holds nothing per request.
/// </summary>
internal sealed class PermissionHandler(IHttpContextAccessor http, TokenValidityCache cache)
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
            if (!await cache.IsValidAsync(principal.GetTokenId(), async () =>
                await Services.GetRequiredService<IOpenIddictApplicationManager>().FindByClientIdAsync(subject) is not null
                && await IsTokenEntryValidAsync(principal)))
            {
                context.Fail(new AuthorizationFailureReason(this, Revoked));
                return;
            }

            if (PermissionMatrix.AllowsApp(requirement.Operation, principal.GetScopes()))
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

        if (!await cache.IsValidAsync(principal.GetTokenId(), async () =>
            await UserSessions.FindValidUserAsync(Services.GetRequiredService<PaygoDbContext>(), principal, CancellationToken.None) is not null && await IsTokenEntryValidAsync(principal)))
        {
            context.Fail(new AuthorizationFailureReason(this, Revoked));
            return;
        }

        var caller = Caller.From(principal);
        if (PermissionMatrix.AllowsUser(requirement.Operation, caller.IsOperator, caller.Roles))
        {
            context.Succeed(requirement);
        }
    }

    // Every token Paygo issues has an entry (token storage is on); a token without one, or whose
    // entry was revoked (refresh-token reuse) or pruned, no longer stands.
    private async Task<bool> IsTokenEntryValidAsync(System.Security.Claims.ClaimsPrincipal principal)
    {
        var tokens = Services.GetRequiredService<IOpenIddictTokenManager>();
        return principal.GetTokenId() is { } id
            && await tokens.FindByIdAsync(id) is { } entry
            && await tokens.HasStatusAsync(entry, OpenIddictConstants.Statuses.Valid);
    }

    // The request's own scope: the lookups see the request's database context, as before.
    private IServiceProvider Services =>
        http.HttpContext?.RequestServices ?? throw new InvalidOperationException("A permission is decided inside a request.");
}
