using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Agreements;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Customers;

/// <summary>
/// Customers and their MCA attestations (DOMAIN.md §3): <c>/v1/customers</c>,
/// <c>/v1/customers/{customerId}/agreements</c> and <c>/v1/agreements</c>. See Customers.http.
/// </summary>
public static class CustomerEndpoints
{
    public static IEndpointRouteBuilder MapCustomers(this IEndpointRouteBuilder app)
    {
        var customers = app.MapGroup("/v1/customers").WithTags("Customers");
        customers.MapPost("/", CreateCustomer)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.CustomersWrite))
            .WithName("CreateCustomer")
            .WithSummary("Adds a customer. Idempotent on MS-RequestId.")
            .Produces<CustomerResource>(StatusCodes.Status201Created);
        customers.MapGet("/", ListCustomers)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.CustomersRead))
            .WithName("ListCustomers")
            .WithSummary("Lists customers by company name with seek paging; filter={\"Field\":\"CompanyName\"|\"Domain\",\"Value\":\"..\",\"Operator\":\"starts_with\"}.");
        customers.MapGet("/{customerId}", GetCustomer)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.CustomersRead))
            .WithName("GetCustomer");
        customers.MapPost("/{customerId}/agreements", ConfirmAgreement)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.AgreementsWrite))
            .WithName("ConfirmCustomerAgreement")
            .WithSummary("Records the partner's attestation that the customer accepted the Microsoft Customer Agreement.")
            .Produces<AgreementResource>(StatusCodes.Status201Created);
        customers.MapGet("/{customerId}/agreements", ListAgreements)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.AgreementsRead))
            .WithName("ListCustomerAgreements")
            .WithSummary("Every MCA attestation of the customer, newest first, with who attested.");

        app.MapGet("/v1/agreements", (string? agreementType) =>
                TypedResults.Ok(CollectionPage.Of(AgreementRecords.Metadata(agreementType), null)))
            .WithTags("Customers")
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.AgreementsRead))
            .WithName("GetAgreementMetadata")
            .WithSummary("Agreement metadata: agreementType=MicrosoftCustomerAgreement (or *) gives the MCA template id to confirm with.");
        return app;
    }

    internal static async Task<IResult> CreateCustomer(
        CustomerCreateRequest request,
        [FromHeader(Name = IdempotentCreates.RequestIdHeader)] string? requestId,
        ClaimsPrincipal principal,
        CustomerDirectory customers,
        CancellationToken cancellationToken)
    {
        if (IdempotentCreates.ValidateRequestId(requestId) is { } requestIdError)
        {
            return ApiResults.Error(requestIdError);
        }

        return ApiResults.From(await customers.CreateAsync(Caller.From(principal), request, requestId, cancellationToken));
    }

    internal static async Task<IResult> ListCustomers(
        int? size,
        string? filter,
        [FromHeader(Name = SeekPaging.ContinuationTokenHeader)] string? continuationToken,
        ClaimsPrincipal principal,
        CustomerDirectory customers,
        CancellationToken cancellationToken)
    {
        CustomerSearch? search = null;
        if (filter is not null)
        {
            (search, var filterError) = CustomerSearch.Parse(filter);
            if (filterError is not null)
            {
                return ApiResults.Error(filterError);
            }
        }

        var (page, error) = await customers.ListAsync(Caller.From(principal), size, continuationToken, search, cancellationToken);
        return page is not null ? TypedResults.Ok(page) : ApiResults.Error(error!);
    }

    internal static async Task<IResult> GetCustomer(string customerId, ClaimsPrincipal principal, CustomerDirectory customers, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var id) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        var customer = await customers.FindAsync(Caller.From(principal), id, cancellationToken);
        return customer is not null ? TypedResults.Ok(CustomerResource.From(customer)) : ApiResults.Error(CustomerVisibility.NotFound(id));
    }

    internal static async Task<IResult> ConfirmAgreement(
        string customerId,
        AgreementCreateRequest request,
        [FromHeader(Name = IdempotentCreates.RequestIdHeader)] string? requestId,
        ClaimsPrincipal principal,
        AgreementRecords agreements,
        CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var id) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        if (IdempotentCreates.ValidateRequestId(requestId) is { } requestIdError)
        {
            return ApiResults.Error(requestIdError);
        }

        return ApiResults.From(await agreements.ConfirmAsync(Caller.From(principal), id, request, requestId, cancellationToken));
    }

    internal static async Task<IResult> ListAgreements(
        string customerId, string? agreementType, ClaimsPrincipal principal, AgreementRecords agreements, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var id) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        var records = await agreements.ListAsync(Caller.From(principal), id, agreementType, cancellationToken);
        return records is not null ? TypedResults.Ok(CollectionPage.Of(records, null)) : ApiResults.Error(CustomerVisibility.NotFound(id));
    }
}
