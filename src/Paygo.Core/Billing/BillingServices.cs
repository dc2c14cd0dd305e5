using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Paygo.Core.Billing;

/// <summary>
/// Registers the Billing feature's Core services: the month close and the invoice queries. The
/// close reads rated lines through <see cref="RatedUsage.IMonthRating"/>, which the rated-usage
/// feature registers (its AddX() is called next to this one in Program.cs).
/// </summary>
public static class BillingServices
{
    public static IServiceCollection AddBilling(this IServiceCollection services, BillingSettings? settings = null)
    {
        services.TryAddSingleton(settings ?? new BillingSettings());
        services.TryAddSingleton<CloseSignal>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddScoped<MonthClose>();
        services.TryAddScoped<InvoiceQueries>();
        return services;
    }
}
