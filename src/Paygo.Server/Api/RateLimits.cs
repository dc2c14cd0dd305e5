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
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(RateLimitSettings.PartitionKey(context), _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = limits.Burst,
                    TokensPerPeriod = limits.PermitsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
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

    /// <summary>Between authentication (requests are bucketed by partner) and authorization (its lookups cost); called by <c>UsePaygoAuth</c>.</summary>
    public static WebApplication UsePaygoRateLimits(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRateLimiter();
        return app;
    }
}

/// <summary>Rate limit and body size settings (<c>Paygo:RateLimit</c>, <c>Paygo:MaxRequestBodyBytes</c>).</summary>
public sealed record RateLimitSettings(int PermitsPerSecond, int Burst, long MaxRequestBodyBytes)
{
    public static RateLimitSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new RateLimitSettings(
            Math.Max(1, configuration.GetValue("Paygo:RateLimit:PermitsPerSecond", 200)),
            Math.Max(1, configuration.GetValue("Paygo:RateLimit:Burst", 400)),
            Math.Max(1024, configuration.GetValue("Paygo:MaxRequestBodyBytes", 4L * 1024 * 1024)));
    }

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
