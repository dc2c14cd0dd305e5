using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Storage;

namespace Paygo.Core.Audit;

/// <summary>Registers the audit trail (docs/adr/0009): the writer every audited operation shares, its queries and the key that signs chain heads.</summary>
public static class AuditServices
{
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        // The audit key lives beside the token keys, outside the database (docs/adr/0009); a host may bring its own.
        services.TryAddSingleton(sp => AuditAnchorKey.LoadOrCreate(sp.GetRequiredService<StorageSettings>().KeysDirectory));
        services.TryAddScoped<AuditTrail>();
        services.TryAddScoped<AuditQueries>();
        return services;
    }
}
