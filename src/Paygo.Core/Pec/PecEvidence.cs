using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Access;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Rating.Access;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Pec;

/// <summary>
/// PEC evidence for people (issue 11 point 4, docs/adr/0028): the pure decision of
/// <see cref="SubscriptionAccess"/> run for every resource and UTC day of a month of one Azure
/// subscription, each answer with its reason and the assignment ids behind it. A read: it
/// demands <see cref="ApiOperation.OrdersRead"/>, as the Azure subscription itself does, and
/// answers another partner's customer exactly as one that does not exist.
/// </summary>
public sealed class PecEvidence(PaygoDbContext db, IAccessHistorySource access, TimeProvider clock)
{
    public const string MonthFormat = "yyyy-MM";

    /// <summary>The day statuses: qualifying access all day, part of it, or none that counts.</summary>
    public const string Earned = "earned";
    public const string Partial = "partial";
    public const string Lost = "lost";

    /// <summary>
    /// The evidence of Azure subscription <c>entitlementId</c> under Azure plan
    /// <c>subscriptionId</c> for <c>month</c> (<c>yyyy-MM</c>; the current
    /// UTC month when null or empty).
    /// </summary>
    /// <remarks><c>resourceIds</c>: 
    /// Resources to decide besides the subscription itself, every scope that holds an assignment
    /// and every resource the month's stored usage names (ids outside this Azure subscription are
    /// ignored).
    /// </remarks>
    public async Task<Result<PecEvidenceResource>> ForEntitlementAsync(
        Caller caller, Guid customerId, Guid subscriptionId, Guid entitlementId, string? month, IEnumerable<string>? resourceIds, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.OrdersRead);
        var visible = CustomerVisibility.Of(db, caller);
        var entitlement = await db.AzureEntitlements.AsNoTracking().Where(e => visible.Any(c => c.Id == e.CustomerId))
            .FirstOrDefaultAsync(e => e.Id == entitlementId && e.SubscriptionId == subscriptionId && e.CustomerId == customerId, cancellationToken);
        if (entitlement is null)
        {
            return await db.Customers.AsNoTracking().VisibleTo(caller).AnyAsync(c => c.Id == customerId, cancellationToken)
                ? ApiError.NotFound(ErrorCodes.EntitlementNotFound, $"No Azure subscription {entitlementId} under subscription {subscriptionId}.")
                : CustomerVisibility.NotFound(customerId);
        }

        // After visibility: someone else's customer answers 404 whatever month is asked for.
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (first, monthError) = ParseMonth(month, today);
        if (monthError is not null)
        {
            return monthError;
        }

        var last = first.AddMonths(1).AddDays(-1);
        if (last > today)
        {
            last = today;
        }

        var plan = await db.CommerceSubscriptions.AsNoTracking().Where(s => s.Id == subscriptionId)
            .Select(s => new { s.PartnerId, s.ResellerPartnerId }).FirstAsync(cancellationToken);
        // The access history names partners by MPN id, as the usage file's MPNID and ResellerMPNID do (docs/adr/0027).
        var partnerIds = plan.ResellerPartnerId is { } r ? new[] { plan.PartnerId, r } : [plan.PartnerId];
        var mpnIds = await db.Partners.AsNoTracking().Where(p => partnerIds.Contains(p.Id))
            .ToDictionaryAsync(p => p.Id, p => p.MpnId, cancellationToken);
        var partner = mpnIds[plan.PartnerId];
        var reseller = plan.ResellerPartnerId is { } rr ? mpnIds[rr] : null;
        var history = await access.ForAzureSubscriptionAsync(plan.PartnerId, entitlementId, cancellationToken);
        var subscriptionScope = $"/subscriptions/{entitlementId:D}";
        var index = history.IndexFor(entitlementId.ToString("D"), partner, reseller);

        // The resources and meters the month's stored usage names (docs/adr/0038): evidence for what
        // is billed, not only for the scopes access was granted on.
        var usage = await UsageOfMonthAsync(plan.PartnerId, customerId, entitlementId, first, last, cancellationToken);
        var meters = await MetersAsync(customerId, first, usage.Select(u => u.MeterId).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), cancellationToken);
        var usageByResource = usage.GroupBy(u => u.ResourceUri, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);

        var resources = new List<PecResourceEvidence>();
        foreach (var resource in ResourcesOf(history, subscriptionScope, (resourceIds ?? []).Concat(usageByResource.Keys)))
        {
            var days = new List<PecDayEvidence>();
            for (var day = first; day <= last; day = day.AddDays(1))
            {
                days.Add(Day(index, index.Decide(resource.Path, MeterExclusion.None, day), day));
            }

            var used = usageByResource.GetValueOrDefault(resource.Path);
            resources.Add(new PecResourceEvidence(resource.Path, ScopeTypeOf(resource), days.Count(d => d.Status == Earned), days.Count(d => d.Status == Partial),
                days.Count(d => d.Status == Lost), days, used is null ? null : MetersOf(index, resource, used, meters)));
        }

        var monthText = first.ToString(MonthFormat, CultureInfo.InvariantCulture);
        return new PecEvidenceResource(
            customerId, subscriptionId, entitlementId, monthText, first, last, plan.PartnerId.ToString("D"), plan.ResellerPartnerId?.ToString("D"), PecDecision.RatePercent, resources,
            [.. history.Assignments.Where(a => a.Scope.SubscriptionId.Equals(entitlementId.ToString("D"), StringComparison.OrdinalIgnoreCase)).Select(a => AssignmentOf(history, a))],
            [.. history.Denies.Where(d => d.Scope.SubscriptionId.Equals(entitlementId.ToString("D"), StringComparison.OrdinalIgnoreCase))
                .Select(d => new PecDenyAssignmentResource(d.Id, d.Scope.Path, Instant(d.Period.Start), Instant(d.Period.End)))],
            new ResourceLinks(Link.Get($"/v1/customers/{customerId}/subscriptions/{subscriptionId}/azureEntitlements/{entitlementId}/pec?month={monthText}")),
            new ResourceAttributes("PecEvidence"));
    }

    /// <summary>
    /// Reads <c>yyyy-MM</c>: the month's first day, or a 400 naming <c>month</c> for another shape
    /// or a month that has not started by <paramref name="today"/> (no day of it can be decided yet).
    /// </summary>
    public static (DateOnly First, ApiError? Error) ParseMonth(string? month, DateOnly today)
    {
        if (string.IsNullOrEmpty(month))
        {
            return (new DateOnly(today.Year, today.Month, 1), null);
        }

        if (month.Length != MonthFormat.Length || !BillingMonth.TryParse(month, out var parsed))
        {
            return (default, ApiError.InvalidField("month", $"The query parameter 'month' must be a month as yyyy-MM, e.g. {today.ToString(MonthFormat, CultureInfo.InvariantCulture)}; '{ErrorText.Quote(month)}' is not."));
        }

        var first = parsed.FirstDay;
        if (first > today)
        {
            return (default, ApiError.InvalidField("month",
                $"The month {month} has not started yet (today is {today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} UTC): PEC evidence exists only for days that began."));
        }

        return (first, null);
    }

    private sealed record UsedMeterDay(string ResourceUri, string MeterId, DateOnly UsageDate);

    private async Task<List<UsedMeterDay>> UsageOfMonthAsync(Guid partnerId, Guid customerId, Guid entitlementId, DateOnly first, DateOnly last, CancellationToken cancellationToken)
    {
        var rows = await db.UsageRecords.AsNoTracking()
            .Where(u => u.PartnerId == partnerId && u.CustomerId == customerId && u.EntitlementId == entitlementId && u.UsageDate >= first && u.UsageDate <= last)
            .Select(u => new { u.ResourceUri, u.MeterId, u.UsageDate })
            .Distinct()
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new UsedMeterDay(r.ResourceUri, r.MeterId, r.UsageDate))];
    }

    private sealed record MeterInfo(string? Name, MeterExclusion Exclusion);

    // Each meter's PEC exclusion from the month's price list (reference §3.4), the customer's market
    // first; a meter no list of the month prices has no exclusion to show and no name.
    private async Task<Dictionary<string, MeterInfo>> MetersAsync(Guid customerId, DateOnly first, List<string> meterIds, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, MeterInfo>(StringComparer.OrdinalIgnoreCase);
        if (meterIds.Count == 0)
        {
            return result;
        }

        var market = await db.Customers.AsNoTracking().Where(c => c.Id == customerId).Select(c => c.Country).FirstAsync(cancellationToken);
        var month = (first.Year * 100) + first.Month;
        var lists = await db.PriceLists.AsNoTracking().Where(l => l.Month == month).Select(l => new { l.Id, l.Market }).ToListAsync(cancellationToken);
        var listIds = lists.Select(l => l.Id).ToList();
        var spellings = meterIds.SelectMany(m => new[] { m.ToLowerInvariant(), m.ToUpperInvariant() }).Distinct().ToList();
        var rows = await db.PriceRows.AsNoTracking().Where(r => listIds.Contains(r.PriceListId) && spellings.Contains(r.MeterId)).ToListAsync(cancellationToken);
        foreach (var row in rows.OrderBy(r => string.Equals(r.Market, market, StringComparison.OrdinalIgnoreCase) ? 0 : 1).ThenBy(r => r.Market, StringComparer.Ordinal).ThenBy(r => r.RowNumber))
        {
            result.TryAdd(row.MeterId, new MeterInfo($"{row.ProductTitle} {row.SkuTitle}", MeterRules.Classify(row.ToRow())));
        }

        return result;
    }

    // Per meter used on the resource: its days of usage decided with the meter's exclusion, as a rated row would be.
    private static List<PecMeterEvidence> MetersOf(SubscriptionAccess index, ArmScope resource, List<UsedMeterDay> used, Dictionary<string, MeterInfo> meters)
    {
        var result = new List<PecMeterEvidence>();
        foreach (var meter in used.GroupBy(u => u.MeterId, StringComparer.OrdinalIgnoreCase).OrderBy(g => g.Key, StringComparer.OrdinalIgnoreCase))
        {
            var info = meters.GetValueOrDefault(meter.Key);
            var exclusion = info?.Exclusion ?? MeterExclusion.None;
            var days = meter.Select(u => u.UsageDate).Distinct().Order().Select(day => Day(index, index.Decide(resource.Path, exclusion, day), day)).ToList();
            result.Add(new PecMeterEvidence(meter.Key.ToLowerInvariant(), info?.Name, exclusion == MeterExclusion.None ? null : CamelCase(exclusion.ToString()),
                days.Count, days.Count(d => d.Status == Earned), days));
        }

        return result;
    }

    // The subscription first, then every scope holding an assignment and every resource asked
    // for, each once (ARM ids compare case-insensitively), by path.
    private static IEnumerable<ArmScope> ResourcesOf(AccessHistory history, string subscriptionScope, IEnumerable<string>? resourceIds)
    {
        var subscription = ArmScope.Parse(subscriptionScope);
        var extra = (resourceIds ?? []).Select(id => ArmScope.TryParse(id, out var scope) ? scope : default).Where(s => s.Path is not null);
        var others = history.Assignments.Select(a => a.Scope).Concat(history.Denies.Select(d => d.Scope)).Concat(extra)
            .Where(s => !s.IsSubscription && subscription.Covers(s.Path))
            .Distinct()
            .OrderBy(s => s.Path, StringComparer.OrdinalIgnoreCase);
        return [subscription, .. others];
    }

    private static string ScopeTypeOf(ArmScope scope)
    {
        if (scope.IsSubscription)
        {
            return "subscription";
        }

        // /subscriptions/{id}/resourceGroups/{name}: four segments.
        var segments = scope.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == 4 && segments[2].Equals("resourceGroups", StringComparison.OrdinalIgnoreCase) ? "resourceGroup" : "resource";
    }

    private static PecDayEvidence Day(SubscriptionAccess index, in PecDecision decision, DateOnly day)
    {
        var ids = new List<string>();
        switch (decision.Reason)
        {
            case PecReason.Earned or PecReason.PartialDay:
                for (var i = 0; i < Math.Min(decision.CoverCount, PecDecision.InlineCover); i++)
                {
                    ids.Add(index.AssignmentId(decision.Covering(i)));
                }

                break;
            case PecReason.IneligibleRole or PecReason.OtherPartnerOnly:
                ids.Add(index.AssignmentId(decision.Assignment));
                break;
        }

        var status = decision.Reason switch
        {
            PecReason.Earned => Earned,
            PecReason.PartialDay => Partial,
            _ => Lost,
        };
        var partial = decision.Reason == PecReason.PartialDay;
        return new PecDayEvidence(
            day,
            status,
            decision.CreditPercent,
            CamelCase(decision.Reason.ToString()),
            index.Describe(decision),
            ids,
            decision.Reason is PecReason.Earned or PecReason.PartialDay ? decision.CoverCount : ids.Count,
            decision.Reason == PecReason.Denied ? index.DenyId(decision.Assignment) : null,
            partial ? Instant(decision.GapStart) : null,
            partial ? Instant(decision.GapEnd) : null,
            decision.Reason == PecReason.ExcludedMeter ? CamelCase(decision.ExcludedBy.ToString()) : null);
    }

    private static PecAssignmentResource AssignmentOf(AccessHistory history, Paygo.Rating.Access.RoleAssignment assignment)
    {
        var known = history.Roles.TryFind(assignment.RoleDefinitionId, out var role);
        var principal = assignment.Principal;
        return new PecAssignmentResource(
            assignment.Id,
            CamelCase(principal.Kind.ToString()),
            principal.Id,
            principal.PartnerId,
            principal.PartnerAdminLink,
            assignment.RoleDefinitionId,
            known ? role!.Name : assignment.RoleDefinitionId.ToString("D"),
            known && role!.PecEligible,
            assignment.Scope.Path,
            Instant(assignment.Period.Start),
            Instant(assignment.Period.End));
    }

    private static string CamelCase(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    private static DateTimeOffset Instant(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    private static DateTimeOffset? Instant(DateTime? utc) => utc is { } value ? Instant(value) : null;
}
