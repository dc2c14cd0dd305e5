using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Paygo.Core.Pricing;

/// <summary>Registers the Pricing feature's Core services: price lists and FX rates.</summary>
public static class PricingServices
{
    public static IServiceCollection AddPricing(this IServiceCollection services)
    {
        services.TryAddScoped<PriceListStore>();
        services.TryAddScoped<FxRateBook>();
        return services;
    }
}
