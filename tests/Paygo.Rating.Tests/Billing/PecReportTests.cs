using Paygo.Rating.Billing;
using Paygo.Rating.Pricing;

namespace Paygo.Rating.Tests.Billing;

public sealed class PecReportTests
{
    private static readonly Guid Customer = BillingSamples.Contoso;
    private static readonly Guid Sub = Guid.Parse("11111111-aaaa-4bbb-8ccc-000000000001");
    private static readonly Guid Other = Guid.Parse("11111111-aaaa-4bbb-8ccc-000000000002");

    private static PecUsage U(int day, decimal pec, decimal cost = 10m, Guid? sub = null, string evidence = "assignment a1") =>
        new(Customer, sub ?? Sub, "/subscriptions/x/vm1", new DateOnly(2026, 11, day), cost, pec, evidence);

    [Fact]
    public void Build_EarnedAndLost_PerSubscriptionAndMonth_WithLostDayEvidence()
    {
        PecUsage[] usage = [U(9, 15), U(10, 0, evidence: "AOBO assignment a1 ended 2026-11-10T12:00:00Z"), U(11, 0, cost: 20, evidence: "no eligible access"), U(11, 15, sub: Other)];

        var report = PecReport.Build(usage);

        var sub = Assert.Single(report, r => r.EntitlementId == Sub);
        Assert.Equal(new BillingMonth(2026, 11), sub.Month);
        Assert.Equal(1.5m, sub.Earned);
        Assert.Equal(4.5m, sub.Lost);
        Assert.Equal([new DateOnly(2026, 11, 10), new DateOnly(2026, 11, 11)], sub.LostDays.Select(d => d.Day));
        Assert.Equal(["AOBO assignment a1 ended 2026-11-10T12:00:00Z"], sub.LostDays[0].Evidence);
        Assert.Equal(3m, sub.LostDays[1].Lost);
        Assert.Equal(0m, Assert.Single(report, r => r.EntitlementId == Other).Lost);
    }

    [Fact]
    public void Alerts_EarnedThenLostNextDay_OneAlertPerSubscriptionAndDay()
    {
        PecUsage[] usage = [U(9, 15), U(9, 15, cost: 3), U(10, 0, evidence: "gap"), U(10, 0, cost: 2, evidence: "gap"), U(11, 0), U(12, 15), U(14, 0)];

        var alert = Assert.Single(PecReport.Alerts(usage));

        Assert.Equal(new DateOnly(2026, 11, 9), alert.EarnedOn);
        Assert.Equal(new DateOnly(2026, 11, 10), alert.LostOn);
        Assert.Equal(["gap"], alert.Evidence);
    }

    [Fact]
    public void Alerts_DayStillEarnedOnOneResource_NoAlert()
    {
        Assert.Empty(PecReport.Alerts([U(9, 15), U(10, 15), U(10, 0)]));
    }

    [Fact]
    public void ExcludedMeter_NeitherEarnsNorLoses_AndRaisesNoAlert()
    {
        var excluded = U(10, 0, cost: 40, evidence: "not eligible: excluded meter (x)") with { Eligible = false };
        PecUsage[] usage = [U(9, 15), excluded, U(11, 15)];

        var sub = Assert.Single(PecReport.Build(usage));

        Assert.Equal(0m, sub.Lost);
        Assert.Empty(sub.LostDays);
        Assert.Equal(3m, sub.Earned);
        Assert.Empty(PecReport.Alerts(usage));
        Assert.Equal(0m, PecReport.Daily(usage).Single(d => d.Day == new DateOnly(2026, 11, 10)).Lost);
    }

    [Fact]
    public void Daily_SumsEarnedAndLostPerDay()
    {
        var days = PecReport.Daily([U(9, 15), U(9, 0, sub: Other), U(10, 0)]);

        Assert.Equal([new PecDay(new DateOnly(2026, 11, 9), 1.5m, 1.5m), new PecDay(new DateOnly(2026, 11, 10), 0m, 1.5m)], days);
    }
}

public sealed class PecChartTests
{
    [Fact]
    public void Svg_EarnedAndLost_IsAnSvgWithBothSeries()
    {
        PecDay[] days = [new(new DateOnly(2026, 11, 9), 1.5m, 0m), new(new DateOnly(2026, 11, 10), 0m, 1.5m)];

        var svg = PecChart.Svg(days, "EUR");

        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.EndsWith("</svg>", svg.TrimEnd(), StringComparison.Ordinal);
        // Skia writes text as outlines, so the series are told apart by their colours (SeaGreen earned, IndianRed lost).
        Assert.Contains("2E8B57", svg, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("CD5C5C", svg, StringComparison.OrdinalIgnoreCase);
    }
}
