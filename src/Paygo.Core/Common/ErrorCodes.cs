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
}
