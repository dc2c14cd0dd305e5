using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Access;
using Paygo.Core.Pricing;

namespace Paygo.Core.RatedUsage;

/// <summary>Registers the RatedUsage feature's Core services: the stored month rating and its cache.</summary>
public static class RatedUsageServices
{
    public static IServiceCollection AddRatedUsage(this IServiceCollection services)
    {
        // Rating reads the access store's history and the stored prices: the features it depends on come with it.
        services.AddAccess();
        services.AddPricing();
        services.TryAddSingleton<MonthRatingCache>();
        services.TryAddScoped<IMonthRating, StoredMonthRating>();
        services.TryAddScoped<UnbilledUsage>();
        services.TryAddScoped<UsageSummaries>();
        return services;
    }
}
