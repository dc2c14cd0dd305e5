using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Users;
using Paygo.Core.Pec;
using Paygo.Core.RatedUsage;
using Paygo.Rating.Billing;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Billing;

/// <summary>A day on which credit was lost, with what decided it (the assignment ids, the time of the gap).</summary>
public sealed record PecReportLostDay(string Day, decimal Lost, IReadOnlyList<string> Evidence);

/// <summary>One customer's Azure subscription in the month: credit earned, credit lost, and each lost day.</summary>
public sealed record PecReportSubscription(
    string CustomerId, string CustomerName, string AzureSubscriptionId, decimal Earned, decimal Lost, IReadOnlyList<PecReportLostDay> LostDays);

/// <summary>An Azure subscription that earned PEC on <see cref="EarnedOn"/> and none on <see cref="LostOn"/>, the next day.</summary>
public sealed record PecReportAlert(string CustomerId, string CustomerName, string AzureSubscriptionId, string EarnedOn, string LostOn, IReadOnlyList<string> Evidence);

/// <summary>Earned and lost credit of one day, over the report's lines (the chart's bars).</summary>
public sealed record PecReportDay(string Day, decimal Earned, decimal Lost);

/// <summary>The links of a PEC report: itself and its chart.</summary>
public sealed record PecReportLinks(Link Self, Link Chart);

/// <summary>
/// <c>GET /v1/reports/pec</c>: a billed partner's month of Partner Earned Credit, per customer and
/// Azure subscription (issue 13 point 4). Amounts are in the billing currency, rounded down to its
/// minor unit as invoice lines are (DOMAIN.md §6); the report explains the bill, it does not make it.
/// </summary>
public sealed record PecReportResource(
    string PartnerId,
    string Month,
    string Currency,
    decimal CreditPercent,
    decimal Earned,
    decimal Lost,
    IReadOnlyList<PecReportSubscription> Subscriptions,
    IReadOnlyList<PecReportAlert> Alerts,
    IReadOnlyList<PecReportDay> Days,
    int UnratedRecords,
    PecReportLinks Links,
    ResourceAttributes Attributes);

/// <summary>
/// The PEC report over Paygo's own rating of a month (<see cref="IMonthRating"/>, the same lines
/// the invoice is made of): earned = list cost × PEC, lost = list cost × (15 % − PEC) on eligible
/// meters, the evidence of each lost day, and the loss alerts (docs/adr/0041). Any month that has
/// begun: the open month is month to date, a closed one what was billed (late usage included, as
/// the rating includes it).
/// </summary>
public sealed class PecReports(PaygoDbContext db, UnbilledUsage unbilled, TimeProvider clock)
{
    /// <summary>The report's chart, earned and lost credit per day (an SVG), from the report's own figures.</summary>
    public static string ChartOf(PecReportResource report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var days = report.Days.Select(d => new PecDay(DateOnly.ParseExact(d.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), d.Earned, d.Lost)).ToList();
        return PecChart.Svg(days, report.Currency);
    }

    /// <summary>The month's rated lines as the PEC report reads them: list cost in the billing currency.</summary>
    public static List<PecUsage> UsageOf(MonthRatingResult rating)
    {
        ArgumentNullException.ThrowIfNull(rating);
        return [.. rating.Lines.Select(l => new PecUsage(l.CustomerId, l.EntitlementId, l.ResourceUri, l.UsageDate, l.ListCost * l.PcToBcExchangeRate, l.PecPercent, l.PecEvidence, l.PecEligible))];
    }

    public async Task<Result<PecReportResource>> ReportAsync(Caller caller, string? month, string? partnerId, string? customerId, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (first, monthError) = PecEvidence.ParseMonth(month, today);
        if (monthError is not null)
        {
            return monthError;
        }

        var (scope, error) = await unbilled.ScopeAsync(caller, partnerId, customerId, BillingMonth.Of(first), cancellationToken);
        if (scope is null)
        {
            return error!;
        }

        var usage = UsageOf(scope.Rating);
        var minor = CurrencyCode.Parse(scope.Rating.BillingCurrency).MinorUnit;
        var customerIds = usage.Select(u => u.CustomerId).Distinct().ToList();
        var names = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CompanyName, cancellationToken);
        string Name(Guid id) => names.GetValueOrDefault(id) ?? string.Empty;

        var built = PecReport.Build(usage);
        var subscriptions = built.Select(s => new PecReportSubscription(
            s.CustomerId.ToString("D"), Name(s.CustomerId), s.EntitlementId.ToString("D"), Down(s.Earned, minor), Down(s.Lost, minor),
            [.. s.LostDays.Select(d => new PecReportLostDay(Day(d.Day), Down(d.Lost, minor), d.Evidence))])).ToList();
        var alerts = PecReport.Alerts(usage).Select(a => new PecReportAlert(
            a.CustomerId.ToString("D"), Name(a.CustomerId), a.EntitlementId.ToString("D"), Day(a.EarnedOn), Day(a.LostOn), a.Evidence)).ToList();
        var days = PecReport.Daily(usage);
        var monthText = first.ToString(PecEvidence.MonthFormat, CultureInfo.InvariantCulture);
        var query = $"month={monthText}" + (scope.PartnerId != caller.PartnerId ? $"&partnerId={scope.PartnerId}" : string.Empty)
            + (scope.CustomerId is { } c ? $"&customerId={c}" : string.Empty);
        var report = new PecReportResource(
            scope.PartnerId.ToString("D"),
            monthText,
            scope.Rating.BillingCurrency,
            PecReport.FullRate,
            Down(built.Sum(s => s.Earned), minor),
            Down(built.Sum(s => s.Lost), minor),
            subscriptions,
            alerts,
            [.. days.Select(d => new PecReportDay(Day(d.Day), Down(d.Earned, minor), Down(d.Lost, minor)))],
            scope.Rating.Unrated.Count,
            new PecReportLinks(Link.Get($"/v1/reports/pec?{query}"), Link.Get($"/v1/reports/pec/chart?{query}")),
            new ResourceAttributes("PecReport"));
        return report;
    }

    private static decimal Down(decimal amount, int minor) => decimal.Round(amount, minor, MidpointRounding.ToZero);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
