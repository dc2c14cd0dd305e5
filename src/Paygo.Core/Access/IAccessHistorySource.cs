namespace Paygo.Core.Access;

/// <summary>The access history Paygo.Rating's PEC decision needs, for one billed partner's Azure subscription.</summary>
public interface IAccessHistorySource
{
    Task<Paygo.Rating.Access.AccessHistory> ForAzureSubscriptionAsync(Guid partnerId, Guid azureSubscriptionId, CancellationToken cancellationToken);
}
