using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Notifications;

/// <summary>
/// One notification Paygo sent (or tried to send) to a partner's people: what it was about
/// (<see cref="Kind"/>, e.g. <see cref="NotificationKinds.BudgetThreshold"/>), the text, the
/// channel it went through and whether it arrived there. Kept after delivery: the dashboard lists
/// them, and a rule such as the budget's "every 7 days" reads them back (docs/adr/0034).
/// </summary>
public sealed class Notification
{
    public Guid Id { get; set; }

    public Guid PartnerId { get; set; }

    /// <summary>The customer the notification is about; null for one about the partner as a whole.</summary>
    public Guid? CustomerId { get; set; }

    /// <summary>What the notification is about, a short stable name (<see cref="NotificationKinds"/>).</summary>
    public required string Kind { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string Subject { get; set; }

    public required string Body { get; set; }

    /// <summary>The addresses it was sent to, comma-separated (empty when the partner has no one to send to).</summary>
    public required string Recipients { get; set; }

    /// <summary>The sender's channel name: <c>log</c> or <c>smtp</c>.</summary>
    public required string SentThrough { get; set; }

    /// <summary><see cref="NotificationStatus"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Why delivery failed (the sender's message), for a failed one.</summary>
    public string? Error { get; set; }

    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>Delivery states of a <see cref="Notification"/>.</summary>
public static class NotificationStatus
{
    /// <summary>Stored, not yet handed to the sender (seen only if the process stopped in between).</summary>
    public const string Pending = "pending";

    /// <summary>The sender accepted it (the log wrote it; the SMTP server took the message).</summary>
    public const string Sent = "sent";

    /// <summary>The sender failed; <see cref="Notification.Error"/> says why.</summary>
    public const string Failed = "failed";
}

/// <summary>The kinds of notification Paygo sends; a new feature adds its own name here.</summary>
public static class NotificationKinds
{
    /// <summary>A customer's month-to-date spend reached 80 % of its budget (reference §7.5).</summary>
    public const string BudgetThreshold = "budgetThreshold";

    /// <summary>An Azure subscription that earned PEC on a day earned none the next (issue 13 point 4).</summary>
    public const string PecLoss = "pecLoss";
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> e)
    {
        e.ToTable("Notifications");
        e.HasKey(n => n.Id);
        e.Property(n => n.Kind).HasMaxLength(64);
        e.Property(n => n.Subject).HasMaxLength(NotificationLimits.MaxSubjectLength);
        e.Property(n => n.Body).HasMaxLength(NotificationLimits.MaxBodyLength);
        e.Property(n => n.Recipients).HasMaxLength(4000);
        e.Property(n => n.SentThrough).HasMaxLength(32);
        e.Property(n => n.Status).HasMaxLength(16);
        e.Property(n => n.Error).HasMaxLength(1024);

        // The dashboard lists a partner's newest first; the budget rule asks for a customer's last one of a kind.
        e.HasIndex(n => new { n.PartnerId, n.CreatedAt });
        e.HasIndex(n => new { n.PartnerId, n.CustomerId, n.Kind, n.CreatedAt });
    }
}

/// <summary>Sizes of a notification's text.</summary>
public static class NotificationLimits
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 8000;
}
