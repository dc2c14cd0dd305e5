using Microsoft.EntityFrameworkCore;
using Paygo.Core.Agreements;
using Paygo.Core.Audit;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Partners;
using Paygo.Core.Users;

namespace Paygo.Core.Customers;

/// <summary>
/// Who sees which customer (DOMAIN.md §1): the operator sees all; a partner sees the customers it
/// bills; an indirect provider also those of its resellers (it bills them); a reseller only the
/// customers it is reseller of record for. A customer outside this answers 404, never 403.
/// The one place that asks "can the caller see this customer": every customer-scoped Core
/// operation goes through <see cref="FindAsync"/>, <see cref="IsVisibleAsync"/> or <see cref="Of"/>.
/// </summary>
public static class CustomerVisibility
{
    /// <summary>The customers <paramref name="caller"/> may see, untracked.</summary>
    public static IQueryable<Customer> Of(PaygoDbContext db, Caller caller)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Customers.AsNoTracking().VisibleTo(caller);
    }

    /// <summary>The customer if <paramref name="caller"/> may see it; null for one that does not exist or is another partner's.</summary>
    public static Task<Customer?> FindAsync(PaygoDbContext db, Caller caller, Guid customerId, CancellationToken cancellationToken) =>
        Of(db, caller).FirstOrDefaultAsync(c => c.Id == customerId, cancellationToken);

    public static Task<bool> IsVisibleAsync(PaygoDbContext db, Caller caller, Guid customerId, CancellationToken cancellationToken) =>
        Of(db, caller).AnyAsync(c => c.Id == customerId, cancellationToken);

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
        PermissionMatrix.Demand(caller, ApiOperation.CustomersWrite);
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

    public async Task<Customer?> FindAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CustomersRead);
        return await CustomerVisibility.FindAsync(db, caller, id, cancellationToken);
    }

    /// <summary>One page of customers by company name then id, those matching <paramref name="search"/> if given.</summary>
    public async Task<(CollectionPage<CustomerResource>? Page, ApiError? Error)> ListAsync(
        Caller caller, int? size, string? continuationToken, CustomerSearch? search, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CustomersRead);
        if (!SeekPaging.TryGetSize(size, out var pageSize, out var sizeError))
        {
            return (null, sizeError);
        }

        var (query, filterError) = Filtered(caller, search);
        if (filterError is not null)
        {
            return (null, filterError);
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

    /// <summary>How many customers the caller sees that match <paramref name="filter"/> (all pages): the list's "of 1,234".</summary>
    public async Task<(int? Count, ApiError? Error)> CountAsync(Caller caller, CustomerSearch? filter, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CustomersRead);
        var (query, error) = Filtered(caller, filter);
        return error is null ? (await query.CountAsync(cancellationToken), null) : (null, error);
    }

    /// <summary>
    /// One page of the dashboard's customer list: the customers, what the list shows beside each
    /// (billing partner, reseller of record, MCA on record, Azure plan), the next page's token and
    /// how many match in all. Five queries per page, whatever its size.
    /// </summary>
    public async Task<(CustomerListPage? Page, ApiError? Error)> ListForDashboardAsync(
        Caller caller, int? size, string? continuationToken, CustomerSearch? filter, CancellationToken cancellationToken)
    {
        var (page, error) = await ListAsync(caller, size, continuationToken, filter, cancellationToken);
        if (page is null)
        {
            return (null, error);
        }

        var (total, _) = await CountAsync(caller, filter, cancellationToken);
        var customers = page.Items;
        var ids = customers.Select(c => c.Id).ToList();
        var withMca = await db.CustomerAgreements.AsNoTracking()
            .Where(a => ids.Contains(a.CustomerId) && a.Type == AgreementTypes.MicrosoftCustomerAgreement)
            .Select(a => a.CustomerId).Distinct().ToListAsync(cancellationToken);
        var plans = await db.CommerceSubscriptions.AsNoTracking()
            .Where(s => ids.Contains(s.CustomerId) && s.Kind == SkuKind.AzurePlan)
            .Select(s => new { s.CustomerId, s.Status }).ToListAsync(cancellationToken);
        var partnerNames = await PartnerNamesAsync(
            customers.Select(c => c.PartnerId).Concat(customers.Select(c => Guid.TryParse(c.AssociatedPartnerId, out var reseller) ? reseller : Guid.Empty)),
            cancellationToken);
        var rows = customers.Select(c => new CustomerListRow(
            c,
            partnerNames.GetValueOrDefault(c.PartnerId, c.PartnerId.ToString()),
            Guid.TryParse(c.AssociatedPartnerId, out var reseller) ? partnerNames.GetValueOrDefault(reseller, c.AssociatedPartnerId!) : null,
            withMca.Contains(c.Id),
            plans.FirstOrDefault(p => p.CustomerId == c.Id)?.Status)).ToList();
        var next = page.Links.Next?.Headers.FirstOrDefault(h => h.Key == SeekPaging.ContinuationTokenHeader)?.Value;
        return (new CustomerListPage(rows, next, total ?? rows.Count), null);
    }

    /// <summary>The names of a visible customer's billing partner and reseller of record (its id when the partner is gone).</summary>
    public async Task<(string BilledBy, string? Reseller)?> PartnerNamesAsync(Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        var customer = await FindAsync(caller, customerId, cancellationToken);
        if (customer is null)
        {
            return null;
        }

        var names = await PartnerNamesAsync([customer.PartnerId, customer.ResellerPartnerId ?? Guid.Empty], cancellationToken);
        return (names.GetValueOrDefault(customer.PartnerId, customer.PartnerId.ToString()),
            customer.ResellerPartnerId is { } reseller ? names.GetValueOrDefault(reseller, reseller.ToString()) : null);
    }

    /// <summary>
    /// Who adds customers from the caller's organisation, for the add form: the caller's partner
    /// (null for the operator) and, for an indirect provider, the indirect resellers it may name
    /// (Paygo keeps no provider–reseller contract yet, so every indirect reseller).
    /// </summary>
    public async Task<(Partner? Partner, IReadOnlyList<Partner> Resellers)> AddingContextAsync(Caller caller, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.CustomersRead);
        var partner = caller.PartnerId is { } partnerId
            ? await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == partnerId, cancellationToken)
            : null;
        if (partner?.Type != PartnerType.IndirectProvider || !caller.Allows(ApiOperation.CustomersWrite))
        {
            return (partner, []);
        }

        var resellers = await db.Partners.AsNoTracking().Where(p => p.Type == PartnerType.IndirectReseller).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return (partner, resellers);
    }

    private async Task<Dictionary<Guid, string>> PartnerNamesAsync(IEnumerable<Guid> partnerIds, CancellationToken cancellationToken)
    {
        var ids = partnerIds.Distinct().ToList();
        return await db.Partners.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, cancellationToken);
    }

    /// <summary>The customers the caller sees, narrowed by a customer search.</summary>
    private (IQueryable<Customer> Query, ApiError? Error) Filtered(Caller caller, CustomerSearch? search)
    {
        var query = CustomerVisibility.Of(db, caller);
        if (search is null)
        {
            return (query, null);
        }

        if (CustomerSearch.CheckPrefix(search.Prefix) is { } searchError)
        {
            return (query, searchError);
        }

        var prefix = search.Prefix.Trim().ToLowerInvariant();
        query = search.Field == CustomerSearchField.Domain
            ? query.Where(c => c.Domain.StartsWith(prefix))
#pragma warning disable CA1862 // EF translates ToLower() + StartsWith to lower(...) LIKE on both engines; the overload with StringComparison does not translate.
            : query.Where(c => c.CompanyName.ToLower().StartsWith(prefix));
#pragma warning restore CA1862
        return (query, null);
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
