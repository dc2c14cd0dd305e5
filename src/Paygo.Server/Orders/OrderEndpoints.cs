using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Common;
using Paygo.Core.AzurePlans;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Orders;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Orders;

/// <summary>
/// Buying for a customer (DOMAIN.md §3, reference §1.11, §8.2): carts, checkout, orders, and the
/// subscriptions and Azure entitlements orders create. See Orders.http.
/// </summary>
public static class OrderEndpoints
{
    public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder app)
    {
        var customer = app.MapGroup("/v1/customers/{customerId}").WithTags("Orders");
        customer.MapPost("/carts", CreateCart).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersWrite))
            .WithName("CreateCart").WithSummary("Creates a cart, e.g. with the Azure plan DZH318Z0BPS6:0001:DZH318Z0BML6. Idempotent on MS-RequestId.")
            .Produces<CartResource>(StatusCodes.Status201Created);
        customer.MapPut("/carts/{cartId}", ReplaceCart).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersWrite))
            .WithName("UpdateCart").WithSummary("Replaces the line items of an active cart.");
        customer.MapGet("/carts/{cartId}", GetCart).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersRead)).WithName("GetCart");
        customer.MapPost("/carts/{cartId}/checkout", CheckoutCart).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersWrite))
            .WithName("CheckoutCart").WithSummary("Checks a cart out: 403 code 13605 without an MCA on record. Idempotent on MS-RequestId.")
            .Produces<CartCheckoutResult>(StatusCodes.Status201Created);
        customer.MapGet("/orders", ListOrders).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersRead)).WithName("ListOrders");
        customer.MapGet("/orders/{orderId}", GetOrder).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersRead)).WithName("GetOrder");
        customer.MapGet("/orders/{orderId}/provisioningstatus", GetProvisioningStatus).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersRead))
            .WithName("GetOrderProvisioningStatus");
        customer.MapGet("/subscriptions", ListSubscriptions).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersRead))
            .WithName("ListSubscriptions").WithSummary("The customer's subscriptions; order_id filters by order.");

        // Literal segments next to {subscriptionId}: routing ranks a literal above a parameter, so
        // "usagerecords" (served by RatedUsage, docs/adr/0033) reaches its own route and is never read
        // as a malformed id; a segment that is neither a served literal nor a GUID is 400 naming the id (docs/adr/0016).
        customer.MapGet("/subscriptions/{subscriptionId}", GetSubscription).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersRead))
            .WithName("GetSubscription").WithSummary("One subscription, with its ETag in the ETag header and attributes.etag.");
        customer.MapPatch("/subscriptions/{subscriptionId}", UpdateSubscription).RequireAuthorization(AuthSetup.Policy(ApiOperation.SubscriptionsWrite))
            .WithName("UpdateSubscription")
            .WithSummary("Renames, suspends (status suspended; 403 900115 while an Azure subscription is active), reactivates (active) or cancels (deleted) a subscription from the full Subscription body; If-Match with a stale ETag is 412.");
        customer.MapGet("/subscriptions/{subscriptionId}/azureEntitlements", ListEntitlements).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersRead))
            .WithName("ListAzureEntitlements").WithSummary("The Azure subscriptions under an Azure plan.");
        customer.MapGet("/subscriptions/{subscriptionId}/azureEntitlements/{entitlementId}", GetEntitlement).RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersRead))
            .WithName("GetAzureEntitlement");

        // The Azure subscription lifecycle (reference §7.1, §7.4; docs/adr/0026).
        customer.MapPost("/subscriptions/{subscriptionId}/azureEntitlements", AddEntitlement).RequireAuthorization(AuthSetup.Policy(ApiOperation.AzureSubscriptionsWrite))
            .WithName("AddAzureEntitlement")
            .WithSummary("Adds an Azure subscription to an active Azure plan ({\"friendlyName\": ...}); its partner's AdminAgents become Owner (AOBO). Idempotent on MS-RequestId.")
            .Produces<AzureEntitlementResource>(StatusCodes.Status201Created);
        customer.MapPost("/subscriptions/{subscriptionId}/azureEntitlements/{entitlementId}/cancel", CancelEntitlement)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.AzureSubscriptionsCancel))
            .WithName("CancelAzureEntitlement")
            .WithSummary("Cancels an Azure subscription ({\"cancellationReason\": \"compromise\"|\"other\"}): active → inactive. Global admin who is also Admin agent, else 403 900335.")
            .Produces<AzureEntitlementResource>();
        customer.MapPost("/subscriptions/{subscriptionId}/azureEntitlements/{entitlementId}/reactivate", ReactivateEntitlement)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.AzureSubscriptionsCancel))
            .WithName("ReactivateAzureEntitlement")
            .WithSummary("Reactivates a cancelled Azure subscription while its plan is active: 202. Global admin who is also Admin agent, else 403 900335.")
            .Produces<AzureEntitlementResource>(StatusCodes.Status202Accepted);
        return app;
    }

    internal static async Task<IResult> CreateCart(
        string customerId, CartRequest request, [FromHeader(Name = IdempotentCreates.RequestIdHeader)] string? requestId,
        ClaimsPrincipal principal, Carts carts, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var id) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        if (IdempotentCreates.ValidateRequestId(requestId) is { } requestIdError)
        {
            return ApiResults.Error(requestIdError);
        }

        return ApiResults.From(await carts.CreateAsync(Caller.From(principal), id, request, requestId, cancellationToken));
    }

    internal static async Task<IResult> ReplaceCart(string customerId, string cartId, CartRequest request, ClaimsPrincipal principal, Carts carts, CancellationToken cancellationToken)
    {
        if (ParseIds(customerId, cartId, "cartId", out var customer, out var cart) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        var (resource, error) = await carts.ReplaceAsync(Caller.From(principal), customer, cart, request, cancellationToken);
        return resource is not null ? TypedResults.Ok(resource) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> GetCart(string customerId, string cartId, ClaimsPrincipal principal, Carts carts, CancellationToken cancellationToken)
    {
        if (ParseIds(customerId, cartId, "cartId", out var customer, out var cart) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        var resource = await carts.FindAsync(Caller.From(principal), customer, cart, cancellationToken);
        return resource is not null ? TypedResults.Ok(resource) : ApiResults.Error(Carts.CartNotFound(cart));
    }

    internal static async Task<IResult> CheckoutCart(
        string customerId, string cartId, [FromHeader(Name = IdempotentCreates.RequestIdHeader)] string? requestId,
        ClaimsPrincipal principal, Checkout checkout, CancellationToken cancellationToken)
    {
        if (ParseIds(customerId, cartId, "cartId", out var customer, out var cart) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        if (IdempotentCreates.ValidateRequestId(requestId) is { } requestIdError)
        {
            return ApiResults.Error(requestIdError);
        }

        return ApiResults.From(await checkout.CheckoutAsync(Caller.From(principal), customer, cart, requestId, cancellationToken));
    }

    internal static async Task<IResult> ListOrders(string customerId, ClaimsPrincipal principal, OrderQueries orders, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var customer) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        var list = await orders.ListOrdersAsync(Caller.From(principal), customer, cancellationToken);
        return list is not null ? TypedResults.Ok(CollectionPage.Of(list, null)) : ApiResults.Error(CustomerVisibility.NotFound(customer));
    }

    internal static async Task<IResult> GetOrder(string customerId, string orderId, ClaimsPrincipal principal, OrderQueries orders, CancellationToken cancellationToken)
    {
        var (customer, order, error) = await ChildAsync(customerId, orderId, "orderId", principal, orders, cancellationToken);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }

        var resource = await orders.FindOrderAsync(Caller.From(principal), customer, order, cancellationToken);
        return resource is not null ? TypedResults.Ok(resource) : ApiResults.Error(OrderNotFound(order));
    }

    internal static async Task<IResult> GetProvisioningStatus(string customerId, string orderId, ClaimsPrincipal principal, OrderQueries orders, CancellationToken cancellationToken)
    {
        var (customer, order, error) = await ChildAsync(customerId, orderId, "orderId", principal, orders, cancellationToken);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }

        var statuses = await orders.ProvisioningStatusAsync(Caller.From(principal), customer, order, cancellationToken);
        return statuses is not null ? TypedResults.Ok(CollectionPage.Of(statuses, null)) : ApiResults.Error(OrderNotFound(order));
    }

    internal static async Task<IResult> ListSubscriptions(
        string customerId, [FromQuery(Name = "order_id")] string? orderId, ClaimsPrincipal principal, OrderQueries orders, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var customer) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        Guid? order = null;
        if (orderId is not null)
        {
            if (!Guid.TryParse(orderId, out var parsed))
            {
                return ApiResults.Error(ApiError.InvalidField("order_id", $"The query parameter 'order_id' must be an order id (a GUID); '{ErrorText.Quote(orderId)}' is not."));
            }

            order = parsed;
        }

        var list = await orders.ListSubscriptionsAsync(Caller.From(principal), customer, order, cancellationToken);
        return list is not null ? TypedResults.Ok(CollectionPage.Of(list, null)) : ApiResults.Error(CustomerVisibility.NotFound(customer));
    }

    internal static async Task<IResult> GetSubscription(
        string customerId, string subscriptionId, ClaimsPrincipal principal, HttpResponse response, OrderQueries orders, CancellationToken cancellationToken)
    {
        var (customer, subscription, error) = await ChildAsync(customerId, subscriptionId, "subscriptionId", principal, orders, cancellationToken);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }

        var resource = await orders.FindSubscriptionAsync(Caller.From(principal), customer, subscription, cancellationToken);
        return resource is not null ? WithETag(response, resource) : ApiResults.Error(SubscriptionNotFound(subscription));
    }

    internal static async Task<IResult> UpdateSubscription(
        string customerId, string subscriptionId, SubscriptionPatchRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal principal, HttpResponse response, SubscriptionUpdates updates, CancellationToken cancellationToken)
    {
        if (ParseIds(customerId, subscriptionId, "subscriptionId", out var customer, out var subscription) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        // An empty If-Match is no precondition at all (some clients send the header with nothing in it).
        var precondition = string.IsNullOrWhiteSpace(ifMatch) ? null : ifMatch;
        var (resource, error) = await updates.UpdateAsync(Caller.From(principal), customer, subscription, request, precondition, cancellationToken);
        return resource is not null ? WithETag(response, resource) : ApiResults.Error(error!);
    }

    private static Ok<SubscriptionResource> WithETag(HttpResponse response, SubscriptionResource resource)
    {
        response.Headers.ETag = ETags.Header(resource.Attributes.Etag!);
        return TypedResults.Ok(resource);
    }

    internal static async Task<IResult> ListEntitlements(string customerId, string subscriptionId, ClaimsPrincipal principal, OrderQueries orders, CancellationToken cancellationToken)
    {
        var (customer, subscription, error) = await ChildAsync(customerId, subscriptionId, "subscriptionId", principal, orders, cancellationToken);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }

        var entitlements = await orders.ListEntitlementsAsync(Caller.From(principal), customer, subscription, cancellationToken);
        return entitlements is not null ? TypedResults.Ok(CollectionPage.Of(entitlements, null)) : ApiResults.Error(SubscriptionNotFound(subscription));
    }

    internal static async Task<IResult> GetEntitlement(
        string customerId, string subscriptionId, string entitlementId, ClaimsPrincipal principal, OrderQueries orders, CancellationToken cancellationToken)
    {
        var (customer, subscription, error) = await ChildAsync(customerId, subscriptionId, "subscriptionId", principal, orders, cancellationToken);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }

        if (!Guid.TryParse(entitlementId, out var entitlement))
        {
            return ApiResults.Error(new ApiError(ErrorKind.Invalid, 800011, $"'{ErrorText.Quote(entitlementId)}' is not a valid Azure subscription id.", [new FieldError("entitlementId", "Not a GUID.")]));
        }

        var resource = await orders.FindEntitlementAsync(Caller.From(principal), customer, subscription, entitlement, cancellationToken);
        return resource is not null
            ? TypedResults.Ok(resource)
            : ApiResults.Error(new ApiError(ErrorKind.NotFound, ErrorCodes.EntitlementNotFound, $"No Azure subscription {entitlement} under subscription {subscription}."));
    }

    internal static async Task<IResult> AddEntitlement(
        string customerId, string subscriptionId, AzureSubscriptionCreateRequest? request, [FromHeader(Name = IdempotentCreates.RequestIdHeader)] string? requestId,
        ClaimsPrincipal principal, AzureSubscriptions azure, CancellationToken cancellationToken)
    {
        if (ParseLifecycleIds(customerId, subscriptionId, null, out var customer, out var plan, out _) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        if (IdempotentCreates.ValidateRequestId(requestId) is { } requestIdError)
        {
            return ApiResults.Error(requestIdError);
        }

        return ApiResults.From(await azure.AddAsync(Caller.From(principal), customer, plan, request, requestId, cancellationToken));
    }

    internal static async Task<IResult> CancelEntitlement(
        string customerId, string subscriptionId, string entitlementId, AzureSubscriptionCancelRequest? request,
        ClaimsPrincipal principal, AzureSubscriptions azure, CancellationToken cancellationToken)
    {
        if (ParseLifecycleIds(customerId, subscriptionId, entitlementId, out var customer, out var plan, out var entitlement) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        var (resource, error) = await azure.CancelAsync(Caller.From(principal), customer, plan, entitlement, request, cancellationToken);
        return resource is not null ? TypedResults.Ok(resource) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> ReactivateEntitlement(
        string customerId, string subscriptionId, string entitlementId, ClaimsPrincipal principal, AzureSubscriptions azure, CancellationToken cancellationToken)
    {
        if (ParseLifecycleIds(customerId, subscriptionId, entitlementId, out var customer, out var plan, out var entitlement) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        // Partner Center answers 202 Accepted: in Azure the reactivation completes a few minutes later; Paygo's is done already.
        var (resource, error) = await azure.ReactivateAsync(Caller.From(principal), customer, plan, entitlement, cancellationToken);
        return resource is not null ? TypedResults.Accepted(resource.Links.Self.Uri, resource) : ApiResults.Error(error!);
    }

    /// <summary>The ids of the lifecycle routes as reference §7.4 reads them: a bad customer id is 900118, a bad subscription or entitlement id 800002.</summary>
    private static ApiError? ParseLifecycleIds(string customerText, string planText, string? entitlementText, out Guid customer, out Guid plan, out Guid entitlement)
    {
        plan = Guid.Empty;
        entitlement = Guid.Empty;
        if (CustomerVisibility.ParseId(customerText, out customer) is { } idError)
        {
            return idError;
        }

        if (!Guid.TryParse(planText, out plan))
        {
            return new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidRequestInput, $"The subscription id '{ErrorText.Quote(planText)}' is not valid: it must be the Azure plan's id (a GUID).",
                [new FieldError("subscriptionId", "Not a GUID.")]);
        }

        if (entitlementText is not null && !Guid.TryParse(entitlementText, out entitlement))
        {
            return new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidRequestInput, $"The entitlement id '{ErrorText.Quote(entitlementText)}' is not valid: it must be the Azure subscription's id (a GUID).",
                [new FieldError("entitlementId", "Not a GUID.")]);
        }

        return null;
    }

    private static ApiError? ParseIds(string customerText, string childText, string childField, out Guid customer, out Guid child)
    {
        child = Guid.Empty;
        if (CustomerVisibility.ParseId(customerText, out customer) is { } idError)
        {
            return idError;
        }

        return Guid.TryParse(childText, out child)
            ? null
            : ApiError.InvalidField(childField, $"The {childField} '{ErrorText.Quote(childText)}' is not a GUID.");
    }

    private static async Task<(Guid Customer, ApiError? Error)> VisibleCustomerAsync(string customerText, ClaimsPrincipal principal, OrderQueries orders, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerText, out var customer) is { } idError)
        {
            return (customer, idError);
        }

        return await orders.CanSeeCustomerAsync(Caller.From(principal), customer, cancellationToken)
            ? (customer, null)
            : (customer, CustomerVisibility.NotFound(customer));
    }

    private static async Task<(Guid Customer, Guid Child, ApiError? Error)> ChildAsync(
        string customerText, string childText, string childField, ClaimsPrincipal principal, OrderQueries orders, CancellationToken cancellationToken)
    {
        if (ParseIds(customerText, childText, childField, out var customer, out var child) is { } idError)
        {
            return (customer, child, idError);
        }

        return await orders.CanSeeCustomerAsync(Caller.From(principal), customer, cancellationToken)
            ? (customer, child, null)
            : (customer, child, CustomerVisibility.NotFound(customer));
    }

    private static ApiError OrderNotFound(Guid orderId) => new(ErrorKind.NotFound, ErrorCodes.OrderNotFound, $"No order with id {orderId} for this customer.");

    private static ApiError SubscriptionNotFound(Guid subscriptionId) =>
        new(ErrorKind.NotFound, ErrorCodes.SubscriptionNotFound, $"No subscription with id {subscriptionId} for this customer.");
}
