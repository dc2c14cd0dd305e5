using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Paygo.Core;
using Paygo.Core.Billing;
using SQLitePCL;

namespace Paygo.Data.Sqlite;

/// <summary>
/// Invoice lines and billed usage on SQLite: one prepared statement per table stepped per row in
/// the caller's transaction, values written as EF Core's SQLite provider writes them (GUIDs as
/// upper-case text, decimals as invariant text) so EF reads them back unchanged (docs/adr/0039).
/// </summary>
internal sealed class SqliteInvoiceRowsBulkWriter : IInvoiceRowsBulkWriter
{
    private const string InsertLine =
        "INSERT INTO \"InvoiceLines\" (\"InvoiceKey\", \"LineNumber\", \"PartnerId\", \"CustomerId\", \"Subtotal\", \"TaxTotal\", \"Total\", \"Cells\") " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

    private const string InsertUsage =
        "INSERT INTO \"BilledUsage\" (\"PartnerId\", \"RecordId\", \"InvoiceKey\", \"RowNumber\", \"CustomerId\", \"PecPercent\", \"Cells\") " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

    public Task InsertAsync(PaygoDbContext db, IReadOnlyList<InvoiceLine> lines, IReadOnlyList<BilledUsage> usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(usage);
        _ = db.Database.CurrentTransaction?.GetDbTransaction() as SqliteTransaction
            ?? throw new InvalidOperationException("Invoice rows are written inside the partner's close transaction.");
        var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle!;
        Check(handle, raw.sqlite3_prepare_v2(handle, InsertLine, out var line));
        try
        {
            foreach (var l in lines)
            {
                raw.sqlite3_bind_text(line, 1, Text(l.InvoiceKey));
                raw.sqlite3_bind_int(line, 2, l.LineNumber);
                raw.sqlite3_bind_text(line, 3, Text(l.PartnerId));
                raw.sqlite3_bind_text(line, 4, Text(l.CustomerId));
                raw.sqlite3_bind_text(line, 5, l.Subtotal.ToString(CultureInfo.InvariantCulture));
                raw.sqlite3_bind_text(line, 6, l.TaxTotal.ToString(CultureInfo.InvariantCulture));
                raw.sqlite3_bind_text(line, 7, l.Total.ToString(CultureInfo.InvariantCulture));
                raw.sqlite3_bind_text(line, 8, l.Cells);
                Step(handle, line);
            }
        }
        finally
        {
            raw.sqlite3_finalize(line);
        }

        Check(handle, raw.sqlite3_prepare_v2(handle, InsertUsage, out var billed));
        try
        {
            for (var i = 0; i < usage.Count; i++)
            {
                if ((i & 0x3FF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var u = usage[i];
                raw.sqlite3_bind_text(billed, 1, Text(u.PartnerId));
                raw.sqlite3_bind_text(billed, 2, u.RecordId);
                raw.sqlite3_bind_text(billed, 3, Text(u.InvoiceKey));
                raw.sqlite3_bind_int(billed, 4, u.RowNumber);
                raw.sqlite3_bind_text(billed, 5, Text(u.CustomerId));
                raw.sqlite3_bind_int(billed, 6, u.PecPercent);
                raw.sqlite3_bind_text(billed, 7, u.Cells);
                Step(handle, billed);
            }
        }
        finally
        {
            raw.sqlite3_finalize(billed);
        }

        return Task.CompletedTask;
    }

    // EF Core's SQLite format for a Guid.
    private static string Text(Guid value) => value.ToString().ToUpperInvariant();

    private static void Step(sqlite3 db, sqlite3_stmt statement)
    {
        var result = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE)
        {
            throw new SqliteException($"SQLite error {result} writing invoice rows: {raw.sqlite3_errmsg(db).utf8_to_string()}", result);
        }
    }

    private static void Check(sqlite3 db, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {result} preparing the invoice rows' insert: {raw.sqlite3_errmsg(db).utf8_to_string()}", result);
        }
    }
}
