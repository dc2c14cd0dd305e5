using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Access;

namespace Paygo.Core.Pec;

/// <summary>Registers the PEC evidence feature's Core services.</summary>
public static class PecServices
{
    public static IServiceCollection AddPec(this IServiceCollection services)
    {
        // The evidence is decided over the access store's history, so the feature brings the store
        // with it (AddAccess may run twice: it registers its history source once).
        services.AddAccess();
        services.TryAddScoped<PecEvidence>();
        return services;
    }
}
