using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Users;
using Paygo.Rating.Billing;
using Paygo.Rating.Files;

namespace Paygo.Core.Billing;

/// <summary>What <c>GET /v1/invoices/{id}/lineitems</c> asks for, as the query gave it.</summary>
public sealed record LineItemQuery(string? Provider, string? InvoiceLineItemType, string? CurrencyCode, int? Size, string? SeekOperation, string? ContinuationToken, bool? HasPartnerEarnedCredit);

/// <summary>
/// Closed invoices as Partner Center serves them (reference §1.9, §8.2): a partner sees its own,
/// the operator all; another partner's invoice is answered as one that does not exist. Drafts of
/// a running close are never served.
/// </summary>
public sealed class InvoiceQueries(PaygoDbContext db)
{
    public const int MaxLineItems = 2000;

    private IQueryable<Invoice> Visible(Caller caller) =>
        db.Set<Invoice>().AsNoTracking().Where(i => i.IsClosed && (caller.PartnerId == null || i.PartnerId == caller.PartnerId));

    public async Task<CollectionPage<InvoiceResource>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.InvoicesRead);
        var invoices = await Visible(caller).OrderBy(i => i.Number).ToListAsync(cancellationToken);
        var hashes = await HashesAsync([.. invoices.Select(i => i.Key)], cancellationToken);
        return CollectionPage.Of<InvoiceResource>([.. invoices.Select(i => InvoiceResource.From(i, hashes.GetValueOrDefault(i.Key) ?? new Dictionary<string, string>()))], null);
    }

    public async Task<Result<InvoiceResource>> GetAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.InvoicesRead);
        var invoice = await FindAsync(caller, id, cancellationToken);
        if (invoice is null)
        {
            return NotFound(id);
        }

        var hashes = await HashesAsync([invoice.Key], cancellationToken);
        return InvoiceResource.From(invoice, hashes.GetValueOrDefault(invoice.Key) ?? new Dictionary<string, string>());
    }

    public async Task<InvoiceSummariesResource> SummariesAsync(Caller caller, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.InvoicesRead);
        var invoices = await Visible(caller).ToListAsync(cancellationToken);
        var summaries = invoices.GroupBy(i => i.Currency, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var minor = Paygo.Rating.Money.CurrencyCode.Parse(g.Key).MinorUnit;
            var balance = decimal.Round(g.Sum(i => i.Total), minor);
            var first = Instant(g.Min(i => i.InvoiceDate));
            var latest = Instant(g.Max(i => i.InvoiceDate));
            return new InvoiceSummaryResource(balance, g.Key, CurrencySymbols.Of(g.Key), first, latest,
                [new InvoiceSummaryDetail("Recurring", new InvoiceSummaryFigures(balance, g.Key, g.Count(), latest))],
                new ResourceAttributes("InvoiceSummary"));
        }).ToList();
        return new InvoiceSummariesResource(summaries, new ResourceAttributes("InvoiceSummaries"));
    }

    public async Task<Result<InvoiceFileContent>> FileAsync(Caller caller, string id, string kind, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.InvoicesRead);
        var invoice = await FindAsync(caller, id, cancellationToken);
        if (invoice is null)
        {
            return NotFound(id);
        }

        var file = await db.Set<InvoiceFile>().AsNoTracking().SingleOrDefaultAsync(f => f.InvoiceKey == invoice.Key && f.Kind == kind, cancellationToken);
        return file is null
            ? ApiError.NotFound($"The invoice {invoice.Number} has no {kind} file; the files are '{string.Join("', '", InvoiceFileKinds.All)}'.")
            : new InvoiceFileContent(file.Content, $"{invoice.Number}-{kind}.csv", file.Sha256);
    }

    /// <summary>
    /// The invoice as its statement prints it (<c>GET /v1/invoices/{id}/documents/statement</c>),
    /// read from what the close stored: the lines' reconciliation cells and the partner name of
    /// its daily file, so a renamed partner or customer does not change a closed invoice's statement.
    /// </summary>
    public async Task<Result<InvoiceDocument>> DocumentAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.InvoicesRead);
        var invoice = await FindAsync(caller, id, cancellationToken);
        if (invoice is null)
        {
            return NotFound(id);
        }

        var lines = await db.Set<InvoiceLine>().AsNoTracking().Where(l => l.InvoiceKey == invoice.Key).OrderBy(l => l.LineNumber).ToListAsync(cancellationToken);
        var firstUsage = await db.Set<BilledUsage>().AsNoTracking()
            .Where(u => u.PartnerId == invoice.PartnerId && u.InvoiceKey == invoice.Key).OrderBy(u => u.RowNumber).Select(u => u.Cells).FirstOrDefaultAsync(cancellationToken);
        var partnerName = firstUsage is null
            ? await db.Partners.AsNoTracking().Where(p => p.Id == invoice.PartnerId).Select(p => p.Name).SingleAsync(cancellationToken)
            : JsonSerializer.Deserialize<string[]>(firstUsage)![DailyRatedUsageFile.Table.IndexOf("PartnerName")];
        return StoredInvoiceDocument.From(invoice, partnerName, lines);
    }

    /// <summary>A page of billing or usage line items, seek-paged by row number (docs/adr/0004).</summary>
    public async Task<Result<CollectionPage<JsonObject>>> LineItemsAsync(Caller caller, string id, LineItemQuery query, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.InvoicesRead);
        ArgumentNullException.ThrowIfNull(query);

        // An invoice the caller may not see is answered as missing before any parameter is judged (PROMISES S2).
        var invoice = await FindAsync(caller, id, cancellationToken);
        if (invoice is null)
        {
            return NotFound(id);
        }

        if (!string.Equals(query.Provider, "onetime", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("provider", $"The parameter 'provider' must be 'onetime' (Azure plan invoices are new commerce); it was '{ErrorText.Quote(query.Provider)}'.");
        }

        var type = query.InvoiceLineItemType?.ToLowerInvariant();
        if (type is not ("billinglineitems" or "usagelineitems"))
        {
            return Invalid("invoicelineitemtype", $"The parameter 'invoicelineitemtype' must be 'billinglineitems' or 'usagelineitems'; it was '{ErrorText.Quote(query.InvoiceLineItemType)}'.");
        }

        var size = query.Size ?? MaxLineItems;
        if (size is < 1 or > MaxLineItems)
        {
            return ApiError.InvalidField("size", $"The page size 'size' must be between 1 and {MaxLineItems}; it was {size}.");
        }

        if (query.HasPartnerEarnedCredit is not null && type == "billinglineitems")
        {
            return Invalid("hasPartnerEarnedCredit", "The filter 'hasPartnerEarnedCredit' applies to usagelineitems only.");
        }

        var after = 0;
        if (query.SeekOperation is { } seek)
        {
            if (!string.Equals(seek, "Next", StringComparison.OrdinalIgnoreCase))
            {
                return Invalid("seekOperation", $"The parameter 'seekOperation' must be 'Next'; it was '{ErrorText.Quote(seek)}'.");
            }

            if (!SeekPaging.TryDecode(query.ContinuationToken, 3, out var key)
                || !string.Equals(key[0], id, StringComparison.OrdinalIgnoreCase) || key[1] != type
                || !int.TryParse(key[2], NumberStyles.None, CultureInfo.InvariantCulture, out after))
            {
                return SeekPaging.InvalidToken();
            }
        }

        if (query.CurrencyCode is { } currency && !string.Equals(currency, invoice.Currency, StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("currencycode", $"The invoice {invoice.Number} is in {invoice.Currency}, not '{ErrorText.Quote(currency)}'.");
        }

        List<(int Row, string Cells)> rows;
        ColumnTable table;
        string objectType;
        if (type == "billinglineitems")
        {
            table = InvoiceReconciliationFile.Table;
            objectType = "OneTimeInvoiceLineItem";
            rows = [.. (await db.Set<InvoiceLine>().AsNoTracking().Where(l => l.InvoiceKey == invoice.Key && l.LineNumber > after)
                .OrderBy(l => l.LineNumber).Take(size + 1).Select(l => new { l.LineNumber, l.Cells }).ToListAsync(cancellationToken))
                .Select(l => (l.LineNumber, l.Cells))];
        }
        else
        {
            table = DailyRatedUsageFile.Table;
            objectType = "DailyRatedUsageLineItem";
            var usage = db.Set<BilledUsage>().AsNoTracking().Where(u => u.InvoiceKey == invoice.Key && u.RowNumber > after);
            if (query.HasPartnerEarnedCredit is { } pec)
            {
                usage = pec ? usage.Where(u => u.PecPercent > 0) : usage.Where(u => u.PecPercent == 0);
            }

            rows = [.. (await usage.OrderBy(u => u.RowNumber).Take(size + 1).Select(u => new { u.RowNumber, u.Cells }).ToListAsync(cancellationToken))
                .Select(u => (u.RowNumber, u.Cells))];
        }

        var more = rows.Count > size;
        var page = rows.Take(size).Select(r => LineItemJson.Of(table, invoice.Number!, r.Cells, objectType)).ToList();
        Link? next = null;
        if (more)
        {
            var token = SeekPaging.Encode(invoice.Number!, type, rows[size - 1].Row.ToString(CultureInfo.InvariantCulture));
            var filter = query.HasPartnerEarnedCredit is { } h ? $"&hasPartnerEarnedCredit={(h ? "true" : "false")}" : string.Empty;
            next = new Link($"/v1/invoices/{invoice.Number}/lineitems?provider=onetime&invoicelineitemtype={type}&currencycode={invoice.Currency}&size={size}{filter}&seekOperation=Next",
                "GET", [new LinkHeader(SeekPaging.ContinuationTokenHeader, token)]);
        }

        return CollectionPage.Of(page, next);
    }

    private async Task<Invoice?> FindAsync(Caller caller, string id, CancellationToken cancellationToken)
    {
        var number = (id ?? string.Empty).Trim().ToUpperInvariant();
        return number.Length == 0 ? null : await Visible(caller).SingleOrDefaultAsync(i => i.Number == number, cancellationToken);
    }

    private async Task<Dictionary<Guid, Dictionary<string, string>>> HashesAsync(IReadOnlyList<Guid> keys, CancellationToken cancellationToken) =>
        (await db.Set<InvoiceFile>().AsNoTracking().Where(f => keys.Contains(f.InvoiceKey)).Select(f => new { f.InvoiceKey, f.Kind, f.Sha256 }).ToListAsync(cancellationToken))
            .GroupBy(f => f.InvoiceKey).ToDictionary(g => g.Key, g => g.ToDictionary(f => f.Kind, f => f.Sha256, StringComparer.Ordinal));

    private static ApiError NotFound(string id) => ApiError.NotFound($"There is no invoice '{ErrorText.Quote(id)}'.");

    private static ApiError Invalid(string field, string message) =>
        new(ErrorKind.Invalid, BillingCodes.InvalidLineItemQuery, message, [new FieldError(field, message)]);

    private static DateTimeOffset Instant(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}

/// <summary>
/// A line item in Partner Center's shape: the file's columns in camelCase (with the API's own
/// spellings, e.g. <c>mpnId</c>, <c>pcToBCExchangeRate</c>, <c>unitOfMeasure</c>), numbers as JSON
/// numbers, dates as ISO 8601, and <c>attributes.objectType</c>. The values are the file's, so the
/// API and the CSV cannot disagree.
/// </summary>
public static class LineItemJson
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["MPNID"] = "mpnId",
        ["ResellerMPNID"] = "resellerMpnId",
        ["PCToBCExchangeRate"] = "pcToBCExchangeRate",
        ["PCToBCExchangeRateDate"] = "pcToBCExchangeRateDate",
        ["ResourceURI"] = "resourceUri",
        ["Unit"] = "unitOfMeasure",
        ["ReferenceID"] = "referenceId",
        ["PromotionID"] = "promotionId",
    };

    public static string NameOf(string column) =>
        Names.TryGetValue(column, out var name) ? name : char.ToLowerInvariant(column[0]) + column[1..];

    public static JsonObject Of(ColumnTable table, string number, string storedCells, string objectType) =>
        Of(table, number, JsonSerializer.Deserialize<string[]>(storedCells)!, objectType);

    public static JsonObject Of(ColumnTable table, string number, IReadOnlyList<string> cells, string objectType)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(cells);
        var item = new JsonObject();
        for (var i = 0; i < table.Count; i++)
        {
            var column = table.Columns[i];
            var cell = column.Name == "InvoiceNumber" ? number : cells[i];
            item[NameOf(column.Name)] = Value(table, column.Type, cell);
        }

        if (objectType == "OneTimeInvoiceLineItem")
        {
            item["totalForCustomer"] = item["total"]?.DeepClone();
            item["invoiceLineItemType"] = "billing_line_items";
        }
        else
        {
            var pec = cells[table.IndexOf("PartnerEarnedCreditPercentage")];
            item["hasPartnerEarnedCredit"] = pec != "0";
            item["rateOfPartnerEarnedCredit"] = decimal.Parse(pec, CultureInfo.InvariantCulture) / 100m;
            item["invoiceLineItemType"] = "usage_line_items";
        }

        item["billingProvider"] = "one_time";
        item["attributes"] = new JsonObject { ["objectType"] = objectType };
        return item;
    }

    private static JsonValue? Value(ColumnTable table, ColumnType type, string? cell)
    {
        if (string.IsNullOrEmpty(cell))
        {
            return type is ColumnType.Number or ColumnType.WholeNumber or ColumnType.Date ? null : JsonValue.Create(string.Empty);
        }

        return type switch
        {
            ColumnType.Number or ColumnType.WholeNumber when decimal.TryParse(cell, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            ColumnType.Date when DateTime.TryParseExact(cell, table.DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
                => JsonValue.Create(date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            _ => JsonValue.Create(cell),
        };
    }
}
