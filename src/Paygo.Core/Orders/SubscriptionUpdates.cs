using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.AzurePlans;
using Paygo.Core.Audit;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;

namespace Paygo.Core.Orders;

/// <summary><c>attributes</c> of a subscription as a client sends it back (the SDK: <c>"Attributes": {"Etag": ..., "ObjectType": "Subscription"}</c>).</summary>
public sealed record SubscriptionPatchAttributes(string? Etag = null, string? ObjectType = null);

/// <summary>
/// Body of <c>PATCH /v1/customers/{c}/subscriptions/{s}</c>. Partner Center's clients send the
/// whole Subscription they read; Paygo reads the fields it acts on and ignores the read-only rest.
/// </summary>
public sealed record SubscriptionPatchRequest(string? FriendlyName = null, string? Status = null, int? Quantity = null, SubscriptionPatchAttributes? Attributes = null);

/// <summary>
/// Changes to a subscription (reference §7.2, §7.3): rename, suspend (<c>status</c> "suspended"),
/// reactivate ("active") and cancel ("deleted"); an Azure plan is suspended or cancelled only when
/// none of its Azure subscriptions is active (900115). Optimistic concurrency through the ETag
/// (docs/adr/0016, 0026).
/// </summary>
public sealed class SubscriptionUpdates(PaygoDbContext db, AuditTrail audit, OrderQueries queries, TimeProvider clock)
{
    public const int FriendlyNameMaxLength = 100;

    /// <summary>Partner Center's subscription states (reference §1.4).</summary>
    public static readonly IReadOnlyList<string> Statuses = ["none", "active", "pending", "suspended", "expired", "disabled", "deleted"];

    public async Task<(SubscriptionResource? Subscription, ApiError? Error)> UpdateAsync(
        Caller caller, Guid customerId, Guid subscriptionId, SubscriptionPatchRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.SubscriptionsWrite);
        ArgumentNullException.ThrowIfNull(request);
        var (customer, _, customerError) = await Carts.TransactingCustomerAsync(db, caller, customerId, cancellationToken);
        if (customer is null)
        {
            return (null, customerError);
        }

        var current = await db.CommerceSubscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == subscriptionId && s.CustomerId == customerId, cancellationToken);
        if (current is null)
        {
            return (null, NotFound(subscriptionId));
        }

        var errors = new List<FieldError>();
        var name = request.FriendlyName?.Trim();
        if (name is not null && (name.Length is 0 or > FriendlyNameMaxLength || name.Any(char.IsControl)))
        {
            errors.Add(new("friendlyName", $"The field 'friendlyName' must be 1 to {FriendlyNameMaxLength} characters without control characters."));
        }

        var status = request.Status?.Trim().ToLowerInvariant();
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            errors.Add(new("status", $"The field 'status' must be one of {string.Join(", ", Statuses)}; '{ErrorText.Quote(request.Status)}' is not."));
        }

        if (errors.Count > 0)
        {
            return (null, ApiError.InvalidFields(errors));
        }

        var rename = name is not null && !string.Equals(name, current.FriendlyName, StringComparison.Ordinal);
        var statusChange = status is not null && !string.Equals(status, current.Status, StringComparison.Ordinal);

        // SDK clients that build a Subscription from scratch send quantity 0: only a real, different count is a change.
        var quantityChange = request.Quantity is > 0 && request.Quantity != current.Quantity;

        // Nothing to change: the answer is the subscription as it is, whatever the ETag says, so a
        // retry of a PATCH that already went through succeeds (RFC 9110 §13.1.1).
        if (!rename && !statusChange && !quantityChange)
        {
            return (await queries.ToResourceAsync(current, cancellationToken), null);
        }

        var expected = ifMatch ?? request.Attributes?.Etag;
        if (expected is not null && !ETags.Matches(expected, current.ETag))
        {
            return (null, Stale(subscriptionId));
        }

        // Reference §7.3: a deleted subscription takes no change at all (2011); a suspended one only
        // its reactivation or its cancellation (800091).
        if (current.Status == "deleted")
        {
            return (null, new ApiError(ErrorKind.Invalid, ErrorCodes.SubscriptionDeleted, $"The subscription {subscriptionId} is deleted and cannot be updated."));
        }

        if (current.Status == "suspended" && !(statusChange && status is "active" or "deleted"))
        {
            return (null, new ApiError(ErrorKind.Invalid, ErrorCodes.SubscriptionSuspended, $"The subscription {subscriptionId} is suspended: reactivate it (status 'active') before changing it."));
        }

        if (quantityChange)
        {
            return (null, new ApiError(ErrorKind.Invalid, ErrorCodes.SubscriptionChangeNotAvailable,
                $"Changing a subscription's quantity (from {current.Quantity} to {request.Quantity}) is not available in Paygo; the Azure plan's quantity is always 1.",
                [new FieldError("quantity", "Quantity changes are not available.")]));
        }

        if (statusChange && status is not ("active" or "suspended" or "deleted"))
        {
            return (null, new ApiError(ErrorKind.Invalid, ErrorCodes.SubscriptionChangeNotAvailable,
                $"A subscription's status changes only to 'suspended', 'active' (reactivate) or 'deleted' (cancel); '{status}' is set by Paygo, not by a PATCH.",
                [new FieldError("status", "Only suspended, active or deleted.")]));
        }

        var newName = rename ? name! : current.FriendlyName;
        var newStatus = statusChange ? status! : current.Status;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Conditional on every field the ETag covers: a concurrent change between the read above and
        // this write updates no row, and this request gets the 412 it would have got a moment later.
        var updated = await db.CommerceSubscriptions
            .Where(s => s.Id == current.Id && s.CustomerId == customerId && s.FriendlyName == current.FriendlyName && s.Status == current.Status
                && s.Quantity == current.Quantity && s.AutoRenewEnabled == current.AutoRenewEnabled && s.BillingCycle == current.BillingCycle
                && s.TermDuration == current.TermDuration)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.FriendlyName, newName).SetProperty(x => x.Status, newStatus), cancellationToken);
        if (updated != 1)
        {
            return (null, Stale(subscriptionId));
        }

        // Reference §7.3: an Azure plan is suspended or cancelled only once none of its Azure
        // subscriptions is active (900115). Checked after the write, which holds the plan's row: an
        // Azure subscription added or reactivated concurrently either committed before (and is seen
        // here) or waits for this transaction and then finds the plan no longer active.
        if (statusChange && newStatus is "suspended" or "deleted" && current.Kind == SkuKind.AzurePlan
            && await db.AzureEntitlements.CountAsync(e => e.SubscriptionId == current.Id && e.Status == "active", cancellationToken) is var active and > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return (null, new ApiError(ErrorKind.Forbidden, ErrorCodes.AzurePlanHasActiveAzureSubscriptions,
                $"The Azure plan can't be moved to {(newStatus == "deleted" ? "deleted" : "suspended")} state since you have {active} Azure subscription(s) in the active state: cancel them first.",
                [new FieldError("status", $"{active} active Azure subscription(s).")]));
        }

        var operation = !statusChange ? "update_subscription" : newStatus switch
        {
            "suspended" => "suspend_subscription",
            "deleted" => "cancel_subscription",
            _ => "reactivate_subscription",
        };
        await audit.AppendAsync(new AuditEntry(operation, "subscription", AuditEntry.Succeeded, PartnerId: customer.PartnerId, CustomerId: customerId,
            ResourceNewValue: JsonSerializer.Serialize(new
            {
                id = current.Id,
                friendlyName = newName,
                previousFriendlyName = current.FriendlyName,
                status = newStatus,
                previousStatus = current.Status,
                at = clock.GetUtcNow(),
            }, PaygoJson.Options)),
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        current.FriendlyName = newName;
        current.Status = newStatus;
        return (await queries.ToResourceAsync(current, cancellationToken), null);
    }

    public static ApiError NotFound(Guid subscriptionId) =>
        new(ErrorKind.NotFound, ErrorCodes.SubscriptionNotFound, $"No subscription with id {subscriptionId} for this customer.");

    private static ApiError Stale(Guid subscriptionId) =>
        new(ErrorKind.PreconditionFailed, ErrorCodes.PreconditionFailed,
            $"The subscription {subscriptionId} has changed since the ETag you sent was read: GET it again and apply your change to what it is now.",
            [new FieldError("If-Match", "Stale ETag.")]);
}

/// <summary>Reading <c>If-Match</c> as clients send it: quoted or not, weak or strong, a list, or <c>*</c>.</summary>
public static class ETags
{
    /// <summary>The header value of an ETag: quoted, as RFC 9110 writes it.</summary>
    public static string Header(string etag) => $"\"{etag}\"";

    public static bool Matches(string ifMatch, string current)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        foreach (var part in ifMatch.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var tag = part.StartsWith("W/", StringComparison.Ordinal) ? part[2..] : part;
            if (tag == "*" || string.Equals(tag.Trim('"'), current, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
