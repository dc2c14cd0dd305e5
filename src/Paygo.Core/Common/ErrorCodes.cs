namespace Paygo.Core.Common;

/// <summary>
/// Error codes of the error body. Partner Center's own codes where it has one (reference §8.5);
/// Paygo's own codes live in the 990000 range so they never collide with Microsoft's (docs/adr/0004).
/// </summary>
public static class ErrorCodes
{
    /// <summary>NotFound: the resource does not exist (or belongs to someone else).</summary>
    public const int NotFound = 1000;

    /// <summary>Invalid: one or more fields are invalid; <c>data</c> names each field.</summary>
    public const int InvalidProperty = 3000;

    /// <summary>Invalid: the request cannot be read at all (malformed JSON, bad header, bad token).</summary>
    public const int InvalidRequestInput = 800002;

    /// <summary>Server only (its WireError): an unexpected failure; the body never carries internals.</summary>
    public const int UnexpectedServiceError = 800003;

    /// <summary>Unauthenticated: no valid token, a revoked one, or a user token without MFA.</summary>
    public const int Unauthorized = 990401;

    /// <summary>Forbidden: the caller's roles or scopes do not allow the operation.</summary>
    public const int Forbidden = 990403;

    /// <summary>Forbidden: the partner has users without a second factor and cannot transact (security requirements).</summary>
    public const int SecurityRequirementsNotMet = 990432;

    /// <summary>Forbidden: the caller's kind of partner cannot do this (an indirect reseller adding customers, confirming an MCA or buying).</summary>
    public const int PartnerTypeNotAllowed = 990433;

    /// <summary>Conflict: the change would leave the caller without access (disabling oneself).</summary>
    public const int CannotChangeOwnAccess = 990411;

    /// <summary>Server only (its WireError): the route exists but not for this HTTP method.</summary>
    public const int MethodNotAllowed = 990405;

    /// <summary>Server only (its WireError): the client accepts no representation Paygo can give.</summary>
    public const int NotAcceptable = 990406;

    /// <summary>Conflict: an <c>MS-RequestId</c> seen before arrived with another request body or operation.</summary>
    public const int RequestIdReused = 990409;

    /// <summary>Conflict: the resource already exists (same key).</summary>
    public const int AlreadyExists = 990410;

    /// <summary>Server only (its WireError): the request body is larger than Paygo accepts.</summary>
    public const int PayloadTooLarge = 990413;

    /// <summary>Server only (its WireError): the request body is not JSON.</summary>
    public const int UnsupportedMediaType = 990415;

    /// <summary>Server only (its WireError): over the rate limit; <c>Retry-After</c> says when to come back.</summary>
    public const int TooManyRequests = 990429;

    /// <summary>Unavailable: the service (usually its database) is not available.</summary>
    public const int ServiceUnavailable = 990503;

    /// <summary>Invalid: a catalog item id that does not exist (Partner Center's invalid offer id).</summary>
    public const int InvalidOffer = 800004;

    /// <summary>NotFound: no cart with that id for this customer.</summary>
    public const int CartNotFound = 800008;

    /// <summary>Invalid: the offer is not sold in the customer's country/region.</summary>
    public const int OfferNotAvailableInCountry = 800070;

    /// <summary>NotFound: no order with that id for this customer.</summary>
    public const int OrderNotFound = 20000;

    /// <summary>NotFound: no subscription with that id for this customer.</summary>
    public const int SubscriptionNotFound = 20003;

    /// <summary>NotFound: no Azure subscription (entitlement) with that id under the plan.</summary>
    public const int EntitlementNotFound = 800111;

    /// <summary>Conflict: the customer already has an Azure plan for this reseller of record (one plan per customer).</summary>
    public const int AzurePlanAlreadyExists = 990421;

    /// <summary>Conflict: the customer has an active legacy Microsoft Azure (MS-AZR-0145P) subscription: transition instead of buying the plan.</summary>
    public const int LegacyAzureBlocksPlan = 990422;

    /// <summary>Conflict: the customer has an Azure plan, so the legacy Microsoft Azure offer cannot be bought.</summary>
    public const int PlanBlocksLegacyAzure = 990423;

    /// <summary>Conflict: the cart was already checked out.</summary>
    public const int CartAlreadyOrdered = 990424;

    /// <summary>Invalid: the cart expired (carts live 7 days).</summary>
    public const int CartExpired = 990425;

    /// <summary>PreconditionFailed: the <c>If-Match</c> ETag (or <c>attributes.etag</c>) names a state of the resource that has changed since.</summary>
    public const int PreconditionFailed = 990412;

    /// <summary>Invalid: the subscription change asked for (suspend, reactivate, quantity) is not available in Paygo yet.</summary>
    public const int SubscriptionChangeNotAvailable = 990426;

    /// <summary>Invalid: a suspended subscription can only be reactivated (Partner Center's 800091).</summary>
    public const int SubscriptionSuspended = 800091;

    /// <summary>Invalid: a deleted subscription cannot be updated (Partner Center's 2011).</summary>
    public const int SubscriptionDeleted = 2011;

    // subs: the Azure subscription lifecycle (reference §7.3, §7.4, §8.5).

    /// <summary>Forbidden: an Azure plan with an active Azure subscription cannot be suspended or cancelled (Partner Center's 900115).</summary>
    public const int AzurePlanHasActiveAzureSubscriptions = 900115;

    /// <summary>Forbidden: the caller's partner has no commerce relationship with the customer (Partner Center's 900159).</summary>
    public const int NoCommerceRelationship = 900159;

    /// <summary>Invalid: the cancellation reason is missing or not <c>compromise</c> or <c>other</c> (Partner Center's 900307).</summary>
    public const int InvalidCancellationReason = 900307;

    /// <summary>Forbidden: only a Global admin who is also an Admin agent cancels or reactivates an Azure subscription (Partner Center's 900335).</summary>
    public const int AzureSubscriptionPermissionDenied = 900335;

    /// <summary>Invalid: the Azure subscription cannot be reactivated (plan not active, or deleted 90 days after cancellation; Partner Center's 900337).</summary>
    public const int CannotReactivateAzureSubscription = 900337;
}
