using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.FluentUI.AspNetCore.Components;
using Paygo.Server.Api;
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
        // The cookie is Secure whenever the page came over https (the framework's default is never).
        services.AddAntiforgery(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return services;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(ShowNotFoundPageAsync);
        app.UseAntiforgery();
        app.MapStaticAssets().DisableRateLimiting().AllowAnonymous();
        // Every page needs a signed-in user with MFA unless it says [AllowAnonymous] (the sign-in pages).
        app.MapRazorComponents<App>().RequireAuthorization(AuthSetup.DashboardPolicy).Add(AllowFileUploads);
        return app;
    }

    /// <summary>Paths of the API and the protocol endpoints: an unknown address there keeps the JSON error body.</summary>
    private static readonly string[] ApiPaths = ["/v1", "/connect", "/.well-known", "/openapi", "/scalar", "/health", "/metrics", "/_framework", "/_content"];

    /// <summary>
    /// A browser asking for an address no endpoint serves gets the dashboard's not-found page, in the
    /// dashboard's look with HTTP 404, instead of the API's JSON error body (which API paths and
    /// non-HTML callers keep: the status code pages write it when nothing else has).
    /// </summary>
    private static async Task ShowNotFoundPageAsync(HttpContext context, Func<Task> next)
    {
        await next();
        if (context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted
            && context.GetEndpoint() is null && IsBrowserPageRequest(context.Request))
        {
            // The router renders its NotFoundPage for an address no page matches; rendering the
            // whole App (rather than re-executing the pipeline) keeps the signed-in user and the menu.
            await new RazorComponentResult<App> { StatusCode = StatusCodes.Status404NotFound }.ExecuteAsync(context);
        }
    }

    private static bool IsBrowserPageRequest(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        && !ApiPaths.Any(p => request.Path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Pages with a file upload form: price lists reach hundreds of MB, far above the default body limit.</summary>
    private static readonly string[] UploadPages = ["pricing", "pricing/fx"];

    // The API's import routes carry the same limits; here they are added per page, since a
    // component cannot carry UploadLimit (not an attribute) and the form limit must cover the
    // multipart body Blazor reads before the page's handler runs.
    private static void AllowFileUploads(EndpointBuilder endpoint)
    {
        if (endpoint is RouteEndpointBuilder route && UploadPages.Contains(route.RoutePattern.RawText?.Trim('/'), StringComparer.OrdinalIgnoreCase))
        {
            endpoint.Metadata.Add(UploadLimit.Files);
            endpoint.Metadata.Add(new RequestFormLimitsAttribute { MultipartBodyLengthLimit = UploadLimit.Files.Bytes });
        }
    }
}
