using Paygo.Core.Budgets;

namespace Paygo.Server.Budgets;

/// <summary>The server's part of the Budgets feature: Core's services and the background job of the rule.</summary>
public static class BudgetHosting
{
    public static IServiceCollection AddBudgetAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBudgets();
        services.Configure<BudgetAlertOptions>(configuration.GetSection(BudgetAlertOptions.Section));
        services.AddSingleton<BudgetAlertJob>();
        services.AddHostedService(sp => sp.GetRequiredService<BudgetAlertJob>());
        return services;
    }
}
