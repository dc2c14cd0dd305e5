using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Paygo.Core.Common;
using Paygo.Server.Api;

namespace Paygo.Server.Identity;

/// <summary>
/// Failed authorization on the API gets Partner Center's error body: 401 with
/// <c>WWW-Authenticate</c> for a missing, invalid or revoked token and for a user token without
/// MFA (exactly as DOMAIN.md §2 words it), 403 for a role that may not. The dashboard keeps the
/// cookie handler's redirects.
/// </summary>
internal sealed class ApiAuthorizationResultHandler(AuthorizationMiddlewareResultHandler fallback) : IAuthorizationMiddlewareResultHandler
{
    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || !IsApi(context.Request.Path))
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var reasons = authorizeResult.AuthorizationFailure?.FailureReasons.Select(r => r.Message).ToHashSet() ?? [];
        if (reasons.Contains(PermissionHandler.MfaRequired))
        {
            await UnauthorizedAsync(context, "Bearer error=\"invalid_token\", error_description=\"MFA required\"", "MFA required: sign in with a password and a second factor.");
        }
        else if (reasons.Contains(PermissionHandler.Revoked))
        {
            await UnauthorizedAsync(context, "Bearer error=\"invalid_token\", error_description=\"The token's user or app credential is disabled or revoked\"", "The token's user or app credential is disabled or revoked.");
        }
        else if (authorizeResult.Challenged || context.User.Identity?.IsAuthenticated != true)
        {
            var hasToken = context.Request.Headers.Authorization.Count > 0;
            await UnauthorizedAsync(
                context,
                hasToken ? "Bearer error=\"invalid_token\"" : "Bearer",
                hasToken ? "The bearer token is not valid or has expired." : "A bearer token is required: sign in at /connect/token.");
        }
        else
        {
            await ErrorWriter.WriteAsync(context, new ApiError(ErrorKind.Forbidden, ErrorCodes.Forbidden, "Your roles do not allow this operation."));
        }
    }

    internal static bool IsApi(PathString path) =>
        path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/v1.0", StringComparison.OrdinalIgnoreCase);

    private static Task UnauthorizedAsync(HttpContext context, string challenge, string description)
    {
        context.Response.Headers.WWWAuthenticate = challenge;
        return ErrorWriter.WriteAsync(context, new ApiError(ErrorKind.Unauthenticated, ErrorCodes.Unauthorized, description));
    }
}
