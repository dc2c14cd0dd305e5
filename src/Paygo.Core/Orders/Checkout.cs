using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Access;
using Paygo.Core.Agreements;
using Paygo.Core.Audit;
using Paygo.Core.AzurePlans;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Partners;
using Paygo.Core.Users;

namespace Paygo.Core.Orders;

/// <summary>
/// Checkout (DOMAIN.md §3): the security requirements, the MCA on record (403 / 13605), the
/// legacy and plan exclusions, then the order with its subscriptions in one transaction. Buying
/// the Azure plan also creates its first Azure subscription ("Microsoft Azure") and the AOBO
/// Owner assignment for the partner's AdminAgents. Idempotent on <c>MS-RequestId</c>; the unique
/// plan key makes concurrent purchases of the plan yield exactly one (PROMISES M2, M3).
/// </summary>
public sealed class Checkout(
    PaygoDbContext db,
    IdempotentCreates creates,
    CatalogQueries catalog,
    AgreementRecords agreements,
    SecurityRequirements security,
    TimeProvider clock)
{
    public const string FirstAzureSubscriptionName = "Microsoft Azure";

    public Task<Result<Created<CartCheckoutResult>>> CheckoutAsync(Caller caller, Guid customerId, Guid cartId, string? requestId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.OrdersWrite);
        return creates.CreateAsync<CartCheckoutResult>(caller.Scope, requestId, $"POST /v1/customers/{customerId}/carts/{cartId}/checkout", new { customerId, cartId }, async ct =>
        {
            var (customer, partner, accessError) = await Carts.TransactingCustomerAsync(db, caller, customerId, ct);
            if (accessError is not null)
            {
                return (null, accessError);
            }

            if (await security.CheckCanTransactAsync(partner!.Id, ct) is { } securityError)
            {
                return (null, securityError);
            }

            var cart = await db.Carts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cartId && c.CustomerId == customerId, ct);
            if (cart is null)
            {
                return (null, Carts.CartNotFound(cartId));
            }

            var now = clock.GetUtcNow();
            if (Carts.StateError(cart, now) is { } stateError)
            {
                return (null, stateError);
            }

            if (await agreements.CheckMcaOnRecordAsync(customerId, ct) is { } mcaError)
            {
                return (null, mcaError);
            }

            var order = new Order
            {
                Id = Guid.NewGuid(),
                PartnerId = partner.Id,
                CustomerId = customerId,
                CartId = cartId,
                CurrencyCode = partner.BillingCurrency,
                CreatedAt = now,
                BillingCycle = string.Empty,
                LineItemsJson = "[]",
            };
            var orderLines = new List<OrderLineItemResource>();
            var lineNumber = 0;
            foreach (var line in Carts.LineItems(cart))
            {
                var (item, itemError) = await catalog.ResolveAsync(line.CatalogItemId, customer!.Country, $"lineItems[{lineNumber}].catalogItemId", ct);
                if (item is null)
                {
                    return (null, itemError);
                }

                var reseller = line.Participants.FirstOrDefault(p => p.Key == Carts.TransactionReseller)?.Value is { } r ? Guid.Parse(r) : (Guid?)null;
                if (await ExclusionAsync(item.Sku.Kind, customerId, reseller, ct) is { } exclusion)
                {
                    return (null, exclusion);
                }

                var subscription = NewSubscription(order, item, line, reseller, now);
                db.CommerceSubscriptions.Add(subscription);
                if (item.Sku.Kind == SkuKind.AzurePlan)
                {
                    AddFirstAzureSubscription(subscription, partner, now);
                }
                else if (item.Sku.Kind == SkuKind.LegacyAzure)
                {
                    // A legacy Azure subscription is its own entitlement, with the same id (reference §1.5).
                    AddEntitlement(subscription, subscription.Id, FirstAzureSubscriptionName, partner, now);
                }

                order.BillingCycle = line.BillingCycle;
                orderLines.Add(new OrderLineItemResource(lineNumber, subscription.OfferId, subscription.Id.ToString(), subscription.FriendlyName,
                    subscription.Quantity, subscription.TermDuration, "new", reseller?.ToString(), line.ProvisioningContext,
                    new OrderLineItemLinks(Link.Get($"/v1/customers/{customerId}/subscriptions/{subscription.Id}"),
                        Link.Get($"/v1/customers/{customerId}/orders/{order.Id}/provisioningstatus"))));
                lineNumber++;
            }

            order.LineItemsJson = JsonSerializer.Serialize(orderLines, PaygoJson.Options);
            db.Orders.Add(order);

            // Only one checkout of a cart wins, even with different request ids at the same moment.
            var ordered = await db.Carts
                .Where(c => c.Id == cartId && c.Status == CartStatus.Active)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CartStatus.Ordered).SetProperty(c => c.OrderId, order.Id).SetProperty(c => c.LastModifiedAt, now), ct);
            if (ordered == 0)
            {
                return (null, new ApiError(ErrorKind.Conflict, ErrorCodes.CartAlreadyOrdered, $"The cart {cartId} was checked out by another request a moment ago."));
            }

            var result = new CartCheckoutResult([OrderQueries.ToResource(order)], [], new ResourceAttributes("CartCheckoutResult"));
            return (new PreparedCreate<CartCheckoutResult>(result, $"/v1/customers/{customerId}/orders/{order.Id}",
                new AuditEntry("checkout_cart", "order", AuditEntry.Succeeded, PartnerId: partner.Id, CustomerId: customerId)), null);
        }, table => new ApiError(ErrorKind.Conflict, ErrorCodes.AzurePlanAlreadyExists,
            "The customer already has an Azure plan for this reseller of record (bought a moment ago by another request); add Azure subscriptions to it instead.",
            [new FieldError("lineItems", "One Azure plan per customer and reseller of record.")]), cancellationToken);
    }

    private async Task<ApiError?> ExclusionAsync(SkuKind kind, Guid customerId, Guid? reseller, CancellationToken cancellationToken)
    {
        // A product upgrade not yet completed holds every Azure purchase (reference §6, 900112-900114).
        if (kind is SkuKind.AzurePlan or SkuKind.LegacyAzure && await Transitions.ProductUpgrades.PurchaseBlockAsync(db, customerId, cancellationToken) is { } upgradeBlock)
        {
            return upgradeBlock;
        }

        switch (kind)
        {
            case SkuKind.AzurePlan:
                var key = CommerceSubscription.PlanKey(customerId, reseller);
                var plan = await db.CommerceSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.AzurePlanKey == key, cancellationToken);
                if (plan is not null)
                {
                    return new ApiError(ErrorKind.Conflict, ErrorCodes.AzurePlanAlreadyExists,
                        $"The customer already has an Azure plan (subscription {plan.Id}) for this reseller of record; add Azure subscriptions to it instead.",
                        [new FieldError("lineItems", "One Azure plan per customer and reseller of record.")]);
                }

                if (await db.CommerceSubscriptions.AnyAsync(s => s.CustomerId == customerId && s.Kind == SkuKind.LegacyAzure && s.Status == "active", cancellationToken))
                {
                    return new ApiError(ErrorKind.Conflict, ErrorCodes.LegacyAzureBlocksPlan,
                        "The customer has an active Microsoft Azure (MS-AZR-0145P) subscription: transition it to the Azure plan instead of buying one.");
                }

                return null;
            case SkuKind.LegacyAzure:
                return await db.CommerceSubscriptions.AnyAsync(s => s.CustomerId == customerId && s.Kind == SkuKind.AzurePlan, cancellationToken)
                    ? new ApiError(ErrorKind.Conflict, ErrorCodes.PlanBlocksLegacyAzure,
                        "The customer has an Azure plan, so the legacy Microsoft Azure (MS-AZR-0145P) offer can no longer be bought for it.")
                    : null;
            default:
                return null;
        }
    }

    /// <summary>The Azure plan as a checkout creates it; the legacy transition buys it the same way (Paygo.Core.Transitions).</summary>
    internal static CommerceSubscription NewAzurePlan(Order order, CatalogItem item, Guid? reseller, DateTimeOffset now) =>
        NewSubscription(order, item, new CartLineItemResource(0, item.Availability.CatalogItemId, null, 1, order.CurrencyCode, "one_time", null, [], new Dictionary<string, string>()), reseller, now);

    private static CommerceSubscription NewSubscription(Order order, CatalogItem item, CartLineItemResource line, Guid? reseller, DateTimeOffset now)
    {
        var sku = item.Sku;
        var term = line.TermDuration;
        return new CommerceSubscription
        {
            Id = Guid.NewGuid(),
            PartnerId = order.PartnerId,
            CustomerId = order.CustomerId,
            ResellerPartnerId = reseller,
            OrderId = order.Id,
            Kind = sku.Kind,
            OfferId = item.Availability.CatalogItemId,
            ProductId = item.Product.Id,
            SkuId = sku.Id,
            OfferName = sku.Title,
            FriendlyName = line.FriendlyName ?? sku.Title,
            Quantity = line.Quantity,
            BillingCycle = line.BillingCycle,
            TermDuration = term,
            CreatedAt = now,
            CommitmentEndDate = term switch
            {
                "P1M" => now.AddMonths(1),
                "P1Y" => now.AddYears(1),
                "P3Y" => now.AddYears(3),
                _ => SubscriptionResource.NoCommitmentEnd,
            },
            AutoRenewEnabled = sku.Kind == SkuKind.License,
            AzurePlanKey = sku.Kind == SkuKind.AzurePlan ? CommerceSubscription.PlanKey(order.CustomerId, reseller) : null,
        };
    }

    private void AddFirstAzureSubscription(CommerceSubscription plan, Partner partner, DateTimeOffset now) =>
        AddEntitlement(plan, Guid.NewGuid(), FirstAzureSubscriptionName, partner, now);

    private void AddEntitlement(CommerceSubscription subscription, Guid entitlementId, string name, Partner partner, DateTimeOffset now)
    {
        db.AzureEntitlements.Add(new AzureEntitlement
        {
            Id = entitlementId,
            PartnerId = subscription.PartnerId,
            CustomerId = subscription.CustomerId,
            SubscriptionId = subscription.Id,
            FriendlyName = name,
            CreatedAt = now,
        });

        // Reference §2.5: provisioning an Azure subscription makes the partner's AdminAgents its Owner (AOBO).
        db.RoleAssignments.Add(RoleAssignment.AoboOwner(subscription.PartnerId, partner.Name, subscription.CustomerId, entitlementId, now));
    }
}
