using System.Security.Claims;
using Paygo.Core.Billing;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Billing;

/// <summary>
/// Partner Center's asynchronous reconciliation export, v2 (reference §8.3, docs/adr/0043): the two
/// requests answered 202 with <c>Operation-Location</c>, the operation polled until it succeeds, the
/// manifest, and its gzip JSON Lines blobs, which Paygo serves itself. See Billing.http.
/// </summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapBillingExports(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/billedusage/invoices/{invoiceId}", StartBilled).RequireAuthorization(AuthSetup.Policy(ApiOperation.InvoicesRead)).WithTags("Billing")
            .WithName("ExportBilledUsage").WithSummary("Exports a closed invoice's daily rated usage (fragment=full|basic): 202 with Operation-Location.");
        app.MapPost("/v1/unbilledusage", StartUnbilled).RequireAuthorization(AuthSetup.Policy(ApiOperation.UsageRead)).WithTags("Billing")
            .WithName("ExportUnbilledUsage").WithSummary("Exports a period's unbilled daily rated usage (fragment=full|basic, period=current|last, currencyCode; partnerId for the operator): 202 with Operation-Location.");
        app.MapGet("/v1/billingoperations/{operationId}", GetOperation).RequireAuthorization(AuthSetup.Policy(ApiOperation.UsageRead)).WithTags("Billing")
            .WithName("GetBillingOperation").WithSummary("An export's status: notstarted, running, succeeded (resourceLocation names the manifest) or failed; 410 once expired.");
        app.MapGet("/v1/billingmanifests/{manifestId}", GetManifest).RequireAuthorization(AuthSetup.Policy(ApiOperation.UsageRead)).WithTags("Billing")
            .WithName("GetBillingManifest").WithSummary("The manifest of a finished export: its gzip JSON Lines blobs under rootFolder.");
        app.MapGet("/v1/billingmanifests/{manifestId}/blobs/{name}", GetBlob).RequireAuthorization(AuthSetup.Policy(ApiOperation.UsageRead)).WithTags("Billing")
            .WithName("GetBillingManifestBlob").WithSummary("One blob of a manifest (application/gzip, JSON Lines inside).");
        return app;
    }

    internal static async Task<IResult> StartBilled(string invoiceId, string? fragment, ClaimsPrincipal principal, BillingExports exports, CancellationToken cancellationToken)
    {
        var (operation, error) = await exports.StartBilledAsync(Caller.From(principal), invoiceId, fragment, cancellationToken);
        return operation is not null ? new Accepted(operation) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> StartUnbilled(string? fragment, string? period, string? currencyCode, string? partnerId, ClaimsPrincipal principal, BillingExports exports, CancellationToken cancellationToken)
    {
        var (operation, error) = await exports.StartUnbilledAsync(Caller.From(principal), fragment, period, currencyCode, partnerId, cancellationToken);
        return operation is not null ? new Accepted(operation) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> GetOperation(string operationId, HttpContext context, BillingExports exports, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(operationId, out var id))
        {
            return ApiResults.Error(ApiError.InvalidField("operationId", $"The operation id '{ErrorText.Quote(operationId)}' is not a GUID."));
        }

        var (operation, error) = await exports.OperationAsync(Caller.From(context.User), id, cancellationToken);
        if (operation is null)
        {
            return ApiResults.Error(error!);
        }

        if (operation.Status is CloseStatus.NotStarted or CloseStatus.Running)
        {
            context.Response.Headers.RetryAfter = "2";
        }

        return TypedResults.Ok(operation);
    }

    internal static async Task<IResult> GetManifest(string manifestId, HttpContext context, BillingExports exports, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(manifestId, out var id))
        {
            return ApiResults.Error(ApiError.InvalidField("manifestId", $"The manifest id '{ErrorText.Quote(manifestId)}' is not a GUID."));
        }

        var (manifest, error) = await exports.ManifestAsync(Caller.From(context.User), id, cancellationToken);
        if (manifest is null)
        {
            return ApiResults.Error(error!);
        }

        // Partner Center gives an absolute folder URL; here it is this server's own.
        var request = context.Request;
        return TypedResults.Ok(manifest with { RootFolder = $"{request.Scheme}://{request.Host}{request.PathBase}{manifest.RootFolder}" });
    }

    internal static async Task<IResult> GetBlob(string manifestId, string name, HttpContext context, BillingExports exports, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(manifestId, out var id))
        {
            return ApiResults.Error(ApiError.InvalidField("manifestId", $"The manifest id '{ErrorText.Quote(manifestId)}' is not a GUID."));
        }

        var (blob, error) = await exports.BlobAsync(Caller.From(context.User), id, name, cancellationToken);
        return blob is not null ? TypedResults.File(blob.Content, "application/gzip", blob.Name) : ApiResults.Error(error!);
    }

    /// <summary>202 with <c>Operation-Location</c>, as Partner Center answers an export request.</summary>
    private sealed class Accepted(BillingOperationResource operation) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers["Operation-Location"] = BillingOperationResource.PathOf(Guid.Parse(operation.Id));
            httpContext.Response.Headers.RetryAfter = "2";
            await TypedResults.Accepted(BillingOperationResource.PathOf(Guid.Parse(operation.Id)), operation).ExecuteAsync(httpContext);
        }
    }
}
