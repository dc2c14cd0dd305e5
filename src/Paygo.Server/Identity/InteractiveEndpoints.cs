using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Paygo.Core;
using Paygo.Core.Audit;
using Paygo.Core.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Paygo.Server.Identity;

/// <summary>
/// The interactive OAuth flows of <c>paygo login</c>: authorization code with PKCE to a loopback
/// redirect, and the device flow (<c>paygo login --device</c>). Both sign the person in through
/// the dashboard first (password and second factor), so their tokens carry <c>mfa</c> exactly
/// like any other sign-in; there is no consent screen for Paygo's own first-party client.
/// </summary>
internal static class InteractiveEndpoints
{
    public static async Task<IResult> AuthorizeAsync(HttpContext context, PaygoDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenIddict request is missing.");
        var user = await SignedInUserAsync(context, db, cancellationToken);
        if (user is null)
        {
            // Back to this very request after the dashboard's sign-in.
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(
                context.Request.HasFormContentType ? context.Request.Form.ToList() : context.Request.Query.ToList());
            return Results.Challenge(new AuthenticationProperties { RedirectUri = returnUrl }, [AuthSetup.DashboardScheme]);
        }

        await audit.WriteAsync(new AuditEntry("user_authorized_client", "user", AuditEntry.Succeeded, PartnerId: user.PartnerId,
            UserPrincipalName: user.Email, ApplicationId: request.ClientId,
            ResourceNewValue: JsonSerializer.Serialize(new { flow = "authorization_code+pkce" })), cancellationToken);
        var principal = Principals.ForUser(user, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Principals.MfaMethods);
        principal.SetScopes(request.GetScopes().Intersect([Scopes.OfflineAccess]));
        return Results.SignIn(Principals.ForTokens(principal), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The device flow's verification address sends the person to the dashboard page that approves the code.</summary>
    public static IResult ShowVerification(HttpContext context) =>
        Results.Redirect("/device" + QueryString.Create("user_code", context.Request.Query["user_code"].ToString()));

    /// <summary>Approves a device code for the signed-in dashboard user.</summary>
    public static async Task<IResult> ApproveDeviceAsync(HttpContext context, PaygoDbContext db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var user = await SignedInUserAsync(context, db, cancellationToken);
        if (user is null)
        {
            return Results.Challenge(new AuthenticationProperties { RedirectUri = "/device" }, [AuthSetup.DashboardScheme]);
        }

        var pending = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        if (!pending.Succeeded || string.IsNullOrEmpty(pending.Principal?.GetClaim(Claims.ClientId)))
        {
            return Results.Redirect("/device?result=invalid");
        }

        await audit.WriteAsync(new AuditEntry("user_authorized_client", "user", AuditEntry.Succeeded, PartnerId: user.PartnerId,
            UserPrincipalName: user.Email, ApplicationId: pending.Principal.GetClaim(Claims.ClientId),
            ResourceNewValue: JsonSerializer.Serialize(new { flow = "device_code" })), cancellationToken);
        var principal = Principals.ForUser(user, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Principals.MfaMethods);
        principal.SetScopes(pending.Principal.GetScopes().Intersect([Scopes.OfflineAccess]));
        return Results.SignIn(Principals.ForTokens(principal), new AuthenticationProperties { RedirectUri = "/device?result=approved" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The dashboard session's user, if signed in with MFA and still enabled with the same stamp.</summary>
    private static async Task<PaygoUser?> SignedInUserAsync(HttpContext context, PaygoDbContext db, CancellationToken cancellationToken)
    {
        var session = await context.AuthenticateAsync(AuthSetup.DashboardScheme);
        return session.Succeeded && session.Principal.HasClaim(PaygoClaims.AuthenticationMethod, PaygoClaims.Mfa)
            ? await UserSessions.FindValidUserAsync(db, session.Principal, cancellationToken)
            : null;
    }
}
