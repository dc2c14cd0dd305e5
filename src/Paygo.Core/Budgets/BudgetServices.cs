using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Audit;
using Paygo.Core.Notifications;

namespace Paygo.Core.Budgets;

/// <summary>Registers the Budgets feature's Core services: the budget book, the rule's pass and the spend it reads.</summary>
public static class BudgetServices
{
    public static IServiceCollection AddBudgets(this IServiceCollection services)
    {
        services.AddAuditTrail();
        services.AddNotifications();
        services.TryAddScoped<BudgetBook>();
        services.TryAddScoped<BudgetAlerts>();

        // The stored rating's spend; no fake is ever registered here: without an IMonthRating the rule checks nothing.
        services.TryAddScoped<ICustomerSpendSource, RatedCustomerSpend>();
        return services;
    }
}
