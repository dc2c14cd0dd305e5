using System.Threading.RateLimiting;
using Paygo.Core.Common;

namespace Paygo.Server.Api;

/// <summary>
/// Per-partner rate limits with <c>Retry-After</c> (PROMISES S9): one token bucket per
/// organisation, the refusal in Partner Center's error body.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddPaygoRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var limits = RateLimitSettings.Read(configuration);
        services.AddSingleton(limits);
        services.AddSingleton(new PartnerConcurrency(limits.ConcurrentRequests));
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(RateLimitSettings.PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.TokensPerRefill,
                    ReplenishmentPeriod = limits.RefillPeriod,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await ErrorWriter.WriteAsync(context.HttpContext, new WireError(
                    429,
                    ErrorCodes.TooManyRequests,
                    $"Too many requests from this partner; retry after {seconds} second(s)."));
            };
        });
        return services;
    }

    /// <summary>
    /// Between authentication (requests are bucketed by partner) and authorization (its lookups
    /// cost); called by <c>UsePaygoAuth</c>. The bucket refuses first; what it lets through then
    /// waits for one of its partner's <see cref="RateLimitSettings.ConcurrentRequests"/> slots, so
    /// one partner's burst (its bucket refills up to ten times a second, see
    /// <see cref="RateLimitSettings.RefillsPerSecond"/>, and each refill's requests land at once)
    /// holds a few of the server's threads and database connections, not all of them.
    /// </summary>
    public static WebApplication UsePaygoRateLimits(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        var concurrency = app.Services.GetRequiredService<PartnerConcurrency>();
        app.Use(async (context, next) =>
        {
            if (context.User.FindFirst(Paygo.Core.Identity.PaygoClaims.Tenant)?.Value is not { } tenant || !PartnerConcurrency.AppliesTo(context))
            {
                await next(context);
                return;
            }

            using var slot = await concurrency.EnterAsync(tenant, context.RequestAborted);
            await next(context);
        });
        return app;
    }
}

/// <summary>Rate limit and body size settings (<c>Paygo:RateLimit</c>, <c>Paygo:MaxRequestBodyBytes</c>).</summary>
public sealed record RateLimitSettings(int PermitsPerSecond, int Burst, long MaxRequestBodyBytes, int ConcurrentRequests)
{
    /// <summary>
    /// Requests of one partner in progress at once when <c>Paygo:RateLimit:ConcurrentRequests</c> is
    /// not set: one per core (at least two). More let a flooding partner's admitted requests hold
    /// every core and, on PostgreSQL, as many database backends competing for the same cores, so
    /// another partner's request queued behind them (docs/adr/0044, at 2,260 req/s on two cores:
    /// with 8 slots B's p99 rose 306 % on PostgreSQL; with 2, 4 % over 60 s runs).
    /// </summary>
    public static int DefaultConcurrentRequests => Math.Max(2, Environment.ProcessorCount);

    public static RateLimitSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new RateLimitSettings(
            Math.Max(1, configuration.GetValue("Paygo:RateLimit:PermitsPerSecond", 200)),
            Math.Max(1, configuration.GetValue("Paygo:RateLimit:Burst", 400)),
            Math.Max(1024, configuration.GetValue("Paygo:MaxRequestBodyBytes", 4L * 1024 * 1024)),
            Math.Max(1, configuration.GetValue("Paygo:RateLimit:ConcurrentRequests", DefaultConcurrentRequests)));
    }

    /// <summary>
    /// How often the bucket refills: ten times a second when the rate divides by ten. Refilled once a
    /// second, a flooding partner (whose bucket is always empty) had a second's worth of requests
    /// admitted at the same instant, every second: a burst of served requests that held the cores
    /// while other partners' requests queued behind it, which is what moved their p99 (PROMISES S9,
    /// docs/adr/0024). The same rate in tenths is the same work, spread out.
    /// </summary>
    public int RefillsPerSecond => PermitsPerSecond % 10 == 0 ? 10 : PermitsPerSecond % 5 == 0 ? 5 : PermitsPerSecond % 2 == 0 ? 2 : 1;

    public int TokensPerRefill => PermitsPerSecond / RefillsPerSecond;

    public TimeSpan RefillPeriod => TimeSpan.FromSeconds(1.0 / RefillsPerSecond);

    /// <summary>
    /// One bucket per organisation (each partner, and the operator), so one partner cannot starve
    /// another (PROMISES S9); requests without a token are bucketed by client address.
    /// </summary>
    public static string PartitionKey(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tenant = context.User.FindFirst(Paygo.Core.Identity.PaygoClaims.Tenant)?.Value;
        return tenant is not null ? $"tenant:{tenant}" : $"address:{context.Connection.RemoteIpAddress}";
    }
}

/// <summary>
/// At most a fixed number of one partner's requests in progress at once; the others wait (without
/// a thread) in arrival order. The wait is bounded by the partner's own connections, and another
/// partner never waits behind it (PROMISES S9).
/// </summary>
public sealed class PartnerConcurrency(int permits)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, SemaphoreSlim> _gates = new(StringComparer.Ordinal);

    public int Permits { get; } = Math.Max(1, permits);

    /// <summary>
    /// The gate bounds work in progress, so it is for requests that finish: not the dashboard's
    /// circuit (a WebSocket, or its long-polling fallback under <c>/_blazor</c>), which stays open
    /// for as long as a page is, and would otherwise hold a slot for good: two open tabs of a
    /// partner at one slot per core would leave its other requests waiting forever.
    /// </summary>
    public static bool AppliesTo(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return !context.WebSockets.IsWebSocketRequest && !context.Request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Waits for one of <paramref name="tenant"/>'s slots; disposing the result gives it back.</summary>
    public async ValueTask<IDisposable> EnterAsync(string tenant, CancellationToken cancellationToken)
    {
        // One gate per organisation (tenants are a bounded set: the partners and the operator).
        var gate = _gates.GetOrAdd(tenant, _ => new SemaphoreSlim(Permits, Permits));
        await gate.WaitAsync(cancellationToken);
        return new Slot(gate);
    }

    private sealed class Slot(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
