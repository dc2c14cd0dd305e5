using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
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
    public static IEndpointRouteBuilder MapRatedUsage(this IEndpointRouteBuilder app)
    {
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

        var (page, error) = await unbilled.LineItemsAsync(
            Caller.From(principal), new UnbilledQuery(provider, invoiceLineItemType, currencyCode, period, partnerId, customerId), pageSize, seekOperation, continuationToken, cancellationToken);
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
