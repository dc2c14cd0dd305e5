using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Paygo.Core;
using Paygo.Rating.Pricing;
using SQLitePCL;

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
        "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)";

    private const int ProgressEvery = 10_000;

    public static Task InsertAsync(PaygoDbContext db, Guid priceListId, IReadOnlyList<PriceListRow> rows, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() as SqliteTransaction
            ?? throw new InvalidOperationException("Price rows are written inside the import's transaction.");
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var listId = priceListId.ToString().ToUpperInvariant();

        // A million rows touch three B-trees (the table, its key and the meter index); SQLite's default
        // 2 MiB page cache would send most of those pages to disk and back. 256 MiB for the import,
        // then the default again (the connection goes back to the pool).
        Pragma(connection, transaction, "PRAGMA cache_size=-262144");
        try
        {
            InsertRows(connection, transaction, listId, rows, progress, cancellationToken);
        }
        finally
        {
            Pragma(connection, transaction, "PRAGMA cache_size=-2000");
        }

        return Task.CompletedTask;
    }

    private static void Pragma(SqliteConnection connection, SqliteTransaction transaction, string pragma)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = pragma;
        command.ExecuteNonQuery();
    }

    private static void InsertRows(SqliteConnection connection, SqliteTransaction transaction, string listId, IReadOnlyList<PriceListRow> rows, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        _ = transaction; // The statement runs on the connection, inside the transaction the caller began on it.

        // SQLite's own API, one statement bound by position and stepped per row: Microsoft.Data.Sqlite's
        // command layer (binding by name, re-checking every parameter per execution) cost more than
        // SQLite's insert itself at a million rows (measured with bench/Paygo.Benchmarks import).
        var db = connection.Handle!;
        Check(db, raw.sqlite3_prepare_v2(db, Insert, out var statement));
        try
        {
            Check(db, raw.sqlite3_bind_text(statement, 1, listId));
            for (var index = 0; index < rows.Count; index++)
            {
                if ((index & 0x3FF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var row = rows[index];
                raw.sqlite3_bind_int(statement, 2, index + 2);
                raw.sqlite3_bind_text(statement, 3, row.ProductTitle);
                raw.sqlite3_bind_text(statement, 4, row.ProductId);
                raw.sqlite3_bind_text(statement, 5, row.SkuId);
                raw.sqlite3_bind_text(statement, 6, row.SkuTitle);
                raw.sqlite3_bind_text(statement, 7, row.Publisher);
                raw.sqlite3_bind_text(statement, 8, row.SkuDescription);
                raw.sqlite3_bind_text(statement, 9, row.UnitOfMeasure.Text);
                raw.sqlite3_bind_text(statement, 10, row.TermDuration);
                raw.sqlite3_bind_text(statement, 11, row.Market);
                raw.sqlite3_bind_text(statement, 12, row.Currency.Value);
                raw.sqlite3_bind_text(statement, 13, row.UnitPrice.ToString(CultureInfo.InvariantCulture));
                BindDecimal(statement, 14, row.PricingTierRangeMin);
                BindDecimal(statement, 15, row.PricingTierRangeMax);
                raw.sqlite3_bind_text(statement, 16, Date(row.EffectiveStartDate));
                raw.sqlite3_bind_text(statement, 17, Date(row.EffectiveEndDate));
                raw.sqlite3_bind_text(statement, 18, row.MeterIds);
                raw.sqlite3_bind_text(statement, 19, row.MeterType);
                raw.sqlite3_bind_text(statement, 20, row.Tags);
                var result = raw.sqlite3_step(statement);
                if (result != raw.SQLITE_DONE)
                {
                    Check(db, result);
                }

                raw.sqlite3_reset(statement);
                if ((index + 1) % ProgressEvery == 0)
                {
                    progress?.Report(index + 1);
                }
            }
        }
        finally
        {
            raw.sqlite3_finalize(statement);
        }

        progress?.Report(rows.Count);
    }

    private static void BindDecimal(sqlite3_stmt statement, int position, decimal? value)
    {
        if (value is { } v)
        {
            raw.sqlite3_bind_text(statement, position, v.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            raw.sqlite3_bind_null(statement, position);
        }
    }

    private static void Check(sqlite3 db, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {result} writing price rows: {raw.sqlite3_errmsg(db).utf8_to_string()}", result);
        }
    }

    // EF Core's SQLite format for DateTime, so LINQ comparisons and reads see the same values.
    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
