using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Partners;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Hosting;
using Paygo.Server.Identity;

namespace Paygo.Server.Partners;

/// <summary>
/// Partner onboarding by the operator: <c>POST /v1/partners</c>, <c>GET /v1/partners</c>,
/// <c>GET /v1/partners/{id}</c>, and each organisation's verified domains
/// (<c>GET/PUT /v1/partners/{id}/domains</c>, <c>operator</c> for the operator's own). See Partners.http for examples.
/// </summary>
public static class PartnerEndpoints
{
    public static IEndpointRouteBuilder MapPartners(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/partners").WithTags("Partners");
        group.MapPost("/", CreatePartner)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.PartnersWrite))
            .WithName("CreatePartner")
            .WithSummary("Onboards a partner (operator). Idempotent on MS-RequestId.")
            .Produces<PartnerResource>(StatusCodes.Status201Created)
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ErrorBody>(StatusCodes.Status409Conflict);
        group.MapGet("/", ListPartners)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.PartnersRead))
            .WithName("ListPartners")
            .WithSummary("Lists partners by name, with seek paging (size, seekOperation=Next, MS-ContinuationToken).");
        group.MapGet("/{partnerId}", GetPartner)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.PartnersRead))
            .WithName("GetPartner")
            .WithSummary("Gets one partner by its tenant id.");
        group.MapGet("/{partnerId}/domains", ListDomains)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.PartnersRead))
            .WithName("ListVerifiedDomains")
            .WithSummary("Lists the verified domains of a partner (or of the operator: partnerId 'operator'); its users' addresses must be under them.");
        group.MapPut("/{partnerId}/domains", ReplaceDomains)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.PartnersWrite))
            .WithName("ReplaceVerifiedDomains")
            .WithSummary("Sets the whole list of verified domains of a partner (or 'operator'); a domain belongs to one organisation at most.")
            .Produces<CollectionPage<VerifiedDomainResource>>()
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest)
            .Produces<ErrorBody>(StatusCodes.Status409Conflict);
        return app;
    }

    internal static async Task<IResult> CreatePartner(
        PartnerCreateRequest request,
        [FromHeader(Name = IdempotentCreates.RequestIdHeader)] string? requestId,
        ClaimsPrincipal principal,
        PartnerDirectory partners,
        PaygoMetrics metrics,
        CancellationToken cancellationToken)
    {
        if (IdempotentCreates.ValidateRequestId(requestId) is { } requestIdError)
        {
            return ApiResults.Error(requestIdError);
        }

        var outcome = await partners.CreateAsync(Caller.From(principal), request, requestId, cancellationToken);
        if (outcome.Succeeded)
        {
            metrics.PartnerCreated();
        }

        return ApiResults.From(outcome);
    }

    internal static async Task<Results<Ok<CollectionPage<PartnerResource>>, ApiErrorResult>> ListPartners(
        int? size,
        [FromHeader(Name = SeekPaging.ContinuationTokenHeader)] string? continuationToken,
        ClaimsPrincipal principal,
        PartnerDirectory partners,
        CancellationToken cancellationToken)
    {
        var (page, error) = await partners.ListAsync(Caller.From(principal), size, continuationToken, cancellationToken);
        return page is not null ? TypedResults.Ok(page) : ApiResults.Error(error!);
    }

    internal static async Task<Results<Ok<CollectionPage<VerifiedDomainResource>>, ApiErrorResult>> ListDomains(
        string partnerId,
        ClaimsPrincipal principal,
        PartnerDirectory partners,
        VerifiedDomainDirectory domains,
        CancellationToken cancellationToken)
    {
        var (organisation, error) = await OrganisationAsync(Caller.From(principal), partnerId, partners, cancellationToken);
        return error is null
            ? TypedResults.Ok(CollectionPage.Of(await domains.ListAsync(Caller.From(principal), organisation, cancellationToken), null))
            : ApiResults.Error(error);
    }

    internal static async Task<Results<Ok<CollectionPage<VerifiedDomainResource>>, ApiErrorResult>> ReplaceDomains(
        string partnerId,
        VerifiedDomainsUpdate request,
        ClaimsPrincipal principal,
        PartnerDirectory partners,
        VerifiedDomainDirectory domains,
        CancellationToken cancellationToken)
    {
        var (organisation, error) = await OrganisationAsync(Caller.From(principal), partnerId, partners, cancellationToken);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }

        var (list, replaceError) = await domains.ReplaceAsync(Caller.From(principal), organisation, request, cancellationToken);
        return list is not null ? TypedResults.Ok(CollectionPage.Of(list, null)) : ApiResults.Error(replaceError!);
    }

    /// <summary>The organisation a domains route names: <c>operator</c>, or an existing partner's tenant id.</summary>
    private static async Task<(Guid? Organisation, ApiError? Error)> OrganisationAsync(Caller caller, string partnerId, PartnerDirectory partners, CancellationToken cancellationToken)
    {
        if (string.Equals(partnerId, TenantNames.Operator, StringComparison.OrdinalIgnoreCase))
        {
            return (null, null);
        }

        if (!Guid.TryParse(partnerId, out var id))
        {
            return (null, ApiError.InvalidField("partnerId", $"The partner id '{ErrorText.Quote(partnerId)}' is neither a GUID nor 'operator'."));
        }

        return await partners.FindAsync(caller, id, cancellationToken) is null
            ? (null, ApiError.NotFound($"No partner with id {id}."))
            : (id, null);
    }

    internal static async Task<Results<Ok<PartnerResource>, ApiErrorResult>> GetPartner(
        string partnerId,
        ClaimsPrincipal principal,
        PartnerDirectory partners,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(partnerId, out var id))
        {
            return ApiResults.Error(ApiError.InvalidField("partnerId", $"The partner id '{ErrorText.Quote(partnerId)}' is not a GUID."));
        }

        var partner = await partners.FindAsync(Caller.From(principal), id, cancellationToken);
        return partner is not null
            ? TypedResults.Ok(partner)
            : ApiResults.Error(ApiError.NotFound($"No partner with id {id}."));
    }
}
