using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Paygo.Core.Identity;

/// <summary>Registers the Identity feature's Core services: sign-in, second-factor requirements, enrolment and passkeys.</summary>
public static class IdentityServices
{
    public static IServiceCollection AddSignIn(this IServiceCollection services)
    {
        // The server brings its configured options (AuthSetup); other hosts get the defaults.
        services.TryAddSingleton(new SignInOptions());
        services.TryAddScoped<SignInService>();
        services.TryAddScoped<SecurityRequirements>();
        services.TryAddScoped<Enrolment>();
        services.TryAddScoped<PasskeyCeremonies>();
        services.TryAddScoped<PasskeyRegistration>();
        return services;
    }
}
