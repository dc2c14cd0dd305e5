using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Audit;
using Paygo.Core.Notifications;
using Paygo.Core.RatedUsage;

namespace Paygo.Core.Budgets;

/// <summary>Registers the Budgets feature's Core services: the budget book, the rule's pass and the spend it reads.</summary>
public static class BudgetServices
{
    public static IServiceCollection AddBudgets(this IServiceCollection services)
    {
        services.AddAuditTrail();
        services.AddNotifications();
        services.AddRatedUsage();
        services.TryAddScoped<BudgetBook>();
        services.TryAddScoped<BudgetAlerts>();

        // The stored rating's spend (AddRatedUsage above); no fake is ever registered in production.
        services.TryAddScoped<ICustomerSpendSource, RatedCustomerSpend>();
        return services;
    }
}
