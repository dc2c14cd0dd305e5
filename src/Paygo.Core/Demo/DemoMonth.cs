using System.Diagnostics;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Access;
using Paygo.Core.Audit;
using Paygo.Core.AzurePlans;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Markets;
using Paygo.Core.Pricing;
using Paygo.Core.Storage;
using Paygo.Core.Usage;
using Paygo.Core.Users;
using Paygo.Rating.Money;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Demo;

/// <summary>What seeding the demo month wrote, and how long it took.</summary>
public sealed record DemoMonthSummary(int PriceLists, int PriceRows, int FxRates, int UsageRecords, TimeSpan Elapsed);

/// <summary>
/// The demo instance's month (issue 12 point 6, docs/adr/0035): price lists for the previous,
/// current and next month in every market of the demo customers, FX rates for every billing
/// currency of the demo partners, a second Azure subscription for Tailspin whose AOBO Owner ends
/// in the middle of the previous month, and usage over the previous month and the current month
/// to yesterday. Everything goes through the paths an operator's import and a metering source's
/// post take (<see cref="PriceListStore"/>, <see cref="FxRateBook"/>, <see cref="AccessStore"/>,
/// <see cref="UsageIngestion"/>), so the demo month obeys the same rules as real data.
/// </summary>
public static class DemoMonth
{
    public static readonly Guid TailspinAnalyticsAzureSubscriptionId = new("c1e8a7d2-3f4b-4a59-b6c0-000000000403");

    public const string TailspinAnalyticsName = "Tailspin Analytics";

    /// <summary>The billing currencies of the demo partners (Fabrikam GBP, Contoso EUR, Adatum USD).</summary>
    public static IReadOnlyList<string> Currencies { get; } = ["EUR", "GBP", "USD"];

    /// <summary>The markets (customer countries) of the demo customers, whose price lists the usage is checked against.</summary>
    public static IReadOnlyList<string> Markets { get; } = ["DE", "GB"];

    /// <summary>The instant the analytics subscription's AOBO Owner ends: the 16th of the previous month, 10:30 UTC.</summary>
    public static DateTimeOffset AoboEnd(DateOnly today)
    {
        var previous = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
        return new DateTimeOffset(previous.AddDays(15).ToDateTime(new TimeOnly(10, 30)), TimeSpan.Zero);
    }

    /// <summary>The month's prices and usage plan for <paramref name="today"/>, without a database (tests read what the seed will write).</summary>
    public static (DemoPrices Prices, IReadOnlyList<DemoUsagePattern> Streams) Generate(DateOnly today)
    {
        var (streams, pins) = DemoUsage.Plan(DemoPrices.Create(today));
        return (DemoPrices.Create(today, DemoPrices.Seed, pins), streams);
    }

    /// <summary>
    /// Seeds the month once, into a demo instance (the demo partners are there) that has no month yet;
    /// answers null when there was nothing to do. A generated file the real path refuses is a bug, and throws.
    /// </summary>
    public static async Task<DemoMonthSummary?> SeedAsync(PaygoDbContext db, StorageSettings storage, AuditAnchorKey auditKey, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(clock);
        if (!await db.Partners.AnyAsync(p => p.Id == DemoInstance.DirectBillPartnerId, cancellationToken)
            || await db.AzureEntitlements.AnyAsync(e => e.Id == TailspinAnalyticsAzureSubscriptionId, cancellationToken))
        {
            return null;
        }

        var watch = Stopwatch.StartNew();
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var actor = new FixedActor(Actor.System);
        var audit = new AuditTrail(db, clock, actor, auditKey);
        var (prices, streams) = Generate(today);

        // 1. Tailspin's second Azure subscription, made as DemoCommerce makes the first: with its AOBO Owner since the demo began.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.AzureEntitlements.Add(new AzureEntitlement
            {
                Id = TailspinAnalyticsAzureSubscriptionId,
                PartnerId = DemoInstance.DirectBillPartnerId,
                CustomerId = DemoCommerce.TailspinCustomerId,
                SubscriptionId = DemoCommerce.TailspinPlanId,
                FriendlyName = TailspinAnalyticsName,
                CreatedAt = DemoInstance.CreatedAt,
            });
            var owner = RoleAssignment.AoboOwner(DemoInstance.DirectBillPartnerId, "Fabrikam Direct Ltd", DemoCommerce.TailspinCustomerId, TailspinAnalyticsAzureSubscriptionId, DemoInstance.CreatedAt);
            owner.Id = TailspinAnalyticsAzureSubscriptionId;
            db.RoleAssignments.Add(owner);
            await audit.AppendAsync(new AuditEntry("seed_demo_month", "instance", AuditEntry.Succeeded,
                ResourceNewValue: JsonSerializer.Serialize(new { today, months = prices.Months.Select(m => m.ToFileText()) }, PaygoJson.Options)), cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        // 2. The price lists, as the operator imports Microsoft's files.
        var store = new PriceListStore(db, storage, audit, clock);
        var lists = 0;
        var rows = 0;
        foreach (var market in Markets)
        {
            foreach (var month in prices.Months)
            {
                var list = prices.RowsFor(market, month);
                using var csv = new MemoryStream();
                PriceListFile.Write(csv, list, cancellationToken);
                csv.Position = 0;
                var imported = await store.ImportAsync(Caller.OperatorSystem, csv, Market.Parse(market), month, "demo", null, cancellationToken);
                if (imported.Problems is { } problems)
                {
                    throw new InvalidOperationException($"The demo price list {market} {month.ToFileText()} was refused: {JsonSerializer.Serialize(problems, PaygoJson.Options)}");
                }

                lists++;
                rows += list.Count;
            }
        }

        // 3. FX for every billing currency and month, as the operator imports Microsoft's FX file.
        var rates = FxRates(prices);
        using (var fx = new MemoryStream())
        {
            FxRateFile.Write(fx, rates);
            fx.Position = 0;
            var (_, refused) = await new FxRateBook(db, audit, clock).ImportAsync(Caller.OperatorSystem, fx, cancellationToken);
            if (refused is not null)
            {
                throw new InvalidOperationException($"The demo FX file was refused: {JsonSerializer.Serialize(refused, PaygoJson.Options)}");
            }
        }

        // 4. Fabrikam's Admin agent ends the AOBO Owner of the analytics subscription mid-month: from that day it earns no PEC.
        var agent = DemoUsers.All.First(u => u.PartnerId == DemoInstance.DirectBillPartnerId && u.Roles.Contains(PartnerRole.AdminAgent));
        var ended = await new AccessStore(db, audit, clock, actor).EndAsync(new Caller(agent.PartnerId, agent.Id, agent.Email, agent.Roles),
            DemoCommerce.TailspinCustomerId, TailspinAnalyticsAzureSubscriptionId, new AccessEndRequest(AoboEnd(today)), cancellationToken);
        if (ended.Error is { } endError)
        {
            throw new InvalidOperationException($"Ending the demo AOBO Owner was refused: {endError.Description}");
        }

        // 5. The usage, as the metering source posts it, in batches the API would take.
        var ingestion = new UsageIngestion(db, storage, audit, clock);
        var records = DemoUsage.Records(prices, streams, today);
        foreach (var batch in records.Chunk(UsageLimits.MaxRecords / 2))
        {
            var indexed = batch.Select((r, i) => r with { Index = i }).ToList();
            var result = await ingestion.PostAsync(Caller.OperatorSystem, indexed, cancellationToken);
            if (result.Items.FirstOrDefault(r => r.Status is not (UsageStatus.Accepted or UsageStatus.Duplicate)) is { } bad)
            {
                throw new InvalidOperationException($"The demo usage record {bad.Id} was {bad.Status}: {bad.Description}");
            }
        }

        return new DemoMonthSummary(lists, rows, rates.Count, records.Count, watch.Elapsed);
    }

    /// <summary>Microsoft's FX file for the three months: USD per unit of each billing currency, moving a little each month.</summary>
    public static IReadOnlyList<FxRate> FxRates(DemoPrices prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var rates = new List<FxRate>();
        var step = 0;
        foreach (var month in prices.Months)
        {
            rates.Add(new FxRate(CurrencyCode.Parse("EUR"), 1.0812m + (0.0037m * step), month));
            rates.Add(new FxRate(CurrencyCode.Parse("GBP"), 1.2684m - (0.0021m * step), month));
            rates.Add(new FxRate(CurrencyCode.Usd, 1m, month));
            step++;
        }

        return rates;
    }
}
