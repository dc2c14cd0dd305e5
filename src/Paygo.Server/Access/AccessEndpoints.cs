using System.Security.Claims;
using Paygo.Core.Access;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Access;

/// <summary>
/// The access store over HTTP (DOMAIN.md §4, §10; docs/adr/0027): the access CSV in bulk under
/// <c>/v1/access/assignments</c> (import, export), a customer's records under
/// <c>/v1/customers/{customerId}/access/assignments</c> (list, get, create, end, correct) and the
/// role definitions under <c>/v1/access/roleDefinitions</c>. See Access.http.
/// </summary>
public static class AccessEndpoints
{
    private const string Csv = "text/csv";

    // An access file is read whole; 64 MiB is some 300,000 rows, more than any customer's RBAC history.
    private static readonly UploadLimit AccessFileLimit = new(64L << 20);

    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder app)
    {
        var access = app.MapGroup("/v1/access").WithTags("Access");
        access.MapPost("/assignments", Import).RequireAuthorization(AuthSetup.Policy(ApiOperation.AccessWrite))
            .WithMetadata(AccessFileLimit).DisableAntiforgery()
            .WithName("ImportAccess").WithSummary("Imports the access CSV (DOMAIN.md §10), all or nothing; a refusal lists each problem by row and column.");
        access.MapGet("/assignments", Export).RequireAuthorization(AuthSetup.Policy(ApiOperation.AccessRead))
            .WithName("ExportAccess").WithSummary("The access CSV of every record the caller sees (optional customerId, entitlementId); corrected records left out.");
        access.MapGet("/roleDefinitions", ListRoles).RequireAuthorization(AuthSetup.Policy(ApiOperation.AccessRead))
            .WithName("ListRoleDefinitions").WithSummary("Built-in roles of reference §3.3 and registered custom roles, with PEC eligibility.");
        access.MapPost("/roleDefinitions", CreateCustomRole).RequireAuthorization(AuthSetup.Policy(ApiOperation.AccessRolesWrite))
            .WithName("CreateCustomRole").WithSummary("Registers a custom role (id, name); not PEC-eligible until marked.");
        access.MapPost("/roleDefinitions/{roleDefinitionId}/pecEligibility", MarkEligibility).RequireAuthorization(AuthSetup.Policy(ApiOperation.AccessRolesWrite))
            .WithName("MarkRolePecEligibility").WithSummary("Marks a custom role PEC-eligible or not ({\"pecEligible\":true}); the latest mark counts.");

        var records = app.MapGroup("/v1/customers/{customerId}/access/assignments").WithTags("Access");
        records.MapGet("/", List).RequireAuthorization(AuthSetup.Policy(ApiOperation.AccessRead))
            .WithName("ListAccessAssignments").WithSummary("A customer's access records (entitlementId, state=active|scheduled|ended|superseded, principal, offset, size).");
        records.MapPost("/", Create).RequireAuthorization(AuthSetup.Policy(ApiOperation.AccessWrite))
            .WithName("CreateAccessAssignment").WithSummary("Records one allow or deny assignment.");
        records.MapGet("/{assignmentId}", Get).RequireAuthorization(AuthSetup.Policy(ApiOperation.AccessRead))
            .WithName("GetAccessAssignment");
        records.MapPost("/{assignmentId}/end", End).RequireAuthorization(AuthSetup.Policy(ApiOperation.AccessWrite))
            .WithName("EndAccessAssignment").WithSummary("Sets an open record's end (now, or {\"end\":...}); once.");
        records.MapPost("/{assignmentId}/corrections", Correct).RequireAuthorization(AuthSetup.Policy(ApiOperation.AccessWrite))
            .WithName("CorrectAccessAssignment").WithSummary("Records a correction: a new record that supersedes this one, which stays.");
        return app;
    }

    internal static async Task<IResult> Import(HttpContext context, AccessStore store, CancellationToken cancellationToken)
    {
        var (imported, problems) = await store.ImportAsync(Caller.From(context.User), context.Request.Body, cancellationToken);
        return problems is not null
            ? TypedResults.Json(problems, PaygoJson.Options, statusCode: StatusCodes.Status400BadRequest)
            : TypedResults.Ok(imported);
    }

    internal static async Task<IResult> Export(HttpContext context, string? customerId, string? entitlementId, AccessStore store, CancellationToken cancellationToken)
    {
        if (ParseOptional(customerId, "customerId", out var customer) is { } customerError)
        {
            return ApiResults.Error(customerError);
        }

        if (ParseOptional(entitlementId, "entitlementId", out var entitlement) is { } entitlementError)
        {
            return ApiResults.Error(entitlementError);
        }

        // Written to memory first: an error found after the first byte could no longer be an error body.
        using var buffer = new MemoryStream();
        if (await store.ExportAsync(Caller.From(context.User), customer, entitlement, buffer, cancellationToken) is { } error)
        {
            return ApiResults.Error(error);
        }

        return TypedResults.File(buffer.ToArray(), Csv, "access.csv");
    }

    internal static async Task<IResult> ListRoles(ClaimsPrincipal principal, AccessStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(CollectionPage.Of(await store.ListRolesAsync(Caller.From(principal), cancellationToken), null));

    internal static async Task<IResult> CreateCustomRole(CustomRoleRequest request, ClaimsPrincipal principal, AccessStore store, CancellationToken cancellationToken) =>
        ApiResults.From(await store.CreateCustomRoleAsync(Caller.From(principal), request, cancellationToken));

    internal static async Task<IResult> MarkEligibility(string roleDefinitionId, PecEligibilityRequest request, ClaimsPrincipal principal, AccessStore store, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(roleDefinitionId, out var id))
        {
            return ApiResults.Error(ApiError.InvalidField("roleDefinitionId", "The role definition id must be a GUID."));
        }

        var (role, error) = await store.MarkEligibilityAsync(Caller.From(principal), id, request, cancellationToken);
        return role is not null ? TypedResults.Ok(role) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> List(string customerId, string? entitlementId, string? state, string? principal, int? offset, int? size,
        ClaimsPrincipal user, AccessStore store, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var customer) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        if (ParseOptional(entitlementId, "entitlementId", out var entitlement) is { } entitlementError)
        {
            return ApiResults.Error(entitlementError);
        }

        var (page, error) = await store.ListAsync(Caller.From(user), customer, new AccessQuery(entitlement, string.IsNullOrWhiteSpace(state) ? null : state.Trim(), principal, offset ?? 0, size ?? 50), cancellationToken);
        return page is not null ? TypedResults.Ok(page) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> Get(string customerId, string assignmentId, ClaimsPrincipal principal, AccessStore store, CancellationToken cancellationToken)
    {
        if (Ids(customerId, assignmentId, out var customer, out var id) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        var (record, error) = await store.GetAsync(Caller.From(principal), customer, id, cancellationToken);
        return record is not null ? TypedResults.Ok(record) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> Create(string customerId, AccessAssignmentRequest request, ClaimsPrincipal principal, AccessStore store, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var customer) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        return ApiResults.From(await store.CreateAsync(Caller.From(principal), customer, request, cancellationToken));
    }

    internal static async Task<IResult> End(string customerId, string assignmentId, AccessEndRequest? request, ClaimsPrincipal principal, AccessStore store, CancellationToken cancellationToken)
    {
        if (Ids(customerId, assignmentId, out var customer, out var id) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        var (record, error) = await store.EndAsync(Caller.From(principal), customer, id, request ?? new AccessEndRequest(), cancellationToken);
        return record is not null ? TypedResults.Ok(record) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> Correct(string customerId, string assignmentId, AccessAssignmentRequest request, ClaimsPrincipal principal, AccessStore store, CancellationToken cancellationToken)
    {
        if (Ids(customerId, assignmentId, out var customer, out var id) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        return ApiResults.From(await store.CorrectAsync(Caller.From(principal), customer, id, request, cancellationToken));
    }

    private static ApiError? Ids(string customerId, string assignmentId, out Guid customer, out Guid id)
    {
        id = Guid.Empty;
        if (CustomerVisibility.ParseId(customerId, out customer) is { } idError)
        {
            return idError;
        }

        return Guid.TryParse(assignmentId, out id) ? null : ApiError.InvalidField("assignmentId", "The access record id must be a GUID (the record's id, not the source's assignment id).");
    }

    private static ApiError? ParseOptional(string? text, string name, out Guid? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Guid.TryParse(text, out var parsed))
        {
            return ApiError.InvalidField(name, $"The parameter '{name}' must be a GUID; '{ErrorText.Quote(text)}' is not.");
        }

        value = parsed;
        return null;
    }
}
