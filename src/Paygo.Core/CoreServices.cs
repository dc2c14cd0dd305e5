using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Storage;

namespace Paygo.Core;

/// <summary>
/// Registers the DbContext on the chosen engine and the services every feature shares. Each
/// feature registers its own services with its <c>AddX()</c> in its folder (docs/adr/0021).
/// </summary>
public static class CoreServices
{
    public static IServiceCollection AddPaygoCore(this IServiceCollection services, StorageSettings storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        services.AddSingleton(storage);
        services.AddSingleton(storage.Engine.Errors);
        services.TryAddTimeProvider();
        // Pooled: a request reuses a context (and its internal services) instead of building the
        // options and a dozen scoped EF services each time; the options are built once (PROMISES P3).
        services.AddDbContextPool<PaygoDbContext>(options =>
        {
            storage.Engine.Configure(options, storage.ConnectionString);
            options.AddInterceptors(RevocationSignal.Interceptors);
        });
        services.AddScoped<IdempotentCreates>();
        // Every write is audited in the write's transaction, idempotent creates included (docs/adr/0009).
        services.AddAuditTrail();
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    /// <summary>A context for one-off work outside DI (CLI admin commands).</summary>
    public static PaygoDbContext CreateContext(StorageSettings storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        var options = new DbContextOptionsBuilder<PaygoDbContext>();
        storage.Engine.Configure(options, storage.ConnectionString);
        return new PaygoDbContext(options.Options);
    }
}
