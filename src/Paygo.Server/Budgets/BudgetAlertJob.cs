using Microsoft.Extensions.Options;
using Paygo.Core.Budgets;
using Paygo.Server.Notifications;

namespace Paygo.Server.Budgets;

/// <summary>When and whether the budget rule runs (<c>Paygo:Budgets</c>).</summary>
public sealed class BudgetAlertOptions : TimedPassOptions
{
    public const string Section = "Paygo:Budgets";
}

/// <summary>
/// Runs the budget rule (<see cref="BudgetAlerts"/>) on a timer of the injected clock, each pass in
/// a scope of its own. A failed pass is logged and the next one runs as planned.
/// </summary>
public sealed partial class BudgetAlertJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<BudgetAlertOptions> options, ILogger<BudgetAlertJob> logger)
    : TimedPassJob<BudgetAlertOptions>(clock, options, logger)
{
    private bool _warnedNoSpend;

    protected override string RuleName => "budget";

    /// <summary>One pass at <paramref name="now"/>: what the timer calls, and tests directly.</summary>
    public async Task<BudgetCheckSummary> RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BudgetAlerts>().RunOnceAsync(now, cancellationToken);
    }

    protected override async Task PassAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var summary = await RunOnceAsync(now, cancellationToken);
        if (!summary.SpendAvailable && !_warnedNoSpend)
        {
            _warnedNoSpend = true;
            LogNoSpend(logger);
        }
    }

    [LoggerMessage(EventId = 3403, Level = LogLevel.Warning, Message = "Budget checks skipped: no rating (IMonthRating) is registered, so month-to-date spend is unknown")]
    private static partial void LogNoSpend(ILogger logger);
}
