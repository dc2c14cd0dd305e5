namespace Paygo.Core.Notifications;

/// <summary>What a sender delivers: generic text, so any feature (budgets, PEC loss alerts) can use it.</summary>
public sealed record OutgoingNotification(Guid Id, Guid PartnerId, Guid? CustomerId, string Kind, string Subject, string Body, IReadOnlyList<string> Recipients);

/// <summary>
/// Delivers a notification through one channel. The log sender is the default; the server
/// replaces it with SMTP when <c>Paygo:Notifications:Smtp:Host</c> is configured. A sender throws
/// when delivery fails; <see cref="Notifier"/> records the failure on the stored notification.
/// </summary>
public interface INotificationSender
{
    /// <summary>The channel's name as stored in <see cref="Notification.SentThrough"/>.</summary>
    string Channel { get; }

    Task SendAsync(OutgoingNotification notification, CancellationToken cancellationToken);
}
