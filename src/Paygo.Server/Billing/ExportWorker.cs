using Paygo.Core.Billing;
using Paygo.Server.Hosting;

namespace Paygo.Server.Billing;

/// <summary>
/// Runs the asynchronous exports (docs/adr/0043) in the background. An export the process stopped
/// mid-way is written again from the start: its blobs and its finished status are committed
/// together, so nothing half written is ever served.
/// </summary>
public sealed partial class ExportWorker(IServiceScopeFactory scopes, ExportSignal signal, ILogger<ExportWorker> logger) : RunWorker(scopes, signal, logger)
{
    protected override Task<IReadOnlyList<Guid>> PendingAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<BillingExports>().PendingAsync(cancellationToken);

    protected override Task RunAsync(IServiceProvider services, Guid runId, CancellationToken cancellationToken) =>
        services.GetRequiredService<BillingExports>().RunAsync(runId, cancellationToken);

    protected override void LogFailed(ILogger logger, Exception exception, Guid runId) => LogExportFailed(logger, exception, runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Billing export {ExportId} failed.")]
    private static partial void LogExportFailed(ILogger logger, Exception exception, Guid exportId);
}
