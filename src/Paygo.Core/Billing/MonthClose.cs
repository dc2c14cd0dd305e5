using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.RatedUsage;
using Paygo.Core.Storage;
using Paygo.Core.Users;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Billing;

/// <summary>
/// The month close (DOMAIN.md §8, docs/adr/0036): one run per month, worked through partner by
/// partner (each partner's draft invoices written in a transaction of their own, so a killed run
/// resumes where it stopped and a partner's work can be redone), then one final transaction that
/// numbers the invoices without gaps, writes their files and closes them.
/// </summary>
public sealed class MonthClose(PaygoDbContext db, StorageSettings storage, IMonthRating rating, BillingSettings settings, CloseSignal signal, TimeProvider clock)
{
    /// <summary>Late usage is at most 90 days back (DOMAIN.md §7): four months cover every earlier month it can belong to.</summary>
    private const int LateMonths = 4;

    public static ApiError? ParseMonth(string? text, out BillingMonth month)
    {
        month = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return ApiError.InvalidField("month", "The field 'month' is required: the month to close as yyyy-MM, e.g. 2026-11.");
        }

        return BillingMonth.TryParse(text, out month)
            ? null
            : ApiError.InvalidField("month", $"The field 'month' must be a month as yyyy-MM, e.g. 2026-11; '{ErrorText.Quote(text)}' is not.");
    }

    /// <summary>Starts the close of a month, or answers the run that exists (a failed run is started again).</summary>
    public async Task<Result<CloseRequestOutcome>> StartAsync(Caller caller, string? monthText, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.BillingClose);
        if (ParseMonth(monthText, out var month) is { } invalid)
        {
            return invalid;
        }

        var now = clock.GetUtcNow();
        var end = new DateTimeOffset(month.FirstDay.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        if (now < end)
        {
            return new ApiError(ErrorKind.Invalid, BillingCodes.MonthNotOver,
                $"The month {month} is not over yet: it can be closed from {end:yyyy-MM-dd'T'HH:mm:ss'Z'}.", [new FieldError("month", "The month is not over.")]);
        }

        var text = month.ToString();
        var existing = await db.Set<CloseRun>().SingleOrDefaultAsync(r => r.Month == text, cancellationToken);
        if (existing is null)
        {
            var later = await db.Set<CloseRun>().Where(r => string.Compare(r.Month, text) > 0).Select(r => r.Month).OrderBy(m => m).FirstOrDefaultAsync(cancellationToken);
            if (later is not null)
            {
                return new ApiError(ErrorKind.Conflict, BillingCodes.LaterMonthClosed,
                    $"The month {later} has a close already; months close in order, so {text} can no longer be closed (its usage is billed as late usage).",
                    [new FieldError("month", "A later month is closed.")]);
            }

            existing = new CloseRun { Id = Guid.NewGuid(), Month = text, CreatedAt = now, RequestedBy = caller.Email };
            db.Add(existing);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Another request created the month's run first: answer that one.
                db.ChangeTracker.Clear();
                existing = await db.Set<CloseRun>().SingleAsync(r => r.Month == text, cancellationToken);
                return new CloseRequestOutcome(CloseRunResource.From(existing), Started: false);
            }

            signal.Post(existing.Id);
            return new CloseRequestOutcome(CloseRunResource.From(existing), Started: true);
        }

        if (existing.Status == CloseStatus.Failed)
        {
            existing.Status = CloseStatus.NotStarted;
            existing.ErrorCode = null;
            existing.ErrorMessage = null;
            existing.CompletedAt = null;
            await db.SaveChangesAsync(cancellationToken);
            signal.Post(existing.Id);
            return new CloseRequestOutcome(CloseRunResource.From(existing), Started: true);
        }

        return new CloseRequestOutcome(CloseRunResource.From(existing), Started: false);
    }

    public async Task<Result<CloseRunResource>> GetAsync(Caller caller, Guid id, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.BillingClose);
        var run = await db.Set<CloseRun>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        return run is null ? ApiError.NotFound($"There is no close run {id}.") : CloseRunResource.From(run);
    }

    public async Task<IReadOnlyList<CloseRunResource>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.BillingClose);
        var runs = await db.Set<CloseRun>().AsNoTracking().OrderBy(r => r.Month).ToListAsync(cancellationToken);
        return [.. runs.Select(CloseRunResource.From)];
    }

    /// <summary>The runs a worker has to (re)start: not started, or running when the process stopped.</summary>
    public async Task<IReadOnlyList<Guid>> PendingAsync(CancellationToken cancellationToken) =>
        await db.Set<CloseRun>().Where(r => r.Status == CloseStatus.NotStarted || r.Status == CloseStatus.Running)
            .OrderBy(r => r.Month).Select(r => r.Id).ToListAsync(cancellationToken);

    /// <summary>Runs (or resumes) a close to its end; the background worker's job. Safe to call again for any state.</summary>
    public async Task RunAsync(Guid id, CancellationToken cancellationToken)
    {
        var run = await db.Set<CloseRun>().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (run is null || run.Status is CloseStatus.Succeeded or CloseStatus.Failed)
        {
            return;
        }

        if (run.Status == CloseStatus.NotStarted)
        {
            // A fresh start (or a restart after a failure) redoes every partner: the data may have been fixed since.
            await DeleteDraftsAsync(run.Id, null, cancellationToken);
        }

        run.Status = CloseStatus.Running;
        run.StartedAt ??= clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            await CloseAsync(run, cancellationToken);
        }
        catch (BillingCloseException e)
        {
            await FailAsync(id, e.Code, e.Message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A fault of Paygo's: the run says so instead of staying "running"; a new request starts it again.
            await FailAsync(id, ErrorCodes.UnexpectedServiceError, "The close stopped on an unexpected error: " + e.Message, cancellationToken);
            throw;
        }
    }

    private async Task FailAsync(Guid id, int code, string message, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var run = await db.Set<CloseRun>().SingleAsync(r => r.Id == id, cancellationToken);
        run.Status = CloseStatus.Failed;
        run.ErrorCode = code;
        run.ErrorMessage = message.Length > 4000 ? message[..4000] : message;
        run.CompletedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task CloseAsync(CloseRun run, CancellationToken cancellationToken)
    {
        var month = BillingMonth.Of(DateOnly.ParseExact(run.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var from = month.FirstDay.AddMonths(-LateMonths);
        var until = month.FirstDay.AddMonths(1);
        var partners = (await db.UsageRecords.Where(u => u.UsageDate >= from && u.UsageDate < until).Select(u => u.PartnerId).Distinct().ToListAsync(cancellationToken))
            .OrderBy(p => p.ToString("D"), StringComparer.Ordinal).ToList();
        var fromText = BillingMonth.Of(from).ToString();
        var closedMonths = (await db.Set<CloseRun>().Where(r => r.Status == CloseStatus.Succeeded && string.Compare(r.Month, fromText) >= 0 && string.Compare(r.Month, run.Month) < 0)
            .Select(r => r.Month).ToListAsync(cancellationToken))
            .Select(m => BillingMonth.Of(DateOnly.ParseExact(m + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture))).Order().ToList();
        var done = (await db.Set<Invoice>().Where(i => i.CloseId == run.Id).Select(i => i.PartnerId).Distinct().ToListAsync(cancellationToken)).ToHashSet();
        run.PartnersTotal = partners.Count;
        run.PartnersDone = partners.Count(done.Contains);
        await db.SaveChangesAsync(cancellationToken);

        foreach (var partner in partners.Where(p => !done.Contains(p)))
        {
            var drafts = await DraftAsync(partner, month, closedMonths, cancellationToken);
            await WriteDraftsAsync(run, partner, month, drafts, cancellationToken);
        }

        await FinishAsync(run.Id, month, cancellationToken);
    }

    /// <summary>One partner's invoices of the month: its rated usage of the month and the unbilled usage of earlier closed months.</summary>
    private async Task<IReadOnlyList<DraftInvoice>> DraftAsync(Guid partnerId, BillingMonth month, List<BillingMonth> closedMonths, CancellationToken cancellationToken)
    {
        var charged = new List<ChargedLine>();
        var rated = await rating.RateAsync(partnerId, month, null, cancellationToken);
        Refuse(rated.Unrated, month);
        charged.AddRange(rated.Lines.Select(l => new ChargedLine(l, month)));
        if (closedMonths.Count > 0)
        {
            // Billed records are those on closed invoices: this close's own drafts of the partner were removed or never written.
            var billed = (await db.Set<BilledUsage>().Where(u => u.PartnerId == partnerId).Select(u => u.RecordId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            foreach (var earlier in closedMonths)
            {
                var late = await rating.RateAsync(partnerId, earlier, null, cancellationToken);
                Refuse([.. late.Unrated.Where(u => !billed.Contains(u.RecordId))], earlier);
                charged.AddRange(late.Lines.Where(l => !billed.Contains(l.RecordId)).Select(l => new ChargedLine(l, earlier)));
            }
        }

        if (charged.Count == 0)
        {
            return [];
        }

        return InvoiceBuilder.Build(await ContextAsync(partnerId, cancellationToken), charged);
    }

    private static void Refuse(IReadOnlyList<UnratedUsage> unrated, BillingMonth month)
    {
        if (unrated.Count > 0)
        {
            var first = unrated[0];
            throw new BillingCloseException(BillingCodes.UnratedUsage,
                $"{unrated.Count} usage record(s) of {month} could not be rated, so the close stopped rather than bill without them; the first is '{first.RecordId}' of Azure subscription {first.EntitlementId} on {first.UsageDate:yyyy-MM-dd}: {first.Reason}");
        }
    }

    /// <summary>Who is billed and the names the files print, as the close reads them (the unbilled reconciliation reads the same).</summary>
    internal async Task<BillingContext> ContextAsync(Guid partnerId, CancellationToken cancellationToken)
    {
        var partner = await db.Partners.AsNoTracking().SingleAsync(p => p.Id == partnerId, cancellationToken);
        var customers = await db.Customers.AsNoTracking().Where(c => c.PartnerId == partnerId)
            .Select(c => new { c.Id, c.CompanyName, c.Domain, c.Country, c.ResellerPartnerId }).ToListAsync(cancellationToken);
        var resellerIds = customers.Where(c => c.ResellerPartnerId is not null).Select(c => c.ResellerPartnerId!.Value).Distinct().ToList();
        var resellers = resellerIds.Count == 0
            ? []
            : await db.Partners.AsNoTracking().Where(p => resellerIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.MpnId, cancellationToken);
        var plans = await db.CommerceSubscriptions.AsNoTracking().Where(s => s.PartnerId == partnerId && s.AzurePlanKey != null)
            .Select(s => new { s.Id, s.OrderId, s.CreatedAt }).ToListAsync(cancellationToken);
        var entitlements = await db.AzureEntitlements.AsNoTracking().Where(e => e.PartnerId == partnerId)
            .Select(e => new { e.Id, e.FriendlyName }).ToListAsync(cancellationToken);
        return new BillingContext(
            partner.Id, partner.Name, partner.MpnId, settings.TaxRateOf(partner.Country),
            customers.ToDictionary(c => c.Id, c => new BillingCustomer(c.CompanyName, c.Domain, c.Country,
                c.ResellerPartnerId is { } reseller ? resellers.GetValueOrDefault(reseller) : null)),
            plans.ToDictionary(p => p.Id, p => new BillingPlan(p.OrderId.ToString("D"), DateOnly.FromDateTime(p.CreatedAt.UtcDateTime), DateOnly.FromDateTime(p.CreatedAt.UtcDateTime))),
            entitlements.ToDictionary(e => e.Id, e => e.FriendlyName));
    }

    /// <summary>A partner's drafts replace whatever a previous attempt left, with the run's progress, in one transaction.</summary>
    private async Task WriteDraftsAsync(CloseRun run, Guid partnerId, BillingMonth month, IReadOnlyList<DraftInvoice> drafts, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await DeleteDraftsAsync(run.Id, partnerId, cancellationToken);
            var lines = new List<InvoiceLine>();
            var usageRows = new List<BilledUsage>();
            foreach (var draft in drafts)
            {
                var invoice = new Invoice
                {
                    Key = Guid.NewGuid(),
                    CloseId = run.Id,
                    PartnerId = partnerId,
                    Month = month.ToString(),
                    Currency = draft.Currency,
                    InvoiceDate = month.FirstDay.AddMonths(1),
                    Subtotal = draft.Subtotal,
                    TaxTotal = draft.TaxTotal,
                    Total = draft.Total,
                    LineCount = draft.Lines.Count,
                    UsageCount = draft.Usage.Count,
                };
                db.Add(invoice);
                for (var i = 0; i < draft.Lines.Count; i++)
                {
                    var line = draft.Lines[i];
                    lines.Add(new InvoiceLine
                    {
                        InvoiceKey = invoice.Key, LineNumber = i + 1, PartnerId = partnerId, CustomerId = line.CustomerId,
                        Subtotal = line.Subtotal, TaxTotal = line.TaxTotal, Total = line.Total, Cells = JsonSerializer.Serialize(line.Cells),
                    });
                }

                for (var i = 0; i < draft.Usage.Count; i++)
                {
                    var usage = draft.Usage[i];
                    usageRows.Add(new BilledUsage
                    {
                        PartnerId = partnerId, RecordId = usage.RecordId, InvoiceKey = invoice.Key, RowNumber = i + 1, CustomerId = usage.CustomerId,
                        PecPercent = usage.PecPercent, Cells = JsonSerializer.Serialize(usage.Cells),
                    });
                }
            }

            // The invoices through EF, their rows through the engine's bulk path (docs/adr/0039), all in the partner's transaction.
            await db.SaveChangesAsync(cancellationToken);
            await storage.Engine.Feature<IInvoiceRowsBulkWriter>().InsertAsync(db, lines, usageRows, cancellationToken);
            run.PartnersDone++;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        db.ChangeTracker.Clear();
        db.Attach(run);
    }

    private async Task DeleteDraftsAsync(Guid closeId, Guid? partnerId, CancellationToken cancellationToken)
    {
        var drafts = db.Set<Invoice>().Where(i => i.CloseId == closeId && !i.IsClosed && (partnerId == null || i.PartnerId == partnerId));
        await db.Set<BilledUsage>().Where(u => drafts.Any(d => d.Key == u.InvoiceKey)).ExecuteDeleteAsync(cancellationToken);
        await db.Set<InvoiceLine>().Where(l => drafts.Any(d => d.Key == l.InvoiceKey)).ExecuteDeleteAsync(cancellationToken);
        await db.Set<InvoiceFile>().Where(f => drafts.Any(d => d.Key == f.InvoiceKey)).ExecuteDeleteAsync(cancellationToken);
        await drafts.ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// The one final transaction: numbers every draft of the run in (partner, currency) order after
    /// the highest number given so far, writes both files of each, closes the invoices and the run.
    /// All or nothing, so a crash before the commit leaves no number used and no file written.
    /// </summary>
    private async Task FinishAsync(Guid runId, BillingMonth month, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var run = await db.Set<CloseRun>().SingleAsync(r => r.Id == runId, cancellationToken);
            var drafts = (await db.Set<Invoice>().Where(i => i.CloseId == runId && !i.IsClosed).ToListAsync(cancellationToken))
                .OrderBy(i => i.PartnerId.ToString("D"), StringComparer.Ordinal).ThenBy(i => i.Currency, StringComparer.Ordinal).ToList();
            var last = await db.Set<Invoice>().Where(i => i.Number != null).MaxAsync(i => i.Number, cancellationToken);
            var next = last is null ? 1 : long.Parse(last.AsSpan(1), CultureInfo.InvariantCulture) + 1;
            foreach (var invoice in drafts)
            {
                invoice.Number = "G" + next.ToString("D9", CultureInfo.InvariantCulture);
                next++;
                // Read a page at a time into the file: the stored rows are never all in memory at once.
                var lines = StoredInvoiceRows.LinesAsync(db, invoice.PartnerId, invoice.Key, cancellationToken);
                var usage = StoredInvoiceRows.BilledUsageAsync(db, invoice.PartnerId, invoice.Key, cancellationToken);
                db.Add(File(invoice.Key, InvoiceFileKinds.Reconciliation, await InvoiceCsv.RenderAsync(InvoiceReconciliationFile.Table, InvoiceBuilder.ReconInvoiceNumber, invoice.Number, lines)));
                db.Add(File(invoice.Key, InvoiceFileKinds.DailyUsage, await InvoiceCsv.RenderAsync(DailyRatedUsageFile.Table, InvoiceBuilder.DailyInvoiceNumber, invoice.Number, usage)));
            }

            // Files first: the triggers refuse additions to a closed invoice.
            await db.SaveChangesAsync(cancellationToken);
            foreach (var invoice in drafts)
            {
                invoice.IsClosed = true;
            }

            run.Status = CloseStatus.Succeeded;
            run.InvoiceCount = drafts.Count;
            run.PartnersDone = run.PartnersTotal;
            run.CompletedAt = clock.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        db.ChangeTracker.Clear();
    }

    private static InvoiceFile File(Guid key, string kind, byte[] content) =>
        new() { InvoiceKey = key, Kind = kind, Content = content, Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)) };
}

/// <summary>Writes an invoice's stored rows as its CSV file, with the invoice number in its column.</summary>
public static class InvoiceCsv
{
    public static async Task<byte[]> RenderAsync(ColumnTable table, int numberColumn, string number, IAsyncEnumerable<string> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        using var stream = new MemoryStream();
        using (var writer = new CsvTableWriter(stream, table, leaveOpen: true))
        {
            await foreach (var row in rows)
            {
                var cells = JsonSerializer.Deserialize<string[]>(row)!;
                cells[numberColumn] = number;
                writer.WriteCells(cells);
            }
        }

        return stream.ToArray();
    }
}

/// <summary>A close that cannot go on until the data is fixed; the run fails with this code and message.</summary>
public sealed class BillingCloseException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}

/// <summary>Tells the background worker that a run is waiting (the worker also looks at start-up).</summary>
public sealed class CloseSignal : RunSignal;
