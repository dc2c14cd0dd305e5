using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Paygo.Core;
using Paygo.Core.Billing;

namespace Paygo.Data.Postgres;

/// <summary>Invoice lines and billed usage on PostgreSQL: binary COPY on the caller's connection and transaction (docs/adr/0039).</summary>
internal sealed class PostgresInvoiceRowsBulkWriter : IInvoiceRowsBulkWriter
{
    private const string CopyLines =
        "COPY \"InvoiceLines\" (\"InvoiceKey\", \"LineNumber\", \"PartnerId\", \"CustomerId\", \"Subtotal\", \"TaxTotal\", \"Total\", \"Cells\") FROM STDIN (FORMAT BINARY)";

    private const string CopyUsage =
        "COPY \"BilledUsage\" (\"PartnerId\", \"RecordId\", \"InvoiceKey\", \"RowNumber\", \"CustomerId\", \"PecPercent\", \"Cells\") FROM STDIN (FORMAT BINARY)";

    public async Task InsertAsync(PaygoDbContext db, IReadOnlyList<InvoiceLine> lines, IReadOnlyList<BilledUsage> usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(usage);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Invoice rows are written inside the partner's close transaction.");
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var importer = await connection.BeginBinaryImportAsync(CopyLines, cancellationToken))
        {
            foreach (var l in lines)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(l.InvoiceKey, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(l.LineNumber, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(l.PartnerId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(l.CustomerId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(l.Subtotal, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteAsync(l.TaxTotal, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteAsync(l.Total, NpgsqlDbType.Numeric, cancellationToken);
                await importer.WriteAsync(l.Cells, NpgsqlDbType.Text, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        await using (var importer = await connection.BeginBinaryImportAsync(CopyUsage, cancellationToken))
        {
            foreach (var u in usage)
            {
                await importer.StartRowAsync(cancellationToken);
                await importer.WriteAsync(u.PartnerId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(u.RecordId, NpgsqlDbType.Varchar, cancellationToken);
                await importer.WriteAsync(u.InvoiceKey, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(u.RowNumber, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(u.CustomerId, NpgsqlDbType.Uuid, cancellationToken);
                await importer.WriteAsync(u.PecPercent, NpgsqlDbType.Integer, cancellationToken);
                await importer.WriteAsync(u.Cells, NpgsqlDbType.Text, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }
    }
}
