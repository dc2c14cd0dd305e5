using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;

namespace Paygo.Core.Billing;

/// <summary>What a FOCUS export of a closed month wrote.</summary>
public sealed record FocusExportSummary(string Month, int Invoices, long Rows);

/// <summary>
/// A closed month's billed usage as a FinOps FOCUS 1.2 file (issue 13 point 5, docs/adr/0037 and
/// 0041): one FOCUS row per billed daily rated usage row of every closed invoice of the month the
/// caller may see (a partner its own, the operator every partner's), in invoice-number and row
/// order. Read from the cells the close stored, so the export of a closed month never changes,
/// and agrees with the invoices' daily files row for row.
/// </summary>
public sealed class BilledFocusExport(PaygoDbContext db)
{
    /// <summary>
    /// Writes the month's FOCUS file to <paramref name="output"/> (left open). Nothing is written
    /// when the month is refused: a malformed month names <c>month</c>; a month with no closed
    /// invoice the caller can see is a 404 that says to close it first.
    /// </summary>
    public async Task<Result<FocusExportSummary>> WriteAsync(Caller caller, string? month, Stream output, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.InvoicesRead);
        ArgumentNullException.ThrowIfNull(output);
        if (MonthClose.ParseMonth(month, out var billingMonth) is { } invalid)
        {
            return invalid;
        }

        var text = billingMonth.ToString();

        var invoices = await db.Set<Invoice>().AsNoTracking()
            .Where(i => i.IsClosed && i.Month == text && (caller.PartnerId == null || i.PartnerId == caller.PartnerId))
            .OrderBy(i => i.Number).Select(i => new { i.Key, i.PartnerId, i.Number }).ToListAsync(cancellationToken);
        if (invoices.Count == 0)
        {
            return ApiError.NotFound($"No invoice of {text} is closed{(caller.PartnerId is null ? string.Empty : " for this partner")}: the FOCUS export is of billed usage, so close the month first (POST /v1/billing/closes).");
        }

        long rows = 0;
        await using var writer = new CsvTableWriter<FocusUsageRow>(output, FocusFile.Table, leaveOpen: true);
        var invoiceNumberColumn = DailyRatedUsageFile.Table.IndexOf("InvoiceNumber");
        foreach (var invoice in invoices)
        {
            await foreach (var stored in StoredInvoiceRows.BilledUsageAsync(db, invoice.PartnerId, invoice.Key, cancellationToken))
            {
                var cells = JsonSerializer.Deserialize<string[]>(stored)!;

                // The close stores the rows before the numbers are given in its last transaction; the file carries the number.
                cells[invoiceNumberColumn] = invoice.Number!;
                writer.Write(BilledDailyFile.FromCells(cells));
                rows++;
            }
        }

        await writer.FlushAsync(cancellationToken);
        return new FocusExportSummary(text, invoices.Count, rows);
    }
}
