using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;

namespace Paygo.Core.Notifications;

/// <summary>A notification as the API and the dashboard show it.</summary>
public sealed record NotificationResource(
    Guid Id,
    Guid PartnerId,
    Guid? CustomerId,
    string? CustomerName,
    string Kind,
    DateTimeOffset CreatedAt,
    string Subject,
    string Body,
    IReadOnlyList<string> Recipients,
    string SentThrough,
    string Status,
    string? Error,
    DateTimeOffset? DeliveredAt,
    ResourceAttributes Attributes);

/// <summary>The notifications of the caller's organisation, newest first (the operator reads every partner's).</summary>
public sealed class NotificationQueries(PaygoDbContext db)
{
    public const int DefaultSize = 100;
    public const int MaxSize = 1000;

    public async Task<Result<CollectionPage<NotificationResource>>> ListAsync(Caller caller, int? size, int? offset, Guid? customerId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.NotificationsRead);
        var take = size ?? DefaultSize;
        if (take is < 1 or > MaxSize)
        {
            return ApiError.InvalidField("size", $"The page size 'size' must be between 1 and {MaxSize}; it was {take}.");
        }

        var skip = offset ?? 0;
        if (skip < 0)
        {
            return ApiError.InvalidField("offset", $"The field 'offset' must be 0 or more; it was {skip}.");
        }

        var query = db.Notifications.AsNoTracking();
        if (!caller.IsOperator)
        {
            query = query.Where(n => n.PartnerId == caller.PartnerId);
        }

        if (customerId is { } customer)
        {
            query = query.Where(n => n.CustomerId == customer);
        }

        // One more than the page tells whether a next page exists without counting the table.
        var rows = await query.OrderByDescending(n => n.CreatedAt).ThenBy(n => n.Id).Skip(skip).Take(take + 1).ToListAsync(cancellationToken);
        var more = rows.Count > take;
        var page = rows.Take(take).ToList();
        var customerIds = page.Where(n => n.CustomerId is not null).Select(n => n.CustomerId!.Value).Distinct().ToList();
        var names = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CompanyName, cancellationToken);
        var items = page.Select(n => new NotificationResource(
            n.Id, n.PartnerId, n.CustomerId, n.CustomerId is { } c && names.TryGetValue(c, out var name) ? name : null, n.Kind, n.CreatedAt, n.Subject, n.Body,
            n.Recipients.Length == 0 ? [] : n.Recipients.Split(','), n.SentThrough, n.Status, n.Error, n.DeliveredAt, new ResourceAttributes("Notification"))).ToList();
        var next = more
            ? new Link($"/v1/notifications?size={take}&offset={skip + take}{(customerId is { } f ? "&customerId=" + f : string.Empty)}", "GET", [])
            : null;
        return CollectionPage.Of<NotificationResource>(items, next);
    }
}
