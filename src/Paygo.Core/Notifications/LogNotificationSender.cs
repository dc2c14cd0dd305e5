using Microsoft.Extensions.Logging;

namespace Paygo.Core.Notifications;

/// <summary>
/// The default sender: writes the notification to the log, so an instance without mail set up
/// still tells its operator, and the dashboard lists it either way.
/// </summary>
public sealed partial class LogNotificationSender(ILogger<LogNotificationSender> logger) : INotificationSender
{
    public const string ChannelName = "log";

    public string Channel => ChannelName;

    public Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Log(logger, notification.Kind, notification.Id, notification.PartnerId, notification.CustomerId, notification.Recipients, notification.Subject, notification.Body);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 3401, Level = LogLevel.Information,
        Message = "Notification {Kind} {NotificationId} for partner {PartnerId} (customer {CustomerId}) to {Recipients}: {Subject}\n{Body}")]
    private static partial void Log(ILogger logger, string kind, Guid notificationId, Guid partnerId, Guid? customerId, IReadOnlyList<string> recipients, string subject, string body);
}
