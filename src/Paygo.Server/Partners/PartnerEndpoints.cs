using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Partners;
using Paygo.Server.Api;
using Paygo.Server.Hosting;
using Paygo.Server.Identity;

namespace Paygo.Server.Partners;

/// <summary>
/// Partner onboarding by the operator: <c>POST /v1/partners</c>, <c>GET /v1/partners</c>,
/// <c>GET /v1/partners/{id}</c>. See Partners.http for examples.
/// </summary>
public static class PartnerEndpoints
{
    public static IServiceCollection AddPartners(this IServiceCollection services) => services;

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
        return app;
    }

    internal static async Task<IResult> CreatePartner(
        PartnerCreateRequest request,
        [FromHeader(Name = IdempotentCreates.RequestIdHeader)] string? requestId,
        PartnerDirectory partners,
        PaygoMetrics metrics,
        CancellationToken cancellationToken)
    {
        if (IdempotentCreates.ValidateRequestId(requestId) is { } requestIdError)
        {
            return ApiResults.Error(requestIdError);
        }

        var outcome = await partners.CreateAsync(request, requestId, cancellationToken);
        if (outcome.Response is not null)
        {
            metrics.PartnerCreated();
        }

        return ApiResults.From(outcome);
    }

    internal static async Task<Results<Ok<CollectionPage<PartnerResource>>, ApiErrorResult>> ListPartners(
        int? size,
        [FromHeader(Name = SeekPaging.ContinuationTokenHeader)] string? continuationToken,
        PartnerDirectory partners,
        CancellationToken cancellationToken)
    {
        var (page, error) = await partners.ListAsync(size, continuationToken, cancellationToken);
        return page is not null ? TypedResults.Ok(page) : ApiResults.Error(error!);
    }

    internal static async Task<Results<Ok<PartnerResource>, ApiErrorResult>> GetPartner(
        string partnerId,
        PartnerDirectory partners,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(partnerId, out var id))
        {
            return ApiResults.Error(ApiError.InvalidField("partnerId", $"The partner id '{ErrorText.Quote(partnerId)}' is not a GUID."));
        }

        var partner = await partners.FindAsync(id, cancellationToken);
        return partner is not null
            ? TypedResults.Ok(partner)
            : ApiResults.Error(ApiError.NotFound($"No partner with id {id}."));
    }
}
