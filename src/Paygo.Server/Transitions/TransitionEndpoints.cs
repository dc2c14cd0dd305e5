using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Transitions;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Transitions;

/// <summary>
/// The transition from the legacy Microsoft Azure offer (reference §6, docs/adr/0029): the
/// operator's import of legacy subscriptions and Partner Center's three productUpgrades routes.
/// Paths match without case, as Partner Center's do (it documents both productUpgrades and
/// productupgrades). See Transitions.http.
/// </summary>
public static class TransitionEndpoints
{
    public static IEndpointRouteBuilder MapTransitions(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1").WithTags("Transitions");
        group.MapPost("/legacyAzureImports", Import).RequireAuthorization(AuthSetup.Policy(ApiOperation.LegacyAzureImport))
            .WithName("ImportLegacyAzureSubscriptions")
            .WithSummary("The operator imports legacy MS-AZR-0145P subscriptions with their Azure subscription ids and role assignments; all or nothing.")
            .Produces<LegacyImportResult>();
        group.MapPost("/productUpgrades/eligibility", Eligibility).RequireAuthorization(AuthSetup.Policy(ApiOperation.ProductUpgradesRead))
            .WithName("GetProductUpgradeEligibility").WithSummary("Whether the customer can transition to the Azure plan, and why not.")
            .Produces<ProductUpgradesEligibility>();
        group.MapPost("/productupgrades", Create).RequireAuthorization(AuthSetup.Policy(ApiOperation.ProductUpgradesWrite))
            .WithName("CreateProductUpgrade")
            .WithSummary("Transitions the customer's legacy Azure subscriptions to the Azure plan; 201 with the upgrade in Location. Idempotent on MS-RequestId.")
            .Produces<ProductUpgradesStatus>(StatusCodes.Status201Created);
        group.MapPost("/productUpgrades/{upgradeId}/status", Status).RequireAuthorization(AuthSetup.Policy(ApiOperation.ProductUpgradesRead))
            .WithName("GetProductUpgradeStatus").WithSummary("The upgrade's status with one line per Azure subscription.")
            .Produces<ProductUpgradesStatus>();
        return app;
    }

    internal static async Task<IResult> Import(LegacyImportRequest request, ClaimsPrincipal principal, LegacyImports imports, CancellationToken cancellationToken) =>
        Answer(await imports.ImportAsync(Caller.From(principal), request, cancellationToken));

    internal static async Task<IResult> Eligibility(ProductUpgradeRequest request, ClaimsPrincipal principal, ProductUpgrades upgrades, CancellationToken cancellationToken) =>
        Answer(await upgrades.EligibilityAsync(Caller.From(principal), request, cancellationToken));

    internal static async Task<IResult> Create(
        ProductUpgradeRequest request, [FromHeader(Name = IdempotentCreates.RequestIdHeader)] string? requestId,
        ClaimsPrincipal principal, ProductUpgrades upgrades, CancellationToken cancellationToken)
    {
        if (IdempotentCreates.ValidateRequestId(requestId) is { } requestIdError)
        {
            return ApiResults.Error(requestIdError);
        }

        return ApiResults.From(await upgrades.CreateAsync(Caller.From(principal), request, requestId, cancellationToken));
    }

    internal static async Task<IResult> Status(string upgradeId, ProductUpgradeRequest request, ClaimsPrincipal principal, ProductUpgrades upgrades, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(upgradeId, out var id))
        {
            return ApiResults.Error(new ApiError(ErrorKind.Invalid, ErrorCodes.InvalidRequestInput, $"The upgrade id '{ErrorText.Quote(upgradeId)}' is not a GUID.",
                [new FieldError("upgradeId", "Not a GUID.")]));
        }

        return Answer(await upgrades.StatusAsync(Caller.From(principal), id, request, cancellationToken));
    }

    private static IResult Answer<T>(Result<T> outcome)
        where T : class => outcome.Value is { } value ? TypedResults.Ok(value) : ApiResults.Error(outcome.Error!);
}
