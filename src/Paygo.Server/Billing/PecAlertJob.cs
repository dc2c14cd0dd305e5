using Microsoft.Extensions.Options;
using Paygo.Core.Billing;
using Paygo.Server.Notifications;

namespace Paygo.Server.Billing;

/// <summary>When and whether the PEC-loss rule runs (<c>Paygo:PecAlerts</c>).</summary>
public sealed class PecAlertOptions : TimedPassOptions
{
    public const string Section = "Paygo:PecAlerts";
}

/// <summary>Runs the PEC-loss rule (<see cref="PecLossAlerts"/>) on a timer, each pass in a scope of its own (docs/adr/0041).</summary>
public sealed class PecAlertJob(IServiceScopeFactory scopes, TimeProvider clock, IOptions<PecAlertOptions> options, ILogger<PecAlertJob> logger)
    : TimedPassJob<PecAlertOptions>(clock, options, logger)
{
    protected override string RuleName => "PEC-loss";

    /// <summary>One pass at <paramref name="now"/>: what the timer calls, and tests directly.</summary>
    public async Task<PecAlertSummary> RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PecLossAlerts>().RunOnceAsync(now, cancellationToken);
    }

    protected override Task PassAsync(DateTimeOffset now, CancellationToken cancellationToken) => RunOnceAsync(now, cancellationToken);
}
