using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.AzurePlans;
using Paygo.Core.Audit;
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
/// Changes to a subscription (reference §7.2, §7.3): renaming now; suspend and reactivate answer
/// a clear 400 until the subscription lifecycle lands. Optimistic concurrency through the ETag
/// (docs/adr/0016).
/// </summary>
public sealed class SubscriptionUpdates(PaygoDbContext db, AuditTrail audit, OrderQueries queries)
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

        if (statusChange)
        {
            return (null, new ApiError(ErrorKind.Invalid, ErrorCodes.SubscriptionChangeNotAvailable,
                $"Changing a subscription's status (from '{current.Status}' to '{status}': suspend or reactivate) is not available in Paygo yet; only friendlyName can change.",
                [new FieldError("status", "Suspend and reactivate are not available yet.")]));
        }

        if (quantityChange)
        {
            return (null, new ApiError(ErrorKind.Invalid, ErrorCodes.SubscriptionChangeNotAvailable,
                $"Changing a subscription's quantity (from {current.Quantity} to {request.Quantity}) is not available in Paygo yet; only friendlyName can change.",
                [new FieldError("quantity", "Quantity changes are not available yet.")]));
        }

        if (current.Status == "deleted")
        {
            return (null, new ApiError(ErrorKind.Invalid, ErrorCodes.SubscriptionDeleted, $"The subscription {subscriptionId} is deleted and cannot be updated."));
        }

        if (current.Status == "suspended")
        {
            return (null, new ApiError(ErrorKind.Invalid, ErrorCodes.SubscriptionSuspended, $"The subscription {subscriptionId} is suspended: reactivate it before changing it."));
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Conditional on every field the ETag covers: a concurrent change between the read above and
        // this write updates no row, and this request gets the 412 it would have got a moment later.
        var updated = await db.CommerceSubscriptions
            .Where(s => s.Id == current.Id && s.CustomerId == customerId && s.FriendlyName == current.FriendlyName && s.Status == current.Status
                && s.Quantity == current.Quantity && s.AutoRenewEnabled == current.AutoRenewEnabled && s.BillingCycle == current.BillingCycle
                && s.TermDuration == current.TermDuration)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.FriendlyName, name!), cancellationToken);
        if (updated != 1)
        {
            return (null, Stale(subscriptionId));
        }

        await audit.AppendAsync(new AuditEntry("update_subscription", "subscription", AuditEntry.Succeeded, PartnerId: customer.PartnerId, CustomerId: customerId,
            ResourceNewValue: JsonSerializer.Serialize(new { id = current.Id, friendlyName = name, previousFriendlyName = current.FriendlyName }, PaygoJson.Options)),
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        current.FriendlyName = name!;
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
