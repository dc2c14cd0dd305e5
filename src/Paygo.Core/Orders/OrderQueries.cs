using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.AzurePlans;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Users;

namespace Paygo.Core.Orders;

/// <summary>
/// Orders, subscriptions and Azure entitlements of one customer, as the caller may see them: each
/// read demands <see cref="ApiOperation.OrdersRead"/> and answers only for a customer the caller
/// sees (lists answer null, single items null, as for one that does not exist).
/// </summary>
public sealed class OrderQueries(PaygoDbContext db)
{
    public Task<bool> CanSeeCustomerAsync(Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.OrdersRead);
        return CustomerVisibility.IsVisibleAsync(db, caller, customerId, cancellationToken);
    }

    /// <summary>The customer's orders, newest first; null when the caller does not see the customer.</summary>
    public async Task<IReadOnlyList<OrderResource>?> ListOrdersAsync(Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        if (!await CanSeeCustomerAsync(caller, customerId, cancellationToken))
        {
            return null;
        }

        var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId).OrderByDescending(o => o.CreatedAt).ThenBy(o => o.Id).ToListAsync(cancellationToken);
        return [.. orders.Select(ToResource)];
    }

    public async Task<OrderResource?> FindOrderAsync(Caller caller, Guid customerId, Guid orderId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.OrdersRead);

        // The visibility check joins into the same query: no extra round trip on a hot read.
        var visible = CustomerVisibility.Of(db, caller);
        var order = await db.Orders.AsNoTracking().Where(o => visible.Any(c => c.Id == o.CustomerId))
            .FirstOrDefaultAsync(o => o.Id == orderId && o.CustomerId == customerId, cancellationToken);
        return order is null ? null : ToResource(order);
    }

    public async Task<IReadOnlyList<ProvisioningStatusResource>?> ProvisioningStatusAsync(Caller caller, Guid customerId, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await FindOrderAsync(caller, customerId, orderId, cancellationToken);
        return order?.LineItems
            .Select(l => new ProvisioningStatusResource(l.LineItemNumber, "fulfilled", l.Quantity, l.SubscriptionId, new ResourceAttributes("OrderLineItemProvisioningStatus")))
            .ToList();
    }

    /// <summary>The customer's subscriptions (of one order, if given); null when the caller does not see the customer.</summary>
    public async Task<IReadOnlyList<SubscriptionResource>?> ListSubscriptionsAsync(Caller caller, Guid customerId, Guid? orderId, CancellationToken cancellationToken)
    {
        // The visibility check reads the country the links need: one round trip, not two (PROMISES P3).
        PermissionMatrix.Demand(caller, ApiOperation.OrdersRead);
        if (await CustomerVisibility.Of(db, caller).Where(c => c.Id == customerId).Select(c => c.Country).FirstOrDefaultAsync(cancellationToken) is not { } country)
        {
            return null;
        }

        var query = db.CommerceSubscriptions.AsNoTracking().Where(s => s.CustomerId == customerId);
        if (orderId is { } order)
        {
            query = query.Where(s => s.OrderId == order);
        }

        var subscriptions = await query.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var firstEntitlements = await FirstEntitlementsAsync(customerId, cancellationToken);
        return [.. subscriptions.Select(s => SubscriptionResource.From(s, country, firstEntitlements.GetValueOrDefault(s.Id)))];
    }

    public async Task<SubscriptionResource?> FindSubscriptionAsync(Caller caller, Guid customerId, Guid subscriptionId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.OrdersRead);
        var visible = CustomerVisibility.Of(db, caller);
        var subscription = await db.CommerceSubscriptions.AsNoTracking().Where(s => visible.Any(c => c.Id == s.CustomerId)).FirstOrDefaultAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken);
        if (subscription is null)
        {
            return null;
        }

        return await ToResourceAsync(subscription, cancellationToken);
    }

    /// <summary>The subscription as Partner Center serves it: with the customer's country in its catalog links and its first Azure subscription.</summary>
    public async Task<SubscriptionResource> ToResourceAsync(CommerceSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var firstEntitlements = await FirstEntitlementsAsync(subscription.CustomerId, cancellationToken);
        return SubscriptionResource.From(subscription, await CountryOfAsync(subscription.CustomerId, cancellationToken), firstEntitlements.GetValueOrDefault(subscription.Id));
    }

    private Task<string> CountryOfAsync(Guid customerId, CancellationToken cancellationToken) =>
        db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => c.Country).FirstAsync(cancellationToken);

    /// <summary>The Azure subscriptions of an Azure plan; null when the customer has no such plan.</summary>
    public async Task<IReadOnlyList<AzureEntitlementResource>?> ListEntitlementsAsync(Caller caller, Guid customerId, Guid subscriptionId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.OrdersRead);
        var visible = CustomerVisibility.Of(db, caller);
        if (!await db.CommerceSubscriptions.Where(s => visible.Any(c => c.Id == s.CustomerId)).AnyAsync(s => s.Id == subscriptionId && s.CustomerId == customerId && s.Kind != SkuKind.License, cancellationToken))
        {
            return null;
        }

        var entitlements = await db.AzureEntitlements.AsNoTracking()
            .Where(e => e.SubscriptionId == subscriptionId && e.CustomerId == customerId)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        return [.. entitlements.Select(AzureEntitlementResource.From)];
    }

    public async Task<AzureEntitlementResource?> FindEntitlementAsync(Caller caller, Guid customerId, Guid subscriptionId, Guid entitlementId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.OrdersRead);
        var visible = CustomerVisibility.Of(db, caller);
        var entitlement = await db.AzureEntitlements.AsNoTracking().Where(e => visible.Any(c => c.Id == e.CustomerId))
            .FirstOrDefaultAsync(e => e.Id == entitlementId && e.SubscriptionId == subscriptionId && e.CustomerId == customerId, cancellationToken);
        return entitlement is null ? null : AzureEntitlementResource.From(entitlement);
    }

    public static OrderResource ToResource(Order order)
    {
        ArgumentNullException.ThrowIfNull(order);
        var lines = JsonSerializer.Deserialize<List<OrderLineItemResource>>(order.LineItemsJson, PaygoJson.Options) ?? [];
        var self = $"/v1/customers/{order.CustomerId}/orders/{order.Id}";
        return new OrderResource(order.Id, order.CustomerId.ToString(), order.BillingCycle, "UserPurchase", lines, order.CurrencyCode, order.CreatedAt,
            order.Status, new OrderLinks(Link.Get(self), Link.Get(self + "/provisioningstatus")), new ResourceAttributes("Order"));
    }

    private async Task<Dictionary<Guid, Guid>> FirstEntitlementsAsync(Guid customerId, CancellationToken cancellationToken)
    {
        var entitlements = await db.AzureEntitlements.AsNoTracking().Where(e => e.CustomerId == customerId)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(cancellationToken);
        var first = new Dictionary<Guid, Guid>();
        foreach (var e in entitlements)
        {
            first.TryAdd(e.SubscriptionId, e.Id);
        }

        return first;
    }
}
