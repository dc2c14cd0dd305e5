using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Billing;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Rating.Billing;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Billing;

/// <summary>The body of <c>POST /v1/billing/closes</c>.</summary>
public sealed record CloseRequest(string? Month);

/// <summary>
/// The month close (<c>/v1/billing/closes</c>, Paygo's own, shaped like Partner Center's billing
/// operations) and the invoices under Partner Center's <c>/v1/invoices</c> paths, with Paygo's
/// file downloads (docs/adr/0036). See Billing.http.
/// </summary>
public static class BillingEndpoints
{
    public static WebApplicationBuilder AddPaygoBilling(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var settings = new BillingSettings();
        foreach (var rate in builder.Configuration.GetSection("Paygo:Billing:TaxRates").GetChildren())
        {
            if (!decimal.TryParse(rate.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) || value < 0 || value >= 1)
            {
                throw new InvalidOperationException($"Paygo:Billing:TaxRates:{rate.Key} must be a rate between 0 and 1, e.g. 0.2; it is '{rate.Value}'.");
            }

            settings.TaxRates[rate.Key.ToUpperInvariant()] = value;
        }

        builder.Services.AddBilling(settings);
        builder.Services.AddHostedService<CloseWorker>();
        builder.Services.AddHostedService<ExportWorker>();
        builder.Services.Configure<PecAlertOptions>(builder.Configuration.GetSection(PecAlertOptions.Section));
        builder.Services.AddSingleton<PecAlertJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PecAlertJob>());
        return builder;
    }

    public static IEndpointRouteBuilder MapBilling(this IEndpointRouteBuilder app)
    {
        app.MapBillingDashboard();
        app.MapBillingExports();
        var closes = app.MapGroup("/v1/billing/closes").WithTags("Billing");
        closes.MapPost("/", StartClose).RequireAuthorization(AuthSetup.Policy(ApiOperation.BillingClose))
            .WithName("StartMonthClose").WithSummary("Closes a month ({\"month\":\"2026-11\"}): 202 with the run's status and Location; a month with a run answers that run.");
        closes.MapGet("/", ListCloses).RequireAuthorization(AuthSetup.Policy(ApiOperation.BillingClose)).WithName("ListMonthCloses");
        closes.MapGet("/{closeId}", GetClose).RequireAuthorization(AuthSetup.Policy(ApiOperation.BillingClose))
            .WithName("GetMonthClose").WithSummary("A close run: notstarted, running, succeeded or failed, its progress and error.");

        app.MapGet("/v1/billing/focus", Focus).RequireAuthorization(AuthSetup.Policy(ApiOperation.InvoicesRead)).WithTags("Billing")
            .WithName("GetFocusExport").WithSummary("Paygo's own: a closed month's billed usage (month=yyyy-MM) as a FinOps FOCUS 1.2 CSV, the caller's invoices only.");

        var reports = app.MapGroup("/v1/reports/pec").WithTags("Billing");
        reports.MapGet("/", PecReport).RequireAuthorization(AuthSetup.Policy(ApiOperation.UsageRead)).WithName("GetPecReport")
            .WithSummary("Paygo's own: Partner Earned Credit of a month (month=yyyy-MM, the current one by default) per customer and Azure subscription, earned and lost with each lost day's evidence, and the loss alerts; partnerId for the operator, customerId to narrow it.")
            .Produces<PecReportResource>();
        reports.MapGet("/chart", PecReportChart).RequireAuthorization(AuthSetup.Policy(ApiOperation.UsageRead)).WithName("GetPecReportChart")
            .WithSummary("The PEC report's chart: earned and lost credit per day, an SVG.");

        var invoices = app.MapGroup("/v1/invoices").WithTags("Invoices");
        invoices.MapGet("/", ListInvoices).RequireAuthorization(AuthSetup.Policy(ApiOperation.InvoicesRead)).WithName("ListInvoices");
        invoices.MapGet("/summaries", Summaries).RequireAuthorization(AuthSetup.Policy(ApiOperation.InvoicesRead)).WithName("GetInvoiceSummaries");
        invoices.MapGet("/{invoiceId}", GetInvoice).RequireAuthorization(AuthSetup.Policy(ApiOperation.InvoicesRead)).WithName("GetInvoice");
        invoices.MapGet("/{invoiceId}/lineitems", LineItems).RequireAuthorization(AuthSetup.Policy(ApiOperation.InvoicesRead))
            .WithName("GetInvoiceLineItems")
            .WithSummary("provider=onetime&invoicelineitemtype=billinglineitems|usagelineitems[&currencycode][&size<=2000][&hasPartnerEarnedCredit]; seekOperation=Next with MS-ContinuationToken.");
        invoices.MapGet("/{invoiceId}/files/{kind}", DownloadFile).RequireAuthorization(AuthSetup.Policy(ApiOperation.InvoicesRead))
            .WithName("DownloadInvoiceFile").WithSummary("Paygo's own: the invoice's reconciliation or dailyusage CSV as written at close (X-Paygo-Sha256 holds its hash).");
        invoices.MapGet("/{invoiceId}/documents/statement", Statement).RequireAuthorization(AuthSetup.Policy(ApiOperation.InvoicesRead))
            .WithName("GetInvoiceStatement").WithSummary("The invoice statement as a PDF, as Partner Center serves it; format=html gives the same statement as a printable page.");
        return app;
    }

    internal static async Task<IResult> StartClose(CloseRequest? request, ClaimsPrincipal principal, MonthClose close, CancellationToken cancellationToken)
    {
        var (outcome, error) = await close.StartAsync(Caller.From(principal), request?.Month, cancellationToken);
        if (outcome is null)
        {
            return ApiResults.Error(error!);
        }

        var location = CloseRunResource.PathOf(outcome.Run.Id);
        return outcome.Started || outcome.Run.Status is not CloseStatus.Succeeded
            ? TypedResults.Accepted(location, outcome.Run)
            : new OkWithLocation(location, outcome.Run);
    }

    internal static async Task<IResult> ListCloses(ClaimsPrincipal principal, MonthClose close, CancellationToken cancellationToken) =>
        TypedResults.Ok(CollectionPage.Of(await close.ListAsync(Caller.From(principal), cancellationToken), null));

    internal static async Task<IResult> GetClose(string closeId, HttpContext context, MonthClose close, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(closeId, out var id))
        {
            return ApiResults.Error(ApiError.InvalidField("closeId", $"The close id '{ErrorText.Quote(closeId)}' is not a GUID."));
        }

        var (run, error) = await close.GetAsync(Caller.From(context.User), id, cancellationToken);
        if (run is null)
        {
            return ApiResults.Error(error!);
        }

        if (run.Status is CloseStatus.NotStarted or CloseStatus.Running)
        {
            // As Partner Center's billing operations do: when to look again.
            context.Response.Headers.RetryAfter = "1";
        }

        return TypedResults.Ok(run);
    }

    internal static async Task<IResult> ListInvoices(ClaimsPrincipal principal, InvoiceQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.ListAsync(Caller.From(principal), cancellationToken));

    internal static async Task<IResult> Summaries(ClaimsPrincipal principal, InvoiceQueries queries, CancellationToken cancellationToken) =>
        TypedResults.Ok(await queries.SummariesAsync(Caller.From(principal), cancellationToken));

    internal static async Task<IResult> GetInvoice(string invoiceId, ClaimsPrincipal principal, InvoiceQueries queries, CancellationToken cancellationToken)
    {
        var (invoice, error) = await queries.GetAsync(Caller.From(principal), invoiceId, cancellationToken);
        return invoice is not null ? TypedResults.Ok(invoice) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> LineItems(
        string invoiceId, string? provider, string? invoicelineitemtype, string? currencycode, string? size, string? seekOperation, string? hasPartnerEarnedCredit,
        [FromHeader(Name = SeekPaging.ContinuationTokenHeader)] string? continuationToken,
        ClaimsPrincipal principal, InvoiceQueries queries, CancellationToken cancellationToken)
    {
        // The query's text is parsed here, so each 400 names its parameter (docs/adr/0019).
        int? pageSize = null;
        if (size is not null)
        {
            if (!int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return ApiResults.Error(ApiError.InvalidField("size", $"The page size 'size' must be a whole number up to {InvoiceQueries.MaxLineItems}; it was '{ErrorText.Quote(size)}'."));
            }

            pageSize = parsed;
        }

        bool? pec = null;
        if (hasPartnerEarnedCredit is not null)
        {
            if (!bool.TryParse(hasPartnerEarnedCredit, out var parsed))
            {
                return ApiResults.Error(ApiError.InvalidField("hasPartnerEarnedCredit", $"The filter 'hasPartnerEarnedCredit' must be true or false; it was '{ErrorText.Quote(hasPartnerEarnedCredit)}'."));
            }

            pec = parsed;
        }

        var (page, error) = await queries.LineItemsAsync(Caller.From(principal), invoiceId,
            new LineItemQuery(provider, invoicelineitemtype, currencycode, pageSize, seekOperation, continuationToken, pec), cancellationToken);
        return page is not null ? TypedResults.Ok(page) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> DownloadFile(string invoiceId, string kind, HttpContext context, InvoiceQueries queries, CancellationToken cancellationToken)
    {
        var normalized = kind.ToLowerInvariant();
        if (!InvoiceFileKinds.All.Contains(normalized))
        {
            return ApiResults.Error(ApiError.InvalidField("kind", $"The file must be 'reconciliation' or 'dailyusage'; '{ErrorText.Quote(kind)}' is not one."));
        }

        var (file, error) = await queries.FileAsync(Caller.From(context.User), invoiceId, normalized, cancellationToken);
        if (file is null)
        {
            return ApiResults.Error(error!);
        }

        context.Response.Headers["X-Paygo-Sha256"] = file.Sha256;
        return TypedResults.File(file.Content, "text/csv", file.FileName);
    }

    /// <summary>
    /// The statement: PDF unless <c>format=html</c> asks for the printable page. The format is a
    /// query parameter, not the Accept header, because Partner Center's clients send
    /// <c>Accept: application/json</c> on every call and still expect the PDF (docs/adr/0040).
    /// </summary>
    internal static async Task<IResult> Statement(string invoiceId, string? format, HttpContext context, InvoiceQueries queries, CancellationToken cancellationToken)
    {
        var wanted = (format ?? "pdf").Trim().ToLowerInvariant();
        if (wanted is not ("pdf" or "html"))
        {
            return ApiResults.Error(ApiError.InvalidField("format", $"The statement format must be 'pdf' or 'html'; it was '{ErrorText.Quote(format)}'."));
        }

        var (document, error) = await queries.DocumentAsync(Caller.From(context.User), invoiceId, cancellationToken);
        if (document is null)
        {
            return ApiResults.Error(error!);
        }

        if (wanted == "html")
        {
            return TypedResults.Content(StatementHtml.Render(document), "text/html; charset=utf-8");
        }

        using var pdf = new MemoryStream();
        StatementPdf.Write(pdf, document);
        return TypedResults.File(pdf.ToArray(), "application/pdf", $"{document.InvoiceNumber}-statement.pdf");
    }

    /// <summary>
    /// The FOCUS file of a closed month. It is written to a temporary file first and served from
    /// there: the response body takes no synchronous writes, a failure part-way answers an error
    /// rather than half a file, and a month of millions of rows never sits in memory (docs/adr/0041).
    /// </summary>
    internal static async Task<IResult> Focus(string? month, HttpContext context, BilledFocusExport export, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Path.GetTempPath(), $"paygo-focus-{Guid.NewGuid():N}.csv");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var (summary, error) = await export.WriteAsync(Caller.From(context.User), month, file, cancellationToken);
            if (summary is null)
            {
                await file.DisposeAsync();
                return ApiResults.Error(error!);
            }

            file.Position = 0;
            context.Response.Headers["X-Paygo-Row-Count"] = summary.Rows.ToString(CultureInfo.InvariantCulture);

            // The file result disposes the stream once sent, which deletes the temporary file.
            return TypedResults.File(file, "text/csv", $"focus-{summary.Month}.csv");
        }
        catch
        {
            await file.DisposeAsync();
            throw;
        }
    }

    internal static async Task<IResult> PecReport(string? month, string? partnerId, string? customerId, ClaimsPrincipal principal, PecReports reports, CancellationToken cancellationToken)
    {
        var (report, error) = await reports.ReportAsync(Caller.From(principal), month, partnerId, customerId, cancellationToken);
        return report is not null ? TypedResults.Ok(report) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> PecReportChart(string? month, string? partnerId, string? customerId, ClaimsPrincipal principal, PecReports reports, CancellationToken cancellationToken)
    {
        var (report, error) = await reports.ReportAsync(Caller.From(principal), month, partnerId, customerId, cancellationToken);
        return report is not null ? TypedResults.Content(PecReports.ChartOf(report), "image/svg+xml; charset=utf-8") : ApiResults.Error(error!);
    }

    /// <summary>200 with a Location: a request for a month already closed answers its finished run.</summary>
    private sealed class OkWithLocation(string location, CloseRunResource run) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            await TypedResults.Ok(run).ExecuteAsync(httpContext);
        }
    }
}
