using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Catalog;

namespace Paygo.Core.Customers;

/// <summary>Registers the Customers feature's Core services; a customer is created against the catalog's markets.</summary>
public static class CustomerServices
{
    public static IServiceCollection AddCustomers(this IServiceCollection services)
    {
        services.AddCatalog();
        services.TryAddScoped<CustomerDirectory>();
        return services;
    }
}
