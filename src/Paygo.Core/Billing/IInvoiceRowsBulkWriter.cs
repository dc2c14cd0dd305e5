namespace Paygo.Core.Billing;

/// <summary>
/// The close's bulk insert of a partner's invoice lines and billed usage rows, implemented by each
/// engine the fast way (PostgreSQL: binary COPY; SQLite: one prepared statement stepped per row)
/// and reached through <see cref="Storage.IStorageEngine.Feature{TFeature}"/>, like the usage
/// store's writer. A month of millions of billed rows through EF Core's change tracker cost the
/// close minutes (docs/adr/0039).
/// </summary>
public interface IInvoiceRowsBulkWriter
{
    /// <summary>Inserts the rows in the context's open transaction; their invoices are stored already.</summary>
    Task InsertAsync(PaygoDbContext db, IReadOnlyList<InvoiceLine> lines, IReadOnlyList<BilledUsage> usage, CancellationToken cancellationToken);
}
