using Paygo.Rating.Pricing;

namespace Paygo.Core.Pricing;

/// <summary>
/// The price list's bulk insert, implemented by each engine the fast way (SQLite: one prepared
/// statement; PostgreSQL: binary COPY) and reached through <see cref="Storage.IStorageEngine.Feature{TFeature}"/>.
/// The columns written, their order and types come from <see cref="PriceListColumns.Table"/>
/// (docs/adr/0023), so the implementations name no price column.
/// </summary>
public interface IPriceRowBulkWriter
{
    /// <summary>
    /// Writes a price list's rows in the context's open transaction. Row <c>i</c> gets the
    /// spreadsheet row number <c>i + 2</c> (the header is row 1). <paramref name="progress"/> hears rows written.
    /// </summary>
    Task InsertAsync(PaygoDbContext db, Guid priceListId, IReadOnlyList<PriceListRow> rows, IProgress<int>? progress, CancellationToken cancellationToken);
}
