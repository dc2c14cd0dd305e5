using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Access;

namespace Paygo.Core.Pec;

/// <summary>Registers the PEC evidence feature's Core services.</summary>
public static class PecServices
{
    public static IServiceCollection AddPec(this IServiceCollection services)
    {
        // TryAdd: the access store's history source (issue 11 point 2), registered by its own
        // feature, wins over the interim one that reads today's role assignment rows.
        services.TryAddScoped<IAccessHistorySource, RoleAssignmentHistorySource>();
        services.TryAddScoped<PecEvidence>();
        return services;
    }
}
