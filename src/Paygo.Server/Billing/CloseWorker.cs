using Paygo.Core.Billing;

namespace Paygo.Server.Billing;

/// <summary>
/// Runs month closes in the background: each one a request posted, and at start-up every run that
/// had not finished (the process was stopped or killed mid-close), which resumes where its stored
/// progress says (docs/adr/0036). One close at a time, in month order.
/// </summary>
public sealed partial class CloseWorker(IServiceScopeFactory scopes, CloseSignal signal, ILogger<CloseWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (migrations run before the host starts) before the first query.
        await Task.Yield();
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                foreach (var id in await scope.ServiceProvider.GetRequiredService<MonthClose>().PendingAsync(stoppingToken))
                {
                    signal.Post(id);
                }
            }

            await foreach (var id in signal.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<MonthClose>().RunAsync(id, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The run is marked failed by the close itself; the worker goes on with the next one.
                    LogCloseFailed(logger, e, id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: an unfinished run stays "running" and is resumed at the next start.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Month close {RunId} failed.")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception, Guid runId);
}
