using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Paygo.Core.Access;
using Paygo.Core.Audit;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Orders;
using Paygo.Core.Users;

namespace Paygo.Core.AzurePlans;

/// <summary>Body of <c>POST .../azureEntitlements</c> (Paygo's own endpoint, docs/adr/0026): the new Azure subscription's name.</summary>
public sealed record AzureSubscriptionCreateRequest(string? FriendlyName = null);

/// <summary>Body of <c>POST .../azureEntitlements/{e}/cancel</c>, as Partner Center takes it.</summary>
public sealed record AzureSubscriptionCancelRequest(string? CancellationReason = null);

/// <summary>
/// The Azure subscriptions under an Azure plan (DOMAIN.md §4, reference §7.1, §7.4): adding one
/// (the partner's AdminAgents become its Owner, AOBO), cancelling it (active → inactive, with the
/// instant recorded so no later usage is taken) and reactivating it. Every change writes its audit
/// record in the same transaction.
/// </summary>
public sealed class AzureSubscriptions(PaygoDbContext db, IdempotentCreates creates, AuditTrail audit, TimeProvider clock)
{
    public const int FriendlyNameMaxLength = 64;

    /// <summary>Azure deletes a cancelled subscription 90 days after the cancellation; it cannot come back after that (reference §7.4).</summary>
    public static readonly TimeSpan ReactivationWindow = TimeSpan.FromDays(90);

    public static readonly IReadOnlyList<string> CancellationReasons = ["compromise", "other"];

    public static string CreateOperation(Guid customerId, Guid planId) => $"POST /v1/customers/{customerId}/subscriptions/{planId}/azureEntitlements";

    /// <summary>Adds an Azure subscription to an active Azure plan. Idempotent on <c>MS-RequestId</c>.</summary>
    public Task<Result<Created<AzureEntitlementResource>>> AddAsync(
        Caller caller, Guid customerId, Guid planId, AzureSubscriptionCreateRequest? request, string? requestId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AzureSubscriptionsWrite);
        request ??= new AzureSubscriptionCreateRequest();
        return creates.CreateAsync<AzureEntitlementResource>(caller.Scope, requestId, CreateOperation(customerId, planId), request, async ct =>
        {
            var (customer, partner, accessError) = await Carts.TransactingCustomerAsync(db, caller, customerId, ct);
            if (customer is null)
            {
                return (null, accessError);
            }

            var plan = await db.CommerceSubscriptions.AsNoTracking()
                .FirstOrDefaultAsync(s => s.Id == planId && s.CustomerId == customerId && s.Kind == SkuKind.AzurePlan, ct);
            if (plan is null)
            {
                return (null, PlanNotFound(planId));
            }

            if (PlanStateError(plan) is { } stateError)
            {
                return (null, stateError);
            }

            var name = request.FriendlyName?.Trim();
            if (name is not null && (name.Length is 0 or > FriendlyNameMaxLength || name.Any(char.IsControl)))
            {
                return (null, ApiError.InvalidField("friendlyName", $"The field 'friendlyName' must be 1 to {FriendlyNameMaxLength} characters without control characters."));
            }

            // Touching the plan's row while it is active holds it until this transaction ends: a
            // concurrent suspend or cancel of the plan either committed before (no row matches) or
            // waits and then sees this Azure subscription, and answers 900115 (docs/adr/0026).
            if (await HoldActivePlanAsync(plan.Id, ct) is { } heldError)
            {
                return (null, heldError);
            }

            var now = clock.GetUtcNow();
            var entitlement = new AzureEntitlement
            {
                Id = Guid.NewGuid(),
                PartnerId = plan.PartnerId,
                CustomerId = customerId,
                SubscriptionId = plan.Id,
                FriendlyName = name ?? Checkout.FirstAzureSubscriptionName,
                CreatedAt = now,
            };
            db.AzureEntitlements.Add(entitlement);

            // Reference §2.5: provisioning an Azure subscription makes the partner's AdminAgents its Owner (AOBO).
            db.RoleAssignments.Add(RoleAssignment.AoboOwner(plan.PartnerId, partner!.Name, customerId, entitlement.Id, now));
            var resource = AzureEntitlementResource.From(entitlement);
            return (new PreparedCreate<AzureEntitlementResource>(resource, resource.Links.Self.Uri,
                new AuditEntry("add_azure_subscription", "azureEntitlement", AuditEntry.Succeeded, PartnerId: plan.PartnerId, CustomerId: customerId)), null);
        }, _ => new ApiError(ErrorKind.Conflict, ErrorCodes.AlreadyExists, "The Azure subscription was added at the same moment by another request."), cancellationToken);
    }

    /// <summary>
    /// Cancels an Azure subscription (reference §7.4): active → inactive at once, with the instant and
    /// the reason recorded. Cancelling one that is already inactive answers it as it is, so a retry succeeds.
    /// </summary>
    public async Task<Result<AzureEntitlementResource>> CancelAsync(
        Caller caller, Guid customerId, Guid planId, Guid entitlementId, AzureSubscriptionCancelRequest? request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AzureSubscriptionsCancel);
        if (RoleError(caller, "cancel") is { } roleError)
        {
            return roleError;
        }

        var (entitlement, plan, error) = await FindAsync(caller, customerId, planId, entitlementId, cancellationToken);
        if (entitlement is null)
        {
            return error!;
        }

        if (request is null)
        {
            return new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidRequestInput, "The request content is required: {\"cancellationReason\": \"compromise\"} or \"other\".",
                [new FieldError("body", "Request content required.")]);
        }

        var reason = request.CancellationReason?.Trim().ToLowerInvariant();
        if (reason is null || !CancellationReasons.Contains(reason, StringComparer.Ordinal))
        {
            return new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidCancellationReason,
                $"The cancellation reason must be 'compromise' or 'other'; '{ErrorText.Quote(request.CancellationReason)}' is not.",
                [new FieldError("cancellationReason", "Must be compromise or other.")]);
        }

        if (entitlement.Status != "active")
        {
            return AzureEntitlementResource.From(entitlement);
        }

        var now = clock.GetUtcNow();
        var (changed, _) = await ChangeAsync(entitlement, "active", null, e => e
            .SetProperty(x => x.Status, "inactive").SetProperty(x => x.CancelledAt, now).SetProperty(x => x.CancellationReason, reason),
            new AuditEntry("cancel_azure_subscription", "azureEntitlement", AuditEntry.Succeeded, PartnerId: plan!.PartnerId, CustomerId: customerId,
                ResourceNewValue: JsonSerializer.Serialize(new { id = entitlement.Id, subscriptionId = planId, status = "inactive", cancelledAt = now, cancellationReason = reason }, PaygoJson.Options)),
            cancellationToken);
        if (!changed)
        {
            // Another request changed it between the read and the write: answer what it is now.
            return await CurrentAsync(entitlement.Id, cancellationToken);
        }

        entitlement.Status = "inactive";
        entitlement.CancelledAt = now;
        entitlement.CancellationReason = reason;
        return AzureEntitlementResource.From(entitlement);
    }

    /// <summary>
    /// Reactivates a cancelled Azure subscription (reference §7.4; the server answers 202) while its
    /// plan is active and within 90 days of the cancellation. One that is active answers as it is.
    /// </summary>
    public async Task<Result<AzureEntitlementResource>> ReactivateAsync(
        Caller caller, Guid customerId, Guid planId, Guid entitlementId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.AzureSubscriptionsCancel);
        if (RoleError(caller, "reactivate") is { } roleError)
        {
            return roleError;
        }

        var (entitlement, plan, error) = await FindAsync(caller, customerId, planId, entitlementId, cancellationToken);
        if (entitlement is null)
        {
            return error!;
        }

        if (entitlement.Status == "active")
        {
            return AzureEntitlementResource.From(entitlement);
        }

        if (plan!.Status != "active")
        {
            return new ApiError(ErrorKind.Invalid, ErrorCodes.CannotReactivateAzureSubscription,
                $"The Azure subscription {entitlementId} cannot be reactivated: its Azure plan {planId} is {plan.Status}; reactivate the plan first.",
                [new FieldError("subscriptionId", $"The Azure plan is {plan.Status}.")]);
        }

        var now = clock.GetUtcNow();
        if (entitlement.CancelledAt is { } cancelledAt && now - cancelledAt >= ReactivationWindow)
        {
            return new ApiError(ErrorKind.Invalid, ErrorCodes.CannotReactivateAzureSubscription,
                $"The Azure subscription {entitlementId} was cancelled on {cancelledAt:yyyy-MM-dd}, more than 90 days ago, and is deleted: it cannot be reactivated.",
                [new FieldError("entitlementId", "Deleted 90 days after cancellation.")]);
        }

        var (changed, planError) = await ChangeAsync(entitlement, entitlement.Status, planId, e => e
            .SetProperty(x => x.Status, "active").SetProperty(x => x.CancelledAt, (DateTimeOffset?)null)
            .SetProperty(x => x.CancellationReason, (string?)null).SetProperty(x => x.ReactivatedAt, now),
            new AuditEntry("reactivate_azure_subscription", "azureEntitlement", AuditEntry.Succeeded, PartnerId: plan.PartnerId, CustomerId: customerId,
                ResourceNewValue: JsonSerializer.Serialize(new { id = entitlement.Id, subscriptionId = planId, status = "active", reactivatedAt = now, cancelledAt = entitlement.CancelledAt }, PaygoJson.Options)),
            cancellationToken);
        if (planError is not null)
        {
            return planError;
        }

        if (!changed)
        {
            return await CurrentAsync(entitlement.Id, cancellationToken);
        }

        entitlement.Status = "active";
        entitlement.CancelledAt = null;
        entitlement.CancellationReason = null;
        entitlement.ReactivatedAt = now;
        return AzureEntitlementResource.From(entitlement);
    }

    /// <summary>Why a plan takes no new Azure subscription: suspended (800091) or deleted (2011), as for any other change of it.</summary>
    public static ApiError? PlanStateError(CommerceSubscription plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.Status switch
        {
            "deleted" => new ApiError(ErrorKind.Invalid, ErrorCodes.SubscriptionDeleted, $"The Azure plan {plan.Id} is deleted and cannot be updated."),
            "active" => null,
            _ => new ApiError(ErrorKind.Invalid, ErrorCodes.SubscriptionSuspended, $"The Azure plan {plan.Id} is {plan.Status}: reactivate it before adding Azure subscriptions."),
        };
    }

    public static ApiError PlanNotFound(Guid planId) =>
        new(ErrorKind.NotFound, ErrorCodes.SubscriptionNotFound, $"No Azure plan with id {planId} for this customer.");

    public static ApiError EntitlementNotFound(Guid planId, Guid entitlementId) =>
        new(ErrorKind.NotFound, ErrorCodes.EntitlementNotFound, $"No Azure subscription {entitlementId} under subscription {planId}.");

    /// <summary>Reference §2.3, §7.4: one user must hold both roles; either alone passes the matrix but not this.</summary>
    private static ApiError? RoleError(Caller caller, string verb) =>
        caller.Roles.Contains(PartnerRole.GlobalAdmin) && caller.Roles.Contains(PartnerRole.AdminAgent)
            ? null
            : new ApiError(ErrorKind.Forbidden, ErrorCodes.AzureSubscriptionPermissionDenied,
                $"Only a Global admin who is also an Admin agent may {verb} an Azure subscription; you hold {(caller.Roles.Count == 0 ? "no role" : string.Join(", ", caller.Roles.Select(PartnerRoles.ToWire)))}.");

    /// <summary>The entitlement and its plan, for a customer the caller sees and bills (404 otherwise, 403 900159 for a reseller of record).</summary>
    private async Task<(AzureEntitlement? Entitlement, CommerceSubscription? Plan, ApiError? Error)> FindAsync(
        Caller caller, Guid customerId, Guid planId, Guid entitlementId, CancellationToken cancellationToken)
    {
        var (customer, _, accessError) = await Carts.TransactingCustomerAsync(db, caller, customerId, cancellationToken);
        if (customer is null)
        {
            return (null, null, accessError!.Kind == ErrorKind.Forbidden
                ? new ApiError(ErrorKind.Forbidden, ErrorCodes.NoCommerceRelationship,
                    $"Your organisation has no commerce relationship with customer {customerId}: its Azure subscriptions are managed by the partner that bills it.")
                : accessError);
        }

        var plan = await db.CommerceSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == planId && s.CustomerId == customerId && s.Kind == SkuKind.AzurePlan, cancellationToken);
        var entitlement = plan is null
            ? null
            : await db.AzureEntitlements.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entitlementId && e.SubscriptionId == planId && e.CustomerId == customerId, cancellationToken);
        return entitlement is null ? (null, null, EntitlementNotFound(planId, entitlementId)) : (entitlement, plan, null);
    }

    /// <summary>
    /// One conditional update and its audit record in one transaction, holding the active plan's row
    /// first when <paramref name="holdPlanId"/> is given. Answers the plan's state error if it is no
    /// longer active; Changed is false when the row was no longer in <paramref name="fromStatus"/>
    /// (a concurrent change won).
    /// </summary>
    private async Task<(bool Changed, ApiError? Error)> ChangeAsync(
        AzureEntitlement entitlement, string fromStatus, Guid? holdPlanId, Action<UpdateSettersBuilder<AzureEntitlement>> set,
        AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (holdPlanId is { } planId && await HoldActivePlanAsync(planId, cancellationToken) is { } planError)
        {
            return (false, new ApiError(ErrorKind.Invalid, ErrorCodes.CannotReactivateAzureSubscription, planError.Description, planError.Data));
        }

        var updated = await db.AzureEntitlements.Where(e => e.Id == entitlement.Id && e.Status == fromStatus)
            .ExecuteUpdateAsync(set, cancellationToken);
        if (updated != 1)
        {
            return (false, null);
        }

        await audit.AppendAsync(entry, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (true, null);
    }

    /// <summary>A no-op write to the plan's row while it is active (the row stays held until the transaction ends); its state error otherwise.</summary>
    private async Task<ApiError?> HoldActivePlanAsync(Guid planId, CancellationToken cancellationToken)
    {
        var held = await db.CommerceSubscriptions.Where(s => s.Id == planId && s.Status == "active")
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, "active"), cancellationToken);
        if (held == 1)
        {
            return null;
        }

        var plan = await db.CommerceSubscriptions.AsNoTracking().FirstAsync(s => s.Id == planId, cancellationToken);
        return PlanStateError(plan) ?? PlanNotFound(planId);
    }

    private async Task<Result<AzureEntitlementResource>> CurrentAsync(Guid entitlementId, CancellationToken cancellationToken) =>
        AzureEntitlementResource.From(await db.AzureEntitlements.AsNoTracking().FirstAsync(e => e.Id == entitlementId, cancellationToken));
}
