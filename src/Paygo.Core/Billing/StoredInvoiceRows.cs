using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace Paygo.Core.Billing;

/// <summary>
/// An invoice's stored billed usage rows (the JSON cells the close wrote), in their order, read a
/// page at a time: the FOCUS export and the asynchronous export read them this way, so their
/// memory is one page whatever the invoice's size. (The close renders its files from the rows it
/// has in hand, docs/adr/0047.)
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
}
