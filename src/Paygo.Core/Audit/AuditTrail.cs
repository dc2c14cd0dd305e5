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
/// Appends audit records to their partner's hash chain inside the caller's transaction, so a
/// change and its record commit together or not at all (PROMISES S7), and moves the chain's
/// signed head in the same transaction. Appends to one chain are serialised (SQLite's write lock;
/// on PostgreSQL a transaction-scoped advisory lock per chain), so partners never queue behind
/// each other (docs/adr/0009).
/// </summary>
public sealed class AuditTrail(PaygoDbContext db, TimeProvider clock, IActorAccessor actors, AuditAnchorKey key)
{
    private const int PostgresChainLock = 7_265_638;

    /// <summary>Where the operator's chain starts (the instance chain of the first Paygo versions started here too).</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Adds the record to the context; the caller saves and commits. Needs an open transaction.</summary>
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Audit records are appended inside the transaction of the change they record.");
        }

        var chain = AuditChains.For(entry.PartnerId);
        // A head added or moved earlier in this unit of work is the tail; anything else is re-read
        // under the chain's lock, since another node may have appended since it was loaded.
        var tracked = db.ChangeTracker.Entries<AuditChainHead>().FirstOrDefault(e => e.Entity.Chain == chain);
        AuditChainHead? head;
        if (tracked is { State: EntityState.Added or EntityState.Modified })
        {
            head = tracked.Entity;
        }
        else
        {
            if (!db.IsSqlite)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({PostgresChainLock}, hashtext({chain}))", cancellationToken);
            }

            if (tracked is not null)
            {
                await tracked.ReloadAsync(cancellationToken);
                head = tracked.State == EntityState.Detached ? null : tracked.Entity;
            }
            else
            {
                head = await db.AuditChainHeads.FirstOrDefaultAsync(h => h.Chain == chain, cancellationToken);
            }
        }

        var (previousSequence, previousHash) = head is not null
            ? (head.Sequence, head.Hash)
            : await UnanchoredTailAsync(chain, cancellationToken);

        // PostgreSQL keeps microseconds: hash what both engines store.
        var now = clock.GetUtcNow();
        now = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero);
        var record = new AuditRecord
        {
            Chain = chain,
            Sequence = previousSequence + 1,
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
        record.Hash = ComputeHash(previousHash, record);
        db.AuditRecords.Add(record);

        if (head is null)
        {
            head = new AuditChainHead { Chain = chain, Hash = record.Hash, Signature = string.Empty };
            db.AuditChainHeads.Add(head);
        }

        head.Sequence = record.Sequence;
        head.Hash = record.Hash;
        head.Signature = key.Sign(chain, record.Sequence, record.Hash);
        head.UpdatedAt = now;
    }

    /// <summary>Writes one record in a transaction of its own (sign-in events, which change nothing else).</summary>
    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await AppendAsync(entry, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    // A chain without a head: new (no records), or written before heads existed.
    private async Task<(long Sequence, string Hash)> UnanchoredTailAsync(string chain, CancellationToken cancellationToken)
    {
        var tail = await db.AuditRecords.AsNoTracking().Where(r => r.Chain == chain).OrderByDescending(r => r.Sequence)
            .Select(r => new { r.Sequence, r.Hash }).FirstOrDefaultAsync(cancellationToken);
        return tail is null ? (0, Genesis(chain)) : (tail.Sequence, tail.Hash);
    }

    /// <summary>
    /// Signs a head for every chain that has records but no head: the records written before
    /// heads existed. Runs at start-up after the migrations; it cannot tell an upgrade from a
    /// deleted head, so it returns what it anchored and the server logs it as a warning.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AnchorUnanchoredChainsAsync(PaygoDbContext db, AuditAnchorKey key, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(clock);
        var anchored = await db.AuditChainHeads.Select(h => h.Chain).ToListAsync(cancellationToken);
        var tails = await db.AuditRecords.Where(r => !anchored.Contains(r.Chain)).GroupBy(r => r.Chain)
            .Select(g => new { Chain = g.Key, Sequence = g.Max(r => r.Sequence) }).ToListAsync(cancellationToken);
        var done = new List<string>();
        foreach (var tail in tails)
        {
            var hash = await db.AuditRecords.Where(r => r.Chain == tail.Chain && r.Sequence == tail.Sequence).Select(r => r.Hash).SingleAsync(cancellationToken);
            db.AuditChainHeads.Add(new AuditChainHead
            {
                Chain = tail.Chain,
                Sequence = tail.Sequence,
                Hash = hash,
                Signature = key.Sign(tail.Chain, tail.Sequence, hash),
                UpdatedAt = clock.GetUtcNow(),
            });
            done.Add(tail.Chain);
        }

        await db.SaveChangesAsync(cancellationToken);
        return done;
    }

    /// <summary>
    /// Walks every chain in order and checks each record against its predecessor and each chain's
    /// end against its signed head; reports per chain. Streams the records, one chain at a time.
    /// </summary>
    public static async Task<AuditVerification> VerifyAsync(PaygoDbContext db, AuditAnchorKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(key);
        var heads = await db.AuditChainHeads.AsNoTracking().ToDictionaryAsync(h => h.Chain, StringComparer.Ordinal, cancellationToken);
        var reports = new List<AuditChainReport>();
        ChainWalk? walk = null;
        await foreach (var record in db.AuditRecords.AsNoTracking().OrderBy(r => r.Chain).ThenBy(r => r.Sequence).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            if (walk is null || walk.Chain != record.Chain)
            {
                if (walk is not null)
                {
                    reports.Add(walk.Finish(heads.GetValueOrDefault(walk.Chain), key));
                }

                walk = new ChainWalk(record.Chain);
            }

            walk.Add(record);
        }

        if (walk is not null)
        {
            reports.Add(walk.Finish(heads.GetValueOrDefault(walk.Chain), key));
        }

        // A head whose chain has no record left: every record of it was deleted.
        foreach (var head in heads.Values)
        {
            if (!reports.Exists(r => r.Chain == head.Chain))
            {
                reports.Add(new ChainWalk(head.Chain).Finish(head, key));
            }
        }

        reports.Sort((a, b) => string.CompareOrdinal(a.Chain, b.Chain));
        return new AuditVerification(reports);
    }

    /// <summary>The hash a chain starts from; a partner's genesis names the partner, so a record moved to another chain breaks.</summary>
    public static string Genesis(string chain) => chain == AuditChains.Operator
        ? GenesisHash
        : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("paygo-audit-genesis\u001f" + chain)));

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

    /// <summary>The state of one chain while it is walked.</summary>
    private sealed class ChainWalk(string chain)
    {
        private string _previousHash = Genesis(chain);
        private long _expected = 1;
        private AuditBreak? _break;

        public string Chain { get; } = chain;

        public long Count { get; private set; }

        public void Add(AuditRecord record)
        {
            Count++;
            if (_break is not null)
            {
                return;
            }

            if (record.Sequence != _expected)
            {
                _break = new AuditBreak(Chain, _expected, $"record {_expected} is missing (the next one is {record.Sequence})");
                return;
            }

            if (ComputeHash(_previousHash, record) != record.Hash)
            {
                _break = new AuditBreak(Chain, record.Sequence, $"record {record.Sequence} ({record.OperationType} at {record.OperationDate:O}) does not match its hash");
                return;
            }

            _previousHash = record.Hash;
            _expected++;
        }

        public AuditChainReport Finish(AuditChainHead? head, AuditAnchorKey key)
        {
            var last = _expected - 1;
            var problem = _break;
            if (problem is null && head is null)
            {
                problem = new AuditBreak(Chain, last, "the chain has no signed head: its end cannot be checked (was the head deleted?)");
            }
            else if (problem is null && !key.Verifies(head!))
            {
                problem = new AuditBreak(Chain, head!.Sequence, "the chain's head is not signed by this instance's audit key (was it rewritten, or is this the wrong key?)");
            }
            else if (problem is null && head!.Sequence > last)
            {
                problem = new AuditBreak(Chain, last + 1, $"record {last + 1} is missing: the signed head names record {head.Sequence} as the last (records were deleted from the end)");
            }
            else if (problem is null && (head!.Sequence != last || head.Hash != _previousHash))
            {
                problem = new AuditBreak(Chain, Math.Min(head.Sequence, last), $"record {Math.Min(head.Sequence, last)} does not match the chain's signed head (records were rewritten or added without the key)");
            }

            return new AuditChainReport(Chain, AuditChains.PartnerOf(Chain), Count, head?.Sequence ?? 0, head?.Hash, problem);
        }
    }
}

/// <summary>Where a chain breaks: the first position that cannot be trusted, and why.</summary>
public sealed record AuditBreak(string Chain, long Sequence, string Reason);

/// <summary>One chain's verification: how many records it holds, its signed head, and its first break, if any.</summary>
public sealed record AuditChainReport(string Chain, Guid? PartnerId, long Records, long HeadSequence, string? HeadHash, AuditBreak? Break)
{
    public bool IsIntact => Break is null;
}

/// <summary>Every chain's verification.</summary>
public sealed record AuditVerification(IReadOnlyList<AuditChainReport> Chains)
{
    public bool IsIntact => Chains.All(c => c.IsIntact);

    /// <summary>The first broken chain's break (chains in name order), or null when all are whole.</summary>
    public AuditBreak? FirstBreak => Chains.Select(c => c.Break).FirstOrDefault(b => b is not null);
}
