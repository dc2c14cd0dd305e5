using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.RatedUsage;
using Paygo.Core.Users;
using Paygo.Rating.Files;

namespace Paygo.Core.Billing;

/// <summary>A page of unbilled reconciliation line items: Partner Center's collection, with the <c>continuationToken</c> while more remain.</summary>
public sealed record UnbilledReconciliationPage(int TotalCount, IReadOnlyList<JsonObject> Items, CollectionLinks Links, string? ContinuationToken, ResourceAttributes Attributes);

/// <summary>
/// The unbilled reconciliation line items (reference §8.2,
/// <c>GET /v1/invoices/unbilled/lineitems?provider=onetime&amp;invoicelineitemtype=billinglineitems&amp;currencycode=..&amp;period=current|previous</c>):
/// the invoice lines the close would write for the period if it ran now, in the 46 columns of the
/// reconciliation file, with the invoice number blank (docs/adr/0042). The same grouping, rounding
/// and tax as the close (<see cref="InvoiceBuilder"/> over the same rated lines and billing
/// context), so a partner's provisional view becomes the invoice line for line once nothing
/// changes. Records already on a closed invoice are left out: for a closed month only late usage
/// remains unbilled. Provisional: usage accepted later changes the lines.
/// </summary>
public sealed class UnbilledReconciliation(PaygoDbContext db, UnbilledUsage unbilled, MonthClose close)
{
    public const string LineItemType = "billinglineitems";

    public async Task<Result<UnbilledReconciliationPage>> LineItemsAsync(
        Caller caller, UnbilledQuery query, int? size, string? seekOperation, string? continuationToken, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.UsageRead);
        ArgumentNullException.ThrowIfNull(query);
        if (unbilled.CheckQuery(query, size, seekOperation, continuationToken, out var month, out var pageSize) is { } invalid)
        {
            return invalid;
        }

        var monthText = month.ToString();
        var after = 0;
        if (!string.IsNullOrEmpty(seekOperation) || !string.IsNullOrEmpty(continuationToken))
        {
            // The token names the list (billing lines of this month) and the last line served.
            if (!SeekPaging.TryDecode(continuationToken, 3, out var key) || key[0] != LineItemType || key[1] != monthText
                || !int.TryParse(key[2], NumberStyles.None, CultureInfo.InvariantCulture, out after))
            {
                return SeekPaging.InvalidToken();
            }
        }

        var (scope, error) = await unbilled.ScopeAsync(caller, query.PartnerId, query.CustomerId, month, cancellationToken);
        if (scope is null)
        {
            return error!;
        }

        var rating = scope.Rating;
        if (UnbilledUsage.CheckCurrency(query, rating.BillingCurrency) is { } currencyError)
        {
            return currencyError;
        }

        // Records on a closed invoice are billed; what remains of a closed month is late usage, billed on the next invoice.
        var billed = (await db.Set<BilledUsage>().AsNoTracking()
            .Where(u => u.PartnerId == scope.PartnerId && db.Set<Invoice>().Any(i => i.Key == u.InvoiceKey && i.IsClosed))
            .Select(u => u.RecordId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var charged = rating.Lines.Where(l => !billed.Contains(l.RecordId)).Select(l => new ChargedLine(l, month)).ToList();
        var lines = charged.Count == 0
            ? []
            : InvoiceBuilder.Build(await close.ContextAsync(scope.PartnerId, cancellationToken), charged).SelectMany(d => d.Lines).ToList();

        var table = InvoiceReconciliationFile.Table;
        var count = Math.Max(0, Math.Min(pageSize, lines.Count - after));
        var items = new List<JsonObject>(count);
        for (var i = after; i < after + count; i++)
        {
            items.Add(LineItemJson.Of(table, string.Empty, lines[i].Cells, "OneTimeInvoiceLineItem"));
        }

        string? token = null;
        Link? next = null;
        if (after + count < lines.Count)
        {
            token = SeekPaging.Encode(LineItemType, monthText, (after + count).ToString(CultureInfo.InvariantCulture));
            next = SeekPaging.NextLink(UnbilledUsage.Path, pageSize, token, UnbilledUsage.NextQuery(query, LineItemType));
        }

        return new UnbilledReconciliationPage(items.Count, items, new CollectionLinks(next), token, new ResourceAttributes("Collection"));
    }
}
