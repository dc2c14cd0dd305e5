using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core;
using Paygo.Core.Access;
using Paygo.Core.AzurePlans;
using Paygo.Core.Billing;
using Paygo.Core.Catalog;
using Paygo.Core.Customers;
using Paygo.Core.Partners;
using Paygo.Core.Pricing;
using Paygo.Core.RatedUsage;
using Paygo.Core.Storage;
using Paygo.Core.Usage;
using Paygo.Core.Users;
using Paygo.Data.Postgres;
using Paygo.Data.Sqlite;
using Paygo.Rating.Pricing;

namespace Paygo.Benchmarks;

/// <summary>
/// PROMISES P4, measured in process on each engine: a month of <c>--customers</c> customers
/// (10,000 by default) spread over <c>--partners</c> billed partners (10), three Azure
/// subscriptions each under AOBO Owner (a fifth of them ended mid-month, so PEC is lost on some
/// days), <c>--rows</c> usage records (3,000,000) over four meters (one tiered, one ThirdParty),
/// written straight to the store with the usage bulk writer; then the month close of that month
/// runs to its end (rating, invoices, both files of every invoice) and is timed against the
/// budget (60 s). <c>--scale 0.1</c> divides customers and rows, for a quick figure.
/// <code>dotnet run -c Release --project bench/Paygo.Benchmarks -- close [--scale 1] [--partners 10] [--postgres "Host=..."] [--out close.json]</code>
/// </summary>
internal static class CloseHarness
{
    private const double BudgetSeconds = 60;
    private const string Market = "US";
    private static readonly BillingMonth Month = new(2026, 10);
    private static readonly DateTimeOffset Before = new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AoboEnd = new(2026, 10, 17, 13, 0, 0, TimeSpan.Zero);
    private static readonly string[] Meters =
    [
        "9b1e0a10-0001-4c55-9d8e-0c1f2a3b4c01", // tiered
        "9b1e0a10-0002-4c55-9d8e-0c1f2a3b4c02",
        "9b1e0a10-0003-4c55-9d8e-0c1f2a3b4c03",
        "9b1e0a10-0004-4c55-9d8e-0c1f2a3b4c04", // ThirdParty
    ];

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    internal sealed record EngineResult(string Engine, int Partners, int Customers, int AzureSubscriptions, long Rows, double SeedSeconds, double CloseSeconds, double RowsPerSecond, int Invoices, long FileBytes, bool WithinBudget, string LoadAverage);

    public static async Task<int> RunAsync(string[] args)
    {
        var scale = double.Parse(HarnessSupport.Option(args, "--scale") ?? "1", CultureInfo.InvariantCulture);
        var partners = int.Parse(HarnessSupport.Option(args, "--partners") ?? "10", CultureInfo.InvariantCulture);
        var customers = Math.Max(partners, (int)(10_000 * scale));
        var rows = Math.Max(customers * 3, (long)(3_000_000 * scale));
        var postgres = HarnessSupport.Option(args, "--postgres") ?? Environment.GetEnvironmentVariable("PAYGO_TEST_POSTGRES");
        var output = HarnessSupport.Option(args, "--out") ?? $"close-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json";
        var results = await HarnessSupport.OnEachEngineAsync(postgres, (engine, database) => MeasureAsync(engine, database, partners, customers, rows));
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { at = DateTimeOffset.UtcNow, Environment.ProcessorCount, budgetSeconds = BudgetSeconds, scale, results }, Indented));
        Console.WriteLine($"results written to {Path.GetFullPath(output)}");
        return results.All(r => r.WithinBudget) ? 0 : 1;
    }

    private static async Task<EngineResult> MeasureAsync(string engineName, string? postgres, int partners, int customers, long rows)
    {
        var folder = Directory.CreateTempSubdirectory("paygo-close-").FullName;
        try
        {
            IStorageEngine engine = postgres is null ? new SqliteEngine() : new PostgresEngine();
            var storage = new StorageSettings(engine, postgres ?? $"Data Source={Path.Combine(folder, StorageSettings.DatabaseFileName)}", folder);
            await using (var setup = CoreServices.CreateContext(storage))
            {
                await DatabaseSetup.MigrateAsync(setup, storage, seedDemo: false, CancellationToken.None);
            }

            var seed = Stopwatch.StartNew();
            var entitlements = await SeedAsync(storage, partners, customers, rows);
            seed.Stop();
            Console.WriteLine(Invariant($"{engineName,-9} seeded {partners} partners, {customers:N0} customers, {entitlements:N0} Azure subscriptions, {rows:N0} usage rows in {seed.Elapsed.TotalSeconds:F1} s"));

            var load = FairnessHarness.LoadAverage();
            var clock = new FixedClock(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));
            var watch = Stopwatch.StartNew();
            await using (var db = CoreServices.CreateContext(storage))
            {
                var rating = new StoredMonthRating(db, new AccessStore(db, new Core.Audit.AuditTrail(db, clock, new Core.Audit.FixedActor(Core.Audit.Actor.System), Core.Audit.AuditAnchorKey.LoadOrCreate(storage.KeysDirectory)), clock, new Core.Audit.FixedActor(Core.Audit.Actor.System)), new MonthRatingCache(), clock);
                if (Environment.GetEnvironmentVariable("PAYGO_CLOSE_PHASES") == "1")
                {
                    var rate = Stopwatch.StartNew();
                    foreach (var p in await db.Partners.Select(p => p.Id).ToListAsync())
                    {
                        await rating.RateAsync(p, Month, null, CancellationToken.None);
                    }

                    Console.WriteLine(Invariant($"rating alone: {rate.Elapsed.TotalSeconds:F1} s"));
                }

                var close = new MonthClose(db, storage, rating, new BillingSettings(), new CloseSignal(), clock);
                var started = await close.StartAsync(Caller.OperatorSystem, Month.ToString(), CancellationToken.None);
                var run = started.Value ?? throw new InvalidOperationException($"The close was refused: {started.Error?.Description}");
                await close.RunAsync(run.Run.Id, CancellationToken.None);
            }

            watch.Stop();
            await using var check = CoreServices.CreateContext(storage);
            var closed = await check.Set<CloseRun>().AsNoTracking().SingleAsync();
            if (closed.Status != CloseStatus.Succeeded)
            {
                throw new InvalidOperationException($"The close ended {closed.Status}: {closed.ErrorCode} {closed.ErrorMessage}");
            }

            var invoices = await check.Invoices.CountAsync();
            var billed = await check.BilledUsage.LongCountAsync();
            var fileBytes = await check.Set<InvoiceFile>().SumAsync(f => (long)f.Content.Length);
            if (billed != rows)
            {
                throw new InvalidOperationException($"The close billed {billed:N0} rows of {rows:N0}.");
            }

            var seconds = watch.Elapsed.TotalSeconds;
            var result = new EngineResult(engineName, partners, customers, entitlements, rows, Math.Round(seed.Elapsed.TotalSeconds, 1), Math.Round(seconds, 2), Math.Round(rows / seconds), invoices, fileBytes, seconds < BudgetSeconds, load);
            Console.WriteLine(Invariant($"{engineName,-9} close: {rows:N0} rows, {invoices} invoices, {fileBytes / 1e6:F0} MB of files in {seconds:F1} s ({rows / seconds:N0} rows/s; budget {BudgetSeconds} s), load {load}"));
            return result;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes the month straight to the store; answers the number of Azure subscriptions.</summary>
    private static async Task<int> SeedAsync(StorageSettings storage, int partners, int customers, long rows)
    {
        var random = new Random(20261002);
        var subscriptions = new List<(Guid Partner, Guid Customer, Guid Plan, Guid Entitlement)>();
        await using (var db = CoreServices.CreateContext(storage))
        {
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            AddPriceList(db);
            for (var p = 0; p < partners; p++)
            {
                var partner = new Partner
                {
                    Id = Guid.NewGuid(),
                    Name = Invariant($"Close Bench Partner {p + 1}"),
                    MpnId = (2_000_000 + p).ToString(CultureInfo.InvariantCulture),
                    Country = Market,
                    BillingCurrency = "USD",
                    Type = PartnerType.DirectBill,
                    CreatedAt = Before,
                };
                db.Partners.Add(partner);
                for (var c = p; c < customers; c += partners)
                {
                    var customerId = Guid.NewGuid();
                    db.Customers.Add(new Customer
                    {
                        Id = customerId, PartnerId = partner.Id, CommerceId = customerId, BillingProfileId = customerId,
                        Domain = $"c{customerId:N}.onmicrosoft.com", CompanyName = Invariant($"Customer {c + 1:D5} Ltd"), Email = "billing@customer.example",
                        Culture = "en-US", Language = "en", FirstName = "Ada", LastName = "Lovelace", AddressLine1 = "1 Main Street",
                        City = "Springfield", PostalCode = "12345", Country = Market, CreatedAt = Before,
                    });
                    var planId = Guid.NewGuid();
                    db.CommerceSubscriptions.Add(new CommerceSubscription
                    {
                        Id = planId, PartnerId = partner.Id, CustomerId = customerId, OrderId = Guid.NewGuid(), Kind = SkuKind.AzurePlan,
                        OfferId = CatalogSeed.AzurePlanCatalogItemId, ProductId = CatalogSeed.AzurePlanProductId, SkuId = CatalogSeed.AzurePlanSkuId,
                        OfferName = "Microsoft Azure plan", FriendlyName = "Microsoft Azure plan", Quantity = 1, BillingCycle = "one_time",
                        CreatedAt = Before, CommitmentEndDate = SubscriptionResource.NoCommitmentEnd, AzurePlanKey = CommerceSubscription.PlanKey(customerId, null),
                    });
                    for (var s = 0; s < 3; s++)
                    {
                        var entitlement = Guid.NewGuid();
                        db.AzureEntitlements.Add(new AzureEntitlement { Id = entitlement, PartnerId = partner.Id, CustomerId = customerId, SubscriptionId = planId, FriendlyName = Invariant($"Azure subscription {s + 1}"), CreatedAt = Before });
                        var owner = RoleAssignment.AoboOwner(partner.Id, partner.Name, customerId, entitlement, Before);
                        if (random.Next(5) == 0)
                        {
                            owner.ValidTo = AoboEnd;
                        }

                        db.RoleAssignments.Add(owner);
                        subscriptions.Add((partner.Id, customerId, planId, entitlement));
                    }
                }
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync();
        }

        // Rows dealt round-robin over the subscriptions, each on a day, meter and resource of its own pattern.
        var writer = storage.Engine.Feature<IUsageBulkWriter>();
        var accepted = new DateTimeOffset(2026, 11, 1, 6, 0, 0, TimeSpan.Zero);
        const int Batch = 50_000;
        for (long start = 0; start < rows; start += Batch)
        {
            var batch = new List<UsageRecord>(Batch);
            for (var i = start; i < Math.Min(rows, start + Batch); i++)
            {
                var (partner, customer, plan, entitlement) = subscriptions[(int)(i % subscriptions.Count)];
                var round = i / subscriptions.Count;
                var meter = Meters[(int)(round % Meters.Length)];
                var day = Month.FirstDay.AddDays((int)(round / Meters.Length % 31));
                var resource = Invariant($"/subscriptions/{entitlement}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-{round / (Meters.Length * 31) % 5}");
                var id = Invariant($"u-{i:D10}");
                var quantity = Math.Round((decimal)random.NextDouble() * 24m, 6) + 0.000001m;
                batch.Add(new UsageRecord
                {
                    PartnerId = partner, RecordId = id, CustomerId = customer, SubscriptionId = plan, EntitlementId = entitlement, ResourceUri = resource,
                    MeterId = meter, UsageDate = day, Quantity = quantity, AcceptedAt = accepted,
                    ContentHash = UsageRecord.HashOf(id, entitlement, resource, meter, day, quantity, null, null, null),
                });
            }

            await using var db = CoreServices.CreateContext(storage);
            await using var transaction = await db.Database.BeginTransactionAsync();
            await writer.InsertNewAsync(db, batch, CancellationToken.None);
            await transaction.CommitAsync();
        }

        return subscriptions.Count;
    }

    private static void AddPriceList(PaygoDbContext db)
    {
        var list = new StoredPriceList { Id = Guid.NewGuid(), Market = Market, Month = Months.ToNumber(Month), RowCount = 5, Sha256 = new string('0', 64), ImportedAt = Before };
        db.PriceLists.Add(list);
        var start = Month.FirstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = Month.FirstDay.AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc).AddSeconds(-1);
        var number = 2;
        StoredPriceRow Row(string product, string sku, string meter, decimal price, decimal? min, decimal? max, string tags) => new()
        {
            PriceListId = list.Id, RowNumber = number++, ProductTitle = product, ProductId = "DZH318Z0" + sku + "AA", SkuId = sku, SkuTitle = product + " " + sku,
            Publisher = tags == "ThirdParty" ? "Contoso Software" : "Microsoft", SkuDescription = product, UnitOfMeasure = "1 Hour", TermDuration = "payG-1",
            Market = Market, Currency = "USD", UnitPrice = price, TierMin = min, TierMax = max, EffectiveStart = start, EffectiveEnd = end,
            MeterId = meter, MeterType = "1 Compute Hour", Tags = tags,
        };
        db.PriceRows.AddRange(
            Row("Storage Tiered", "0001", Meters[0], 1.00m, 0m, 100m, "Azure,Consumption"),
            Row("Storage Tiered", "0001", Meters[0], 0.50m, 100m, PriceListRow.OpenEndedTierMax, "Azure,Consumption"),
            Row("Virtual Machines", "0002", Meters[1], 0.868m, null, null, "Azure,Consumption"),
            Row("SQL Database", "0003", Meters[2], 0.1234m, null, null, "Azure,Consumption"),
            Row("Contoso Appliance", "0004", Meters[3], 2.00m, null, null, "ThirdParty"));
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The day after the month: the close may run, and nothing depends on the wall clock.</summary>
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
