using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Paygo.Core.Catalog;

/// <summary>Registers the Catalog feature's Core services (products, SKUs, availabilities).</summary>
public static class CatalogServices
{
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.TryAddScoped<CatalogQueries>();
        return services;
    }
}
