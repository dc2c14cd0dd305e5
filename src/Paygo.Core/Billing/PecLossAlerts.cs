using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paygo.Core.Catalog;
using Paygo.Core.Notifications;
using Paygo.Core.RatedUsage;
using Paygo.Rating.Billing;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Billing;

/// <summary>What one pass of the PEC-loss rule did.</summary>
public sealed record PecAlertSummary(int Partners, int Alerts, int Notified, int Failed);

/// <summary>
/// One pass of the PEC-loss rule (issue 13 point 4, docs/adr/0041): for every billed partner with
/// an Azure plan, rate the previous and the current month, find each Azure subscription that
/// earned PEC on a day and none the next (<see cref="PecReport.Alerts"/>), and notify the
/// partner's admins once per subscription and day through <see cref="Notifier"/>. The subject
/// names the subscription and the day, and is the rule's memory: a loss already notified (a
/// delivered notification with that subject) is not sent again; a failed delivery is tried again
/// on the next pass. The server's background job calls it on a timer; tests call it directly.
/// </summary>
public sealed partial class PecLossAlerts(PaygoDbContext db, IMonthRating rating, Notifier notifier, ILogger<PecLossAlerts> logger)
{
    public async Task<PecAlertSummary> RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var current = BillingMonth.Of(DateOnly.FromDateTime(now.UtcDateTime));
        var previous = BillingMonth.Of(current.FirstDay.AddMonths(-1));
        var partners = await db.CommerceSubscriptions.AsNoTracking().Where(s => s.Kind == SkuKind.AzurePlan)
            .Select(s => s.PartnerId).Distinct().OrderBy(p => p).ToListAsync(cancellationToken);
        int alertCount = 0, notified = 0, failed = 0;
        foreach (var partnerId in partners)
        {
            List<PecUsage> usage;
            try
            {
                // Both months at once, so a loss on the 1st after an earned last day of the month is seen.
                usage = PecReports.UsageOf(await rating.RateAsync(partnerId, previous, null, cancellationToken));
                usage.AddRange(PecReports.UsageOf(await rating.RateAsync(partnerId, current, null, cancellationToken)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One partner's unreadable month must not keep the others' alerts back.
                failed++;
                LogRatingFailed(logger, partnerId, ex);
                continue;
            }

            var alerts = PecReport.Alerts(usage);
            if (alerts.Count == 0)
            {
                continue;
            }

            alertCount += alerts.Count;
            var sent = (await db.Notifications.AsNoTracking()
                .Where(n => n.PartnerId == partnerId && n.Kind == NotificationKinds.PecLoss && n.Status == NotificationStatus.Sent)
                .Select(n => n.Subject).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            var customerIds = alerts.Select(a => a.CustomerId).Distinct().ToList();
            var names = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CompanyName, cancellationToken);
            foreach (var alert in alerts)
            {
                var subject = SubjectOf(alert);
                if (sent.Contains(subject))
                {
                    continue;
                }

                var lost = usage.Where(u => u.EntitlementId == alert.EntitlementId && u.Day == alert.LostOn).Sum(PecReport.Lost);
                var notification = await notifier.SendAsync(partnerId, alert.CustomerId, NotificationKinds.PecLoss, subject,
                    BodyOf(alert, names.GetValueOrDefault(alert.CustomerId) ?? alert.CustomerId.ToString("D"), lost, now), cancellationToken);
                if (notification.Status == NotificationStatus.Sent)
                {
                    notified++;
                }
                else
                {
                    failed++;
                }
            }
        }

        return new PecAlertSummary(partners.Count, alertCount, notified, failed);
    }

    /// <summary>The subject of the alert for one subscription and day: stable, so it is sent once.</summary>
    public static string SubjectOf(PecLossAlert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return string.Create(CultureInfo.InvariantCulture, $"PEC lost: Azure subscription {alert.EntitlementId:D} earned none on {alert.LostOn:yyyy-MM-dd}");
    }

    private static string BodyOf(PecLossAlert alert, string customerName, decimal lost, DateTimeOffset now)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture,
            $"{customerName}'s Azure subscription {alert.EntitlementId:D} (customer {alert.CustomerId:D}) earned the {PecReport.FullRate:0} % Partner Earned Credit on {alert.EarnedOn:yyyy-MM-dd} and earned none on {alert.LostOn:yyyy-MM-dd}.");
        body.AppendLine();
        body.Append(CultureInfo.InvariantCulture, $"Credit lost that day, before rounding, in the billing currency: {decimal.Round(lost, 4, MidpointRounding.ToZero):0.####}.");
        body.AppendLine();
        body.AppendLine("What decided it:");
        foreach (var evidence in alert.Evidence)
        {
            body.Append("- ").AppendLine(evidence);
        }

        body.Append(CultureInfo.InvariantCulture,
            $"Restore an admin role that earns PEC (an AOBO Owner, an RBAC or Lighthouse assignment, an active PIM window) so later days earn it again. Rated from the usage stored by {now:yyyy-MM-dd HH:mm} UTC.");
        return body.ToString();
    }

    [LoggerMessage(EventId = 3410, Level = LogLevel.Warning, Message = "The rating of partner {PartnerId} could not be read; its PEC-loss alerts were not checked")]
    private static partial void LogRatingFailed(ILogger logger, Guid partnerId, Exception exception);
}
