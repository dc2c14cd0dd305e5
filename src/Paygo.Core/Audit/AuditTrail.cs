using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Paygo.Core.Audit;

/// <summary>What happened, by whom; the trail adds the time, the chain position and the hash.</summary>
public sealed record AuditEntry(
    string OperationType,
    string ResourceType,
    string OperationStatus,
    Guid? PartnerId = null,
    string? ResourceNewValue = null,
    string? UserPrincipalName = null,
    string? ApplicationId = null,
    Guid? CustomerId = null,
    string? CorrelationId = null)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>
/// Appends audit records to the hash chain inside the caller's transaction, so a change and its
/// record commit together or not at all (PROMISES S7). Appends are serialised: SQLite's write
/// lock does it; on PostgreSQL a transaction-scoped advisory lock does.
/// </summary>
public sealed class AuditTrail(PaygoDbContext db, TimeProvider clock, IActorAccessor actors)
{
    private const long PostgresChainLock = 7_265_638;
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Adds the record to the context; the caller saves and commits. Needs an open transaction.</summary>
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit records are appended inside the transaction of the change they record.");
        }

        if (!db.IsSqlite)
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PostgresChainLock})", cancellationToken);
        }

        // Records added earlier in this same unit of work are the tail too.
        var pending = db.ChangeTracker.Entries<AuditRecord>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).OrderBy(r => r.Sequence).LastOrDefault();
        var tail = pending ?? await db.AuditRecords.AsNoTracking().OrderByDescending(r => r.Sequence).FirstOrDefaultAsync(cancellationToken);
        // PostgreSQL keeps microseconds: hash what both engines store.
        var now = clock.GetUtcNow();
        now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
        var record = new AuditRecord
        {
            Sequence = (tail?.Sequence ?? 0) + 1,
            Id = Guid.NewGuid(),
            PartnerId = entry.PartnerId,
            CustomerId = entry.CustomerId,
            OperationType = entry.OperationType,
            ResourceType = entry.ResourceType,
            ResourceNewValue = entry.ResourceNewValue,
            OperationStatus = entry.OperationStatus,
            OperationDate = now,
            UserPrincipalName = entry.UserPrincipalName ?? actors.Current.UserPrincipalName,
            ApplicationId = entry.ApplicationId ?? actors.Current.ApplicationId,
            CorrelationId = entry.CorrelationId ?? actors.Current.CorrelationId,
            Hash = string.Empty,
        };
        record.Hash = ComputeHash(tail?.Hash ?? GenesisHash, record);
        db.AuditRecords.Add(record);
    }

    /// <summary>Writes one record in a transaction of its own (sign-in events, which change nothing else).</summary>
    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AppendAsync(entry, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The first record whose hash or position does not follow from its predecessor, or null when the chain is whole.</summary>
    public static async Task<AuditBreak?> VerifyAsync(PaygoDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var previousHash = GenesisHash;
        var expected = 1L;
        await foreach (var record in db.AuditRecords.AsNoTracking().OrderBy(r => r.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (record.Sequence != expected)
            {
                return new AuditBreak(expected, $"record {expected} is missing (the next one is {record.Sequence})");
            }

            if (ComputeHash(previousHash, record) != record.Hash)
            {
                return new AuditBreak(record.Sequence, $"record {record.Sequence} ({record.OperationType} at {record.OperationDate:O}) does not match its hash");
            }

            previousHash = record.Hash;
            expected++;
        }

        return null;
    }

    public static string ComputeHash(string previousHash, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var content = string.Join('\u001f',
            previousHash,
            record.Sequence.ToString(CultureInfo.InvariantCulture),
            record.Id.ToString(),
            record.PartnerId?.ToString() ?? string.Empty,
            record.CustomerId?.ToString() ?? string.Empty,
            record.OperationType,
            record.ResourceType,
            record.ResourceNewValue ?? string.Empty,
            record.OperationStatus,
            record.OperationDate.UtcTicks.ToString(CultureInfo.InvariantCulture),
            record.UserPrincipalName ?? string.Empty,
            record.ApplicationId ?? string.Empty,
            record.CorrelationId ?? string.Empty);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }
}

/// <summary>Where the chain breaks: the first sequence number that cannot be trusted, and why.</summary>
public sealed record AuditBreak(long Sequence, string Reason);
