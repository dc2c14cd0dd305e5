using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Paygo.Core;
using Paygo.Core.Pricing;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;
using SQLitePCL;

namespace Paygo.Data.Sqlite;

/// <summary>
/// Bulk insert of price rows on SQLite: one prepared statement re-bound per row inside the
/// caller's transaction (DESIGN.md's bulk path). Values are written the way EF Core's SQLite
/// provider writes them (GUID as upper-case text, decimals and dates as invariant text), so EF
/// reads them back unchanged; decimals keep the scale the file wrote.
/// </summary>
internal sealed class SqlitePriceRowBulkWriter : IPriceRowBulkWriter
{
    // The file's columns in the table's order, each bound by its kind: no price column is named here.
    private static readonly FileColumn<PriceListRow>[] Columns = [.. PriceListColumns.Table.Columns];

    // "PriceListId" and "RowNumber" (?1, ?2), then the table's columns under their stored names (?3...).
    private static readonly string Insert =
        $"INSERT INTO \"PriceRows\" (\"PriceListId\", \"RowNumber\", {string.Join(", ", Columns.Select(c => $"\"{c.StoredAs}\""))}) VALUES " +
        $"(?1, ?2, {string.Join(", ", Columns.Select(c => $"?{c.Index + FirstColumnPosition}"))})";

    private const int FirstColumnPosition = 3;

    private const int ProgressEvery = 10_000;

    public Task InsertAsync(PaygoDbContext db, Guid priceListId, IReadOnlyList<PriceListRow> rows, IProgress<int>? progress, CancellationToken cancellationToken)
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
                foreach (var column in Columns)
                {
                    var position = column.Index + FirstColumnPosition;
                    switch (column.Kind)
                    {
                        case CellKind.Text:
                            raw.sqlite3_bind_text(statement, position, column.TextOf(row));
                            break;
                        case CellKind.Number:
                            BindDecimal(statement, position, column.NumberOf(row));
                            break;
                        default:
                            raw.sqlite3_bind_text(statement, position, Date(column.DateOf(row)));
                            break;
                    }
                }

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
