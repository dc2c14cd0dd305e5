using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Markets;
using Paygo.Core.Storage;
using Paygo.Rating.Files;
using Paygo.Core.Users;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Pricing;

// Searches lower-case both sides (ToLower + ==, Contains, StartsWith): EF translates that to lower(...)
// on SQLite and PostgreSQL alike; the StringComparison overloads CA1862 suggests do not translate.
#pragma warning disable CA1862

/// <summary>
/// Price lists in the database (DOMAIN.md §6, issue 5): all-or-nothing import of Microsoft's CSV
/// per market and month (a re-import replaces the month in one transaction), the price of a meter
/// on a day, search with paging, export that round-trips, and month-over-month diffs. Parsing and
/// the file rules are <see cref="PriceListFile"/>'s (docs/adr/0010); this class stores and reads.
/// </summary>
public sealed class PriceListStore(PaygoDbContext db, StorageSettings storage, AuditTrail audit, TimeProvider clock)
{
    /// <summary>Paygo's own code for a refused file; <c>data</c> lists each problem with row, column, value and reason.</summary>
    public const int FileRefused = 990441;

    /// <summary>Paygo's own code for "no price list (or FX rate) for that market and month".</summary>
    public const int NotImported = 990442;

    /// <summary>The imported list, or the file's problems.</summary>
    public sealed record ImportOutcome(PriceListResource? PriceList, FileImportErrorBody? Problems);

    /// <summary>Parses a market from request text at the edge; a bad one is Invalid naming <c>market</c>.</summary>
    public static ApiError? ParseMarket(string? text, out Market market) =>
        Market.TryParse(text, out market)
            ? null
            : ApiError.InvalidField("market", $"The parameter 'market' must be a two-letter market such as US; '{ErrorText.Quote(text)}' is not.");

    /// <summary>Parses a day (yyyy-MM-dd) from request text at the edge; a bad one is Invalid naming <c>date</c>.</summary>
    public static ApiError? ParseDay(string? text, out DateOnly day) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)
            ? null
            : ApiError.InvalidField("date", $"The parameter 'date' must be a day as yyyy-MM-dd; '{ErrorText.Quote(text)}' is not.");

    public async Task<ImportOutcome> ImportAsync(Caller caller, Stream csv, Market market, BillingMonth month, string? importedBy, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesWrite);
        ArgumentNullException.ThrowIfNull(csv);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using var hashing = new HashingStream(csv, hash);
        var read = await PriceListFile.ReadAsync(hashing, cancellationToken);
        if (!read.Succeeded)
        {
            return new(null, Refused(read.Problems, read.ProblemCount));
        }

        var rows = read.Value!.Rows;
        var wrongMarket = new List<FileProblem>();
        var wrongMarketCount = 0L;
        for (var i = 0; i < rows.Count; i++)
        {
            if (!string.Equals(rows[i].Market, market.Code, StringComparison.OrdinalIgnoreCase))
            {
                wrongMarketCount++;
                if (wrongMarket.Count < FileProblems.MaxReported)
                {
                    wrongMarket.Add(new FileProblem(i + 2, PriceListColumns.Market, rows[i].Market, $"the file is imported as market {market}, but this row is for another market"));
                }
            }
        }

        if (wrongMarketCount > 0)
        {
            return new(null, Refused(wrongMarket, wrongMarketCount));
        }

        var monthNumber = Months.ToNumber(month);
        var now = clock.GetUtcNow();
        var list = new StoredPriceList
        {
            Id = Guid.NewGuid(),
            Market = market.Code,
            Month = monthNumber,
            RowCount = rows.Count,
            Sha256 = Convert.ToHexStringLower(hash.GetHashAndReset()),
            ImportedAt = now,
            ImportedBy = importedBy,
        };

        // One transaction: the month's previous list disappears only if the new one is complete.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var previous = await db.PriceLists.FirstOrDefaultAsync(l => l.Market == list.Market && l.Month == monthNumber, cancellationToken);
        if (previous is not null)
        {
            await db.PriceRows.Where(r => r.PriceListId == previous.Id).ExecuteDeleteAsync(cancellationToken);
            db.PriceLists.Remove(previous);
            await db.SaveChangesAsync(cancellationToken);
        }

        db.PriceLists.Add(list);
        await db.SaveChangesAsync(cancellationToken);
        await storage.Engine.Feature<IPriceRowBulkWriter>().InsertAsync(db, list.Id, rows, progress, cancellationToken);
        await audit.AppendAsync(new AuditEntry(previous is null ? "import_price_list" : "replace_price_list", "pricelist", AuditEntry.Succeeded,
            ResourceNewValue: JsonSerializer.Serialize(new { market = market.Code, month = monthNumber, rows = rows.Count, sha256 = list.Sha256, replaced = previous?.Sha256 }, PaygoJson.Options)),
            cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new(PriceListResource.From(list), null);
    }

    public async Task<IReadOnlyList<PriceListResource>> ListAsync(Caller caller, string? market, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        var query = db.PriceLists.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(market))
        {
            var upper = market.Trim().ToUpperInvariant();
            query = query.Where(l => l.Market == upper);
        }

        var lists = await query.OrderBy(l => l.Market).ThenByDescending(l => l.Month).ToListAsync(cancellationToken);
        return [.. lists.Select(PriceListResource.From)];
    }

    public Task<StoredPriceList?> FindListAsync(Caller caller, Market market, BillingMonth month, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        var number = Months.ToNumber(month);
        var code = market.Code;
        return db.PriceLists.AsNoTracking().FirstOrDefaultAsync(l => l.Market == code && l.Month == number, cancellationToken);
    }

    public static ApiError NotImportedError(Market market, BillingMonth month) =>
        new(ErrorKind.NotFound, NotImported, $"No price list is imported for market {market} and month {month.ToFileText()}; import it first (POST /v1/pricing/pricelists?market={market}&month={month.ToFileText()}).");

    /// <summary>The price of a meter on a day: the month's list of the market, the meter's tiers in effect that day.</summary>
    public async Task<(MeterPriceResource? Price, ApiError? Error)> FindPriceAsync(Caller caller, string meterId, Market market, DateOnly day, string? termDuration, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        ArgumentNullException.ThrowIfNull(meterId);
        var month = BillingMonth.Of(day);
        var list = await FindListAsync(caller, market, month, cancellationToken);
        if (list is null)
        {
            return (null, NotImportedError(market, month));
        }

        var lowered = meterId.Trim().ToLowerInvariant();
        var stored = await db.PriceRows.AsNoTracking()
            .Where(r => r.PriceListId == list.Id && (r.MeterId == meterId || r.MeterId.ToLower() == lowered))
            .OrderBy(r => r.RowNumber).ToListAsync(cancellationToken);
        var meterList = PriceList.FromRows(stored.Select(r => r.ToRow()), cancellationToken).Value
            ?? throw new InvalidOperationException("Rows stored by an import form a valid price list.");
        var lookup = meterList.Find(meterId.Trim(), market.Code, string.IsNullOrWhiteSpace(termDuration) ? null : termDuration.Trim(), day);
        return lookup.Status switch
        {
            PriceLookupStatus.Found => (ToResource(lookup.Price!, day), null),
            PriceLookupStatus.UnknownMeter => (null, new ApiError(ErrorKind.NotFound, ErrorCodes.NotFound, $"The meter {ErrorText.Quote(meterId)} is not in the {market} price list of {month.ToFileText()}.")),
            PriceLookupStatus.NoPriceOnDay => (null, new ApiError(ErrorKind.NotFound, ErrorCodes.NotFound, $"The meter {ErrorText.Quote(meterId)} has no price in effect on {day:yyyy-MM-dd} in {market}.")),
            _ => (null, ApiError.InvalidField("termDuration", $"The meter {ErrorText.Quote(meterId)} has prices for several terms; name one with 'termDuration'.")),
        };
    }

    /// <summary>Rows of a month's list, filtered, in file order, with seek paging on the row number.</summary>
    public async Task<(CollectionPage<PriceRowResource>? Page, ApiError? Error)> SearchAsync(
        Caller caller, PriceSearch search, int? size, string? continuationToken, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        ArgumentNullException.ThrowIfNull(search);
        if (!SeekPaging.TryGetSize(size, out var pageSize, out var sizeError))
        {
            return (null, sizeError);
        }

        var list = await FindListAsync(caller, search.Market, search.Month, cancellationToken);
        if (list is null)
        {
            return (null, NotImportedError(search.Market, search.Month));
        }

        var query = Filtered(list, search);
        if (continuationToken is not null)
        {
            if (!SeekPaging.TryDecode(continuationToken, 1, out var key) || !int.TryParse(key[0], NumberStyles.None, CultureInfo.InvariantCulture, out var lastRow))
            {
                return (null, SeekPaging.InvalidToken());
            }

            query = query.Where(r => r.RowNumber > lastRow);
        }

        var rows = await query.OrderBy(r => r.RowNumber).Take(pageSize + 1).ToListAsync(cancellationToken);
        var items = rows.Take(pageSize).Select(PriceRowResource.From).ToList();
        Link? next = null;
        if (rows.Count > pageSize)
        {
            next = SeekPaging.NextLink("/v1/pricing/prices", pageSize, SeekPaging.Encode(rows[pageSize - 1].RowNumber.ToString(CultureInfo.InvariantCulture)), search.ToQuery());
        }

        return (CollectionPage.Of(items, next), null);
    }

    /// <summary>How many rows of the month's list <paramref name="search"/> matches (null when the list is not imported): the dashboard's "of N".</summary>
    public async Task<int?> CountAsync(Caller caller, PriceSearch search, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        ArgumentNullException.ThrowIfNull(search);
        return await FindListAsync(caller, search.Market, search.Month, cancellationToken) is { } list
            ? await Filtered(list, search).CountAsync(cancellationToken)
            : null;
    }

    /// <summary>The rows of <paramref name="list"/> that the filters of <paramref name="search"/> keep.</summary>
    private IQueryable<StoredPriceRow> Filtered(StoredPriceList list, PriceSearch search)
    {
        var query = db.PriceRows.AsNoTracking().Where(r => r.PriceListId == list.Id);
        if (Term(search.Product) is { } product)
        {
            query = query.Where(r => r.ProductId.ToLower() == product || r.ProductTitle.ToLower().Contains(product));
        }

        if (Term(search.Sku) is { } sku)
        {
            query = query.Where(r => r.SkuId.ToLower() == sku || r.SkuTitle.ToLower().Contains(sku));
        }

        if (Term(search.Meter) is { } meter)
        {
            query = query.Where(r => r.MeterId.ToLower() == meter || r.SkuTitle.ToLower().Contains(meter) || r.SkuDescription.ToLower().Contains(meter));
        }

        if (Term(search.Category) is { } category)
        {
            query = query.Where(r => r.ProductTitle.ToLower().StartsWith(category) || r.MeterType.ToLower().Contains(category));
        }

        if (Term(search.Tag) is { } tag)
        {
            query = query.Where(r => ("," + r.Tags.ToLower() + ",").Contains("," + tag + ","));
        }

        return query;
    }

    /// <summary>
    /// Writes a stored list as Microsoft's CSV, row for row in file order. The writer fills an
    /// in-memory chunk that is copied to <paramref name="output"/> asynchronously every few
    /// thousand rows: an HTTP response refuses the writer's synchronous flushes.
    /// </summary>
    public async Task ExportAsync(Caller caller, StoredPriceList list, Stream output, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(output);
        using var chunk = new MemoryStream();
        var writer = PriceListFile.CreateWriter(chunk, leaveOpen: true);
        try
        {
            var written = 0;
            await foreach (var row in db.PriceRows.AsNoTracking().Where(r => r.PriceListId == list.Id).OrderBy(r => r.RowNumber).AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                writer.Write(row.ToRow());
                if (++written % 2_000 == 0)
                {
                    await CopyChunkAsync(writer, chunk, output, cancellationToken);
                }
            }

            await CopyChunkAsync(writer, chunk, output, cancellationToken);
        }
        finally
        {
            writer.Dispose();
        }
    }

    private static async Task CopyChunkAsync(PriceListWriter writer, MemoryStream chunk, Stream output, CancellationToken cancellationToken)
    {
        writer.Flush();
        await output.WriteAsync(chunk.GetBuffer().AsMemory(0, (int)chunk.Length), cancellationToken);
        chunk.SetLength(0);
    }

    /// <summary>Meters added, removed, repriced or re-tiered between two months of a market.</summary>
    public async Task<(IReadOnlyList<PriceChangeResource>? Changes, ApiError? Error)> DiffAsync(Caller caller, Market market, BillingMonth from, BillingMonth to, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        var previous = await LoadAsync(caller, market, from, cancellationToken);
        var current = await LoadAsync(caller, market, to, cancellationToken);
        if ((previous.Error ?? current.Error) is { } missing)
        {
            return (null, missing);
        }

        var changes = PriceListDiff.Compare(previous.List!, current.List!);
        return ([.. changes.Select(c => new PriceChangeResource(c.Kind.ToString(), c.Key.MeterId, c.Key.Market, c.Key.TermDuration,
            c.Previous is null ? null : Tiers(c.Previous), c.Current is null ? null : Tiers(c.Current)))], null);
    }

    /// <summary>
    /// The product and SKU each meter prices in the given months' lists of a market, the first
    /// month's names first (a meter removed in the newer month has only the older one's): the diff
    /// names meters only.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, MeterName>> MeterNamesAsync(
        Caller caller, Market market, IReadOnlyList<string> months, IReadOnlyCollection<string> meterIds, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.PricesRead);
        ArgumentNullException.ThrowIfNull(months);
        ArgumentNullException.ThrowIfNull(meterIds);
        var numbers = new List<int>();
        foreach (var text in months)
        {
            if (Months.Parse(text, "month", out var month) is null)
            {
                numbers.Add(Months.ToNumber(month));
            }
        }

        var code = market.Code;
        var lists = await db.PriceLists.AsNoTracking().Where(l => l.Market == code && numbers.Contains(l.Month)).Select(l => new { l.Id, l.Month }).ToListAsync(cancellationToken);
        var listIds = lists.OrderBy(l => numbers.IndexOf(l.Month)).Select(l => l.Id).ToList();
        var ids = meterIds.ToList();
        var rows = await db.PriceRows.AsNoTracking()
            .Where(r => listIds.Contains(r.PriceListId) && ids.Contains(r.MeterId))
            .Select(r => new { r.PriceListId, r.MeterId, r.ProductTitle, r.ProductId, r.SkuTitle, r.SkuId })
            .Distinct().ToListAsync(cancellationToken);
        var names = new Dictionary<string, MeterName>(StringComparer.Ordinal);
        foreach (var row in rows.OrderBy(r => listIds.IndexOf(r.PriceListId)))
        {
            names.TryAdd(row.MeterId, new MeterName(row.ProductTitle, row.ProductId, row.SkuTitle, row.SkuId));
        }

        return names;
    }

    private async Task<(PriceList? List, ApiError? Error)> LoadAsync(Caller caller, Market market, BillingMonth month, CancellationToken cancellationToken)
    {
        var list = await FindListAsync(caller, market, month, cancellationToken);
        if (list is null)
        {
            return (null, NotImportedError(market, month));
        }

        var rows = await db.PriceRows.AsNoTracking().Where(r => r.PriceListId == list.Id).OrderBy(r => r.RowNumber).ToListAsync(cancellationToken);
        return (PriceList.FromRows(rows.Select(r => r.ToRow()), cancellationToken).Value, null);
    }

    private static string? Term(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim().ToLowerInvariant();

    private static List<PriceTierResource> Tiers(MeterPrice price)
    {
        var tiers = new List<PriceTierResource>();
        foreach (var tier in price.Tiers)
        {
            tiers.Add(new PriceTierResource(tier.TierMinimumUnits, tier.TierMaximumUnits, tier.UnitPrice));
        }

        return tiers;
    }

    private static MeterPriceResource ToResource(MeterPrice price, DateOnly day)
    {
        var first = price.Rows[0];
        return new MeterPriceResource(price.Key.MeterId, price.Key.Market, price.Key.TermDuration, day, first.ProductId, first.ProductTitle, first.SkuId, first.SkuTitle,
            price.UnitOfMeasure.Text, price.UnitOfMeasure.BlockSize, first.Currency.Value, price.EffectiveStartDate, price.EffectiveEndDate, Tiers(price), first.Tags,
            new ResourceAttributes("MeterPrice"));
    }

    internal static FileImportErrorBody Refused(IReadOnlyList<FileProblem> problems, long count)
    {
        var items = problems.Select(p =>
        {
            var field = p.Column is null ? $"row {p.Row}" : $"row {p.Row}, column {p.Column}";
            var message = p.Value is null ? p.Reason : $"{p.Reason} (value '{p.Value}')";
            return new FileProblemResource(p.Row, p.Column, p.Value, p.Reason, field, $"{field}: {message}");
        }).ToList();
        var first = items.Count > 0 ? items[0].Message : "the file is empty";
        var description = count == 1
            ? $"The file was not imported: {first}."
            : $"The file was not imported: {count} problems, the first: {first}.{(count > items.Count ? $" The first {items.Count} are listed." : string.Empty)}";
        return new FileImportErrorBody(FileRefused, description, items, count, ErrorBody.PaygoSource);
    }
}

/// <summary>What <c>GET /v1/pricing/prices</c> filters on: a month's list of a market, each other filter optional.</summary>
public sealed record PriceSearch(Market Market, BillingMonth Month, string? Product = null, string? Sku = null, string? Meter = null, string? Category = null, string? Tag = null)
{
    /// <summary>The filters as a query string, for the next page's link.</summary>
    public string ToQuery()
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("market", Market.Code);
        Add("month", Month.ToFileText());
        Add("product", Product);
        Add("sku", Sku);
        Add("meter", Meter);
        Add("category", Category);
        Add("tag", Tag);
        return string.Join('&', parts);
    }
}

/// <summary>Hashes what is read through it (the uploaded file, for its fingerprint).</summary>
internal sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        hash.AppendData(buffer, offset, read);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        hash.AppendData(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
