using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
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
            await DeleteDraftsAsync(db, run.Id, null, cancellationToken);
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

        await DraftAndWriteAsync(run.Id, month, closedMonths, [.. partners.Where(p => !done.Contains(p))], cancellationToken);
        await FinishAsync(run.Id, month, cancellationToken);
    }

    /// <summary>
    /// Drafts the partners in order and writes each one's drafts in its own transaction, the two on
    /// separate contexts and cores (docs/adr/0047): while one partner's rows go into the database
    /// the next partner is rated and its files rendered. At most one drafted partner waits to be
    /// written, so memory holds about three partners' rows. A partner that cannot be drafted stops
    /// the close after the partners before it are written, as one after the other would; a write
    /// that fails stops the drafting.
    /// </summary>
    private async Task DraftAndWriteAsync(Guid runId, BillingMonth month, List<BillingMonth> closedMonths, IReadOnlyList<Guid> partners, CancellationToken cancellationToken)
    {
        var drafted = Channel.CreateBounded<PartnerDrafts>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = Task.Run(async () =>
        {
            try
            {
                await using var target = CoreServices.CreateContext(storage);
                await foreach (var partner in drafted.Reader.ReadAllAsync(stop.Token))
                {
                    await WriteDraftsAsync(target, runId, partner, stop.Token);
                }
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
        }, CancellationToken.None);

        ExceptionDispatchInfo? draftFailure = null;
        try
        {
            foreach (var partner in partners)
            {
                var drafts = await DraftAsync(partner, month, closedMonths, stop.Token);
                await drafted.Writer.WriteAsync(PartnerDrafts.Of(runId, partner, month, drafts), stop.Token);
            }
        }
        catch (Exception e)
        {
            draftFailure = ExceptionDispatchInfo.Capture(e);
        }
        finally
        {
            drafted.Writer.TryComplete();
        }

        // The writer's failure first: the drafting stopped because of it.
        await writing;
        draftFailure?.Throw();
    }

    /// <summary>
    /// A partner's drafts as the rows the writer stores: the invoices with their two files (rendered
    /// with the number placeholder) and their lines and billed usage with the cells as JSON. All
    /// of it made on the drafting side, so the writer does nothing but write.
    /// </summary>
    private sealed record PartnerDrafts(Guid PartnerId, IReadOnlyList<Invoice> Invoices, IReadOnlyList<InvoiceFile> Files, List<InvoiceLine> Lines, List<BilledUsage> Usage)
    {
        public static PartnerDrafts Of(Guid runId, Guid partnerId, BillingMonth month, IReadOnlyList<DraftInvoice> drafts)
        {
            var invoices = new List<Invoice>();
            var files = new List<InvoiceFile>();
            var lines = new List<InvoiceLine>();
            var usageRows = new List<BilledUsage>();
            foreach (var draft in drafts)
            {
                var invoice = new Invoice
                {
                    Key = Guid.NewGuid(),
                    CloseId = runId,
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
                invoices.Add(invoice);

                // The files from the rows in hand, with a placeholder where the number goes (the end
                // of the close writes it in place): the end neither reads the stored rows back nor
                // renders them again.
                files.Add(DraftFile(invoice.Key, InvoiceFileKinds.Reconciliation, InvoiceCsv.Render(InvoiceReconciliationFile.Table, InvoiceBuilder.ReconInvoiceNumber, draft.Lines.Select(l => l.Cells))));
                files.Add(DraftFile(invoice.Key, InvoiceFileKinds.DailyUsage, InvoiceCsv.Render(DailyRatedUsageFile.Table, InvoiceBuilder.DailyInvoiceNumber, draft.Usage.Select(u => u.Cells))));
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

            return new PartnerDrafts(partnerId, invoices, files, lines, usageRows);
        }
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
    private async Task WriteDraftsAsync(PaygoDbContext target, Guid runId, PartnerDrafts partner, CancellationToken cancellationToken)
    {
        var strategy = target.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            target.ChangeTracker.Clear();
            await using var transaction = await target.Database.BeginTransactionAsync(cancellationToken);
            await DeleteDraftsAsync(target, runId, partner.PartnerId, cancellationToken);
            target.AddRange(partner.Invoices);
            target.AddRange(partner.Files);

            // The invoices through EF, their rows through the engine's bulk path (docs/adr/0039), all in the partner's transaction.
            await target.SaveChangesAsync(cancellationToken);
            await storage.Engine.Feature<IInvoiceRowsBulkWriter>().InsertAsync(target, partner.Lines, partner.Usage, cancellationToken);
            await target.Set<CloseRun>().Where(r => r.Id == runId)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.PartnersDone, r => r.PartnersDone + 1), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        });
        target.ChangeTracker.Clear();
    }

    private static async Task DeleteDraftsAsync(PaygoDbContext target, Guid closeId, Guid? partnerId, CancellationToken cancellationToken)
    {
        var drafts = target.Set<Invoice>().Where(i => i.CloseId == closeId && !i.IsClosed && (partnerId == null || i.PartnerId == partnerId));
        await target.Set<BilledUsage>().Where(u => drafts.Any(d => d.Key == u.InvoiceKey)).ExecuteDeleteAsync(cancellationToken);
        await target.Set<InvoiceLine>().Where(l => drafts.Any(d => d.Key == l.InvoiceKey)).ExecuteDeleteAsync(cancellationToken);
        await target.Set<InvoiceFile>().Where(f => drafts.Any(d => d.Key == f.InvoiceKey)).ExecuteDeleteAsync(cancellationToken);
        await drafts.ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// The one final transaction: numbers every draft of the run in (partner, currency) order after
    /// the highest number given so far, writes the number into both files of each (rendered with
    /// its placeholder when the partner was drafted), closes the invoices and the run. All or
    /// nothing, so a crash before the commit leaves no number used and every file as drafted.
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

                // One invoice's files at a time: they are the largest thing the close holds.
                foreach (var kind in InvoiceFileKinds.All)
                {
                    var file = await db.Set<InvoiceFile>().SingleAsync(f => f.InvoiceKey == invoice.Key && f.Kind == kind, cancellationToken);
                    var column = kind == InvoiceFileKinds.Reconciliation ? InvoiceBuilder.ReconInvoiceNumber : InvoiceBuilder.DailyInvoiceNumber;
                    InvoiceCsv.WriteNumber(file.Content, column, invoice.Number);
                    file.Sha256 = Convert.ToHexStringLower(SHA256.HashData(file.Content));

                    // The bytes changed in place: EF compares byte arrays by reference, so it is told.
                    db.Entry(file).Property(f => f.Content).IsModified = true;
                    await db.SaveChangesAsync(cancellationToken);
                    db.Entry(file).State = EntityState.Detached;
                }
            }

            // The files were saved above, before any invoice closes: the triggers refuse changes to a closed invoice's files.
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

    /// <summary>A draft's file, its number still the placeholder; its hash is taken once the number is in.</summary>
    private static InvoiceFile DraftFile(Guid key, string kind, byte[] content) =>
        new() { InvoiceKey = key, Kind = kind, Content = content, Sha256 = string.Empty };
}

/// <summary>
/// An invoice's CSV files: rendered from its rows with <see cref="NumberPlaceholder"/> in the
/// invoice number column, and the number written in once the invoice has one.
/// </summary>
public static class InvoiceCsv
{
    /// <summary>As long as an invoice number (<c>G</c> and nine digits) and, like it, never quoted.</summary>
    public const string NumberPlaceholder = "G#########";

    private static readonly byte[] PlaceholderBytes = System.Text.Encoding.ASCII.GetBytes(NumberPlaceholder);

    /// <summary>The file of <paramref name="rows"/>, the placeholder in <paramref name="numberColumn"/> (the rows' cells are left as they were).</summary>
    public static byte[] Render(ColumnTable table, int numberColumn, IEnumerable<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(rows);
        using var stream = new MemoryStream();
        using (var writer = new CsvTableWriter(stream, table, leaveOpen: true))
        {
            foreach (var cells in rows)
            {
                var kept = cells[numberColumn];
                cells[numberColumn] = NumberPlaceholder;
                writer.WriteCells(cells);
                cells[numberColumn] = kept;
            }
        }

        return stream.ToArray();
    }

    /// <summary>Writes <paramref name="number"/> over the placeholder of every row, in place.</summary>
    public static void WriteNumber(byte[] file, int numberColumn, string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        CsvColumnPatch.Replace(file, numberColumn, PlaceholderBytes, System.Text.Encoding.ASCII.GetBytes(number));
    }
}

/// <summary>A close that cannot go on until the data is fixed; the run fails with this code and message.</summary>
public sealed class BillingCloseException(int code, string message) : Exception(message)
{
    public int Code { get; } = code;
}

/// <summary>Tells the background worker that a run is waiting (the worker also looks at start-up).</summary>
public sealed class CloseSignal : RunSignal;
