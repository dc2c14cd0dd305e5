using Paygo.Core.Common;

namespace Paygo.Server.Hosting;

/// <summary>
/// Runs stored runs of one kind in the background, one at a time: every one posted to the
/// signal, and at start-up every one that had not finished (the process was stopped or killed
/// mid-run). Each run works in a scope of its own; a run that throws has recorded its failure
/// itself, is logged, and the worker goes on with the next.
/// </summary>
public abstract class RunWorker(IServiceScopeFactory scopes, RunSignal signal, ILogger logger) : BackgroundService
{
    /// <summary>The runs to (re)start at start-up, in the order to run them.</summary>
    protected abstract Task<IReadOnlyList<Guid>> PendingAsync(IServiceProvider services, CancellationToken cancellationToken);

    /// <summary>Runs (or resumes) one run to its end.</summary>
    protected abstract Task RunAsync(IServiceProvider services, Guid runId, CancellationToken cancellationToken);

    /// <summary>Logs a run that stopped on an exception.</summary>
    protected abstract void LogFailed(ILogger logger, Exception exception, Guid runId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (migrations run before the host starts) before the first query.
        await Task.Yield();
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                foreach (var id in await PendingAsync(scope.ServiceProvider, stoppingToken))
                {
                    signal.Post(id);
                }
            }

            await foreach (var id in signal.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await RunAsync(scope.ServiceProvider, id, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e, id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: an unfinished run is resumed (or redone) at the next start.
        }
    }
}
