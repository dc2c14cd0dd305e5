using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Paygo.Core;
using Paygo.Core.Common;
using Paygo.Server.Hosting;

namespace Paygo.Server.Health;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: the database is migrated and
/// answers a query. Both anonymous, not rate-limited, JSON.
/// </summary>
public static class HealthEndpoints
{
    private const string ReadyTag = "ready";

    public static IServiceCollection AddPaygoHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<StartupCheck>("startup", tags: [ReadyTag])
            .AddDbContextCheck<PaygoDbContext>("database", tags: [ReadyTag],
                customTestQuery: async (db, ct) =>
                {
                    // A real query on a migrated table, not just an open connection.
                    _ = await db.Operators.AnyAsync(ct);
                    return true;
                });
        return services;
    }

    public static WebApplication MapPaygoHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .DisableRateLimiting().AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync })
            .DisableRateLimiting().AllowAnonymous();
        return app;
    }

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            Status = report.Status.ToString(),
            Checks = report.Entries.ToDictionary(e => e.Key, e => new { Status = e.Value.Status.ToString(), e.Value.Description }),
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, PaygoJson.Options, context.RequestAborted);
    }

    /// <summary>Not ready until the database is created, migrated and seeded.</summary>
    private sealed class StartupCheck(DatabaseStartup startup) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(startup.IsReady
                ? HealthCheckResult.Healthy("Database migrated.")
                : HealthCheckResult.Unhealthy("Database not migrated yet."));
    }
}
