using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Paygo.Core;
using Paygo.Core.Identity;

namespace Paygo.Server.Identity;

/// <summary>Ends a dashboard session on its next request once the user is disabled or its second factor reset.</summary>
internal static class DashboardSession
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var services = context.HttpContext.RequestServices;
        var cache = services.GetRequiredService<TokenValidityCache>();
        var principal = context.Principal;

        // Cached per user and stamp, like bearer tokens: the cookie is checked during
        // authentication, before the rate limiter, so its lookup must be cheap (PROMISES S9).
        var key = principal?.FindFirst(PaygoClaims.Subject)?.Value is { } subject ? $"session:{subject}:{principal.FindFirst(PaygoClaims.Stamp)?.Value}" : null;
        if (!await cache.IsValidAsync(key, async () =>
            await UserSessions.FindValidUserAsync(services.GetRequiredService<PaygoDbContext>(), principal, context.HttpContext.RequestAborted) is not null))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSetup.DashboardScheme);
        }
    }
}
