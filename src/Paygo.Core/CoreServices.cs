using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Partners;
using Paygo.Core.Storage;

namespace Paygo.Core;

/// <summary>Registers the DbContext on the chosen engine and the services every feature shares.</summary>
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
        // The audit key lives beside the token keys, outside the database (docs/adr/0009).
        if (!services.Any(d => d.ServiceType == typeof(AuditAnchorKey)))
        {
            services.AddSingleton(_ => AuditAnchorKey.LoadOrCreate(storage.KeysDirectory));
        }

        services.AddScoped<AuditTrail>();
        services.AddScoped<SignInService>();
        services.AddScoped<SecurityRequirements>();
        services.AddScoped<Enrolment>();
        services.AddScoped<PasskeyCeremonies>();
        services.AddScoped<PasskeyRegistration>();
        services.AddScoped<Users.UserDirectory>();
        services.AddScoped<Audit.AuditQueries>();
        if (!services.Any(d => d.ServiceType == typeof(SignInOptions)))
        {
            services.AddSingleton(new SignInOptions());
        }
        services.AddScoped<PartnerDirectory>();
        services.AddScoped<VerifiedDomainDirectory>();
        services.AddScoped<Catalog.CatalogQueries>();
        services.AddScoped<Customers.CustomerDirectory>();
        services.AddScoped<Agreements.AgreementRecords>();
        services.AddScoped<Orders.Carts>();
        services.AddScoped<Orders.Checkout>();
        services.AddScoped<Orders.OrderQueries>();
        services.AddScoped<Orders.SubscriptionUpdates>();
        services.AddScoped<Pricing.PriceListStore>();
        services.AddScoped<Pricing.FxRateBook>();
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
