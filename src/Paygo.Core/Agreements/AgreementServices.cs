using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Paygo.Core.Agreements;

/// <summary>Registers the Agreements feature's Core services (customer agreement attestations).</summary>
public static class AgreementServices
{
    public static IServiceCollection AddAgreements(this IServiceCollection services)
    {
        services.TryAddScoped<AgreementRecords>();
        return services;
    }
}
