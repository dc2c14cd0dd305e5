using Microsoft.Extensions.Options;
using Paygo.Core.Budgets;

namespace Paygo.Server.Budgets;

/// <summary>When and whether the budget rule runs (<c>Paygo:Budgets</c>).</summary>
public sealed class BudgetAlertOptions
{
    public const string Section = "Paygo:Budgets";

    /// <summary>False stops the background checks (the API and the dashboard still set budgets).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two passes. Spend is rated continuously; an hour keeps notices timely without rating every budget's month too often.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wait before the first pass, so start-up (migrations, the demo seed) finishes first.</summary>
    public TimeSpan FirstCheckDelay { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Runs the budget rule (<see cref="BudgetAlerts"/>) on a timer of the injected clock, each pass in
/// a scope of its own. A failed pass is logged and the next one runs as planned.
/// </summary>
public sealed partial class BudgetAlertJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<BudgetAlertOptions> options, ILogger<BudgetAlertJob> logger) : BackgroundService
{
    /// <summary>One pass at <paramref name="now"/>: what the timer calls, and tests directly.</summary>
    public async Task<BudgetCheckSummary> RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BudgetAlerts>().RunOnceAsync(now, cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        var warnedNoSpend = false;
        try
        {
            await Task.Delay(settings.FirstCheckDelay, clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var summary = await RunOnceAsync(clock.GetUtcNow(), stoppingToken);
                    if (!summary.SpendAvailable && !warnedNoSpend)
                    {
                        warnedNoSpend = true;
                        LogNoSpend(logger);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, ex);
                }

                await Task.Delay(settings.CheckInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(EventId = 3403, Level = LogLevel.Warning, Message = "Budget checks skipped: no rating (IMonthRating) is registered, so month-to-date spend is unknown")]
    private static partial void LogNoSpend(ILogger logger);

    [LoggerMessage(EventId = 3404, Level = LogLevel.Error, Message = "A budget check pass failed; the next one runs at the planned interval")]
    private static partial void LogPassFailed(ILogger logger, Exception exception);
}
