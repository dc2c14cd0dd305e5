using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Paygo.Core.Notifications;

/// <summary>
/// Registers the Notifications feature's Core services: the store and send step, the list, and
/// the log sender as the default channel (a host replaces it, e.g. with SMTP, before or after).
/// </summary>
public static class NotificationServices
{
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.TryAddScoped<Notifier>();
        services.TryAddScoped<NotificationQueries>();
        services.TryAddSingleton<INotificationSender, LogNotificationSender>();
        return services;
    }
}
