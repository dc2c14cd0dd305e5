using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paygo.Core.Notifications;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Budgets;

/// <summary>What one pass of the budget rule did.</summary>
public sealed record BudgetCheckSummary(int Checked, int Notified, int Failed, bool SpendAvailable);

/// <summary>
/// One pass of the budget rule over every customer with a budget (docs/adr/0034): read the
/// month-to-date spend, the last budget notification delivered for the customer, decide with
/// <see cref="BudgetRules.Decide"/>, and send through <see cref="Notifier"/>. The operator's
/// unattended work: it reads across partners and writes only notifications. The server's
/// background job calls it on a timer; tests call it with the moment they need.
/// </summary>
public sealed partial class BudgetAlerts(PaygoDbContext db, ICustomerSpendSource spend, Notifier notifier, ILogger<BudgetAlerts> logger)
{
    public async Task<BudgetCheckSummary> RunOnceAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!spend.IsAvailable)
        {
            return new BudgetCheckSummary(0, 0, 0, SpendAvailable: false);
        }

        var month = BillingMonth.Of(DateOnly.FromDateTime(now.UtcDateTime));
        // SQLite stores decimals as text and cannot compare them: a zero budget is left out after the read.
        var budgets = await db.CustomerBudgets.AsNoTracking()
            .Join(db.Customers.AsNoTracking(), b => b.CustomerId, c => c.Id, (b, c) => new { b.CustomerId, b.PartnerId, b.Amount, b.Currency, c.CompanyName, CustomerPartner = c.PartnerId })
            .OrderBy(b => b.PartnerId).ThenBy(b => b.CustomerId)
            .ToListAsync(cancellationToken);
        budgets.RemoveAll(b => b.Amount <= 0);
        int checkedCount = 0, notified = 0, failed = 0;
        foreach (var budget in budgets)
        {
            // A budget is the billing partner's; one left behind by a change of billing partner is not checked.
            if (budget.CustomerPartner != budget.PartnerId)
            {
                continue;
            }

            checkedCount++;
            decimal total;
            try
            {
                total = await spend.MonthToDateAsync(budget.PartnerId, budget.CustomerId, month, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // One customer's unreadable month must not keep the others' notifications back.
                failed++;
                LogSpendFailed(logger, budget.CustomerId, ex);
                continue;
            }

            var lastSent = await db.Notifications.AsNoTracking()
                .Where(n => n.PartnerId == budget.PartnerId && n.CustomerId == budget.CustomerId && n.Kind == NotificationKinds.BudgetThreshold && n.Status == NotificationStatus.Sent)
                .OrderByDescending(n => n.CreatedAt).Select(n => (DateTimeOffset?)n.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (BudgetRules.Decide(budget.Amount, total, lastSent, now) != BudgetDecision.Notify)
            {
                continue;
            }

            var percent = BudgetRules.PercentOf(total, budget.Amount).ToString("0.0", CultureInfo.InvariantCulture);
            var spent = Math.Round(total, 2, MidpointRounding.ToZero).ToString("0.00", CultureInfo.InvariantCulture);
            var amount = BudgetBook.Format(budget.Amount);
            var monthText = month.FirstDay.ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var subject = $"{budget.CompanyName}: Azure spend at {percent} % of the monthly budget";
            var body = string.Create(CultureInfo.InvariantCulture,
                $"""
                {budget.CompanyName} (customer {budget.CustomerId}) has spent an estimated {spent} {budget.Currency} on Azure in {monthText} so far: {percent} % of its monthly budget of {amount} {budget.Currency}.
                The estimate is before taxes, credits and fees, from the usage rated by {now:yyyy-MM-dd HH:mm} UTC. The budget does not stop usage.
                Paygo repeats this notice every 7 days while spend stays between 80 % and 100 % of the budget, and sends none once it passes 100 %.
                """);
            var notification = await notifier.SendAsync(budget.PartnerId, budget.CustomerId, NotificationKinds.BudgetThreshold, subject, body, cancellationToken);
            if (notification.Status == NotificationStatus.Sent)
            {
                notified++;
            }
            else
            {
                failed++;
            }
        }

        return new BudgetCheckSummary(checkedCount, notified, failed, SpendAvailable: true);
    }

    [LoggerMessage(EventId = 3402, Level = LogLevel.Warning, Message = "The month-to-date spend of customer {CustomerId} could not be read; its budget was not checked")]
    private static partial void LogSpendFailed(ILogger logger, Guid customerId, Exception exception);
}
