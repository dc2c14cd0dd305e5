using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Agreements;
using Paygo.Core.AzurePlans;
using Paygo.Core.Catalog;
using Paygo.Core.Identity;

namespace Paygo.Core.Orders;

/// <summary>Registers the Orders feature's Core services: carts, checkout, orders and subscriptions; carts price against the catalog.</summary>
public static class OrderServices
{
    public static IServiceCollection AddOrders(this IServiceCollection services)
    {
        services.AddCatalog();
        // Checkout asks for the customer agreement and the caller's second factor.
        services.AddAgreements();
        services.AddSignIn();
        services.TryAddScoped<Carts>();
        services.TryAddScoped<Checkout>();
        services.TryAddScoped<OrderQueries>();
        services.TryAddScoped<SubscriptionUpdates>();
        services.TryAddScoped<AzureSubscriptions>();
        return services;
    }
}
