using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Paygo.Core.Usage;

/// <summary>Registers the Usage feature's Core services: ingestion of usage records.</summary>
public static class UsageServices
{
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.TryAddScoped<UsageIngestion>();
        services.TryAddScoped<UsageExport>();
        return services;
    }
}
