using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Paygo.Core.Access;

/// <summary>Registers the Access feature's Core services: the access store and the history PEC reads.</summary>
public static class AccessServices
{
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.TryAddScoped<AccessStore>();
        // Remove-then-add keeps one history source when a feature that needs it (AddPec) registers the store too: the store is the history (docs/adr/0027).
        services.RemoveAll<IAccessHistorySource>();
        services.AddScoped<IAccessHistorySource, StoredAccessHistory>();
        return services;
    }
}
