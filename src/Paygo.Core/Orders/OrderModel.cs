using Paygo.Core.Common;

namespace Paygo.Core.Orders;

/// <summary>
/// A cart (reference §1.11): line items a partner means to buy for one customer, checked out once.
/// Line items are stored as JSON: they are read and written whole, never queried one by one.
/// </summary>
public sealed class Cart
{
    public Guid Id { get; set; }

    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary><c>Active</c> until checkout, then <c>Ordered</c>.</summary>
    public string Status { get; set; } = CartStatus.Active;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastModifiedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public string? LastModifiedUser { get; set; }

    public required string LineItemsJson { get; set; }

    public Guid? OrderId { get; set; }
}

public static class CartStatus
{
    public const string Active = "Active";
    public const string Ordered = "Ordered";

    /// <summary>Partner Center's carts expire about 7 days after creation (reference §1.11).</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
}

/// <summary>An order (reference §1.11), created by a checkout; provisioning is synchronous, so it is <c>completed</c> at once.</summary>
public sealed class Order
{
    public Guid Id { get; set; }

    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    public Guid CartId { get; set; }

    public required string BillingCycle { get; set; }

    public required string CurrencyCode { get; set; }

    public string Status { get; set; } = "completed";

    public DateTimeOffset CreatedAt { get; set; }

    public required string LineItemsJson { get; set; }
}

public sealed record KeyValueDto(string? Key, string? Value);

/// <summary>A cart line item as a request sends it.</summary>
public sealed record CartLineItemDto(
    int? Id = null,
    string? CatalogItemId = null,
    string? FriendlyName = null,
    int? Quantity = null,
    string? BillingCycle = null,
    string? TermDuration = null,
    IReadOnlyList<KeyValueDto>? Participants = null,
    IReadOnlyDictionary<string, string>? ProvisioningContext = null);

/// <summary>Body of <c>POST /v1/customers/{id}/carts</c> and <c>PUT .../carts/{cartId}</c>.</summary>
public sealed record CartRequest(IReadOnlyList<CartLineItemDto>? LineItems = null);

public sealed record CartLineItemResource(
    int Id,
    string CatalogItemId,
    string? FriendlyName,
    int Quantity,
    string CurrencyCode,
    string BillingCycle,
    string? TermDuration,
    IReadOnlyList<KeyValueDto> Participants,
    IReadOnlyDictionary<string, string> ProvisioningContext);

public sealed record CartResource(
    Guid Id,
    DateTimeOffset CreationTimestamp,
    DateTimeOffset LastModifiedTimestamp,
    DateTimeOffset ExpirationTimestamp,
    string? LastModifiedUser,
    IReadOnlyList<CartLineItemResource> LineItems,
    string Status,
    string? OrderId,
    ResourceLinks Links,
    ResourceAttributes Attributes);

public sealed record OrderLineItemLinks(Link Subscription, Link ProvisioningStatus);

public sealed record OrderLineItemResource(
    int LineItemNumber,
    string OfferId,
    string SubscriptionId,
    string FriendlyName,
    int Quantity,
    string? TermDuration,
    string TransactionType,
    string? PartnerIdOnRecord,
    IReadOnlyDictionary<string, string> ProvisioningContext,
    OrderLineItemLinks Links);

public sealed record OrderLinks(Link Self, Link ProvisioningStatus);

public sealed record OrderResource(
    Guid Id,
    string ReferenceCustomerId,
    string BillingCycle,
    string TransactionType,
    IReadOnlyList<OrderLineItemResource> LineItems,
    string CurrencyCode,
    DateTimeOffset CreationDate,
    string Status,
    OrderLinks Links,
    ResourceAttributes Attributes);

public sealed record OrderErrorResource(string OrderGroupId, int Code, string Description);

/// <summary>Partner Center's <c>CartCheckoutResult</c>.</summary>
public sealed record CartCheckoutResult(IReadOnlyList<OrderResource> Orders, IReadOnlyList<OrderErrorResource> OrderErrors, ResourceAttributes Attributes);

public sealed record ProvisioningStatusResource(int LineItemNumber, string Status, int Quantity, string SubscriptionId, ResourceAttributes Attributes);
