using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Notifications;
using Paygo.Core.RatedUsage;

namespace Paygo.Core.Billing;

/// <summary>
/// Registers the Billing feature's Core services: the month close and the invoice queries. The
/// close reads rated lines through <see cref="IMonthRating"/> (the rated-usage feature).
/// </summary>
public static class BillingServices
{
    public static IServiceCollection AddBilling(this IServiceCollection services, BillingSettings? settings = null)
    {
        // The close reads rated lines; the rated-usage feature comes with it.
        services.AddRatedUsage();

        // The PEC-loss alerts go out through the notification sender.
        services.AddNotifications();
        services.TryAddSingleton(settings ?? new BillingSettings());
        services.TryAddSingleton<CloseSignal>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<MonthClose>();
        services.TryAddScoped<InvoiceQueries>();
        services.TryAddScoped<BilledFocusExport>();
        services.TryAddScoped<PecReports>();
        services.TryAddScoped<UnbilledReconciliation>();
        services.TryAddSingleton<ExportSignal>();
        services.TryAddScoped<BillingExports>();
        services.TryAddScoped<PecLossAlerts>();
        return services;
    }
}
