using Paygo.Core.Catalog;
using Paygo.Core.Common;

namespace Paygo.Core.AzurePlans;

/// <summary>
/// A Partner Center <c>Subscription</c> created by an order: the Azure plan (one per customer and
/// reseller of record), a legacy Microsoft Azure subscription, or a license-based subscription
/// (reference §1.4).
/// </summary>
public sealed class CommerceSubscription
{
    public Guid Id { get; set; }

    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>The indirect reseller of record (Partner Center's <c>partnerId</c> of the subscription).</summary>
    public Guid? ResellerPartnerId { get; set; }

    public Guid OrderId { get; set; }

    public SkuKind Kind { get; set; }

    /// <summary>The catalog item ordered: <c>{productId}:{skuId}:{availabilityId}</c>.</summary>
    public required string OfferId { get; set; }

    public required string ProductId { get; set; }

    public required string SkuId { get; set; }

    public required string OfferName { get; set; }

    public required string FriendlyName { get; set; }

    public int Quantity { get; set; }

    public required string BillingCycle { get; set; }

    public string? TermDuration { get; set; }

    /// <summary><c>active</c>, <c>suspended</c>, <c>deleted</c> … (reference §7.7).</summary>
    public string Status { get; set; } = "active";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset CommitmentEndDate { get; set; }

    public bool AutoRenewEnabled { get; set; }

    /// <summary>
    /// <c>{customerId}:{resellerId or "direct"}</c> for an Azure plan, null otherwise. A unique
    /// index on it is what makes "one Azure plan per customer and reseller of record" hold even
    /// for concurrent checkouts (PROMISES M3).
    /// </summary>
    public string? AzurePlanKey { get; set; }

    public static string PlanKey(Guid customerId, Guid? resellerId) => $"{customerId}:{resellerId?.ToString() ?? "direct"}";

    /// <summary>
    /// The subscription's ETag, computed from the fields a PATCH can change (docs/adr/0016): the
    /// same state always gives the same tag on both engines, so no version column is needed. Dates
    /// are left out because the engines store them with different precision.
    /// </summary>
    public string ETag => ETagOf(Id, FriendlyName, Status, Quantity, AutoRenewEnabled, BillingCycle, TermDuration);

    public static string ETagOf(Guid id, string friendlyName, string status, int quantity, bool autoRenewEnabled, string billingCycle, string? termDuration)
    {
        // Length-prefixed fields, so that no two states share one text.
        var text = string.Join('\n', new[] { id.ToString(), friendlyName, status, quantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            autoRenewEnabled ? "1" : "0", billingCycle, termDuration ?? "-" }.Select(f => $"{f.Length}:{f}"));
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return Convert.ToBase64String(hash, 0, 18).Replace('+', '-').Replace('/', '_');
    }
}

/// <summary>An Azure subscription (Partner Center's <c>AzureEntitlement</c>) under an Azure plan, or a legacy Azure subscription itself.</summary>
public sealed class AzureEntitlement
{
    /// <summary>The Azure subscription id.</summary>
    public Guid Id { get; set; }

    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>The Partner Center subscription (the Azure plan) it belongs to.</summary>
    public Guid SubscriptionId { get; set; }

    public required string FriendlyName { get; set; }

    /// <summary><c>active</c> or <c>inactive</c> (after cancellation).</summary>
    public string Status { get; set; } = "active";

    public DateTimeOffset? CancelledAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// Links of a subscription. The catalog links carry the customer's country, so the by-country
/// catalog routes answer them as they are; Paygo has no legacy <c>offers</c> API, so there is no offer link.
/// </summary>
public sealed record SubscriptionLinks(Link Self, Link Product, Link Sku, Link Availability, Link? AzureEntitlements);

/// <summary>Partner Center's <c>RefundOption</c> of a subscription.</summary>
public sealed record RefundOptionResource(string Type, DateTimeOffset ExpiresAfter);

/// <summary>A subscription as Partner Center serves it.</summary>
public sealed record SubscriptionResource(
    Guid Id,
    string OfferId,
    string? EntitlementId,
    string OfferName,
    string FriendlyName,
    int Quantity,
    string UnitType,
    string? ParentSubscriptionId,
    DateTimeOffset CreationDate,
    DateTimeOffset EffectiveStartDate,
    DateTimeOffset CommitmentEndDate,
    DateTimeOffset CommitmentEndDateTime,
    string Status,
    bool AutoRenewEnabled,
    string BillingType,
    string BillingCycle,
    string? TermDuration,
    bool HasPurchasableAddons,
    bool IsTrial,
    bool IsMicrosoftProduct,
    string PublisherName,
    IReadOnlyList<string> Actions,
    string? PartnerId,
    IReadOnlyList<string> SuspensionReasons,
    string ContractType,
    IReadOnlyList<RefundOptionResource> RefundOptions,
    string OrderId,
    ProductTypeResource ProductType,
    SubscriptionLinks Links,
    ResourceAttributes Attributes)
{
    /// <summary>Non-renewable subscriptions (the Azure plan) carry Partner Center's far-future commitment end.</summary>
    public static readonly DateTimeOffset NoCommitmentEnd = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <param name="s">The subscription.</param>
    /// <param name="country">The customer's country: the catalog links name it.</param>
    /// <param name="firstEntitlementId">The first Azure subscription of an Azure plan (its <c>entitlementId</c>).</param>
    public static SubscriptionResource From(CommerceSubscription s, string country, Guid? firstEntitlementId = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        var self = $"/v1/customers/{s.CustomerId}/subscriptions/{s.Id}";
        var sku = $"/v1/products/{s.ProductId}/skus/{s.SkuId}";
        var availabilityId = s.OfferId.Split(':') is { Length: 3 } parts ? parts[2] : string.Empty;
        var isLicense = s.Kind == SkuKind.License;
        return new(
            s.Id,
            s.OfferId,
            s.Kind == SkuKind.LegacyAzure ? s.Id.ToString() : firstEntitlementId?.ToString(),
            s.OfferName,
            s.FriendlyName,
            s.Quantity,
            isLicense ? "Licenses" : "Usage-based",
            null,
            s.CreatedAt,
            s.CreatedAt,
            s.CommitmentEndDate,
            s.CommitmentEndDate,
            s.Status,
            s.AutoRenewEnabled,
            isLicense ? "license" : "usage",
            s.BillingCycle,
            s.TermDuration,
            false,
            false,
            true,
            "Microsoft Corporation",
            isLicense ? ["edit", "cancel"] : ["edit"],
            s.ResellerPartnerId?.ToString(),
            [],
            "subscription",

            // Paygo sells no refundable terms yet: no refund window to offer.
            [],
            s.OrderId.ToString(),
            ProductTypeResource.Of(isLicense ? "OnlineServices" : "Azure"),
            new SubscriptionLinks(
                Link.Get(self),
                Link.Get($"/v1/products/{s.ProductId}?country={country}"),
                Link.Get($"{sku}?country={country}"),
                Link.Get($"{sku}/availabilities/{availabilityId}?country={country}"),
                s.Kind == SkuKind.AzurePlan ? Link.Get(self + "/azureEntitlements") : null),
            new ResourceAttributes("Subscription", s.ETag));
    }
}

public sealed record AzureEntitlementResource(Guid Id, string FriendlyName, string Status, Guid SubscriptionId, ResourceLinks Links, ResourceAttributes Attributes)
{
    public static AzureEntitlementResource From(AzureEntitlement e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return new(e.Id, e.FriendlyName, e.Status, e.SubscriptionId,
            new ResourceLinks(Link.Get($"/v1/customers/{e.CustomerId}/subscriptions/{e.SubscriptionId}/azureEntitlements/{e.Id}")),
            new ResourceAttributes("AzureEntitlement"));
    }
}
