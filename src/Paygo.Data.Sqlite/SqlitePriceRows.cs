using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Paygo.Core;
using Paygo.Rating.Pricing;

namespace Paygo.Data.Sqlite;

/// <summary>
/// Bulk insert of price rows on SQLite: one prepared statement re-bound per row inside the
/// caller's transaction (DESIGN.md's bulk path). Values are written the way EF Core's SQLite
/// provider writes them (GUID as upper-case text, decimals and dates as invariant text), so EF
/// reads them back unchanged; decimals keep the scale the file wrote.
/// </summary>
internal static class SqlitePriceRows
{
    private const string Insert =
        "INSERT INTO \"PriceRows\" (\"PriceListId\", \"RowNumber\", \"ProductTitle\", \"ProductId\", \"SkuId\", \"SkuTitle\", \"Publisher\", " +
        "\"SkuDescription\", \"UnitOfMeasure\", \"TermDuration\", \"Market\", \"Currency\", \"UnitPrice\", \"TierMin\", \"TierMax\", " +
        "\"EffectiveStart\", \"EffectiveEnd\", \"MeterId\", \"MeterType\", \"Tags\") VALUES " +
        "($p0, $p1, $p2, $p3, $p4, $p5, $p6, $p7, $p8, $p9, $p10, $p11, $p12, $p13, $p14, $p15, $p16, $p17, $p18, $p19)";

    private const int ParameterCount = 20;
    private const int ProgressEvery = 10_000;

    public static async Task InsertAsync(PaygoDbContext db, Guid priceListId, IReadOnlyList<PriceListRow> rows, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as SqliteTransaction
            ?? throw new InvalidOperationException("Price rows are written inside the import's transaction.");
        await using var command = ((SqliteConnection)db.Database.GetDbConnection()).CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Insert;
        var parameters = new SqliteParameter[ParameterCount];
        for (var i = 0; i < ParameterCount; i++)
        {
            parameters[i] = command.Parameters.Add("$p" + i.ToString(CultureInfo.InvariantCulture), SqliteType.Text);
        }

        parameters[1].SqliteType = SqliteType.Integer;
        command.Prepare();
        parameters[0].Value = priceListId.ToString().ToUpperInvariant();
        for (var index = 0; index < rows.Count; index++)
        {
            var row = rows[index];
            parameters[1].Value = index + 2;
            parameters[2].Value = row.ProductTitle;
            parameters[3].Value = row.ProductId;
            parameters[4].Value = row.SkuId;
            parameters[5].Value = row.SkuTitle;
            parameters[6].Value = row.Publisher;
            parameters[7].Value = row.SkuDescription;
            parameters[8].Value = row.UnitOfMeasure.Text;
            parameters[9].Value = row.TermDuration;
            parameters[10].Value = row.Market;
            parameters[11].Value = row.Currency.Value;
            parameters[12].Value = row.UnitPrice.ToString(CultureInfo.InvariantCulture);
            parameters[13].Value = row.PricingTierRangeMin is { } min ? min.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
            parameters[14].Value = row.PricingTierRangeMax is { } max ? max.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
            parameters[15].Value = Date(row.EffectiveStartDate);
            parameters[16].Value = Date(row.EffectiveEndDate);
            parameters[17].Value = row.MeterIds;
            parameters[18].Value = row.MeterType;
            parameters[19].Value = row.Tags;
            await command.ExecuteNonQueryAsync(cancellationToken);
            if ((index + 1) % ProgressEvery == 0)
            {
                progress?.Report(index + 1);
            }
        }

        progress?.Report(rows.Count);
    }

    // EF Core's SQLite format for DateTime, so LINQ comparisons and reads see the same values.
    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
