using Microsoft.EntityFrameworkCore;
using Paygo.Core.Identity;

namespace Paygo.Core.Notifications;

/// <summary>
/// Sends a notification to a partner's people and keeps it: the row is committed first (status
/// pending), then handed to the <see cref="INotificationSender"/>, then marked sent or failed with
/// the sender's reason. A failed delivery never undoes the record, and a crash in between leaves
/// a pending row rather than a notification nobody knows was attempted. Generic on purpose: the
/// budget rule and later alerts (PEC loss) pass a kind and text.
/// </summary>
public sealed class Notifier(PaygoDbContext db, INotificationSender sender, TimeProvider clock)
{
    /// <summary>Who receives a partner's notifications: its Global admins and Admin agents, the roles that manage customers and budgets.</summary>
    public static readonly IReadOnlyList<PartnerRole> RecipientRoles = [PartnerRole.GlobalAdmin, PartnerRole.AdminAgent];

    public async Task<Notification> SendAsync(Guid partnerId, Guid? customerId, string kind, string subject, string body, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(kind);
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentNullException.ThrowIfNull(body);
        var recipients = await RecipientsAsync(partnerId, cancellationToken);
        var notification = new Notification
        {
            Id = Guid.NewGuid(),
            PartnerId = partnerId,
            CustomerId = customerId,
            Kind = kind,
            CreatedAt = clock.GetUtcNow(),
            Subject = Truncate(subject, NotificationLimits.MaxSubjectLength),
            Body = Truncate(body, NotificationLimits.MaxBodyLength),
            Recipients = string.Join(",", recipients),
            SentThrough = sender.Channel,
            Status = NotificationStatus.Pending,
        };
        db.Notifications.Add(notification);
        await db.SaveChangesAsync(cancellationToken);

        try
        {
            await sender.SendAsync(new OutgoingNotification(notification.Id, partnerId, customerId, kind, notification.Subject, notification.Body, recipients), cancellationToken);
            notification.Status = NotificationStatus.Sent;
            notification.DeliveredAt = clock.GetUtcNow();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Whatever the channel threw (a refused connection, a rejected recipient) is the reason kept on the row.
            notification.Status = NotificationStatus.Failed;
            notification.Error = Truncate(ex.Message, 1024);
        }

        // Cancellation must not leave the outcome unrecorded: the delivery already happened or failed.
        await db.SaveChangesAsync(CancellationToken.None);
        return notification;
    }

    private async Task<List<string>> RecipientsAsync(Guid partnerId, CancellationToken cancellationToken)
    {
        var users = await db.Users.AsNoTracking().Where(u => u.PartnerId == partnerId && !u.IsDisabled && u.Email != null)
            .Select(u => new { u.Email, u.Roles }).ToListAsync(cancellationToken);
        return [.. users.Where(u => PartnerRoles.Parse(u.Roles).Any(RecipientRoles.Contains)).Select(u => u.Email!).Order(StringComparer.Ordinal)];
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
