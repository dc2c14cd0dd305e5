using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Paygo.Core;
using Paygo.Core.Identity;

namespace Paygo.Server.Identity;

/// <summary>Ends a dashboard session on its next request once the user is disabled or its second factor reset.</summary>
internal static class DashboardSession
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var subject = context.Principal?.FindFirst(PaygoClaims.Subject)?.Value;
        var stamp = context.Principal?.FindFirst(PaygoClaims.Stamp)?.Value;
        if (!Guid.TryParse(subject, out var userId))
        {
            context.RejectPrincipal();
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<PaygoDbContext>();
        var state = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.IsDisabled, u.SecurityStamp }).FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        if (state is null || state.IsDisabled || state.SecurityStamp != stamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(AuthSetup.DashboardScheme);
        }
    }
}
