namespace Paygo.Core.Common;

/// <summary>
/// Error codes of the error body. Partner Center's own codes where it has one (reference §8.5);
/// Paygo's own codes live in the 990000 range so they never collide with Microsoft's (docs/adr/0004).
/// </summary>
public static class ErrorCodes
{
    /// <summary>404: the resource does not exist (or belongs to someone else).</summary>
    public const int NotFound = 1000;

    /// <summary>400: one or more fields are invalid; <c>data</c> names each field.</summary>
    public const int InvalidProperty = 3000;

    /// <summary>400: the request cannot be read at all (malformed JSON, bad header, bad token).</summary>
    public const int InvalidRequestInput = 800002;

    /// <summary>500: an unexpected failure; the body never carries internals.</summary>
    public const int UnexpectedServiceError = 800003;

    /// <summary>401: no valid token, a revoked one, or a user token without MFA.</summary>
    public const int Unauthorized = 990401;

    /// <summary>403: the caller's roles or scopes do not allow the operation.</summary>
    public const int Forbidden = 990403;

    /// <summary>403: the partner has users without a second factor and cannot transact (security requirements).</summary>
    public const int SecurityRequirementsNotMet = 990432;

    /// <summary>403: the caller's kind of partner cannot do this (an indirect reseller adding customers, confirming an MCA or buying).</summary>
    public const int PartnerTypeNotAllowed = 990433;

    /// <summary>409: the change would leave the caller without access (disabling oneself).</summary>
    public const int CannotChangeOwnAccess = 990411;

    /// <summary>405: the route exists but not for this HTTP method.</summary>
    public const int MethodNotAllowed = 990405;

    /// <summary>406: the client accepts no representation Paygo can give.</summary>
    public const int NotAcceptable = 990406;

    /// <summary>409: an <c>MS-RequestId</c> seen before arrived with another request body or operation.</summary>
    public const int RequestIdReused = 990409;

    /// <summary>409: the resource already exists (same key).</summary>
    public const int AlreadyExists = 990410;

    /// <summary>413: the request body is larger than Paygo accepts.</summary>
    public const int PayloadTooLarge = 990413;

    /// <summary>415: the request body is not JSON.</summary>
    public const int UnsupportedMediaType = 990415;

    /// <summary>429: over the rate limit; <c>Retry-After</c> says when to come back.</summary>
    public const int TooManyRequests = 990429;

    /// <summary>503: the service (usually its database) is not available.</summary>
    public const int ServiceUnavailable = 990503;

    /// <summary>400: a catalog item id that does not exist (Partner Center's invalid offer id).</summary>
    public const int InvalidOffer = 800004;

    /// <summary>404: no cart with that id for this customer.</summary>
    public const int CartNotFound = 800008;

    /// <summary>400: the offer is not sold in the customer's country/region.</summary>
    public const int OfferNotAvailableInCountry = 800070;

    /// <summary>404: no order with that id for this customer.</summary>
    public const int OrderNotFound = 20000;

    /// <summary>404: no subscription with that id for this customer.</summary>
    public const int SubscriptionNotFound = 20003;

    /// <summary>404: no Azure subscription (entitlement) with that id under the plan.</summary>
    public const int EntitlementNotFound = 800111;

    /// <summary>409: the customer already has an Azure plan for this reseller of record (one plan per customer).</summary>
    public const int AzurePlanAlreadyExists = 990421;

    /// <summary>409: the customer has an active legacy Microsoft Azure (MS-AZR-0145P) subscription: transition instead of buying the plan.</summary>
    public const int LegacyAzureBlocksPlan = 990422;

    /// <summary>409: the customer has an Azure plan, so the legacy Microsoft Azure offer cannot be bought.</summary>
    public const int PlanBlocksLegacyAzure = 990423;

    /// <summary>409: the cart was already checked out.</summary>
    public const int CartAlreadyOrdered = 990424;

    /// <summary>400: the cart expired (carts live 7 days).</summary>
    public const int CartExpired = 990425;

    /// <summary>412: the <c>If-Match</c> ETag (or <c>attributes.etag</c>) names a state of the resource that has changed since.</summary>
    public const int PreconditionFailed = 990412;

    /// <summary>400: the subscription change asked for (suspend, reactivate, quantity) is not available in Paygo yet.</summary>
    public const int SubscriptionChangeNotAvailable = 990426;

    /// <summary>400: a suspended subscription can only be reactivated (Partner Center's 800091).</summary>
    public const int SubscriptionSuspended = 800091;

    /// <summary>400: a deleted subscription cannot be updated (Partner Center's 2011).</summary>
    public const int SubscriptionDeleted = 2011;
}
