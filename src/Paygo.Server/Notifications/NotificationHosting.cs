using Microsoft.Extensions.DependencyInjection.Extensions;
using Paygo.Core.Notifications;

namespace Paygo.Server.Notifications;

/// <summary>The server's part of Notifications: Core's store and list, and the channel: SMTP when a host is configured, the log otherwise.</summary>
public static class NotificationHosting
{
    public static IServiceCollection AddNotificationDelivery(this IServiceCollection services, IConfiguration configuration)
    {
        var smtp = configuration.GetSection(SmtpOptions.Section);
        services.Configure<SmtpOptions>(smtp);
        if (!string.IsNullOrWhiteSpace(smtp["Host"]))
        {
            services.RemoveAll<INotificationSender>();
            services.AddSingleton<INotificationSender, SmtpNotificationSender>();
        }

        services.AddNotifications();
        return services;
    }
}
