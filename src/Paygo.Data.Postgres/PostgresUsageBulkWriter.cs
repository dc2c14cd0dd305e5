using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Paygo.Core;
using Paygo.Core.Usage;

namespace Paygo.Data.Postgres;

/// <summary>
/// Usage records on PostgreSQL: binary COPY of the batch into a session's temporary staging table
/// (emptied at commit), then one <c>INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING</c> that
/// skips known ids, then one join that reads the stored hash of every record that was not
/// inserted. The join is its own statement: under READ COMMITTED it sees a record another batch
/// committed while the insert waited on its key, which the insert's own snapshot would not (docs/adr/0032).
/// </summary>
internal sealed class PostgresUsageBulkWriter : IUsageBulkWriter
{
    private const string Columns =
        "\"PartnerId\", \"RecordId\", \"CustomerId\", \"SubscriptionId\", \"EntitlementId\", \"ResourceUri\", \"MeterId\", " +
        "\"UsageDate\", \"Quantity\", \"Location\", \"Tags\", \"AdditionalInfo\", \"ContentHash\", \"AcceptedAt\"";

    // ON COMMIT DELETE ROWS: the table lives with the pooled session, its rows only as long as the batch's transaction.
    private const string Staging =
        "CREATE TEMP TABLE IF NOT EXISTS paygo_usage_staging (\"Ordinal\" integer NOT NULL, LIKE \"UsageRecords\") ON COMMIT DELETE ROWS";

    private const string Copy = "COPY paygo_usage_staging (\"Ordinal\", " + Columns + ") FROM STDIN (FORMAT BINARY)";

    // In key order, so two batches that share ids take their row locks in the same order and cannot deadlock.
    private const string InsertNew =
        "INSERT INTO \"UsageRecords\" (" + Columns + ") SELECT " + Columns + " FROM paygo_usage_staging ORDER BY \"PartnerId\", \"RecordId\" " +
        "ON CONFLICT (\"PartnerId\", \"RecordId\") DO NOTHING RETURNING \"PartnerId\", \"RecordId\"";

    private const string StoredHashes =
        "SELECT s.\"Ordinal\", u.\"ContentHash\" FROM paygo_usage_staging s JOIN \"UsageRecords\" u ON u.\"PartnerId\" = s.\"PartnerId\" AND u.\"RecordId\" = s.\"RecordId\"";

    public async Task<IReadOnlyList<string?>> InsertNewAsync(PaygoDbContext db, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(records);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Usage records are written inside the batch's transaction.");
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var create = new NpgsqlCommand(Staging, connection))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(Copy, cancellationToken))
        {
            for (var i = 0; i < records.Count; i++)
            {
                var r = records[i];
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(r.PartnerId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(r.RecordId, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(r.CustomerId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(r.SubscriptionId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(r.EntitlementId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(r.ResourceUri, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(r.MeterId, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(r.UsageDate, NpgsqlDbType.Date, cancellationToken);
                await importer.WriteAsync(r.Quantity, NpgsqlDbType.Numeric, cancellationToken);
                await WriteOptionalAsync(importer, r.Location, cancellationToken);
                await WriteOptionalAsync(importer, r.Tags, cancellationToken);
                await WriteOptionalAsync(importer, r.AdditionalInfo, cancellationToken);
                await importer.WriteAsync(r.ContentHash, NpgsqlDbType.Text, cancellationToken);
                await importer.WriteAsync(r.AcceptedAt.ToUniversalTime(), NpgsqlDbType.TimestampTz, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        var inserted = new HashSet<(Guid, string)>();
        await using (var insert = new NpgsqlCommand(InsertNew, connection))
        await using (var reader = await insert.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                inserted.Add((reader.GetGuid(0), reader.GetString(1)));
            }
        }

        var answers = new string?[records.Count];
        if (inserted.Count < records.Count)
        {
            await using var select = new NpgsqlCommand(StoredHashes, connection);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var ordinal = reader.GetInt32(0);
                var r = records[ordinal];
                if (!inserted.Contains((r.PartnerId, r.RecordId)))
                {
                    answers[ordinal] = reader.GetString(1);
                }
            }
        }

        return answers;
    }

    private static Task WriteOptionalAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);
}
