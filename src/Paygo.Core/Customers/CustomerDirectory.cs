using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Partners;
using Paygo.Core.Users;

namespace Paygo.Core.Customers;

/// <summary>
/// Who sees which customer (DOMAIN.md §1): the operator sees all; a partner sees the customers it
/// bills; an indirect provider also those of its resellers (it bills them); a reseller only the
/// customers it is reseller of record for. A customer outside this answers 404, never 403.
/// </summary>
public static class CustomerVisibility
{
    public static IQueryable<Customer> VisibleTo(this IQueryable<Customer> customers, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return caller.IsOperator
            ? customers
            : customers.Where(c => c.PartnerId == caller.PartnerId || c.ResellerPartnerId == caller.PartnerId);
    }

    public static ApiError NotFound(Guid customerId) => new(ErrorKind.NotFound, ErrorCodes.NotFound, $"No customer with id {customerId}.");

    /// <summary>Parses a customer id from the route; a malformed id is a 400 naming the field (Partner Center's 900118).</summary>
    public static ApiError? ParseId(string? text, out Guid id)
    {
        if (Guid.TryParse(text, out id))
        {
            return null;
        }

        return new ApiError(ErrorKind.Invalid, 900118, $"The customer id '{ErrorText.Quote(text)}' is not valid: it must be the customer's tenant id (a GUID).",
            [new FieldError("customerId", "Not a GUID.")]);
    }
}

/// <summary>Adding, reading and searching customers (DOMAIN.md §3, reference §1.2).</summary>
public sealed class CustomerDirectory(PaygoDbContext db, IdempotentCreates creates, CatalogQueries catalog, TimeProvider clock)
{
    public const string CreateOperation = "POST /v1/customers";

    public Task<Result<Created<CustomerResource>>> CreateAsync(Caller caller, CustomerCreateRequest request, string? requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return creates.CreateAsync<CustomerResource>(
            caller.Scope,
            requestId,
            CreateOperation,
            request,
            async ct =>
            {
                var partner = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == caller.PartnerId, ct);
                if (partner is null)
                {
                    return (null, new ApiError(ErrorKind.Forbidden, ErrorCodes.PartnerTypeNotAllowed, "Only a partner adds customers."));
                }

                if (partner.Type == PartnerType.IndirectReseller)
                {
                    return (null, new ApiError(ErrorKind.Forbidden, ErrorCodes.PartnerTypeNotAllowed,
                        "An indirect reseller's customers are added by its indirect provider, which names the reseller as associatedPartnerId."));
                }

                var (valid, errors) = CustomerRules.Validate(request);
                var fieldErrors = errors.ToList();
                if (valid is not null && !await catalog.IsAzurePlanAvailableInAsync(valid.Customer.Country, ct))
                {
                    fieldErrors.Add(new("billingProfile.defaultAddress.country",
                        $"The Azure plan is not sold in {valid.Customer.Country}, so Paygo cannot serve a customer there."));
                }

                Guid? reseller = null;
                if (valid is not null)
                {
                    (reseller, var resellerError) = await ResolveResellerAsync(partner, valid.AssociatedPartner, ct);
                    if (resellerError is not null)
                    {
                        fieldErrors.Add(resellerError);
                    }
                }

                if (fieldErrors.Count > 0 || valid is null)
                {
                    return (null, ApiError.InvalidFields(fieldErrors));
                }

                var customer = valid.Customer;
                if (await db.Customers.AnyAsync(c => c.Domain == customer.Domain, ct))
                {
                    return (null, Duplicate("companyProfile.domain", $"The domain {customer.Domain} already belongs to a customer tenant; choose another."));
                }

                if (await db.Customers.AnyAsync(c => c.Id == customer.Id, ct))
                {
                    return (null, Duplicate("companyProfile.tenantId", $"A customer with tenant id {customer.Id} already exists."));
                }

                customer.PartnerId = partner.Id;
                customer.ResellerPartnerId = reseller;
                customer.CreatedAt = clock.GetUtcNow();
                db.Customers.Add(customer);
                var resource = CustomerResource.From(customer);
                var audit = new AuditEntry("create_customer", "customer", AuditEntry.Succeeded, PartnerId: partner.Id, CustomerId: customer.Id);
                return (new PreparedCreate<CustomerResource>(resource, resource.Links.Self.Uri, audit), null);
            },
            _ => Duplicate("companyProfile.domain", "A customer with this domain or tenant id was added at the same moment."),
            cancellationToken);
    }

    public async Task<Customer?> FindAsync(Caller caller, Guid id, CancellationToken cancellationToken) =>
        await db.Customers.AsNoTracking().VisibleTo(caller).FirstOrDefaultAsync(c => c.Id == id, cancellationToken);

    /// <summary>One page of customers by company name then id, those matching <paramref name="search"/> if given.</summary>
    public async Task<(CollectionPage<CustomerResource>? Page, ApiError? Error)> ListAsync(
        Caller caller, int? size, string? continuationToken, CustomerSearch? search, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!SeekPaging.TryGetSize(size, out var pageSize, out var sizeError))
        {
            return (null, sizeError);
        }

        var query = db.Customers.AsNoTracking().VisibleTo(caller);
        if (search is not null)
        {
            if (CustomerSearch.CheckPrefix(search.Prefix) is { } searchError)
            {
                return (null, searchError);
            }

            var prefix = search.Prefix.Trim().ToLowerInvariant();
            query = search.Field == CustomerSearchField.Domain
                ? query.Where(c => c.Domain.StartsWith(prefix))
#pragma warning disable CA1862 // EF translates ToLower() + StartsWith to lower(...) LIKE on both engines; the overload with StringComparison does not translate.
                : query.Where(c => c.CompanyName.ToLower().StartsWith(prefix));
#pragma warning restore CA1862
        }

        if (continuationToken is not null)
        {
            if (!SeekPaging.TryDecode(continuationToken, 2, out var key) || !Guid.TryParse(key[1], out var lastId))
            {
                return (null, SeekPaging.InvalidToken());
            }

            var lastName = key[0];
            query = query.Where(c => string.Compare(c.CompanyName, lastName) > 0 || (c.CompanyName == lastName && c.Id.CompareTo(lastId) > 0));
        }

        var customers = await query.OrderBy(c => c.CompanyName).ThenBy(c => c.Id).Take(pageSize + 1).ToListAsync(cancellationToken);
        var items = customers.Take(pageSize).Select(CustomerResource.From).ToList();
        Link? next = null;
        if (customers.Count > pageSize)
        {
            var last = customers[pageSize - 1];
            next = SeekPaging.NextLink("/v1/customers", pageSize, SeekPaging.Encode(last.CompanyName, last.Id.ToString()),
                search is null ? null : "filter=" + Uri.EscapeDataString(search.ToFilterText()));
        }

        return (CollectionPage.Of(items, next), null);
    }

    private async Task<(Guid? Reseller, FieldError? Error)> ResolveResellerAsync(Partner partner, string? associated, CancellationToken cancellationToken)
    {
        const string field = "associatedPartnerId";
        if (partner.Type == PartnerType.DirectBill)
        {
            return associated is null
                ? (null, null)
                : (null, new FieldError(field, "A direct-bill partner sells without a reseller: leave 'associatedPartnerId' out."));
        }

        if (associated is null)
        {
            return (null, new FieldError(field, "An indirect provider names the customer's reseller of record in 'associatedPartnerId' (the reseller's tenant id or PartnerID)."));
        }

        var reseller = Guid.TryParse(associated, out var tenantId)
            ? await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == tenantId, cancellationToken)
            : await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.MpnId == associated, cancellationToken);
        if (reseller is not { Type: PartnerType.IndirectReseller })
        {
            return (null, new FieldError(field, $"'{ErrorText.Quote(associated)}' is not an indirect reseller known to Paygo (give its tenant id or PartnerID)."));
        }

        return (reseller.Id, null);
    }

    private static ApiError Duplicate(string field, string message) =>
        new(ErrorKind.Conflict, ErrorCodes.AlreadyExists, message, [new FieldError(field, message)]);
}
