using System.Security.Claims;
using OpenIddict.Abstractions;
using Paygo.Core.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Paygo.Server.Identity;

/// <summary>Builds the claims of a signed-in user or app, for tokens and for the dashboard cookie.</summary>
internal static class Principals
{
    /// <summary>Authentication methods of a password-plus-second-factor sign-in (RFC 8176 values).</summary>
    public static readonly string[] MfaMethods = ["pwd", "otp", PaygoClaims.Mfa];

    /// <summary>Password plus a passkey: proof of possession of a hardware-protected key.</summary>
    public static readonly string[] PasskeyMethods = ["pwd", "hwk", PaygoClaims.Mfa];

    public static ClaimsPrincipal ForUser(PaygoUser user, string authenticationType, IEnumerable<string> methods)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(authenticationType, PaygoClaims.Name, PaygoClaims.Role);
        identity.AddClaim(new Claim(PaygoClaims.Subject, user.Id.ToString()));
        identity.AddClaim(new Claim(PaygoClaims.Kind, PaygoClaims.UserKind));
        identity.AddClaim(new Claim(PaygoClaims.Tenant, user.Tenant));
        identity.AddClaim(new Claim(PaygoClaims.Email, user.Email ?? string.Empty));
        identity.AddClaim(new Claim(PaygoClaims.Name, user.DisplayName));
        identity.AddClaim(new Claim(PaygoClaims.Stamp, user.SecurityStamp ?? string.Empty));
        foreach (var role in user.RoleList)
        {
            identity.AddClaim(new Claim(PaygoClaims.Role, role.ToString()));
        }

        foreach (var method in methods)
        {
            identity.AddClaim(new Claim(PaygoClaims.AuthenticationMethod, method));
        }

        if (user.PartnerId is { } partner)
        {
            identity.AddClaim(new Claim("partner_id", partner.ToString()));
        }

        return new ClaimsPrincipal(identity);
    }

    public static ClaimsPrincipal ForApp(string clientId, string tenant, IEnumerable<string> scopes, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, PaygoClaims.Name, PaygoClaims.Role);
        identity.AddClaim(new Claim(PaygoClaims.Subject, clientId));
        identity.AddClaim(new Claim(PaygoClaims.Kind, PaygoClaims.AppKind));
        identity.AddClaim(new Claim(PaygoClaims.Tenant, tenant));
        identity.AddClaim(new Claim(PaygoClaims.Name, clientId));
        if (tenant != TenantNames.Operator)
        {
            identity.AddClaim(new Claim("partner_id", tenant));
        }

        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        return principal;
    }

    /// <summary>Every claim of a Paygo token goes into the access token, none into other tokens' payloads.</summary>
    public static ClaimsPrincipal ForTokens(ClaimsPrincipal principal)
    {
        principal.SetDestinations(_ => [Destinations.AccessToken]);
        return principal;
    }
}
