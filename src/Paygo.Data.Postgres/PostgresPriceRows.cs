using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Paygo.Core;
using Paygo.Rating.Pricing;

namespace Paygo.Data.Postgres;

/// <summary>Bulk insert of price rows on PostgreSQL: binary COPY on the caller's connection and transaction.</summary>
internal static class PostgresPriceRows
{
    private const string Copy =
        "COPY \"PriceRows\" (\"PriceListId\", \"RowNumber\", \"ProductTitle\", \"ProductId\", \"SkuId\", \"SkuTitle\", \"Publisher\", " +
        "\"SkuDescription\", \"UnitOfMeasure\", \"TermDuration\", \"Market\", \"Currency\", \"UnitPrice\", \"TierMin\", \"TierMax\", " +
        "\"EffectiveStart\", \"EffectiveEnd\", \"MeterId\", \"MeterType\", \"Tags\") FROM STDIN (FORMAT BINARY)";

    private const int ProgressEvery = 10_000;

    public static async Task InsertAsync(PaygoDbContext db, Guid priceListId, IReadOnlyList<PriceListRow> rows, IProgress<int>? progress, CancellationToken cancellationToken)
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
            await importer.WriteAsync(row.ProductTitle, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.ProductId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.SkuId, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.SkuTitle, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Publisher, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.SkuDescription, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.UnitOfMeasure.Text, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.TermDuration, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Market, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Currency.Value, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.UnitPrice, NpgsqlDbType.Numeric, cancellationToken);
            await WriteNullableAsync(importer, row.PricingTierRangeMin, cancellationToken);
            await WriteNullableAsync(importer, row.PricingTierRangeMax, cancellationToken);
            await importer.WriteAsync(DateTime.SpecifyKind(row.EffectiveStartDate, DateTimeKind.Utc), NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(DateTime.SpecifyKind(row.EffectiveEndDate, DateTimeKind.Utc), NpgsqlDbType.TimestampTz, cancellationToken);
            await importer.WriteAsync(row.MeterIds, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.MeterType, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(row.Tags, NpgsqlDbType.Text, cancellationToken);
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
