using Microsoft.EntityFrameworkCore;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Rating.Pricing;

namespace Paygo.Core.RatedUsage;

/// <summary>
/// Partner Center's usage summaries and records of the current month (reference §8.2), all sums
/// of <see cref="IMonthRating"/>'s lines in the billing currency (docs/adr/0033): the partner's
/// summary, each customer's monthly record and summary, each Azure plan's record and summary,
/// and the plan's totals per resource and per meter. Month to date, estimates as Partner Center
/// calls them; <c>totalCost</c> is the unrounded Σ <c>BillingPreTaxTotal</c>, <c>usdTotalCost</c>
/// the Σ <c>PricingPreTaxTotal</c>. <c>budget</c> stays null: budgets are their own feature.
/// </summary>
public sealed class UsageSummaries(PaygoDbContext db, UnbilledUsage unbilled, TimeProvider clock)
{
    private BillingMonth CurrentMonth => BillingMonth.Of(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

    /// <summary><c>GET /v1/usagesummary</c>: the billed partner's month (the operator names the partner with <c>partnerId</c>).</summary>
    public async Task<Result<PartnerUsageSummaryResource>> PartnerAsync(Caller caller, string? partnerId, CancellationToken cancellationToken)
    {
        var month = CurrentMonth;
        var (scope, error) = await unbilled.ScopeAsync(caller, partnerId, null, month, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var rating = scope!.Rating;
        var partner = await db.Partners.AsNoTracking().Where(p => p.Id == scope.PartnerId).Select(p => new { p.Name }).FirstAsync(cancellationToken);
        var customers = await db.CommerceSubscriptions.AsNoTracking()
            .Where(s => s.PartnerId == scope.PartnerId && s.Kind == SkuKind.AzurePlan).Select(s => s.CustomerId).Distinct().CountAsync(cancellationToken);
        var (total, usd, modified) = Sum(rating.Lines);
        return new PartnerUsageSummaryResource(scope.PartnerId.ToString("D"), partner.Name, Start(month), End(month), total, rating.BillingCurrency, null, usd,
            customers, null, null, modified, new ResourceLinks(Link.Get("/v1/usagesummary")), new ResourceAttributes("PartnerUsageSummary"));
    }

    /// <summary><c>GET /v1/customers/usagerecords</c>: one record per customer of the billed partner with an Azure plan.</summary>
    public async Task<Result<CollectionPage<CustomerMonthlyUsageRecordResource>>> CustomerRecordsAsync(Caller caller, string? partnerId, CancellationToken cancellationToken)
    {
        var month = CurrentMonth;
        var (scope, error) = await unbilled.ScopeAsync(caller, partnerId, null, month, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var planCustomers = db.CommerceSubscriptions.AsNoTracking().Where(s => s.PartnerId == scope!.PartnerId && s.Kind == SkuKind.AzurePlan).Select(s => s.CustomerId);
        var customers = await CustomerVisibility.Of(db, caller).Where(c => c.PartnerId == scope!.PartnerId && planCustomers.Contains(c.Id))
            .Select(c => new { c.Id, c.CompanyName, c.Culture }).ToListAsync(cancellationToken);
        var lines = scope!.Rating.Lines.ToLookup(l => l.CustomerId);
        var items = customers.OrderBy(c => c.CompanyName, StringComparer.Ordinal).ThenBy(c => c.Id).Select(c =>
        {
            var (total, usd, modified) = Sum(lines[c.Id]);
            return new CustomerMonthlyUsageRecordResource(null, null, c.Id.ToString("D"), c.CompanyName, total, c.Culture, scope.Rating.BillingCurrency, usd, true, modified,
                new ResourceAttributes("CustomerMonthlyUsageRecord"));
        }).ToList();
        return CollectionPage.Of(items, null);
    }

    /// <summary><c>GET /v1/customers/{c}/usagesummary</c>.</summary>
    public async Task<Result<CustomerUsageSummaryResource>> CustomerAsync(Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        var (context, error) = await CustomerScopeAsync(caller, customerId, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var (customer, rating) = (context!.Customer, context.Rating);
        var (total, usd, modified) = Sum(rating.Lines);
        return new CustomerUsageSummaryResource(null, customerId.ToString("D"), customer.CompanyName, Start(rating.Month), End(rating.Month), total, customer.Culture,
            rating.BillingCurrency, usd, modified, new ResourceLinks(Link.Get($"/v1/customers/{customerId}/usagesummary")), new ResourceAttributes("CustomerUsageSummary"));
    }

    /// <summary><c>GET /v1/customers/{c}/subscriptions/usagerecords</c>: one record per Azure plan of the customer.</summary>
    public async Task<Result<CollectionPage<SubscriptionMonthlyUsageRecordResource>>> SubscriptionRecordsAsync(Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        var (context, error) = await CustomerScopeAsync(caller, customerId, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var (customer, rating) = (context!.Customer, context.Rating);
        var partnerMpn = await db.Partners.AsNoTracking().Where(p => p.Id == customer.PartnerId).Select(p => p.MpnId).FirstAsync(cancellationToken);
        var plans = await db.CommerceSubscriptions.AsNoTracking().Where(s => s.CustomerId == customerId && s.Kind == SkuKind.AzurePlan).OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(cancellationToken);
        var lines = rating.Lines.ToLookup(l => l.SubscriptionId);
        var items = plans.Select(p =>
        {
            var (total, usd, modified) = Sum(lines[p.Id]);
            return new SubscriptionMonthlyUsageRecordResource(p.Id.ToString("D"), p.FriendlyName, p.Status, partnerMpn, p.OfferId, total, customer.Culture, rating.BillingCurrency, usd, modified,
                new ResourceAttributes("SubscriptionMonthlyUsageRecord"));
        }).ToList();
        return CollectionPage.Of(items, null);
    }

    /// <summary><c>GET /v1/customers/{c}/subscriptions/{s}/usagesummary</c>.</summary>
    public async Task<Result<SubscriptionUsageSummaryResource>> SubscriptionAsync(Caller caller, Guid customerId, Guid subscriptionId, CancellationToken cancellationToken)
    {
        var (context, error) = await PlanScopeAsync(caller, customerId, subscriptionId, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var (customer, plan, lines, month, currency) = (context!.Customer, context.Plan, context.Lines, context.Month, context.Currency);
        var (total, usd, modified) = Sum(lines);
        return new SubscriptionUsageSummaryResource(subscriptionId.ToString("D"), plan.FriendlyName, Start(month), End(month), total, customer.Culture, currency, usd, modified,
            new ResourceLinks(Link.Get($"/v1/customers/{customerId}/subscriptions/{subscriptionId}/usagesummary")), new ResourceAttributes("SubscriptionUsageSummary"));
    }

    /// <summary><c>GET .../subscriptions/{s}/resourceusagerecords</c>: the plan's month per Azure subscription, resource and meter.</summary>
    public async Task<Result<CollectionPage<ResourceUsageRecordResource>>> ResourceRecordsAsync(Caller caller, Guid customerId, Guid subscriptionId, CancellationToken cancellationToken)
    {
        var (context, error) = await PlanScopeAsync(caller, customerId, subscriptionId, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var (customer, lines, currency) = (context!.Customer, context.Lines, context.Currency);
        var items = lines
            .GroupBy(l => (l.EntitlementId, Resource: l.ResourceUri.ToLowerInvariant(), l.MeterId))
            .Select(g =>
            {
                var first = g.First();
                var (total, usd, modified) = Sum(g);
                var (group, _) = UnbilledUsage.ResourceParts(first.ResourceUri);
                return new ResourceUsageRecordResource(first.EntitlementId.ToString("D"), group, first.ResourceUri, ResourceName(first.ResourceUri), first.Meter.MeterCategory,
                    first.Meter.MeterSubCategory, g.Sum(l => l.Quantity), first.Meter.UnitOfMeasure, first.MeterId.ToString("D"), first.Meter.MeterName, total, customer.Culture, currency, usd,
                    modified, new ResourceAttributes("AzureResourceMonthlyUsageRecord"));
            })
            .OrderBy(r => r.EntitlementId, StringComparer.Ordinal).ThenBy(r => r.ResourceUri, StringComparer.OrdinalIgnoreCase).ThenBy(r => r.MeterId, StringComparer.Ordinal)
            .ToList();
        return CollectionPage.Of(items, null);
    }

    /// <summary><c>GET .../subscriptions/{s}/meterusagerecords</c>: the plan's month per meter.</summary>
    public async Task<Result<CollectionPage<MeterUsageRecordResource>>> MeterRecordsAsync(Caller caller, Guid customerId, Guid subscriptionId, CancellationToken cancellationToken)
    {
        var (context, error) = await PlanScopeAsync(caller, customerId, subscriptionId, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var (customer, lines, currency) = (context!.Customer, context.Lines, context.Currency);
        var items = lines
            .GroupBy(l => l.MeterId)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var first = g.First();
                var (total, usd, modified) = Sum(g);
                return new MeterUsageRecordResource(subscriptionId.ToString("D"), g.Key.ToString("D"), first.Meter.MeterName, first.Meter.MeterCategory, first.Meter.MeterSubCategory,
                    g.Sum(l => l.Quantity), first.Meter.UnitOfMeasure, total, customer.Culture, currency, usd, modified, new ResourceAttributes("MeterUsageRecord"));
            })
            .ToList();
        return CollectionPage.Of(items, null);
    }

    private sealed record CustomerFacts(Guid PartnerId, string CompanyName, string Culture);

    // A customer the caller may see (404 otherwise, S2), rated under the partner that bills it.
    private sealed record CustomerContext(CustomerFacts Customer, MonthRatingResult Rating);

    private sealed record PlanContext(CustomerFacts Customer, Azure Plan, IReadOnlyList<RatedUsageLine> Lines, BillingMonth Month, string Currency);

    private async Task<Result<CustomerContext>> CustomerScopeAsync(Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsageRead);
        var customer = await CustomerVisibility.Of(db, caller).Where(c => c.Id == customerId)
            .Select(c => new CustomerFacts(c.PartnerId, c.CompanyName, c.Culture)).FirstOrDefaultAsync(cancellationToken);
        if (customer is null)
        {
            return CustomerVisibility.NotFound(customerId);
        }

        var (scope, error) = await unbilled.ScopeAsync(Caller.OperatorSystem, customer.PartnerId.ToString("D"), customerId.ToString("D"), CurrentMonth, cancellationToken);
        return error is not null ? error : new CustomerContext(customer, scope!.Rating);
    }

    private async Task<Result<PlanContext>> PlanScopeAsync(
        Caller caller, Guid customerId, Guid subscriptionId, CancellationToken cancellationToken)
    {
        var (context, error) = await CustomerScopeAsync(caller, customerId, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var (customer, rating) = (context!.Customer, context.Rating);
        var plan = await db.CommerceSubscriptions.AsNoTracking().Where(s => s.Id == subscriptionId && s.CustomerId == customerId && s.Kind == SkuKind.AzurePlan)
            .Select(s => new Azure(s.FriendlyName)).FirstOrDefaultAsync(cancellationToken);
        if (plan is null)
        {
            return ApiError.NotFound(ErrorCodes.NotFound, $"No Azure plan {subscriptionId} for customer {customerId}.");
        }

        return new PlanContext(customer, plan, [.. rating.Lines.Where(l => l.SubscriptionId == subscriptionId)], rating.Month, rating.BillingCurrency);
    }

    private sealed record Azure(string FriendlyName);

    private static (decimal Total, decimal Usd, DateTimeOffset? LastModified) Sum(IEnumerable<RatedUsageLine> lines)
    {
        var total = 0m;
        var usd = 0m;
        DateTimeOffset? modified = null;
        foreach (var line in lines)
        {
            total += line.BillingPreTaxTotal;
            usd += line.PricingPreTaxTotal;
            if (modified is null || line.AcceptedAt > modified)
            {
                modified = line.AcceptedAt;
            }
        }

        return (total, usd, modified);
    }

    private static string ResourceName(string resourceUri)
    {
        var slash = resourceUri.TrimEnd('/').LastIndexOf('/');
        return slash < 0 ? resourceUri : resourceUri[(slash + 1)..];
    }

    private static DateTimeOffset Start(BillingMonth month) => new(month.FirstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    // The billing period is [first day, first day of next month); Partner Center's end date is the last instant's day.
    private static DateTimeOffset End(BillingMonth month) => new(month.FirstDay.AddMonths(1).AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
