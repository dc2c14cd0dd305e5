using Paygo.Rating.Pricing;

namespace Paygo.Rating.Billing;

/// <summary>
/// One rated usage line as the PEC report reads it: list cost is quantity × unit price before PEC,
/// in the billing currency. <paramref name="Eligible"/> is false for a meter PEC excludes (DOMAIN.md
/// §5): such a line could never earn the credit, so it neither earns nor loses any.
/// </summary>
public sealed record PecUsage(Guid CustomerId, Guid EntitlementId, string ResourceUri, DateOnly Day, decimal ListCost, decimal PecPercent, string Evidence, bool Eligible = true);

/// <summary>A day on which the credit was not earned, with the evidence (assignment id, time of the gap, or the reason).</summary>
public sealed record PecLostDay(DateOnly Day, decimal Lost, IReadOnlyList<string> Evidence);

/// <summary>One customer's Azure subscription in one month: credit earned, credit lost (what full PEC would have given − earned) and each lost day.</summary>
public sealed record PecSubscriptionMonth(Guid CustomerId, Guid EntitlementId, BillingMonth Month, decimal Earned, decimal Lost, IReadOnlyList<PecLostDay> LostDays);

/// <summary>A subscription that earned PEC on <see cref="EarnedOn"/> and lost it on <see cref="LostOn"/>, the next day.</summary>
public sealed record PecLossAlert(Guid CustomerId, Guid EntitlementId, DateOnly EarnedOn, DateOnly LostOn, IReadOnlyList<string> Evidence);

/// <summary>Earned and lost credit of one day, for the chart.</summary>
public sealed record PecDay(DateOnly Day, decimal Earned, decimal Lost);

/// <summary>
/// The PEC report (issue 13, point 4), pure: from rated lines, per customer, Azure subscription
/// and month, the credit earned and the credit lost at the full rate (<see cref="FullRate"/>,
/// DOMAIN.md's 15 %), with the evidence of each lost day; and the loss alerts. Unrounded, as the
/// rated lines are: the report explains the invoice, it does not bill.
/// </summary>
public static class PecReport
{
    /// <summary>The full PEC percentage a day could have earned.</summary>
    public const decimal FullRate = 15m;

    public static IReadOnlyList<PecSubscriptionMonth> Build(IEnumerable<PecUsage> usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return [.. usage
            .GroupBy(u => (u.CustomerId, u.EntitlementId, Month: BillingMonth.Of(u.Day)))
            .OrderBy(g => g.Key.CustomerId).ThenBy(g => g.Key.EntitlementId).ThenBy(g => g.Key.Month)
            .Select(g =>
            {
                var lostDays = g.Where(u => u.Eligible && u.PecPercent < FullRate)
                    .GroupBy(u => u.Day)
                    .OrderBy(d => d.Key)
                    .Select(d => new PecLostDay(d.Key, d.Sum(Lost), [.. d.Select(u => u.Evidence).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))
                    .ToList();
                return new PecSubscriptionMonth(g.Key.CustomerId, g.Key.EntitlementId, g.Key.Month, g.Sum(Earned), g.Sum(Lost), lostDays);
            })];
    }

    /// <summary>
    /// The PEC-loss alerts: one per Azure subscription and day d + 1 when the subscription earned
    /// PEC on day d (some line at the full rate) and earned none on d + 1 (every line below it).
    /// A day without usage neither earns nor loses, so it breaks the sequence; so does a day of
    /// excluded meters only (lines that are not eligible are left out).
    /// </summary>
    public static IReadOnlyList<PecLossAlert> Alerts(IEnumerable<PecUsage> usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        var alerts = new List<PecLossAlert>();
        foreach (var subscription in usage.Where(u => u.Eligible).GroupBy(u => (u.CustomerId, u.EntitlementId)).OrderBy(g => g.Key.CustomerId).ThenBy(g => g.Key.EntitlementId))
        {
            var days = subscription.GroupBy(u => u.Day).ToDictionary(d => d.Key, d => d.ToList());
            foreach (var (day, lines) in days.OrderBy(d => d.Key))
            {
                var earned = lines.Any(l => l.PecPercent >= FullRate);
                if (earned && days.TryGetValue(day.AddDays(1), out var next) && next.All(l => l.PecPercent < FullRate))
                {
                    alerts.Add(new PecLossAlert(subscription.Key.CustomerId, subscription.Key.EntitlementId, day, day.AddDays(1), [.. next.Select(l => l.Evidence).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]));
                }
            }
        }

        return alerts;
    }

    /// <summary>Earned and lost credit per day over all the lines given (one customer's, or one subscription's), in day order.</summary>
    public static IReadOnlyList<PecDay> Daily(IEnumerable<PecUsage> usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return [.. usage.GroupBy(u => u.Day).OrderBy(d => d.Key).Select(d => new PecDay(d.Key, d.Sum(Earned), d.Sum(Lost)))];
    }

    private static decimal Earned(PecUsage u) => u.ListCost * u.PecPercent / 100m;

    /// <summary>The credit a line lost: list cost × (15 % − its PEC); nothing for a meter PEC excludes.</summary>
    public static decimal Lost(PecUsage u) => !u.Eligible ? 0m : u.ListCost * (FullRate - Math.Min(u.PecPercent, FullRate)) / 100m;
}
