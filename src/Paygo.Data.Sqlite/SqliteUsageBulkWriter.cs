using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Paygo.Core;
using Paygo.Core.Usage;
using SQLitePCL;

namespace Paygo.Data.Sqlite;

/// <summary>
/// Usage records on SQLite: one prepared <c>INSERT … ON CONFLICT DO NOTHING</c> stepped per record
/// in the caller's transaction (SQLite has one writer at a time, so the transaction sees every
/// committed record); a record that changed no row is answered with the stored record's hash from a
/// second prepared statement. Values are written as EF Core's SQLite provider writes them (GUIDs as
/// upper-case text, the day as yyyy-MM-dd, decimals as invariant text, instants as UTC ticks) so EF
/// reads them back unchanged (docs/adr/0032).
/// </summary>
internal sealed class SqliteUsageBulkWriter : IUsageBulkWriter
{
    private const string Insert =
        "INSERT INTO \"UsageRecords\" (\"PartnerId\", \"RecordId\", \"CustomerId\", \"SubscriptionId\", \"EntitlementId\", \"ResourceUri\", \"MeterId\", " +
        "\"UsageDate\", \"Quantity\", \"Location\", \"Tags\", \"AdditionalInfo\", \"ContentHash\", \"AcceptedAt\") " +
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT (\"PartnerId\", \"RecordId\") DO NOTHING";

    private const string StoredHash = "SELECT \"ContentHash\" FROM \"UsageRecords\" WHERE \"PartnerId\" = ?1 AND \"RecordId\" = ?2";

    public Task<IReadOnlyList<string?>> InsertNewAsync(PaygoDbContext db, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(records);
        _ = db.Database.CurrentTransaction?.GetDbTransaction() as SqliteTransaction
            ?? throw new InvalidOperationException("Usage records are written inside the batch's transaction.");
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var handle = connection.Handle!;
        var answers = new string?[records.Count];

        // SQLite's own API, as the price list's writer does: binding by position and stepping one
        // statement costs a fraction of Microsoft.Data.Sqlite's command layer per row.
        Check(handle, raw.sqlite3_prepare_v2(handle, Insert, out var insert));
        Check(handle, raw.sqlite3_prepare_v2(handle, StoredHash, out var stored));
        try
        {
            for (var i = 0; i < records.Count; i++)
            {
                if ((i & 0xFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                var r = records[i];
                var partner = Text(r.PartnerId);
                raw.sqlite3_bind_text(insert, 1, partner);
                raw.sqlite3_bind_text(insert, 2, r.RecordId);
                raw.sqlite3_bind_text(insert, 3, Text(r.CustomerId));
                raw.sqlite3_bind_text(insert, 4, Text(r.SubscriptionId));
                raw.sqlite3_bind_text(insert, 5, Text(r.EntitlementId));
                raw.sqlite3_bind_text(insert, 6, r.ResourceUri);
                raw.sqlite3_bind_text(insert, 7, r.MeterId);
                raw.sqlite3_bind_text(insert, 8, r.UsageDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                raw.sqlite3_bind_text(insert, 9, r.Quantity.ToString(CultureInfo.InvariantCulture));
                BindOptional(insert, 10, r.Location);
                BindOptional(insert, 11, r.Tags);
                BindOptional(insert, 12, r.AdditionalInfo);
                raw.sqlite3_bind_text(insert, 13, r.ContentHash);
                raw.sqlite3_bind_int64(insert, 14, r.AcceptedAt.UtcTicks);
                Step(handle, insert, raw.SQLITE_DONE);
                var inserted = raw.sqlite3_changes(handle) == 1;
                raw.sqlite3_reset(insert);
                if (inserted)
                {
                    continue;
                }

                raw.sqlite3_bind_text(stored, 1, partner);
                raw.sqlite3_bind_text(stored, 2, r.RecordId);
                Step(handle, stored, raw.SQLITE_ROW);
                answers[i] = raw.sqlite3_column_text(stored, 0).utf8_to_string();
                raw.sqlite3_reset(stored);
            }
        }
        finally
        {
            raw.sqlite3_finalize(insert);
            raw.sqlite3_finalize(stored);
        }

        return Task.FromResult<IReadOnlyList<string?>>(answers);
    }

    // EF Core's SQLite format for a Guid.
    private static string Text(Guid value) => value.ToString().ToUpperInvariant();

    private static void BindOptional(sqlite3_stmt statement, int position, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, position);
        }
        else
        {
            raw.sqlite3_bind_text(statement, position, value);
        }
    }

    private static void Step(sqlite3 db, sqlite3_stmt statement, int expected)
    {
        var result = raw.sqlite3_step(statement);
        if (result != expected)
        {
            raw.sqlite3_reset(statement);
            throw new SqliteException($"SQLite error {result} writing usage records: {raw.sqlite3_errmsg(db).utf8_to_string()}", result);
        }
    }

    private static void Check(sqlite3 db, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            throw new SqliteException($"SQLite error {result} preparing the usage insert: {raw.sqlite3_errmsg(db).utf8_to_string()}", result);
        }
    }
}
