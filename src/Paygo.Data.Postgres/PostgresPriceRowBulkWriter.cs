using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Paygo.Core;
using Paygo.Core.Pricing;
using Paygo.Rating.Files;
using Paygo.Rating.Pricing;

namespace Paygo.Data.Postgres;

/// <summary>Bulk insert of price rows on PostgreSQL: binary COPY on the caller's connection and transaction.</summary>
internal sealed class PostgresPriceRowBulkWriter : IPriceRowBulkWriter
{
    // The file's columns in the table's order, each written by its kind: no price column is named here.
    private static readonly FileColumn<PriceListRow>[] Columns = [.. PriceListColumns.Table.Columns];

    private static readonly string Copy =
        $"COPY \"PriceRows\" (\"PriceListId\", \"RowNumber\", {string.Join(", ", Columns.Select(c => $"\"{c.StoredAs}\""))}) FROM STDIN (FORMAT BINARY)";

    private const int ProgressEvery = 10_000;

    public async Task InsertAsync(PaygoDbContext db, Guid priceListId, IReadOnlyList<PriceListRow> rows, IProgress<int>? progress, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Price rows are written inside the import's transaction.");
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var importer = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
        for (var index = 0; index < rows.Count; index++)
        {
            var row = rows[index];
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(priceListId, NpgsqlDbType.Uuid, cancellationToken);
            await importer.WriteAsync(index + 2, NpgsqlDbType.Integer, cancellationToken);
            foreach (var column in Columns)
            {
                switch (column.Kind)
                {
                    case CellKind.Text:
                        await importer.WriteAsync(column.TextOf(row), NpgsqlDbType.Text, cancellationToken);
                        break;
                    case CellKind.Number:
                        await WriteNullableAsync(importer, column.NumberOf(row), cancellationToken);
                        break;
                    default:
                        await importer.WriteAsync(DateTime.SpecifyKind(column.DateOf(row), DateTimeKind.Utc), NpgsqlDbType.TimestampTz, cancellationToken);
                        break;
                }
            }

            if ((index + 1) % ProgressEvery == 0)
            {
                progress?.Report(index + 1);
            }
        }

        await importer.CompleteAsync(cancellationToken);
        progress?.Report(rows.Count);
    }

    private static Task WriteNullableAsync(NpgsqlBinaryImporter importer, decimal? value, CancellationToken cancellationToken) =>
        value is { } v ? importer.WriteAsync(v, NpgsqlDbType.Numeric, cancellationToken) : importer.WriteNullAsync(cancellationToken);
}
