using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Orders;

namespace Paygo.Core.Transitions;

/// <summary>Registers the legacy transition's Core services: the operator's import and the product upgrades, which buy the plan as checkout does.</summary>
public static class TransitionServices
{
    public static IServiceCollection AddTransitions(this IServiceCollection services)
    {
        services.AddOrders();
        services.TryAddScoped<LegacyImports>();
        services.TryAddScoped<ProductUpgrades>();
        return services;
    }
}
