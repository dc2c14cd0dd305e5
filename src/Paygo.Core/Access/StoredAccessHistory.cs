using Paygo.Rating.Access;

namespace Paygo.Core.Access;

/// <summary>
/// <see cref="IAccessHistorySource"/> over the access store: every record of the subscription
/// under the billed partner, corrections applied (a corrected record is left out, its correction
/// counts), allow and deny assignments, and the custom roles with their latest eligibility mark.
/// Principals' partners are MPN ids, as the usage file's <c>MPNID</c> and <c>ResellerMPNID</c> name them.
/// </summary>
public sealed class StoredAccessHistory(AccessStore store) : IAccessHistorySource
{
    public Task<AccessHistory> ForAzureSubscriptionAsync(Guid partnerId, Guid azureSubscriptionId, CancellationToken cancellationToken) =>
        store.HistoryAsync(partnerId, azureSubscriptionId, cancellationToken);
}
