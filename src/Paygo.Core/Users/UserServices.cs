using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Paygo.Core.Users;

/// <summary>Registers the Users feature's Core services (the partner's and the operator's user directory).</summary>
public static class UserServices
{
    public static IServiceCollection AddUsers(this IServiceCollection services)
    {
        services.TryAddScoped<UserDirectory>();
        return services;
    }
}
