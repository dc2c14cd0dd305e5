using Microsoft.Extensions.Options;

namespace Paygo.Server.Notifications;

/// <summary>When and whether a rule that notifies runs (the budget rule, the PEC-loss rule).</summary>
public class TimedPassOptions
{
    /// <summary>False stops the background passes (the API and the dashboard still work).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two passes. Usage is rated continuously; an hour keeps notices timely without rating every month too often.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Wait before the first pass, so start-up (migrations, the demo seed) finishes first.</summary>
    public TimeSpan FirstCheckDelay { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Runs a rule's pass on a timer of the injected clock. A failed pass is logged and the next one
/// runs as planned; the host stopping ends the loop quietly.
/// </summary>
public abstract partial class TimedPassJob<TOptions>(TimeProvider clock, IOptions<TOptions> options, ILogger logger) : BackgroundService
    where TOptions : TimedPassOptions
{
    /// <summary>The rule's name in the log.</summary>
    protected abstract string RuleName { get; }

    /// <summary>One pass at <paramref name="now"/>.</summary>
    protected abstract Task PassAsync(DateTimeOffset now, CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        try
        {
            await Task.Delay(settings.FirstCheckDelay, clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await PassAsync(clock.GetUtcNow(), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPassFailed(logger, RuleName, ex);
                }

                await Task.Delay(settings.CheckInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    [LoggerMessage(EventId = 3404, Level = LogLevel.Error, Message = "A pass of the {Rule} rule failed; the next one runs at the planned interval")]
    private static partial void LogPassFailed(ILogger logger, string rule, Exception exception);
}
