using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Paygo.Core.Partners;

/// <summary>Registers the Partners feature's Core services: the partner directory and verified domains.</summary>
public static class PartnerServices
{
    public static IServiceCollection AddPartners(this IServiceCollection services)
    {
        services.TryAddScoped<PartnerDirectory>();
        services.TryAddScoped<VerifiedDomainDirectory>();
        return services;
    }
}
