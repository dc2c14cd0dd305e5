using Microsoft.FluentUI.AspNetCore.Components;
using Paygo.Server.Identity;

namespace Paygo.Server.Dashboard;

/// <summary>
/// The web dashboard: Blazor static server rendering with Fluent UI components, laid out like
/// Partner Center (Customers, Billing, Pricing, Access, Settings). Pages call the same Core
/// services as the API, never the API over HTTP.
/// </summary>
public static class DashboardEndpoints
{
    public static IServiceCollection AddDashboard(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddFluentUIComponents();
        services.AddAntiforgery();
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAntiforgery();
        app.MapStaticAssets().DisableRateLimiting().AllowAnonymous();
        // Every page needs a signed-in user with MFA unless it says [AllowAnonymous] (the sign-in pages).
        app.MapRazorComponents<App>().RequireAuthorization(AuthSetup.DashboardPolicy);
        return app;
    }
}
