using System.Text.Json;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Paygo.Core;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Server.Api;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Paygo.Server.Identity;

/// <summary>
/// The interactive OAuth flows of <c>paygo login</c>: authorization code with PKCE to a loopback
/// redirect, and the device flow (<c>paygo login --device</c>). Both sign the person in through
/// the dashboard first (password and second factor), so their tokens carry <c>mfa</c> exactly
/// like any other sign-in. The browser flow has no consent screen for Paygo's own first-party
/// client (its redirect goes to the CLI on this machine); the device flow has one, since its code
/// can come from anyone: DevicePage names the client, the scopes and the code before approving.
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

    /// <summary>The form field of the confirmation page's button; only its value <see cref="Approve"/> approves.</summary>
    public const string DecisionField = "decision";

    public const string Approve = "approve";

    /// <summary>
    /// Approves a device code for the signed-in dashboard user, and only when the request comes
    /// from the confirmation page (<c>/connect/verify</c>, DevicePage) on this very origin: the
    /// antiforgery token of that page, an <c>Origin</c> (or fetch metadata) naming this origin,
    /// and the button's explicit <c>decision=approve</c>. A page on another origin, even a
    /// same-site one that the SameSite=Strict cookie does not stop, approves nothing.
    /// </summary>
    public static async Task<IResult> ApproveDeviceAsync(HttpContext context, PaygoDbContext db, AuditTrail audit, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (!IsSameOrigin(context.Request))
        {
            return ApiResults.Error(new ApiError(ErrorKind.Forbidden, ErrorCodes.Forbidden, "Device codes are approved only from Paygo's own confirmation page (the request came from another origin)."));
        }

        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return ApiResults.Error(new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidRequestInput, "The approval form has no valid antiforgery token; open the device page again."));
        }

        var user = await SignedInUserAsync(context, db, cancellationToken);
        if (user is null)
        {
            return Results.Challenge(new AuthenticationProperties { RedirectUri = "/device" }, [AuthSetup.DashboardScheme]);
        }

        var form = await context.Request.ReadFormAsync(cancellationToken);
        if (!string.Equals(form[DecisionField], Approve, StringComparison.Ordinal))
        {
            return Results.Redirect("/device?result=cancelled");
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

    /// <summary>
    /// Whether a browser says the request comes from this origin. Browsers send <c>Origin</c> on
    /// every form POST and <c>Sec-Fetch-Site</c> on every request; a request with neither (not a
    /// browser) still needs the antiforgery token, which only the confirmation page hands out.
    /// </summary>
    internal static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && !string.Equals(site, "same-origin", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
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
