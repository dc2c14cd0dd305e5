using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Billing;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.RatedUsage;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.RatedUsage;

/// <summary>Rated usage of the open month: unbilled daily rated usage line items and the usage summaries and records (reference §8.2, docs/adr/0033). See RatedUsage.http.</summary>
public static class RatedUsageEndpoints
{
    /// <summary>The dashboard's CSV download of the Usage page (Paygo's own, behind the dashboard's sign-in).</summary>
    public const string DashboardDownloadPath = "/usage/download";

    public static IEndpointRouteBuilder MapRatedUsage(this IEndpointRouteBuilder app)
    {
        app.MapGet(DashboardDownloadPath, DownloadCsv)
            .RequireAuthorization(AuthSetup.DashboardPolicy)
            .ExcludeFromDescription();
        var policy = AuthSetup.Policy(ApiOperation.UsageRead);
        app.MapGet(UnbilledUsage.Path, GetUnbilledLineItems)
            .RequireAuthorization(policy)
            .WithTags("RatedUsage").WithName("GetUnbilledLineItems")
            .WithSummary("Unbilled daily rated usage line items (provider=onetime, invoicelineitemtype=usagelineitems, currencycode, period=current|previous), seek paging: size ≤ 2000, seekOperation=Next with MS-ContinuationToken. The operator names the partner with partnerId; customerId narrows to one customer.")
            .Produces<UnbilledLineItemPage>()
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest);
        app.MapGet("/v1/usagesummary", GetPartnerSummary)
            .RequireAuthorization(policy)
            .WithTags("RatedUsage").WithName("GetPartnerUsageSummary")
            .WithSummary("The billed partner's usage summary of the current month (the operator names the partner with partnerId).")
            .Produces<PartnerUsageSummaryResource>();
        app.MapGet("/v1/customers/usagerecords", GetCustomerRecords)
            .RequireAuthorization(policy)
            .WithTags("RatedUsage").WithName("GetCustomerUsageRecords")
            .WithSummary("One monthly usage record per customer with an Azure plan (the operator names the partner with partnerId).")
            .Produces<CollectionPage<CustomerMonthlyUsageRecordResource>>();
        app.MapGet("/v1/customers/{customerId}/usagesummary", GetCustomerSummary)
            .RequireAuthorization(policy)
            .WithTags("RatedUsage").WithName("GetCustomerUsageSummary")
            .WithSummary("A customer's usage summary of the current month.")
            .Produces<CustomerUsageSummaryResource>();
        app.MapGet("/v1/customers/{customerId}/subscriptions/usagerecords", GetSubscriptionRecords)
            .RequireAuthorization(policy)
            .WithTags("RatedUsage").WithName("GetSubscriptionUsageRecords")
            .WithSummary("One monthly usage record per Azure plan of the customer.")
            .Produces<CollectionPage<SubscriptionMonthlyUsageRecordResource>>();
        app.MapGet("/v1/customers/{customerId}/subscriptions/{subscriptionId}/usagesummary", GetSubscriptionSummary)
            .RequireAuthorization(policy)
            .WithTags("RatedUsage").WithName("GetSubscriptionUsageSummary")
            .WithSummary("An Azure plan's usage summary of the current month.")
            .Produces<SubscriptionUsageSummaryResource>();
        app.MapGet("/v1/customers/{customerId}/subscriptions/{subscriptionId}/resourceusagerecords", GetResourceRecords)
            .RequireAuthorization(policy)
            .WithTags("RatedUsage").WithName("GetResourceUsageRecords")
            .WithSummary("An Azure plan's month per Azure subscription, resource and meter.")
            .Produces<CollectionPage<ResourceUsageRecordResource>>();
        app.MapGet("/v1/customers/{customerId}/subscriptions/{subscriptionId}/meterusagerecords", GetMeterRecords)
            .RequireAuthorization(policy)
            .WithTags("RatedUsage").WithName("GetMeterUsageRecords")
            .WithSummary("An Azure plan's month per meter.")
            .Produces<CollectionPage<MeterUsageRecordResource>>();
        return app;
    }

    internal static async Task<IResult> GetUnbilledLineItems(
        [FromQuery(Name = "provider")] string? provider,
        [FromQuery(Name = "invoicelineitemtype")] string? invoiceLineItemType,
        [FromQuery(Name = "currencycode")] string? currencyCode,
        [FromQuery(Name = "period")] string? period,
        [FromQuery(Name = "size")] string? size,
        [FromQuery(Name = "seekOperation")] string? seekOperation,
        [FromQuery(Name = "partnerId")] string? partnerId,
        [FromQuery(Name = "customerId")] string? customerId,
        [FromHeader(Name = SeekPaging.ContinuationTokenHeader)] string? continuationToken,
        ClaimsPrincipal principal,
        UnbilledUsage unbilled,
        UnbilledReconciliation reconciliation,
        CancellationToken cancellationToken)
    {
        int? pageSize = null;
        if (!string.IsNullOrEmpty(size))
        {
            if (!int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                return ApiResults.Error(ApiError.InvalidField("size", $"The page size 'size' must be a whole number from 1 to {UnbilledUsage.MaxPageSize}; '{ErrorText.Quote(size)}' is not."));
            }

            pageSize = parsed;
        }

        var query = new UnbilledQuery(provider, invoiceLineItemType, currencyCode, period, partnerId, customerId);
        if (string.Equals(invoiceLineItemType?.Trim(), UnbilledReconciliation.LineItemType, StringComparison.OrdinalIgnoreCase))
        {
            // The billing line items are the close's grouping, which is the Billing feature's (docs/adr/0042).
            var (lines, linesError) = await reconciliation.LineItemsAsync(Caller.From(principal), query, pageSize, seekOperation, continuationToken, cancellationToken);
            return lines is not null ? TypedResults.Ok(lines) : ApiResults.Error(linesError!);
        }

        var (page, error) = await unbilled.LineItemsAsync(Caller.From(principal), query, pageSize, seekOperation, continuationToken, cancellationToken);
        return page is not null ? TypedResults.Ok(page) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> GetPartnerSummary([FromQuery(Name = "partnerId")] string? partnerId, ClaimsPrincipal principal, UsageSummaries summaries, CancellationToken cancellationToken) =>
        Answer(await summaries.PartnerAsync(Caller.From(principal), partnerId, cancellationToken));

    internal static async Task<IResult> GetCustomerRecords([FromQuery(Name = "partnerId")] string? partnerId, ClaimsPrincipal principal, UsageSummaries summaries, CancellationToken cancellationToken) =>
        Answer(await summaries.CustomerRecordsAsync(Caller.From(principal), partnerId, cancellationToken));

    internal static async Task<IResult> GetCustomerSummary(string customerId, ClaimsPrincipal principal, UsageSummaries summaries, CancellationToken cancellationToken) =>
        CustomerVisibility.ParseId(customerId, out var customer) is { } idError
            ? ApiResults.Error(idError)
            : Answer(await summaries.CustomerAsync(Caller.From(principal), customer, cancellationToken));

    internal static async Task<IResult> GetSubscriptionRecords(string customerId, ClaimsPrincipal principal, UsageSummaries summaries, CancellationToken cancellationToken) =>
        CustomerVisibility.ParseId(customerId, out var customer) is { } idError
            ? ApiResults.Error(idError)
            : Answer(await summaries.SubscriptionRecordsAsync(Caller.From(principal), customer, cancellationToken));

    internal static async Task<IResult> GetSubscriptionSummary(string customerId, string subscriptionId, ClaimsPrincipal principal, UsageSummaries summaries, CancellationToken cancellationToken) =>
        ParseIds(customerId, subscriptionId, out var customer, out var subscription) is { } idError
            ? ApiResults.Error(idError)
            : Answer(await summaries.SubscriptionAsync(Caller.From(principal), customer, subscription, cancellationToken));

    internal static async Task<IResult> GetResourceRecords(string customerId, string subscriptionId, ClaimsPrincipal principal, UsageSummaries summaries, CancellationToken cancellationToken) =>
        ParseIds(customerId, subscriptionId, out var customer, out var subscription) is { } idError
            ? ApiResults.Error(idError)
            : Answer(await summaries.ResourceRecordsAsync(Caller.From(principal), customer, subscription, cancellationToken));

    internal static async Task<IResult> GetMeterRecords(string customerId, string subscriptionId, ClaimsPrincipal principal, UsageSummaries summaries, CancellationToken cancellationToken) =>
        ParseIds(customerId, subscriptionId, out var customer, out var subscription) is { } idError
            ? ApiResults.Error(idError)
            : Answer(await summaries.MeterRecordsAsync(Caller.From(principal), customer, subscription, cancellationToken));

    /// <summary>The Usage page's lines as Partner Center's 55-column daily rated usage CSV.</summary>
    internal static async Task<IResult> DownloadCsv(
        [FromQuery(Name = "period")] string? period,
        [FromQuery(Name = "partner")] string? partnerId,
        [FromQuery(Name = "customer")] string? customerId,
        ClaimsPrincipal principal,
        UnbilledUsage unbilled,
        CancellationToken cancellationToken)
    {
        var caller = Caller.From(principal);
        if (!caller.Allows(ApiOperation.UsageRead))
        {
            return ApiResults.Error(OperationForbiddenException.Error);
        }

        if (unbilled.ParsePeriod(period ?? "current", out var month) is { } periodError)
        {
            return ApiResults.Error(periodError);
        }

        var (scope, error) = await unbilled.ScopeAsync(caller, partnerId, customerId, month, cancellationToken);
        if (error is not null)
        {
            return ApiResults.Error(error);
        }

        var items = await unbilled.ToLineItemsAsync(scope!.Rating, scope.Rating.Lines, cancellationToken);
        var buffer = new MemoryStream();
        await using (var writer = new Paygo.Rating.Files.CsvTableWriter(buffer, Paygo.Rating.Files.DailyRatedUsageFile.Table, leaveOpen: true))
        {
            foreach (var item in items)
            {
                writer.WriteCells(item.ToCells());
            }
        }

        buffer.Position = 0;
        return TypedResults.File(buffer, "text/csv", $"unbilled-daily-rated-usage-{month.ToFileText()}.csv");
    }

    private static ApiError? ParseIds(string customerText, string subscriptionText, out Guid customer, out Guid subscription)
    {
        subscription = Guid.Empty;
        if (CustomerVisibility.ParseId(customerText, out customer) is { } idError)
        {
            return idError;
        }

        return Guid.TryParse(subscriptionText, out subscription)
            ? null
            : ApiError.InvalidField("subscriptionId", $"The subscriptionId '{ErrorText.Quote(subscriptionText)}' is not a GUID.");
    }

    private static IResult Answer<T>(Result<T> result)
        where T : class => result.Value is { } value ? TypedResults.Ok(value) : ApiResults.Error(result.Error!);
}
