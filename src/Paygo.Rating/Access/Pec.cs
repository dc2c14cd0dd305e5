using Paygo.Rating.Pricing;

namespace Paygo.Rating.Access;

/// <summary>
/// The PEC rule of DOMAIN.md §5 as one call, for a single row: builds the subscription's index
/// and decides. The rating loop builds <see cref="SubscriptionAccess"/> once per subscription
/// instead (<see cref="AccessHistory.IndexFor"/>) and calls its <c>Decide</c>, which allocates nothing.
/// </summary>
public static class Pec
{
    public static PecDecision Decide(AccessHistory history, string billedPartnerId, string? resellerOfRecordId, string resourceId, PriceListRow meter, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentException.ThrowIfNullOrWhiteSpace(resourceId);
        var subscription = ArmScope.SubscriptionIdOf(resourceId);
        if (subscription.IsEmpty)
        {
            throw new ArgumentException($"'{resourceId}' is not an ARM id under /subscriptions/.", nameof(resourceId));
        }

        return history.IndexFor(subscription.ToString(), billedPartnerId, resellerOfRecordId).Decide(resourceId, meter, day);
    }
}
