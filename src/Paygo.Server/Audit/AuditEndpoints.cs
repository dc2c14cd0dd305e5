using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Audit;

/// <summary><c>GET /v1/auditrecords?startDate=&amp;endDate=</c> in Partner Center's AuditRecord shape.</summary>
public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditTrail(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/auditrecords", ListAuditRecords)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.AuditRead))
            .WithTags("Audit")
            .WithSummary("Audit records between startDate and endDate (at most 90 days), oldest first, seek-paged.");
        return app;
    }

    internal static async Task<Results<Ok<CollectionPage<AuditRecordResource>>, ApiErrorResult>> ListAuditRecords(
        string? startDate,
        string? endDate,
        int? size,
        [FromHeader(Name = SeekPaging.ContinuationTokenHeader)] string? continuationToken,
        ClaimsPrincipal principal,
        AuditQueries audit,
        CancellationToken cancellationToken)
    {
        var (page, error) = await audit.ListAsync(Caller.From(principal), startDate, endDate, size, continuationToken, cancellationToken);
        return page is not null ? TypedResults.Ok(page) : ApiResults.Error(error!);
    }
}
