using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace Paygo.Core.Billing;

/// <summary>
/// An invoice's stored rows (the JSON cells the close wrote), in their order, read a page at a
/// time: the close's files, the FOCUS export and the asynchronous export all read them this way,
/// so their memory is one page whatever the invoice's size.
/// </summary>
internal static class StoredInvoiceRows
{
    /// <summary>Rows read per query.</summary>
    public const int PageSize = 5000;

    /// <summary>The invoice's billed daily rated usage rows (55 columns), by row number.</summary>
    public static async IAsyncEnumerable<string> BilledUsageAsync(PaygoDbContext db, Guid partnerId, Guid invoiceKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = 0;
        while (true)
        {
            var page = await db.Set<BilledUsage>().AsNoTracking()
                .Where(u => u.PartnerId == partnerId && u.InvoiceKey == invoiceKey && u.RowNumber > after)
                .OrderBy(u => u.RowNumber).Take(PageSize).Select(u => new { u.RowNumber, u.Cells }).ToListAsync(cancellationToken);
            foreach (var row in page)
            {
                yield return row.Cells;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].RowNumber;
        }
    }

    /// <summary>The invoice's reconciliation lines (46 columns), by line number.</summary>
    public static async IAsyncEnumerable<string> LinesAsync(PaygoDbContext db, Guid partnerId, Guid invoiceKey, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var after = 0;
        while (true)
        {
            var page = await db.Set<InvoiceLine>().AsNoTracking()
                .Where(l => l.PartnerId == partnerId && l.InvoiceKey == invoiceKey && l.LineNumber > after)
                .OrderBy(l => l.LineNumber).Take(PageSize).Select(l => new { l.LineNumber, l.Cells }).ToListAsync(cancellationToken);
            foreach (var line in page)
            {
                yield return line.Cells;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }

            after = page[^1].LineNumber;
        }
    }
}
