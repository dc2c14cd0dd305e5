using Microsoft.EntityFrameworkCore;

namespace Paygo.Core.Transitions;

/// <summary>Which offer an Azure subscription's usage belongs to.</summary>
public enum AzureOffer
{
    /// <summary>The legacy Microsoft Azure offer (MS-AZR-0145P): billed on the legacy invoice, earns no PEC.</summary>
    LegacyAzure,

    /// <summary>An Azure plan (MS-AZR-0017G).</summary>
    AzurePlan,
}

/// <summary>The offer and the Partner Center subscription an Azure subscription belonged to at one instant.</summary>
public sealed record OfferMembership(AzureOffer Offer, Guid SubscriptionId);

/// <summary>
/// Answers "which offer did this Azure subscription belong to at instant t" (issue 11 point 5).
/// The rule is pure, so the rating engine can apply it to rows it loaded itself: before the
/// transition instant the legacy subscription, from it on the plan (half-open, like role assignments).
/// </summary>
public static class OfferHistory
{
    /// <param name="currentSubscriptionId">The subscription the Azure subscription is under now.</param>
    /// <param name="currentIsLegacy">Whether that subscription is a legacy Microsoft Azure one.</param>
    /// <param name="transition">Its transition, if it had one.</param>
    /// <param name="at">The instant asked about (a usage date).</param>
    public static OfferMembership At(Guid currentSubscriptionId, bool currentIsLegacy, AzureSubscriptionTransition? transition, DateTimeOffset at)
    {
        if (transition is null)
        {
            return new(currentIsLegacy ? AzureOffer.LegacyAzure : AzureOffer.AzurePlan, currentSubscriptionId);
        }

        return at < transition.TransitionedAt
            ? new(AzureOffer.LegacyAzure, transition.LegacySubscriptionId)
            : new(AzureOffer.AzurePlan, transition.AzurePlanId);
    }

    /// <summary>The same question against the store; null for an Azure subscription Paygo does not know.</summary>
    public static async Task<OfferMembership?> AtAsync(PaygoDbContext db, Guid entitlementId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var entitlement = await db.AzureEntitlements.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entitlementId, cancellationToken);
        if (entitlement is null)
        {
            return null;
        }

        var isLegacy = await db.CommerceSubscriptions.AnyAsync(s => s.Id == entitlement.SubscriptionId && s.Kind == Catalog.SkuKind.LegacyAzure, cancellationToken);
        var transition = await db.AzureSubscriptionTransitions.AsNoTracking().FirstOrDefaultAsync(t => t.EntitlementId == entitlementId, cancellationToken);
        return At(entitlement.SubscriptionId, isLegacy, transition, at);
    }
}
