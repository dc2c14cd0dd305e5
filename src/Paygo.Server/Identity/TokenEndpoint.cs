using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Paygo.Core;
using Paygo.Core.Audit;
using Paygo.Core.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Paygo.Server.Identity;

/// <summary>
/// <c>POST /connect/token</c>: OpenIddict has already checked the client, its secret, its grant
/// and scope permissions; this decides who the caller is. Password grant (<c>paygo-cli</c>, when
/// enabled) needs the password and an <c>otp</c> parameter together and obeys the same
/// single-use and lockout rules as an interactive sign-in; refresh re-reads the user so a
/// disabled user cannot refresh.
/// </summary>
internal static class TokenEndpoint
{
    private const string GenericFailure =
        "Sign-in failed: the user name, password or one-time code is wrong, or the account is locked for 15 minutes after repeated failures.";

    public static async Task<IResult> ExchangeAsync(
        HttpContext context,
        SignInService signIn,
        PaygoDbContext db,
        AuditTrail audit,
        IOpenIddictApplicationManager applications,
        CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict request is missing.");

        if (request.IsPasswordGrantType())
        {
            var outcome = await signIn.SignInAsync(request.Username, request.Password, request.GetParameter("otp")?.ToString(), cancellationToken);
            await audit.WriteAsync(outcome.ToAuditEntry(request.Username, "password+otp", request.ClientId), cancellationToken);
            if (outcome.Kind == SignInOutcomeKind.EnrolmentRequired)
            {
                return Refuse(Errors.InvalidGrant, "This user has no second factor yet: sign in to the dashboard once to enrol an authenticator app.");
            }

            if (!outcome.Succeeded)
            {
                return Refuse(Errors.InvalidGrant, GenericFailure);
            }

            var principal = Principals.ForUser(outcome.User!, AuthenticationType, Principals.MfaMethods);
            principal.SetScopes(request.GetScopes().Intersect([Scopes.OfflineAccess]));
            return SignIn(principal);
        }

        if (request.IsClientCredentialsGrantType())
        {
            var application = await applications.FindByClientIdAsync(request.ClientId!, cancellationToken)
                ?? throw new InvalidOperationException("OpenIddict accepted an unknown client.");
            var properties = await applications.GetPropertiesAsync(application, cancellationToken);
            var tenant = properties.TryGetValue(OAuthClients.TenantProperty, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : TenantNames.Operator;
            await audit.WriteAsync(new AuditEntry("app_token_issued", "application", AuditEntry.Succeeded,
                PartnerId: Guid.TryParse(tenant, out var partner) ? partner : null, ApplicationId: request.ClientId), cancellationToken);
            return SignIn(Principals.ForApp(request.ClientId!, tenant, request.GetScopes(), AuthenticationType));
        }

        if (request.IsRefreshTokenGrantType() || request.IsAuthorizationCodeGrantType() || request.IsDeviceCodeGrantType())
        {
            var authenticated = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var user = await UserSessions.FindValidUserAsync(db, authenticated.Principal, cancellationToken);
            if (user is null)
            {
                return Refuse(Errors.InvalidGrant, "The grant is no longer valid: the user was disabled or its second factor reset.");
            }

            // Roles may have changed since the first sign-in; the MFA of that sign-in carries over.
            var principal = Principals.ForUser(user, AuthenticationType, Principals.MfaMethods);
            principal.SetScopes(authenticated.Principal!.GetScopes());
            return SignIn(principal);
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    // The authentication type of the identities this endpoint builds.
    private const string AuthenticationType = "Paygo.Token";

    private static IResult SignIn(System.Security.Claims.ClaimsPrincipal principal) =>
        Results.SignIn(Principals.ForTokens(principal), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private static IResult Refuse(string error, string description) =>
        Results.Forbid(
            new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
            }),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
