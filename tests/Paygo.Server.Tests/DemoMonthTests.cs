using System.Diagnostics;
using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using nietras.SeparatedValues;
using Paygo.Core.Access;
using Paygo.Core.Demo;
using Paygo.Core.Identity;
using Paygo.Core.RatedUsage;
using Paygo.Core.Usage;
using Paygo.Rating.Files;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;
using Paygo.Rating.Rating;
using Paygo.Testing;

namespace Paygo.Server.Tests;

/// <summary>
/// The demo month (docs/adr/0035, issue 12 point 6): seeded only when asked, through the real import
/// and ingestion paths; and issue 12's "done when": the month exported (usage, access, prices, FX)
/// and rated in file mode gives the BillingPreTaxTotal that Paygo's own rating of the month gives.
/// </summary>
public sealed class DemoMonthTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Dictionary<string, string?> WithMonth = new(StringComparer.Ordinal) { ["demo-month"] = "true" };

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task DemoMonth_IsSeededThroughTheRealPaths(string engine)
    {
        var watch = Stopwatch.StartNew();
        await using var server = await PaygoServer.StartAsync(engine, settings: WithMonth);
        using var client = server.CreateJsonClient();
        output.WriteLine($"{engine}: demo server with its month ready in {watch.Elapsed.TotalSeconds:F2} s");

        var (prices, streams) = DemoMonth.Generate(Today);
        var expected = DemoUsage.Records(prices, streams, Today);
        await using var db = server.CreateDbContext();

        // Six lists (two markets, three months) with the generated rows, every one through the import (its audit record).
        var lists = await db.PriceLists.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(DemoMonth.Markets.Count * 3, lists.Count);
        Assert.All(lists, l => Assert.Equal("demo", l.ImportedBy));
        foreach (var month in prices.Months)
        {
            Assert.Equal(prices.RowsFor("GB", month).Count, lists.Single(l => l.Market == "GB" && l.Month == Paygo.Core.Pricing.Months.ToNumber(month)).RowCount);
        }

        // FX for every billing currency of the demo partners, each month.
        var fx = await db.FxRates.AsNoTracking().ToListAsync(Ct);
        foreach (var month in prices.Months)
        {
            foreach (var partner in await db.Partners.AsNoTracking().ToListAsync(Ct))
            {
                Assert.Contains(fx, r => r.Currency == partner.BillingCurrency && r.Month == Paygo.Core.Pricing.Months.ToNumber(month));
            }
        }

        // The analytics subscription's AOBO Owner ends mid-month of the previous month; the others hold.
        var aobo = await db.RoleAssignments.AsNoTracking().Where(r => r.Source == "aobo").ToListAsync(Ct);
        Assert.Equal(DemoMonth.AoboEnd(Today), Assert.Single(aobo, r => r.EntitlementId == DemoMonth.TailspinAnalyticsAzureSubscriptionId).ValidTo);
        Assert.All(aobo.Where(r => r.EntitlementId != DemoMonth.TailspinAnalyticsAzureSubscriptionId), r => Assert.Null(r.ValidTo));

        // Every generated record stored, from the first of the previous month to yesterday, on a few dozen meters.
        var usage = await db.Set<UsageRecord>().AsNoTracking().ToListAsync(Ct);
        Assert.Equal(expected.Count, usage.Count);
        Assert.Equal(prices.Previous.FirstDay, usage.Min(u => u.UsageDate));
        Assert.Equal(Today.AddDays(-1), usage.Max(u => u.UsageDate));
        Assert.InRange(usage.Select(u => u.MeterId).Distinct().Count(), 24, 48);
        Assert.All(DemoUsage.Subscriptions, s => Assert.True(usage.Where(u => u.EntitlementId == s.Id).Select(u => u.ResourceUri).Distinct().Count() >= 4));

        // A second start seeds nothing more.
        Assert.Null(await DemoMonth.SeedAsync(db, server.Database.Storage, server.Database.AuditKey, TimeProvider.System, Ct));
    }

    /// <summary>
    /// Issue 13's "done when" for point 4: the PEC report shows the demo analytics subscription's
    /// lost credit with the AOBO assignment that ended; the loss alert goes out once through the
    /// notification sender; the chart is an SVG.
    /// </summary>
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task PecReport_ShowsTheDemoSubscriptionsLostCredit_WithTheAoboAssignment_AndAlertsOnce(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine, settings: WithMonth);
        var previous = new DateOnly(Today.Year, Today.Month, 1).AddMonths(-1);
        var lostOn = DateOnly.FromDateTime(DemoMonth.AoboEnd(Today).UtcDateTime);

        // The first client starts the server, which seeds the demo month.
        using var operatorClient = server.CreateJsonClient();
        RoleAssignment owner;
        await using (var db = server.CreateDbContext())
        {
            owner = await db.RoleAssignments.AsNoTracking().SingleAsync(r => r.Source == "aobo" && r.EntitlementId == DemoMonth.TailspinAnalyticsAzureSubscriptionId, Ct);
        }

        var admin = await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin);
        using var partner = server.CreateJsonClient(admin);
        var report = await HttpAssert.JsonAsync(await partner.GetAsync($"/v1/reports/pec?month={previous:yyyy-MM}", Ct), HttpStatusCode.OK);
        Assert.Equal("PecReport", report.GetProperty("attributes").GetProperty("objectType").GetString());
        Assert.Equal(15m, report.GetProperty("creditPercent").GetDecimal());
        var subscriptions = report.GetProperty("subscriptions").EnumerateArray().ToList();
        var analytics = Assert.Single(subscriptions, s => s.GetProperty("azureSubscriptionId").GetString() == DemoMonth.TailspinAnalyticsAzureSubscriptionId.ToString("D"));
        Assert.True(analytics.GetProperty("lost").GetDecimal() > 0m, analytics.ToString());
        Assert.True(analytics.GetProperty("earned").GetDecimal() > 0m, analytics.ToString());

        // The first lost day is the one the AOBO Owner ended on, and its evidence names that assignment and the gap.
        var lostDays = analytics.GetProperty("lostDays").EnumerateArray().ToList();
        Assert.Equal(lostOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), lostDays[0].GetProperty("day").GetString());
        var evidence = string.Join(" | ", lostDays[0].GetProperty("evidence").EnumerateArray().Select(e => e.GetString()));
        Assert.True(evidence.Contains(owner.Id.ToString("D"), StringComparison.OrdinalIgnoreCase) || (owner.ExternalId is { } external && evidence.Contains(external, StringComparison.OrdinalIgnoreCase)), evidence);
        Assert.Contains("10:30", evidence, StringComparison.Ordinal);
        Assert.Equal(DateTime.DaysInMonth(previous.Year, previous.Month) - lostOn.Day + 1, lostDays.Count);

        // The subscriptions that kept their access lose nothing; the totals are the sums.
        Assert.All(subscriptions.Where(s => s.GetProperty("azureSubscriptionId").GetString() != DemoMonth.TailspinAnalyticsAzureSubscriptionId.ToString("D")),
            s => Assert.Empty(s.GetProperty("lostDays").EnumerateArray()));
        Assert.InRange(report.GetProperty("lost").GetDecimal() - subscriptions.Sum(s => s.GetProperty("lost").GetDecimal()), 0m, 0.01m * subscriptions.Count);

        // One alert: earned the day before, none on the day the Owner ended.
        var alert = Assert.Single(report.GetProperty("alerts").EnumerateArray());
        Assert.Equal(lostOn.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), alert.GetProperty("earnedOn").GetString());
        Assert.Equal(lostOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), alert.GetProperty("lostOn").GetString());

        // The chart, and a clear 400 for a month that has not begun.
        using (var chart = await partner.GetAsync($"/v1/reports/pec/chart?month={previous:yyyy-MM}", Ct))
        {
            Assert.Equal(HttpStatusCode.OK, chart.StatusCode);
            Assert.Equal("image/svg+xml", chart.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<svg", await chart.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var future = await partner.GetAsync($"/v1/reports/pec?month={Today.AddMonths(2):yyyy-MM}", Ct))
        {
            Assert.Equal("month", (await HttpAssert.JsonAsync(future, HttpStatusCode.BadRequest)).GetProperty("data")[0].GetProperty("field").GetString());
        }

        // Another partner's user cannot read Fabrikam's report; the operator names the partner.
        var stranger = await TestUsers.AddAsync(server.Database, DemoInstance.IndirectProviderPartnerId, PartnerRole.GlobalAdmin);
        using (var other = server.CreateJsonClient(stranger))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/v1/reports/pec?month={previous:yyyy-MM}&partnerId={DemoInstance.DirectBillPartnerId}", Ct)).StatusCode);
        }

        var asOperator = await HttpAssert.JsonAsync(await operatorClient.GetAsync($"/v1/reports/pec?month={previous:yyyy-MM}&partnerId={DemoInstance.DirectBillPartnerId}", Ct), HttpStatusCode.OK);
        Assert.Equal(report.GetProperty("lost").GetDecimal(), asOperator.GetProperty("lost").GetDecimal());

        // The alert goes out through the notification sender once, however often the rule runs.
        var job = server.Services.GetRequiredService<Paygo.Server.Billing.PecAlertJob>();
        var first = await job.RunOnceAsync(DateTimeOffset.UtcNow, Ct);
        Assert.True(first.Notified >= 1, first.ToString());
        var second = await job.RunOnceAsync(DateTimeOffset.UtcNow, Ct);
        Assert.Equal(0, second.Notified);
        var notifications = await HttpAssert.JsonAsync(await partner.GetAsync("/v1/notifications", Ct), HttpStatusCode.OK);
        var pecLoss = notifications.GetProperty("items").EnumerateArray().Where(n => n.GetProperty("kind").GetString() == "pecLoss").ToList();
        var sent = Assert.Single(pecLoss, n => n.GetProperty("subject").GetString()!.Contains(DemoMonth.TailspinAnalyticsAzureSubscriptionId.ToString("D"), StringComparison.Ordinal));
        Assert.Contains(lostOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), sent.GetProperty("subject").GetString(), StringComparison.Ordinal);
        Assert.Contains(lostDays[0].GetProperty("evidence")[0].GetString()!, sent.GetProperty("body").GetString(), StringComparison.Ordinal);

        // The dashboard lists it on the Notifications page (another admin: a TOTP step signs in once).
        using var browser = new DashboardClient(server);
        await browser.SignInAsync(await TestUsers.AddAsync(server.Database, DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin));
        var page = await browser.GetAsync("/notifications");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("data-testid=\"nav-notifications\"", page.Html, StringComparison.Ordinal);
        Assert.Contains("data-kind=\"pecLoss\" data-status=\"sent\"", page.Html, StringComparison.Ordinal);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(sent.GetProperty("subject").GetString()!), page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void DemoPrices_HaveTheShapeTheIssueAsksFor()
    {
        var (prices, streams) = DemoMonth.Generate(Today);
        var meters = prices.Meters;
        Assert.InRange(meters.Count, 200, 600);

        // About a tenth tiered, both kinds; excluded kinds present; every unit and region from the reference lists.
        var tiered = meters.Count(m => m.IsTiered);
        Assert.InRange(tiered * 100 / meters.Count, 5, 20);
        Assert.Contains(meters, m => m.IsZeroBased);
        Assert.Contains(meters, m => m.IsTiered && !m.IsZeroBased);
        foreach (var kind in Enum.GetValues<DemoMeterKind>())
        {
            Assert.Contains(meters, m => m.Kind == kind);
        }

        Assert.All(meters, m => DemoReference.McaUnit(m.UnitOfMeasure));
        Assert.All(meters, m => Assert.Equal(m.Region, DemoReference.Region(m.Region.Id)));

        // Price changes between months and one in the middle of the previous month, on meters the usage uses.
        var used = streams.Select(s => prices.Meters[s.MeterIndex]).ToList();
        Assert.Contains(used, m => m.Periods.Any(p => p.From == prices.MidMonthChange));
        Assert.Contains(used, m => m.Periods.Any(p => p.From == prices.Current.FirstDay));
        Assert.Contains(meters, m => m.Periods.Any(p => p.From == prices.Next.FirstDay));
        Assert.Contains(used, m => m.Kind == DemoMeterKind.ThirdParty);
        Assert.Contains(used, m => m.Kind == DemoMeterKind.Spot);
        Assert.Contains(used, m => m.IsZeroBased);
        Assert.Contains(used, m => m.IsTiered && !m.IsZeroBased);

        // Each list is a valid price list, and the same day gives the same lists.
        foreach (var month in prices.Months)
        {
            using var file = new MemoryStream();
            PriceListFile.Write(file, prices.RowsFor("GB", month), Ct);
            file.Position = 0;
            var read = PriceListFile.Read(file, Ct);
            Assert.True(read.Succeeded, string.Join("; ", read.Problems));
        }

        var (twice, _) = DemoMonth.Generate(Today);
        Assert.Equal(prices.RowsFor("DE", prices.Current), twice.RowsFor("DE", twice.Current));
    }

    /// <summary>
    /// Issue 12's "done when": Fabrikam exports its previous month (usage, access, the GB price list,
    /// FX) as <c>paygo</c>'s export commands do, rates it with the file-mode rater, and gets the
    /// BillingPreTaxTotal that IMonthRating gives for the same month, to the last digit.
    /// </summary>
    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ExportedMonth_RatedInFileMode_MatchesTheMonthRating(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine, settings: WithMonth);
        var admin = TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin)!;
        using var client = server.CreateJsonClient(admin);
        var (prices, _) = DemoMonth.Generate(Today);
        var month = prices.Previous;
        var fileMonth = month.ToFileText();

        var usage = await DownloadAsync(client, $"/v1/usage/export?month={month}");
        var access = await DownloadAsync(client, "/v1/access/assignments");
        var priceList = await DownloadAsync(client, $"/v1.0/sales/pricesheets(Market='GB',PricesheetView='azure_consumption')/$value?timeline=history&month={fileMonth}");
        var fx = await DownloadAsync(client, $"/v1.0/sales/fxrates(Month='{fileMonth}')/$value");

        var list = PriceListFile.Read(new MemoryStream(priceList), Ct);
        var history = AccessFileReader.Read(new MemoryStream(access), Ct);
        var rates = FxRateFile.Read(new MemoryStream(fx), Ct);
        Assert.True(list.Succeeded && history.Succeeded && rates.Succeeded);
        var gbp = CurrencyCode.Parse("GBP");
        var rate = rates.Value!.PcToBcExchangeRate(gbp, month);
        Assert.True(rate.Found);
        var rater = new MonthRater(MonthPrices.For(list.Value!, month), history.Value!, rate.PcToBcExchangeRate, "GB");
        var rated = new MemoryStream();
        var result = DailyUsageFileRater.Rate(new MemoryStream(usage), rater, gbp, () => rated, cancellationToken: Ct);
        Assert.True(result.Succeeded, string.Join("; ", result.Problems));

        // The demo month shows each case: PEC earned, PEC lost (the analytics subscription after its AOBO ended), excluded meters.
        Assert.True(result.Totals.PecEarnedRows > 0);
        Assert.True(result.Totals.PecLostRows > 0);
        Assert.True(result.Totals.ExcludedRows > 0);

        await using var scope = server.Services.CreateAsyncScope();
        var rating = await scope.ServiceProvider.GetRequiredService<IMonthRating>().RateAsync(DemoInstance.DirectBillPartnerId, month, null, Ct);
        Assert.Empty(rating.Unrated);
        Assert.Equal(rating.Lines.Count, result.Totals.Rows);
        Assert.Equal(rating.Lines.Sum(l => l.BillingPreTaxTotal), SumOfColumn(rated.ToArray(), "BillingPreTaxTotal"));
        Assert.Equal(rating.Lines.Sum(l => l.BillingPreTaxTotal), result.Totals.BillingPreTaxTotal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task UsageExport_RefusesABadMonth_AndAnotherPartnersCustomer(string engine)
    {
        await using var server = await PaygoServer.StartAsync(engine);
        using var client = server.CreateJsonClient(TestUsers.WithRole(DemoInstance.DirectBillPartnerId, PartnerRole.GlobalAdmin)!);
        using var badMonth = await client.GetAsync("/v1/usage/export?month=2026-13", Ct);
        var body = await HttpAssert.JsonAsync(badMonth, HttpStatusCode.BadRequest);
        Assert.Contains("month", body.GetRawText(), StringComparison.Ordinal);
        using var other = await client.GetAsync($"/v1/usage/export?month=2026-11&customerId={DemoCommerce.LitwareCustomerId}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);

        // Without usage the file is the 55-column header alone.
        var empty = await DownloadAsync(client, "/v1/usage/export?month=2026-11");
        Assert.Equal(string.Join(',', DailyRatedUsageFile.Table.Header), System.Text.Encoding.UTF8.GetString(empty).TrimEnd());
    }

    private static async Task<byte[]> DownloadAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}");
        return bytes;
    }

    private static decimal SumOfColumn(byte[] csv, string column)
    {
        using var reader = Sep.Reader(o => o with { Unescape = true }).From(csv);
        var sum = 0m;
        foreach (var row in reader)
        {
            sum += decimal.Parse(row[column].Span, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return sum;
    }
}
