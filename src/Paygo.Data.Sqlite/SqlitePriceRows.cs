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
    private const string Columns =
        "INSERT INTO \"PriceRows\" (\"PriceListId\", \"RowNumber\", \"ProductTitle\", \"ProductId\", \"SkuId\", \"SkuTitle\", \"Publisher\", " +
        "\"SkuDescription\", \"UnitOfMeasure\", \"TermDuration\", \"Market\", \"Currency\", \"UnitPrice\", \"TierMin\", \"TierMax\", " +
        "\"EffectiveStart\", \"EffectiveEnd\", \"MeterId\", \"MeterType\", \"Tags\") VALUES ";

    private const int ColumnCount = 20;

    // One row per statement: Microsoft.Data.Sqlite binds parameters by name, and SQLite finds a
    // name by scanning all of a statement's parameters, so multi-row statements bind in quadratic
    // time (measured: 50 rows per statement made a 1,000,000-row import four times slower).
    private const int RowsPerStatement = 1;
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
        // SQLite runs in-process: its "async" calls complete synchronously, so the loop stays synchronous and allocation-light.
        using var full = Prepare(connection, transaction, RowsPerStatement);
        var index = 0;
        var fullBatches = rows.Count / RowsPerStatement;
        for (var batch = 0; batch < fullBatches; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var r = 0; r < RowsPerStatement; r++, index++)
            {
                Bind(full.Parameters, r * ColumnCount, listId, index, rows[index]);
            }

            full.ExecuteNonQuery();
            if (index % ProgressEvery < RowsPerStatement)
            {
                progress?.Report(index);
            }
        }

        var rest = rows.Count - index;
        if (rest > 0)
        {
            using var tail = Prepare(connection, transaction, rest);
            for (var r = 0; r < rest; r++, index++)
            {
                Bind(tail.Parameters, r * ColumnCount, listId, index, rows[index]);
            }

            tail.ExecuteNonQuery();
        }

        progress?.Report(rows.Count);
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, int rowCount)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        var text = new System.Text.StringBuilder(Columns);
        for (var r = 0; r < rowCount; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < ColumnCount; c++)
            {
                var name = "$p" + ((r * ColumnCount) + c).ToString(CultureInfo.InvariantCulture);
                text.Append(c == 0 ? name : ", " + name);
                command.Parameters.Add(name, c == 1 ? SqliteType.Integer : SqliteType.Text);
            }

            text.Append(')');
        }

        command.CommandText = text.ToString();
        command.Prepare();
        return command;
    }

    private static void Bind(SqliteParameterCollection parameters, int offset, string listId, int index, PriceListRow row)
    {
        parameters[offset].Value = listId;
        parameters[offset + 1].Value = index + 2;
        parameters[offset + 2].Value = row.ProductTitle;
        parameters[offset + 3].Value = row.ProductId;
        parameters[offset + 4].Value = row.SkuId;
        parameters[offset + 5].Value = row.SkuTitle;
        parameters[offset + 6].Value = row.Publisher;
        parameters[offset + 7].Value = row.SkuDescription;
        parameters[offset + 8].Value = row.UnitOfMeasure.Text;
        parameters[offset + 9].Value = row.TermDuration;
        parameters[offset + 10].Value = row.Market;
        parameters[offset + 11].Value = row.Currency.Value;
        parameters[offset + 12].Value = row.UnitPrice.ToString(CultureInfo.InvariantCulture);
        parameters[offset + 13].Value = row.PricingTierRangeMin is { } min ? min.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
        parameters[offset + 14].Value = row.PricingTierRangeMax is { } max ? max.ToString(CultureInfo.InvariantCulture) : DBNull.Value;
        parameters[offset + 15].Value = Date(row.EffectiveStartDate);
        parameters[offset + 16].Value = Date(row.EffectiveEndDate);
        parameters[offset + 17].Value = row.MeterIds;
        parameters[offset + 18].Value = row.MeterType;
        parameters[offset + 19].Value = row.Tags;
    }

    // EF Core's SQLite format for DateTime, so LINQ comparisons and reads see the same values.
    private static string Date(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
}
