using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Users;

/// <summary>
/// Users of the caller's own organisation (<c>/v1/users</c>), for its Global admins and User
/// management admins, and the MFA compliance report (<c>/v1/mfacompliance</c>). See Users.http.
/// </summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/v1/users").WithTags("Users");
        var read = AuthSetup.Policy(ApiOperation.UsersRead);
        var manage = AuthSetup.Policy(ApiOperation.UsersManage);
        users.MapGet("/", ListUsers).RequireAuthorization(read).WithSummary("Lists the users of your organisation.");
        users.MapPost("/", CreateUser).RequireAuthorization(manage)
            .WithSummary("Creates a user of your organisation; it enrols a second factor at its first sign-in. Idempotent on MS-RequestId.")
            .Produces<UserResource>(StatusCodes.Status201Created);
        users.MapGet("/{userId}", GetUser).RequireAuthorization(read).WithSummary("Gets one user of your organisation.");
        users.MapPost("/{userId}/disable", (string userId, ClaimsPrincipal principal, UserDirectory directory, CancellationToken ct) =>
            ChangeAsync(userId, principal, (caller, id) => directory.SetDisabledAsync(caller, id, disabled: true, ct)))
            .RequireAuthorization(manage).WithSummary("Disables a user: it cannot sign in, and its tokens stop working at once.");
        users.MapPost("/{userId}/enable", (string userId, ClaimsPrincipal principal, UserDirectory directory, CancellationToken ct) =>
            ChangeAsync(userId, principal, (caller, id) => directory.SetDisabledAsync(caller, id, disabled: false, ct)))
            .RequireAuthorization(manage).WithSummary("Re-enables a disabled user.");
        users.MapPost("/{userId}/resetsecondfactor", (string userId, ClaimsPrincipal principal, UserDirectory directory, CancellationToken ct) =>
            ChangeAsync(userId, principal, (caller, id) => directory.ResetSecondFactorAsync(caller, id, ct)))
            .RequireAuthorization(manage).WithSummary("Removes the user's second factor; it must enrol again at its next sign-in.");

        app.MapGet("/v1/mfacompliance", Compliance).RequireAuthorization(read).WithTags("Users")
            .WithSummary("MFA compliance of your organisation (the operator may name a partnerId): every active user must have a second factor.");
        return app;
    }

    internal static async Task<Ok<CollectionPage<UserResource>>> ListUsers(ClaimsPrincipal principal, UserDirectory directory, CancellationToken cancellationToken) =>
        TypedResults.Ok(CollectionPage.Of(await directory.ListAsync(Caller.From(principal), cancellationToken), null));

    internal static async Task<IResult> CreateUser(
        UserCreateRequest request,
        [FromHeader(Name = IdempotentCreates.RequestIdHeader)] string? requestId,
        ClaimsPrincipal principal,
        UserDirectory directory,
        CancellationToken cancellationToken)
    {
        if (IdempotentCreates.ValidateRequestId(requestId) is { } requestIdError)
        {
            return ApiResults.Error(requestIdError);
        }

        return ApiResults.From(await directory.CreateAsync(Caller.From(principal), request, requestId, cancellationToken));
    }

    internal static async Task<Results<Ok<UserResource>, ApiErrorResult>> GetUser(string userId, ClaimsPrincipal principal, UserDirectory directory, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(userId, out var id))
        {
            return ApiResults.Error(ApiError.InvalidField("userId", "The user id is not a GUID."));
        }

        var user = await directory.FindAsync(Caller.From(principal), id, cancellationToken);
        return user is not null ? TypedResults.Ok(user) : ApiResults.Error(ApiError.NotFound($"No user with id {id} in your organisation."));
    }

    internal static async Task<Ok<MfaComplianceReport>> Compliance(Guid? partnerId, ClaimsPrincipal principal, UserDirectory directory, CancellationToken cancellationToken) =>
        TypedResults.Ok(await directory.ComplianceAsync(Caller.From(principal), partnerId, cancellationToken));

    private static async Task<Results<Ok<UserResource>, ApiErrorResult>> ChangeAsync(
        string userId, ClaimsPrincipal principal, Func<Caller, Guid, Task<(UserResource? User, ApiError? Error)>> change)
    {
        if (!Guid.TryParse(userId, out var id))
        {
            return ApiResults.Error(ApiError.InvalidField("userId", "The user id is not a GUID."));
        }

        var (user, error) = await change(Caller.From(principal), id);
        return user is not null ? TypedResults.Ok(user) : ApiResults.Error(error!);
    }
}
