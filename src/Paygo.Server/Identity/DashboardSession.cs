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
        var db = context.HttpContext.RequestServices.GetRequiredService<PaygoDbContext>();
        if (await UserSessions.FindValidUserAsync(db, context.Principal, context.HttpContext.RequestAborted) is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSetup.DashboardScheme);
        }
    }
}
