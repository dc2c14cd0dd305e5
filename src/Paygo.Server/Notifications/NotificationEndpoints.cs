using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Notifications;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Notifications;

/// <summary>The notifications sent to the caller's organisation (a Paygo extension; docs/adr/0034). See Notifications.http.</summary>
public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/notifications", ListNotifications).RequireAuthorization(AuthSetup.Policy(ApiOperation.NotificationsRead))
            .WithTags("Notifications").WithName("ListNotifications")
            .WithSummary("The notifications sent to the caller's organisation, newest first (size 1..1000, default 100; offset; customerId filters by customer).")
            .Produces<CollectionPage<NotificationResource>>();
        return app;
    }

    internal static async Task<IResult> ListNotifications(
        [FromQuery(Name = "size")] int? size, [FromQuery(Name = "offset")] int? offset, [FromQuery(Name = "customerId")] string? customerId,
        ClaimsPrincipal principal, NotificationQueries notifications, CancellationToken cancellationToken)
    {
        Guid? customer = null;
        if (!string.IsNullOrEmpty(customerId))
        {
            if (!Guid.TryParse(customerId, out var parsed))
            {
                return ApiResults.Error(ApiError.InvalidField("customerId", $"The query parameter 'customerId' must be a customer's tenant id (a GUID); '{ErrorText.Quote(customerId)}' is not."));
            }

            customer = parsed;
        }

        var (page, error) = await notifications.ListAsync(Caller.From(principal), size, offset, customer, cancellationToken);
        return page is not null ? TypedResults.Ok(page) : ApiResults.Error(error!);
    }
}
