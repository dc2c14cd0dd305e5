using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Agreements;
using Paygo.Core.Audit;
using Paygo.Core.AzurePlans;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Orders;
using Paygo.Core.Partners;
using Paygo.Core.Users;

namespace Paygo.Core.Transitions;

/// <summary>
/// The transition from the legacy Microsoft Azure offer (MS-AZR-0145P) to the Azure plan
/// (reference §6): eligibility, the upgrade itself and its status. The upgrade runs in one
/// transaction: it buys the Azure plan when the customer (and reseller of record) has none,
/// moves every Azure subscription under it, suspends the legacy subscriptions and records each
/// transition instant; role assignments are not touched, so they keep their ids and intervals.
/// A failure leaves nothing half-moved, and usage keeps flowing to the legacy subscription.
/// </summary>
public sealed class ProductUpgrades(
    PaygoDbContext db,
    IdempotentCreates creates,
    CatalogQueries catalog,
    AgreementRecords agreements,
    SecurityRequirements security,
    TimeProvider clock)
{
    public const string AzureFamily = "azure";
    public const string TargetProductName = "Microsoft Azure plan";
    public const string SourceProductName = "AzureSubscription";

    /// <summary>Whether the customer can transition now, and why not (Partner Center's <c>ProductUpgradesEligibility</c>).</summary>
    public async Task<Result<ProductUpgradesEligibility>> EligibilityAsync(Caller caller, ProductUpgradeRequest? request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.ProductUpgradesRead);
        if (ParseRequest(request, out var customerId) is { } parseError)
        {
            return parseError;
        }

        var (customer, partner, accessError) = await Carts.TransactingCustomerAsync(db, caller, customerId, cancellationToken);
        if (accessError is not null)
        {
            return accessError;
        }

        var existing = await db.ProductUpgrades.AsNoTracking().FirstOrDefaultAsync(u => u.CustomerId == customerId && u.ProductFamily == AzureFamily, cancellationToken);
        var legacy = await PendingLegacyAsync(customerId, cancellationToken);
        var blocker = ExistingUpgradeError(existing) ?? await MovedMeanwhileAsync(customerId, legacy, cancellationToken) ?? await BlockerAsync(customer!, partner!, legacy, cancellationToken);
        return new ProductUpgradesEligibility(customerId.ToString(), AzureFamily, blocker is null, existing?.Id.ToString(), blocker?.Description,
            new ResourceAttributes("ProductUpgradesEligibility"));
    }

    /// <summary>Starts (and, in Paygo, completes) the upgrade; idempotent on <c>MS-RequestId</c>.</summary>
    public Task<Result<Created<ProductUpgradesStatus>>> CreateAsync(Caller caller, ProductUpgradeRequest? request, string? requestId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.ProductUpgradesWrite);
        if (ParseRequest(request, out var customerId) is { } parseError)
        {
            return Task.FromResult<Result<Created<ProductUpgradesStatus>>>(parseError);
        }

        return creates.CreateAsync<ProductUpgradesStatus>(caller.Scope, requestId, "POST /v1/productupgrades", new { customerId, productFamily = AzureFamily }, async ct =>
        {
            var (customer, partner, accessError) = await Carts.TransactingCustomerAsync(db, caller, customerId, ct);
            if (accessError is not null)
            {
                return (null, accessError);
            }

            var upgrade = await db.ProductUpgrades.FirstOrDefaultAsync(u => u.CustomerId == customerId && u.ProductFamily == AzureFamily, ct);
            if (ExistingUpgradeError(upgrade) is { } existingError)
            {
                return (null, existingError);
            }

            var legacy = await PendingLegacyAsync(customerId, ct);
            if ((await MovedMeanwhileAsync(customerId, legacy, ct) ?? await BlockerAsync(customer!, partner!, legacy, ct)) is { } blocker)
            {
                return (null, blocker);
            }

            var (planItem, _) = await catalog.ResolveAsync(CatalogSeed.AzurePlanCatalogItemId, customer!.Country, "productFamily", ct);
            var now = clock.GetUtcNow();
            if (upgrade is null)
            {
                upgrade = new ProductUpgrade { Id = Guid.NewGuid(), PartnerId = partner!.Id, CustomerId = customerId, ProductFamily = AzureFamily, Status = ProductUpgradeStatus.InProgress, CreatedAt = now };
                db.ProductUpgrades.Add(upgrade);
            }

            // One Azure plan per reseller of record (reference §6): an indirect provider's customer may have several.
            foreach (var group in legacy.GroupBy(s => s.ResellerPartnerId))
            {
                var plan = await PlanAsync(partner!, customerId, group.Key, planItem!, now, ct);
                var ids = group.Select(s => s.Id).ToList();
                foreach (var entitlement in await db.AzureEntitlements.Where(e => ids.Contains(e.SubscriptionId)).ToListAsync(ct))
                {
                    db.AzureSubscriptionTransitions.Add(new AzureSubscriptionTransition
                    {
                        EntitlementId = entitlement.Id,
                        UpgradeId = upgrade.Id,
                        PartnerId = partner!.Id,
                        CustomerId = customerId,
                        LegacySubscriptionId = entitlement.SubscriptionId,
                        AzurePlanId = plan.Id,
                        TransitionedAt = now,
                    });
                    entitlement.SubscriptionId = plan.Id;
                }

                // Suspended, not deleted: the legacy subscription takes no more usage, and its history stays (reference §6 "Effects").
                foreach (var subscription in group)
                {
                    subscription.Status = "suspended";
                }
            }

            upgrade.Status = ProductUpgradeStatus.Completed;
            upgrade.CompletedAt = now;
            var resource = ToStatus(upgrade, db.ChangeTracker.Entries<AzureSubscriptionTransition>().Select(e => e.Entity).Where(t => t.UpgradeId == upgrade.Id).ToList());
            return (new PreparedCreate<ProductUpgradesStatus>(resource, $"/v1/productUpgrades/{upgrade.Id}",
                new AuditEntry("create_product_upgrade", "productUpgrade", AuditEntry.Succeeded, PartnerId: partner!.Id, CustomerId: customerId)), null);
        }, _ => new ApiError(ErrorKind.Conflict, TransitionCodes.UpgradeInProgress,
            "An upgrade of this customer's Azure subscriptions is already in progress (started a moment ago by another request); ask for its status."), cancellationToken);
    }

    /// <summary>The upgrade's status and one line per Azure subscription it moved (Partner Center's <c>ProductUpgradesStatus</c>).</summary>
    public async Task<Result<ProductUpgradesStatus>> StatusAsync(Caller caller, Guid upgradeId, ProductUpgradeRequest? request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.ProductUpgradesRead);

        // An upgrade of a customer the caller cannot see is "not found", never "another customer's";
        // and that is answered before the body is read, so a foreign id tells nothing either way.
        var upgrade = await db.ProductUpgrades.AsNoTracking().FirstOrDefaultAsync(u => u.Id == upgradeId, cancellationToken);
        if (upgrade is null || !await CustomerVisibility.IsVisibleAsync(db, caller, upgrade.CustomerId, cancellationToken))
        {
            return new ApiError(ErrorKind.NotFound, TransitionCodes.UpgradeNotFound, $"No product upgrade request with id {upgradeId}.");
        }

        if (ParseRequest(request, out var customerId) is { } parseError)
        {
            return parseError;
        }

        if (upgrade.CustomerId != customerId)
        {
            return new ApiError(ErrorKind.Invalid, TransitionCodes.UpgradeOfAnotherCustomer,
                $"The product upgrade {upgradeId} belongs to another customer than {customerId}.", [new FieldError("customerId", "Not the customer of this upgrade.")]);
        }

        var lines = await db.AzureSubscriptionTransitions.AsNoTracking().Where(t => t.UpgradeId == upgradeId).ToListAsync(cancellationToken);
        return ToStatus(upgrade, lines);
    }

    /// <summary>What the dashboard shows: each legacy Azure subscription of the customer with its transition, and whether one can start.</summary>
    public async Task<CustomerTransitionView?> ForCustomerAsync(Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.ProductUpgradesRead);
        if (!await CustomerVisibility.IsVisibleAsync(db, caller, customerId, cancellationToken))
        {
            return null;
        }

        var legacyIds = await db.CommerceSubscriptions.AsNoTracking().Where(s => s.CustomerId == customerId && s.Kind == SkuKind.LegacyAzure).Select(s => s.Id).ToListAsync(cancellationToken);
        var transitions = await db.AzureSubscriptionTransitions.AsNoTracking().Where(t => t.CustomerId == customerId).ToListAsync(cancellationToken);
        var moved = transitions.Select(t => t.EntitlementId).ToHashSet();
        var entitlements = await db.AzureEntitlements.AsNoTracking().Where(e => legacyIds.Contains(e.SubscriptionId) || moved.Contains(e.Id)).ToListAsync(cancellationToken);
        if (entitlements.Count == 0)
        {
            return new CustomerTransitionView([], null, false, null);
        }

        var rows = entitlements.OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .Select(e => transitions.FirstOrDefault(t => t.EntitlementId == e.Id) is { } t
                ? new TransitionRow(e.Id, e.FriendlyName, ProductUpgradeStatus.Completed, t.TransitionedAt, t.AzurePlanId)
                : new TransitionRow(e.Id, e.FriendlyName, "NotStarted", null, null))
            .ToList();
        var eligibility = caller.IsOperator ? null : (await EligibilityAsync(caller, new ProductUpgradeRequest(customerId.ToString(), AzureFamily), cancellationToken)).Value;
        return new CustomerTransitionView(rows, eligibility?.UpgradeId, eligibility?.IsEligible ?? false, eligibility?.Reason);
    }

    /// <summary>Why an Azure purchase must wait for this customer's upgrade (900112-900114), if it must.</summary>
    public static async Task<ApiError?> PurchaseBlockAsync(PaygoDbContext db, Guid customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var status = await db.ProductUpgrades.AsNoTracking().Where(u => u.CustomerId == customerId && u.ProductFamily == AzureFamily).Select(u => u.Status).FirstOrDefaultAsync(cancellationToken);
        return status switch
        {
            ProductUpgradeStatus.Pending => new ApiError(ErrorKind.Conflict, TransitionCodes.PurchaseBlockedUpgradePending,
                "The customer's transition to the Azure plan is pending; Azure purchases wait until it completes."),
            ProductUpgradeStatus.InProgress => new ApiError(ErrorKind.Conflict, TransitionCodes.PurchaseBlockedUpgradeInProgress,
                "The customer's transition to the Azure plan is in progress; Azure purchases wait until it completes."),
            ProductUpgradeStatus.Failed => new ApiError(ErrorKind.Conflict, TransitionCodes.PurchaseBlockedUpgradeFailed,
                "The customer's transition to the Azure plan failed; start it again before buying Azure products."),
            _ => null,
        };
    }

    private static ApiError? ParseRequest(ProductUpgradeRequest? request, out Guid customerId)
    {
        customerId = Guid.Empty;
        if (CustomerVisibility.ParseId(request?.CustomerId, out customerId) is { } idError)
        {
            return idError;
        }

        // Partner Center's samples send "azure" and "Azure": the family is matched without case.
        return string.Equals(request!.ProductFamily?.Trim(), AzureFamily, StringComparison.OrdinalIgnoreCase)
            ? null
            : ApiError.InvalidField("productFamily", $"The field 'productFamily' must be 'azure'; '{ErrorText.Quote(request.ProductFamily)}' cannot be upgraded (only Azure transitions).");
    }

    private static ApiError? ExistingUpgradeError(ProductUpgrade? upgrade) => upgrade?.Status switch
    {
        ProductUpgradeStatus.Completed => new ApiError(ErrorKind.Invalid, TransitionCodes.UpgradeCompleted,
            $"The customer's Azure subscriptions were already upgraded to the Azure plan (upgrade {upgrade.Id})."),
        ProductUpgradeStatus.Pending or ProductUpgradeStatus.InProgress => new ApiError(ErrorKind.Conflict, TransitionCodes.UpgradeInProgress,
            $"An upgrade of this customer's Azure subscriptions is already in progress (upgrade {upgrade.Id})."),

        // A failed upgrade may be started again.
        _ => null,
    };

    /// <summary>
    /// The upgrade and the legacy subscriptions still to move are read in two statements. When a
    /// concurrent upgrade commits between them, the first saw no finished upgrade and the second finds
    /// nothing left to move; reading the upgrade once more answers what happened (900110 or 900109)
    /// rather than "no Azure subscriptions" (900108), which is true only of a customer that never had any.
    /// </summary>
    private async Task<ApiError?> MovedMeanwhileAsync(Guid customerId, List<CommerceSubscription> legacy, CancellationToken cancellationToken) =>
        legacy.Count == 0
            ? ExistingUpgradeError(await db.ProductUpgrades.AsNoTracking().FirstOrDefaultAsync(u => u.CustomerId == customerId && u.ProductFamily == AzureFamily, cancellationToken))
            : null;

    /// <summary>The legacy subscriptions not yet transitioned, tracked (the upgrade suspends them).</summary>
    private Task<List<CommerceSubscription>> PendingLegacyAsync(Guid customerId, CancellationToken cancellationToken) =>
        db.CommerceSubscriptions
            .Where(s => s.CustomerId == customerId && s.Kind == SkuKind.LegacyAzure && s.Status != "deleted")
            .Where(s => !db.AzureSubscriptionTransitions.Any(t => t.LegacySubscriptionId == s.Id))
            .OrderBy(s => s.CreatedAt)
            .ToListAsync(cancellationToken);

    /// <summary>Reference §6's restrictions, in the order Partner Center names them.</summary>
    private async Task<ApiError?> BlockerAsync(Customer customer, Partner partner, List<CommerceSubscription> legacy, CancellationToken cancellationToken)
    {
        if (legacy.Count == 0)
        {
            return new ApiError(ErrorKind.Forbidden, TransitionCodes.NoAzureSubscriptions, "The customer has no Microsoft Azure (MS-AZR-0145P) subscriptions to transition.");
        }

        var ids = legacy.Select(s => s.Id).ToList();
        if (await db.LegacyAzureImports.Where(i => ids.Contains(i.SubscriptionId) && i.PartnerSharedServices).Select(i => i.SubscriptionId).FirstOrDefaultAsync(cancellationToken) is var shared && shared != Guid.Empty)
        {
            return new ApiError(ErrorKind.Forbidden, TransitionCodes.PartnerSharedServices,
                $"The Azure subscription {shared} is an Azure Partner Shared Services subscription, which cannot be upgraded to the Azure plan.");
        }

        if (legacy.FirstOrDefault(s => s.Status != "active") is { } suspended)
        {
            return new ApiError(ErrorKind.Forbidden, TransitionCodes.SuspendedSubscriptions,
                $"The Azure subscription {suspended.Id} is {suspended.Status}; suspended Azure subscriptions cannot transition. Reactivate it first.");
        }

        var now = clock.GetUtcNow();
        if (legacy.FirstOrDefault(s => s.CreatedAt > now - TransitionCodes.RecentPurchaseWindow) is { } recent)
        {
            return new ApiError(ErrorKind.Forbidden, TransitionCodes.RecentlyPurchased,
                $"The Azure subscription {recent.Id} was bought at {recent.CreatedAt:yyyy-MM-ddTHH:mm:ssZ}; recently purchased Azure subscriptions can transition from {recent.CreatedAt + TransitionCodes.RecentPurchaseWindow:yyyy-MM-ddTHH:mm:ssZ}.");
        }

        if (await agreements.CheckMcaOnRecordAsync(customer.Id, cancellationToken) is not null)
        {
            return new ApiError(ErrorKind.Forbidden, TransitionCodes.CannotProcess,
                "The upgrade cannot be processed: the customer has not accepted the Microsoft Customer Agreement, which the Azure plan requires. Confirm its acceptance first.");
        }

        if (await security.CheckCanTransactAsync(partner.Id, cancellationToken) is { } securityError)
        {
            return securityError;
        }

        var (_, itemError) = await catalog.ResolveAsync(CatalogSeed.AzurePlanCatalogItemId, customer.Country, "productFamily", cancellationToken);
        return itemError is null ? null : new ApiError(ErrorKind.Invalid, TransitionCodes.CatalogItemNotFound,
            $"The Azure plan catalog item {CatalogSeed.AzurePlanCatalogItemId} was not found for the customer's country {customer.Country}: {itemError.Description}");
    }

    /// <summary>The customer's Azure plan for that reseller of record, bought as a checkout buys it when there is none.</summary>
    private async Task<CommerceSubscription> PlanAsync(Partner partner, Guid customerId, Guid? reseller, CatalogItem item, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = CommerceSubscription.PlanKey(customerId, reseller);
        var plan = await db.CommerceSubscriptions.FirstOrDefaultAsync(s => s.AzurePlanKey == key, cancellationToken);
        if (plan is not null)
        {
            return plan;
        }

        var order = new Order
        {
            Id = Guid.NewGuid(),
            PartnerId = partner.Id,
            CustomerId = customerId,
            CurrencyCode = partner.BillingCurrency,
            CreatedAt = now,
            BillingCycle = "one_time",
            LineItemsJson = "[]",
        };
        plan = Checkout.NewAzurePlan(order, item, reseller, now);
        order.LineItemsJson = JsonSerializer.Serialize(new[]
        {
            new OrderLineItemResource(0, plan.OfferId, plan.Id.ToString(), plan.FriendlyName, 1, null, "new", reseller?.ToString(), new Dictionary<string, string>(),
                new OrderLineItemLinks(Link.Get($"/v1/customers/{customerId}/subscriptions/{plan.Id}"), Link.Get($"/v1/customers/{customerId}/orders/{order.Id}/provisioningstatus"))),
        }, PaygoJson.Options);
        db.Orders.Add(order);
        db.CommerceSubscriptions.Add(plan);
        return plan;
    }

    private static ProductUpgradesStatus ToStatus(ProductUpgrade upgrade, IReadOnlyList<AzureSubscriptionTransition> lines) => new(
        upgrade.Id.ToString(),
        upgrade.ProductFamily,
        upgrade.Status,
        [.. lines.OrderBy(l => l.EntitlementId).Select(l => new ProductUpgradeLineItem(
            new UpgradeProduct(l.EntitlementId.ToString(), SourceProductName),
            new UpgradeProduct(l.AzurePlanId.ToString(), TargetProductName),
            l.TransitionedAt,
            ProductUpgradeStatus.Completed,
            null))],
        null,
        new ResourceAttributes("ProductUpgradesStatus"));
}

/// <summary>One Azure subscription of a legacy customer, as the dashboard lists it.</summary>
public sealed record TransitionRow(Guid EntitlementId, string FriendlyName, string Status, DateTimeOffset? TransitionDate, Guid? AzurePlanId);

/// <summary>The customer's transition: its Azure subscriptions, its upgrade, and whether one can start now.</summary>
public sealed record CustomerTransitionView(IReadOnlyList<TransitionRow> Rows, string? UpgradeId, bool IsEligible, string? Reason);
