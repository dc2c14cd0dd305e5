using Paygo.Core.Billing;
using Paygo.Server.Hosting;

namespace Paygo.Server.Billing;

/// <summary>
/// Runs month closes in the background, one at a time in month order; a run the process stopped
/// mid-close resumes where its stored progress says (docs/adr/0036). The run records its own
/// failure before the worker logs it.
/// </summary>
public sealed partial class CloseWorker(IServiceScopeFactory scopes, CloseSignal signal, ILogger<CloseWorker> logger) : RunWorker(scopes, signal, logger)
{
    protected override Task<IReadOnlyList<Guid>> PendingAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<MonthClose>().PendingAsync(cancellationToken);

    protected override Task RunAsync(IServiceProvider services, Guid runId, CancellationToken cancellationToken) =>
        services.GetRequiredService<MonthClose>().RunAsync(runId, cancellationToken);

    protected override void LogFailed(ILogger logger, Exception exception, Guid runId) => LogCloseFailed(logger, exception, runId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Month close {RunId} failed.")]
    private static partial void LogCloseFailed(ILogger logger, Exception exception, Guid runId);
}
