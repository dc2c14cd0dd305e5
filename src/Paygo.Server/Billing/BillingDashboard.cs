using Paygo.Server.Identity;

namespace Paygo.Server.Billing;

/// <summary>
/// The dashboard's download routes for the Billing pages: the same handlers as the API's
/// (<see cref="BillingEndpoints"/>), behind the dashboard's cookie sign-in instead of a bearer
/// token, so a link on the page downloads exactly the bytes the API serves.
/// </summary>
public static class BillingDashboard
{
    public const string InvoicesPath = "/billing/invoices";

    public const string FocusPath = "/billing/focus";

    public static IEndpointRouteBuilder MapBillingDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet(InvoicesPath + "/{invoiceId}/files/{kind}", BillingEndpoints.DownloadFile).RequireAuthorization(AuthSetup.DashboardPolicy).ExcludeFromDescription();
        app.MapGet(InvoicesPath + "/{invoiceId}/statement", BillingEndpoints.Statement).RequireAuthorization(AuthSetup.DashboardPolicy).ExcludeFromDescription();
        app.MapGet(FocusPath, BillingEndpoints.Focus).RequireAuthorization(AuthSetup.DashboardPolicy).ExcludeFromDescription();
        return app;
    }
}
