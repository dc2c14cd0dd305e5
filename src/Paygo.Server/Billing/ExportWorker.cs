using Paygo.Core.Billing;

namespace Paygo.Server.Billing;

/// <summary>
/// Runs the asynchronous exports (docs/adr/0043) in the background: each one asked for, and at
/// start-up every one that had not finished (it is written again from the start: the blobs and the
/// finished status are committed together, so nothing half written is ever served).
/// </summary>
public sealed partial class ExportWorker(IServiceScopeFactory scopes, ExportSignal signal, ILogger<ExportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                foreach (var id in await scope.ServiceProvider.GetRequiredService<BillingExports>().PendingAsync(stoppingToken))
                {
                    signal.Post(id);
                }
            }

            await foreach (var id in signal.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<BillingExports>().RunAsync(id, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The export is marked failed with the reason; the worker goes on with the next one.
                    LogExportFailed(logger, e, id);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: an unfinished export is run again at the next start.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Billing export {ExportId} failed.")]
    private static partial void LogExportFailed(ILogger logger, Exception exception, Guid exportId);
}
