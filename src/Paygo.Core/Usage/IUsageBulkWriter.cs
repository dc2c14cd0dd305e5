namespace Paygo.Core.Usage;

/// <summary>
/// The usage store's bulk insert, implemented by each engine the fast way (PostgreSQL: binary COPY
/// into a staging table, then one INSERT … SELECT that skips known ids; SQLite: one prepared
/// statement in the caller's transaction) and reached through
/// <see cref="Storage.IStorageEngine.Feature{TFeature}"/>, like the price list's writer (docs/adr/0032).
/// </summary>
public interface IUsageBulkWriter
{
    /// <summary>
    /// Inserts, in the context's open transaction, each record whose (partner, id) is not stored yet.
    /// The records' keys are distinct. Answers per record, in order: null when it was inserted, else
    /// the <see cref="UsageRecord.ContentHash"/> of the record already stored under its key (which
    /// another batch may have committed a moment ago), so the caller tells a duplicate from a conflict.
    /// </summary>
    Task<IReadOnlyList<string?>> InsertNewAsync(PaygoDbContext db, IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);
}
