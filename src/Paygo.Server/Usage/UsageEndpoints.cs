using System.Security.Claims;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Usage;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Usage;

/// <summary>
/// <c>POST /v1/usage</c> (DOMAIN.md §7, docs/adr/0032): a batch of usage records as a JSON array,
/// NDJSON or CSV, chosen by Content-Type; per-record results, 200 only after the durable commit.
/// See Usage.http.
/// </summary>
public static class UsageEndpoints
{
    public static IEndpointRouteBuilder MapUsage(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/usage", PostUsage).WithTags("Usage").RequireAuthorization(AuthSetup.Policy(ApiOperation.UsageWrite))
            .WithMetadata(new UploadLimit(UsageLimits.MaxBodyBytes)).DisableAntiforgery()
            .WithName("PostUsage")
            .WithSummary($"Posts up to {UsageLimits.MaxRecords} usage records (application/json array, application/x-ndjson or text/csv); answers each record: accepted, duplicate, conflict or rejected with a code naming the field.");
        app.MapGet("/v1/usage/export", ExportUsage).WithTags("Usage").RequireAuthorization(AuthSetup.Policy(ApiOperation.UsageRead))
            .WithName("ExportUsage")
            .WithSummary("A month of stored usage (month=yyyy-MM, optional customerId) as the 55-column daily rated usage file, input columns filled and price columns empty, to rate with paygo rate.");
        return app;
    }

    internal static async Task<IResult> PostUsage(HttpContext context, ClaimsPrincipal principal, UsageIngestion ingestion, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal);
        if (UsageBatchReader.FormOf(context.Request.ContentType) is not { } form)
        {
            return Wire(new WireError(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                "The usage batch must be application/json (an array of records), application/x-ndjson (one record a line) or text/csv (DOMAIN.md §10)."));
        }

        // The body is held whole (at most UsageLimits.MaxBodyBytes, which the pipeline enforces), so
        // a batch is either read completely or refused before anything is stored.
        using var body = new MemoryStream(context.Request.ContentLength is { } length and > 0 and <= UsageLimits.MaxBodyBytes ? (int)length : 64 * 1024);
        await context.Request.Body.CopyToAsync(body, cancellationToken);
        var (inputs, error) = UsageBatchReader.Read(body.GetBuffer().AsMemory(0, (int)body.Length), form);
        if (error is not null)
        {
            return UsageBatchReader.IsTooLarge(error)
                ? Wire(new WireError(StatusCodes.Status413PayloadTooLarge, error.Code, error.Description))
                : ApiResults.Error(error);
        }

        return TypedResults.Ok(await ingestion.PostAsync(caller, inputs!, cancellationToken));
    }

    internal static async Task<IResult> ExportUsage(ClaimsPrincipal principal, string? month, string? customerId, UsageExport export, CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal);
        if (UsageExport.ParseMonth(month, out var billingMonth) is { } monthError)
        {
            return ApiResults.Error(monthError);
        }

        Guid? customer = null;
        if (!string.IsNullOrWhiteSpace(customerId))
        {
            if (Paygo.Core.Customers.CustomerVisibility.ParseId(customerId, out var id) is { } idError)
            {
                return ApiResults.Error(idError);
            }

            customer = id;
        }

        // Checked before the first byte, so a refusal is still an error body; then the rows stream.
        if (await export.CheckAsync(caller, customer, cancellationToken) is { } error)
        {
            return ApiResults.Error(error);
        }

        return TypedResults.Stream(
            body => export.WriteAsync(caller, billingMonth, customer, body, cancellationToken),
            "text/csv; charset=utf-8",
            $"usage-{billingMonth}.csv");
    }

    private static WireErrorResult Wire(WireError error) => new(error);

    private sealed class WireErrorResult(WireError error) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => ErrorWriter.WriteAsync(httpContext, error);
    }
}
