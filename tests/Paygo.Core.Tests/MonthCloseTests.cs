using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Paygo.Core.Billing;
using Paygo.Core.Common;
using Paygo.Core.RatedUsage;
using Paygo.Core.Usage;
using Paygo.Core.Users;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;
using Paygo.Testing;

namespace Paygo.Core.Tests;

/// <summary>
/// The month close on both engines (issue 13 points 1-2, docs/adr/0036) with a rating that prices
/// the stored usage at one unit price: M4's invariants, M6 (late usage, closed files), M7 (a close
/// stopped midway and rerun), M8's golden vectors, and the database's refusal to change a closed invoice.
/// </summary>
public sealed class MonthCloseTests
{
    private static readonly Guid PartnerA = Guid.Parse("0a000000-0000-0000-0000-00000000000a");
    private static readonly Guid PartnerB = Guid.Parse("0b000000-0000-0000-0000-00000000000b");
    private static readonly Guid PartnerC = Guid.Parse("0c000000-0000-0000-0000-00000000000c");
    private static readonly Guid PartnerD = Guid.Parse("0d000000-0000-0000-0000-00000000000d");
    private static readonly Guid Customer = Guid.Parse("c0000000-0000-0000-0000-00000000000c");
    private static readonly Guid Plan = Guid.Parse("d0000000-0000-0000-0000-00000000000d");
    private static readonly Guid Entitlement = Guid.Parse("e0000000-0000-0000-0000-00000000000e");
    private static readonly Guid Meter = Guid.Parse("f0000000-0000-0000-0000-00000000000f");
    private static readonly BillingMonth October = new(2026, 10);
    private static readonly BillingMonth November = new(2026, 11);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // M8: the reference's PEC table (§3.5) and DOMAIN.md §6's rounding, in USD, EUR and JPY (0 decimals).
    [Theory]
    [InlineData("21.3962", "1", 2, "0", "21.39", "0.00")]
    [InlineData("155.639", "1", 2, "0", "155.63", "0.00")]
    [InlineData("410.1799", "1", 2, "0", "410.17", "0.00")]
    [InlineData("81.328", "1", 2, "0", "81.32", "0.00")]
    [InlineData("21.3962", "0.846202666", 2, "0", "18.10", "0.00")]
    [InlineData("21.3962", "0.846202666", 2, "0.2", "18.10", "3.62")]
    [InlineData("21.3962", "150.123456789", 0, "0", "3211", "0")]
    [InlineData("21.3962", "150.123456789", 0, "0.1", "3211", "321")]
    [InlineData("0.005", "1", 2, "0", "0.00", "0.00")]
    public void Amounts_FollowTheRoundingRule(string pricingTotal, string rate, int minorUnit, string taxRate, string subtotal, string tax)
    {
        var (s, t, total) = InvoiceBuilder.Amounts(Dec(pricingTotal), Dec(rate), Dec(taxRate), minorUnit);
        Assert.Equal(subtotal, InvoiceBuilder.Money(s, minorUnit));
        Assert.Equal(tax, InvoiceBuilder.Money(t, minorUnit));
        Assert.Equal(s + t, total);
    }

    [Fact]
    public void PecTable_OfTheReference_GivesItsBilledCost()
    {
        // 29 units at 0.868 with 15 % PEC: 21.3962 → 21.39, the reference's first row.
        var line = Rated("r1", 29m, new DateOnly(2026, 8, 3), 15, "USD", 1m);
        var draft = InvoiceBuilder.Line(Context(0m), Paygo.Rating.Money.CurrencyCode.Usd, new BillingMonth(2026, 8), [line]);
        Assert.Equal(21.39m, draft.Subtotal);
        Assert.Equal("[\"15.0% Partner earned credit for services managed\"]", draft.Cells[InvoiceReconciliationFile.Table.IndexOf("PriceAdjustmentDescription")]);
        Assert.Equal("0.7378", draft.Cells[InvoiceReconciliationFile.Table.IndexOf("EffectiveUnitPrice")]);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Close_WritesInvoicesThatAddUp(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await SeedAsync(database, ("GB", "GBP"), ("DE", "EUR"));
        await AddUsageAsync(database, PartnerA, October, 40, acceptedAt: At(2026, 10, 28));
        await AddUsageAsync(database, PartnerB, October, 25, acceptedAt: At(2026, 10, 28));
        var clock = new FakeTimeProvider(At(2026, 11, 2));
        var settings = new BillingSettings { TaxRates = { ["GB"] = 0.2m } };

        var run = await CloseAsync(database, clock, October, settings);

        Assert.Equal(CloseStatus.Succeeded, run.Status);
        Assert.Equal(2, run.Progress.Invoices);
        await using var db = database.CreateContext();
        var invoices = await db.Invoices.OrderBy(i => i.Number).ToListAsync(Ct);
        Assert.Equal(["G000000001", "G000000002"], invoices.Select(i => i.Number));
        foreach (var invoice in invoices)
        {
            var lines = await db.InvoiceLines.Where(l => l.InvoiceKey == invoice.Key).ToListAsync(Ct);
            var usage = await db.BilledUsage.Where(u => u.InvoiceKey == invoice.Key).ToListAsync(Ct);
            var records = await db.UsageRecords.Where(u => u.PartnerId == invoice.PartnerId).ToListAsync(Ct);

            // M4: Σ lines = total; Σ recon Subtotal = subtotal; every usage row in exactly one daily-file row.
            Assert.Equal(invoice.Total, lines.Sum(l => l.Total));
            Assert.Equal(invoice.Subtotal + invoice.TaxTotal, invoice.Total);
            var recon = await FileAsync(db, invoice, InvoiceFileKinds.Reconciliation);
            Assert.Equal(invoice.Subtotal, recon.Sum(r => Dec(r["Subtotal"])));
            Assert.Equal(invoice.Total, recon.Sum(r => Dec(r["Total"])));
            Assert.All(recon, r => Assert.Equal(invoice.Number, r["InvoiceNumber"]));
            var daily = await FileAsync(db, invoice, InvoiceFileKinds.DailyUsage);
            Assert.Equal(records.Count, daily.Count);
            Assert.Equal(records.Count, usage.Select(u => u.RecordId).Distinct().Count());
            Assert.Equal(records.Sum(r => r.Quantity), daily.Sum(r => Dec(r["Quantity"])));
            Assert.Equal(
                records.Select(r => $"{r.UsageDate:yyyy-MM-dd}|{r.Quantity}").Order(StringComparer.Ordinal),
                daily.Select(r => $"{DateTime.Parse(r["UsageDate"], CultureInfo.InvariantCulture):yyyy-MM-dd}|{Dec(r["Quantity"])}").Order(StringComparer.Ordinal));

            // The statement's document, read back from the stored cells, agrees with the invoice and its recon file.
            var (document, error) = await new InvoiceQueries(db).DocumentAsync(Caller.OperatorSystem, invoice.Number!, Ct);
            Assert.Null(error);
            Assert.Equal((invoice.Subtotal, invoice.TaxTotal, invoice.Total), (document!.Subtotal, document.TaxTotal, document.Total));
            Assert.Equal(recon.Count, document.Lines.Count);
            Assert.Equal(recon.Select(r => Dec(r["Subtotal"])), document.Lines.Select(l => l.Subtotal));
            Assert.Equal(invoice.Currency == "GBP" ? 0.75123m : 0.846202666m, document.PcToBcExchangeRate);
            Assert.True(document.PecEarned > 0, "half the records earn PEC");
            Assert.All(document.Lines.Where(l => l.PecPercent == 0), l => Assert.Equal(0m, l.PecEarned));
            var statement = Statement.From(document);
            Assert.Contains(statement.Totals, f => f.Label == "Total" && f.Value == $"{Statement.Amount(invoice.Total, 2)} {invoice.Currency}");
        }

        var gb = invoices.Single(i => i.PartnerId == PartnerA);
        Assert.Equal("GBP", gb.Currency);
        Assert.True(gb.TaxTotal > 0);
        Assert.Equal(0m, invoices.Single(i => i.PartnerId == PartnerB).TaxTotal);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Start_RefusesAMonthNotOver_AndAnswersTheExistingRun(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await SeedAsync(database, ("GB", "GBP"));
        var clock = new FakeTimeProvider(At(2026, 11, 20));
        await using var db = database.CreateContext();
        var close = new MonthClose(db, database.Storage, new StoredUsageRating(database), new BillingSettings(), new CloseSignal(), clock);

        var (_, notOver) = await close.StartAsync(Caller.OperatorSystem, "2026-11", Ct);
        Assert.Equal(BillingCodes.MonthNotOver, notOver!.Code);
        Assert.Equal("month", Assert.Single(notOver.Data).Field);
        var (_, bad) = await close.StartAsync(Caller.OperatorSystem, "2026-13", Ct);
        Assert.Equal("month", Assert.Single(bad!.Data).Field);

        var (first, _) = await close.StartAsync(Caller.OperatorSystem, "2026-10", Ct);
        var (second, _) = await close.StartAsync(Caller.OperatorSystem, "2026-10", Ct);
        Assert.True(first!.Started);
        Assert.False(second!.Started);
        Assert.Equal(first.Run.Id, second.Run.Id);
        Assert.Equal(1, await db.CloseRuns.CountAsync(Ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task ClosedInvoice_IsRefusedEveryChangeByTheDatabase(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await SeedAsync(database, ("GB", "GBP"));
        await AddUsageAsync(database, PartnerA, October, 5, acceptedAt: At(2026, 10, 28));
        await CloseAsync(database, new FakeTimeProvider(At(2026, 11, 2)), October, new BillingSettings());

        await using var db = database.CreateContext();
        var invoice = await db.Invoices.SingleAsync(Ct);
        var attempts = new Func<Task>[]
        {
            () => db.Invoices.Where(i => i.Key == invoice.Key).ExecuteUpdateAsync(s => s.SetProperty(i => i.Total, 0m), Ct),
            () => db.Invoices.Where(i => i.Key == invoice.Key).ExecuteDeleteAsync(Ct),
            () => db.InvoiceLines.Where(l => l.InvoiceKey == invoice.Key).ExecuteUpdateAsync(s => s.SetProperty(l => l.Total, 0m), Ct),
            () => db.InvoiceLines.Where(l => l.InvoiceKey == invoice.Key).ExecuteDeleteAsync(Ct),
            () => db.BilledUsage.Where(u => u.InvoiceKey == invoice.Key).ExecuteDeleteAsync(Ct),
            () => db.InvoiceFiles.Where(f => f.InvoiceKey == invoice.Key).ExecuteUpdateAsync(s => s.SetProperty(f => f.Sha256, "0"), Ct),
            () => db.Database.ExecuteSqlRawAsync("UPDATE \"InvoiceFiles\" SET \"Content\" = \"Content\"", Ct),
            () => db.Database.ExecuteSqlRawAsync("UPDATE \"Invoices\" SET \"Number\" = 'G999999999'", Ct),
            async () =>
            {
                db.InvoiceLines.Add(new InvoiceLine { InvoiceKey = invoice.Key, LineNumber = 999, PartnerId = PartnerA, Cells = "[]" });
                await db.SaveChangesAsync(Ct);
            },
        };
        foreach (var attempt in attempts)
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(attempt);
            Assert.Contains(InvoiceTriggers.Message, Flatten(e), StringComparison.Ordinal);
            db.ChangeTracker.Clear();
        }

        var after = await db.Invoices.AsNoTracking().SingleAsync(Ct);
        Assert.Equal(invoice.Total, after.Total);
        Assert.Equal("G000000001", after.Number);
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task LateUsage_GoesOnTheNextInvoice_AndTheClosedFilesKeepTheirHash(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await SeedAsync(database, ("GB", "GBP"));
        await AddUsageAsync(database, PartnerA, October, 6, acceptedAt: At(2026, 10, 28));
        await CloseAsync(database, new FakeTimeProvider(At(2026, 11, 2)), October, new BillingSettings());
        var before = await HashesAsync(database);

        // Usage of October accepted after its close, and November's own.
        await AddUsageAsync(database, PartnerA, October, 2, acceptedAt: At(2026, 11, 10), prefix: "late");
        await AddUsageAsync(database, PartnerA, November, 3, acceptedAt: At(2026, 11, 28), prefix: "nov");
        await CloseAsync(database, new FakeTimeProvider(At(2026, 12, 2)), November, new BillingSettings());

        Assert.Equal(before, (await HashesAsync(database)).Where(h => h.Key.StartsWith("G000000001", StringComparison.Ordinal)).ToDictionary());
        await using var db = database.CreateContext();
        var november = await db.Invoices.SingleAsync(i => i.Number == "G000000002", Ct);
        var daily = await FileAsync(db, november, InvoiceFileKinds.DailyUsage);
        Assert.Equal(5, daily.Count);
        var late = daily.Where(r => r["ChargeStartDate"].StartsWith("10/1/2026", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, late.Count);
        Assert.All(late, r => Assert.StartsWith("10/31/2026", r["ChargeEndDate"], StringComparison.Ordinal));
        var recon = await FileAsync(db, november, InvoiceFileKinds.Reconciliation);
        Assert.Contains(recon, r => r["ChargeStartDate"].StartsWith("10/1/2026", StringComparison.Ordinal));
        Assert.Contains(recon, r => r["ChargeStartDate"].StartsWith("11/1/2026", StringComparison.Ordinal));
        Assert.Equal(11, await db.BilledUsage.CountAsync(Ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Close_StoppedMidway_AndRunAgain_GivesTheSameInvoicesNumbersAndFiles(string engine)
    {
        // M7 within one process: the same data closed straight through, and closed with a stop at
        // the second partner (the run is left "running", as a killed process leaves it) then resumed.
        await using var straight = await TestDatabase.CreateAsync(engine);
        await using var stopped = await TestDatabase.CreateAsync(engine);
        foreach (var database in new[] { straight, stopped })
        {
            await SeedAsync(database, ("GB", "GBP"), ("DE", "EUR"));
            await AddUsageAsync(database, PartnerA, October, 30, acceptedAt: At(2026, 10, 28));
            await AddUsageAsync(database, PartnerB, October, 20, acceptedAt: At(2026, 10, 28));
        }

        var clock = new FakeTimeProvider(At(2026, 11, 2));
        await CloseAsync(straight, clock, October, new BillingSettings());

        Guid runId;
        await using (var db = stopped.CreateContext())
        {
            var close = new MonthClose(db, stopped.Storage, new StoredUsageRating(stopped) { StopAt = PartnerB }, new BillingSettings(), new CloseSignal(), clock);
            runId = (await close.StartAsync(Caller.OperatorSystem, October.ToString(), Ct)).Value!.Run.Id;
            await Assert.ThrowsAsync<OperationCanceledException>(() => close.RunAsync(runId, Ct));
        }

        await using (var db = stopped.CreateContext())
        {
            var run = await db.CloseRuns.SingleAsync(Ct);
            Assert.Equal(CloseStatus.Running, run.Status);
            Assert.Equal(1, run.PartnersDone);
            Assert.Null(await db.Invoices.Where(i => i.Number != null).Select(i => i.Number).FirstOrDefaultAsync(Ct));
            var close = new MonthClose(db, stopped.Storage, new StoredUsageRating(stopped), new BillingSettings(), new CloseSignal(), clock);
            Assert.Equal([runId], await close.PendingAsync(Ct));
            await close.RunAsync(runId, Ct);
        }

        Assert.Equal(await HashesAsync(straight), await HashesAsync(stopped));
        await using var check = stopped.CreateContext();
        Assert.Equal(["G000000001", "G000000002"], await check.Invoices.OrderBy(i => i.Number).Select(i => i.Number!).ToListAsync(Ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task Close_WhoseWriteFails_StopsTheDrafting_FailsTheRun_AndKeepsThePartnersBefore(string engine)
    {
        // The writer runs beside the drafting (docs/adr/0047): a write that fails must end the
        // close with its own error, not leave the drafting waiting for a writer that is gone.
        // Four partners, the second refused: with one drafted partner queued, the drafting of the
        // fourth would wait for room forever if the failed writer did not stop it.
        await using var database = await TestDatabase.CreateAsync(engine);
        await SeedAsync(database, ("GB", "GBP"), ("DE", "EUR"), ("US", "USD"), ("FR", "EUR"));
        foreach (var partner in new[] { PartnerA, PartnerB, PartnerC, PartnerD })
        {
            await AddUsageAsync(database, partner, October, 20, acceptedAt: At(2026, 10, 28));
        }

        await using (var db = database.CreateContext())
        {
            // The database refuses partner B's billed rows (its id as each engine stores it), as a full
            // disk or a lost connection would.
            if (engine == Engines.Postgres)
            {
                await db.Database.ExecuteSqlRawAsync(
                    "CREATE FUNCTION refuse_b() RETURNS trigger AS $$ BEGIN IF NEW.\"PartnerId\" = '0b000000-0000-0000-0000-00000000000b' THEN RAISE EXCEPTION 'injected write failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;" +
                    "CREATE TRIGGER refuse_b BEFORE INSERT ON \"BilledUsage\" FOR EACH ROW EXECUTE FUNCTION refuse_b();", Ct);
            }
            else
            {
                await db.Database.ExecuteSqlRawAsync(
                    "CREATE TRIGGER refuse_b BEFORE INSERT ON \"BilledUsage\" WHEN NEW.\"PartnerId\" = '0B000000-0000-0000-0000-00000000000B' BEGIN SELECT RAISE(ABORT, 'injected write failure'); END;", Ct);
            }
        }

        var clock = new FakeTimeProvider(At(2026, 11, 2));
        await using (var db = database.CreateContext())
        {
            var close = new MonthClose(db, database.Storage, new StoredUsageRating(database), new BillingSettings(), new CloseSignal(), clock);
            var runId = (await close.StartAsync(Caller.OperatorSystem, October.ToString(), Ct)).Value!.Run.Id;
            var error = await Assert.ThrowsAnyAsync<Exception>(() => close.RunAsync(runId, Ct)).WaitAsync(TimeSpan.FromSeconds(60), Ct);
            Assert.Contains("injected write failure", error.ToString(), StringComparison.Ordinal);
        }

        await using var check = database.CreateContext();
        var run = await check.CloseRuns.SingleAsync(Ct);
        Assert.Equal(CloseStatus.Failed, run.Status);
        Assert.Contains("injected write failure", run.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1, run.PartnersDone);
        Assert.Equal([PartnerA], await check.Invoices.Select(i => i.PartnerId).Distinct().ToListAsync(Ct));
        Assert.Equal(0, await check.Invoices.CountAsync(i => i.Number != null, Ct));
        Assert.Equal(0, await check.BilledUsage.CountAsync(u => u.PartnerId != PartnerA, Ct));
    }

    [Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]
    public async Task LineItems_ArePagedBySeek_AndFilteredByPec(string engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await SeedAsync(database, ("GB", "GBP"));
        await AddUsageAsync(database, PartnerA, October, 9, acceptedAt: At(2026, 10, 28));
        await CloseAsync(database, new FakeTimeProvider(At(2026, 11, 2)), October, new BillingSettings());
        await using var db = database.CreateContext();
        var queries = new InvoiceQueries(db);
        var partner = new Caller(PartnerA, Guid.NewGuid(), "a@example.com", [Paygo.Core.Identity.PartnerRole.BillingAdmin]);
        var other = new Caller(PartnerB, Guid.NewGuid(), "b@example.com", [Paygo.Core.Identity.PartnerRole.BillingAdmin]);

        var seen = new List<string>();
        string? token = null;
        do
        {
            var (page, error) = await queries.LineItemsAsync(partner, "G000000001",
                new LineItemQuery("onetime", "usagelineitems", "GBP", 4, token is null ? null : "Next", token, null), Ct);
            Assert.Null(error);
            seen.AddRange(page!.Items.Select(i => i["resourceUri"]!.GetValue<string>() + i["usageDate"]!.GetValue<string>()));
            Assert.All(page.Items, i => Assert.Equal("DailyRatedUsageLineItem", i["attributes"]!["objectType"]!.GetValue<string>()));
            token = page.Links.Next?.Headers.Single().Value;
        }
        while (token is not null);
        Assert.Equal(9, seen.Count);
        Assert.Equal(9, seen.Distinct().Count());

        var (pec, _) = await queries.LineItemsAsync(partner, "G000000001", new LineItemQuery("onetime", "usagelineitems", null, null, null, null, true), Ct);
        Assert.All(pec!.Items, i => Assert.True(i["hasPartnerEarnedCredit"]!.GetValue<bool>()));
        Assert.Equal(5, pec.Items.Count);

        var (billing, _) = await queries.LineItemsAsync(partner, "G000000001", new LineItemQuery("onetime", "billinglineitems", null, null, null, null, null), Ct);
        Assert.All(billing!.Items, i => Assert.Equal("OneTimeInvoiceLineItem", i["attributes"]!["objectType"]!.GetValue<string>()));
        var invoice = (await queries.GetAsync(partner, "G000000001", Ct)).Value!;
        Assert.Equal(invoice.Subtotal, billing.Items.Sum(i => i["subtotal"]!.GetValue<decimal>()));

        // Another partner's invoice is answered as one that does not exist.
        Assert.Equal(ErrorKind.NotFound, (await queries.GetAsync(other, "G000000001", Ct)).Error!.Kind);
        Assert.Empty((await queries.ListAsync(other, Ct)).Items);
        var (_, badType) = await queries.LineItemsAsync(partner, "G000000001", new LineItemQuery("onetime", "other", null, null, null, null, null), Ct);
        Assert.Equal("invoicelineitemtype", badType!.Data.Single().Field);
        var (_, big) = await queries.LineItemsAsync(partner, "G000000001", new LineItemQuery("onetime", "usagelineitems", null, 2001, null, null, null), Ct);
        Assert.Equal("size", big!.Data.Single().Field);
    }

    private static async Task<CloseRunResource> CloseAsync(TestDatabase database, TimeProvider clock, BillingMonth month, BillingSettings settings)
    {
        await using var db = database.CreateContext();
        var close = new MonthClose(db, database.Storage, new StoredUsageRating(database), settings, new CloseSignal(), clock);
        var (outcome, error) = await close.StartAsync(Caller.OperatorSystem, month.ToString(), Ct);
        Assert.Null(error);
        await close.RunAsync(outcome!.Run.Id, Ct);
        var run = (await close.GetAsync(Caller.OperatorSystem, outcome.Run.Id, Ct)).Value!;
        Assert.True(run.Status == CloseStatus.Succeeded, run.Error?.Message);
        return run;
    }

    private static async Task<Dictionary<string, string>> HashesAsync(TestDatabase database)
    {
        await using var db = database.CreateContext();
        var files = await db.InvoiceFiles.Join(db.Invoices, f => f.InvoiceKey, i => i.Key, (f, i) => new { i.Number, f.Kind, f.Sha256, f.Content }).ToListAsync(Ct);
        Assert.All(files, f => Assert.Equal(f.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(f.Content))));
        return files.ToDictionary(f => $"{f.Number}/{f.Kind}", f => f.Sha256);
    }

    private static async Task<List<Dictionary<string, string>>> FileAsync(PaygoDbContext db, Invoice invoice, string kind)
    {
        var file = await db.InvoiceFiles.SingleAsync(f => f.InvoiceKey == invoice.Key && f.Kind == kind, Ct);
        var text = Encoding.UTF8.GetString(file.Content);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = Csv(lines[0]);
        Assert.Equal(kind == InvoiceFileKinds.Reconciliation ? InvoiceReconciliationFile.Table.Header : DailyRatedUsageFile.Table.Header, header);
        return [.. lines.Skip(1).Select(l => header.Zip(Csv(l)).ToDictionary(p => p.First, p => p.Second))];
    }

    /// <summary>Splits one CSV record (RFC 4180 quotes).</summary>
    private static List<string> Csv(string line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }

        cells.Add(cell.ToString());
        return cells;
    }

    private static async Task SeedAsync(TestDatabase database, params (string Country, string Currency)[] partners)
    {
        await using var db = database.CreateContext();
        var ids = new[] { PartnerA, PartnerB, PartnerC, PartnerD };
        for (var i = 0; i < partners.Length; i++)
        {
            var partner = TestData.Partner($"60000{i}", $"Partner {i}");
            partner.Id = ids[i];
            partner.Country = partners[i].Country;
            partner.BillingCurrency = partners[i].Currency;
            db.Partners.Add(partner);
        }

        await db.SaveChangesAsync(Ct);
    }

    private static async Task AddUsageAsync(TestDatabase database, Guid partner, BillingMonth month, int count, DateTimeOffset acceptedAt, string prefix = "r")
    {
        await using var db = database.CreateContext();
        for (var i = 0; i < count; i++)
        {
            var day = month.FirstDay.AddDays(i % 28);
            var quantity = 1.5m + i;
            var uri = $"/subscriptions/{Entitlement}/resourceGroups/rg-{i % 3}/providers/Microsoft.Compute/virtualMachines/vm-{prefix}-{i}";
            db.UsageRecords.Add(new UsageRecord
            {
                PartnerId = partner,
                RecordId = $"{prefix}-{month}-{i}",
                CustomerId = Customer,
                SubscriptionId = Plan,
                EntitlementId = Entitlement,
                ResourceUri = uri,
                MeterId = Meter.ToString("D"),
                UsageDate = day,
                Quantity = quantity,
                ContentHash = new string('0', 64),
                AcceptedAt = acceptedAt,
            });
        }

        await db.SaveChangesAsync(Ct);
    }

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    private static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " " + Flatten(e.InnerException);

    private static BillingContext Context(decimal taxRate) => new(PartnerA, "Partner", "600000", taxRate,
        new Dictionary<Guid, BillingCustomer>(), new Dictionary<Guid, BillingPlan>(), new Dictionary<Guid, string>());

    /// <summary>A rated line at 0.868 USD, PEC on even record numbers, converted at the currency's test rate.</summary>
    private static RatedUsageLine Rated(string recordId, decimal quantity, DateOnly day, int pec, string currency, decimal rate, Guid? partner = null, string? uri = null)
    {
        const decimal price = 0.868m;
        var effective = price * (1 - (pec / 100m));
        return new RatedUsageLine
        {
            PartnerId = partner ?? PartnerA,
            CustomerId = Customer,
            SubscriptionId = Plan,
            EntitlementId = Entitlement,
            RecordId = recordId,
            AcceptedAt = DateTimeOffset.UnixEpoch,
            ResourceUri = uri ?? "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm",
            MeterId = Meter,
            UsageDate = day,
            Quantity = quantity,
            UnitPrice = price,
            EffectiveUnitPrice = effective,
            PricingPreTaxTotal = quantity * effective,
            BillingPreTaxTotal = quantity * effective * rate,
            ListCost = quantity * price,
            BillingCurrency = currency,
            PcToBcExchangeRate = rate,
            PcToBcExchangeRateDate = BillingMonth.Of(day).FirstDay,
            PecPercent = pec,
            PecEvidence = pec > 0 ? "assignment-1" : "no access",
            Meter = new RatedMeter("DZH318Z0BQ4L", "0001", "DZH318Z08M1N", "Virtual Machines Dv3 Series", "D2 v3", "D2 v3", "Virtual Machines", "Dv3 Series", "UK South", "1 Hour", "1 Compute Hour"),
        };
    }

    /// <summary>
    /// A rating of what is stored: every usage record of the partner's month at 0.868 USD, PEC on
    /// even-numbered records, in the partner's billing currency. Optionally stops (as a killed
    /// process would) when asked for one partner.
    /// </summary>
    private sealed class StoredUsageRating(TestDatabase database) : IMonthRating
    {
        public Guid? StopAt { get; init; }

        public async Task<MonthRatingResult> RateAsync(Guid partnerId, BillingMonth month, Guid? customerId, CancellationToken cancellationToken)
        {
            if (StopAt == partnerId)
            {
                throw new OperationCanceledException("stopped as a killed close would be");
            }

            await using var db = database.CreateContext();
            var partner = await db.Partners.SingleAsync(p => p.Id == partnerId, cancellationToken);
            var rate = partner.BillingCurrency switch { "EUR" => 0.846202666m, "GBP" => 0.75123m, "JPY" => 150.123456789m, _ => 1m };
            var from = month.FirstDay;
            var until = from.AddMonths(1);
            var records = await db.UsageRecords.Where(u => u.PartnerId == partnerId && u.UsageDate >= from && u.UsageDate < until).ToListAsync(cancellationToken);
            var lines = records.OrderBy(r => r.RecordId, StringComparer.Ordinal).Select(r =>
                Rated(r.RecordId, r.Quantity, r.UsageDate, int.Parse(r.RecordId[(r.RecordId.LastIndexOf('-') + 1)..], CultureInfo.InvariantCulture) % 2 == 0 ? 15 : 0,
                    partner.BillingCurrency, rate, partnerId, r.ResourceUri)).ToList();
            return new MonthRatingResult(partnerId, month, partner.BillingCurrency, lines, [], DateTimeOffset.UnixEpoch);
        }
    }
}
