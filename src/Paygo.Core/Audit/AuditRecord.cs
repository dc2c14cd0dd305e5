namespace Paygo.Core.Audit;

/// <summary>
/// One audited event in Partner Center's <c>AuditRecord</c> shape (DOMAIN.md §2): every state
/// change and every sign-in event. Records form one hash chain per partner (and one for the
/// operator's own events), in <see cref="Sequence"/> order: each hash covers the record's content
/// and the previous hash of its chain, so an edited or deleted record breaks the chain at that
/// point, and the chain's signed <see cref="AuditChainHead"/> shows a removed tail.
/// </summary>
public sealed class AuditRecord
{
    /// <summary>The chain the record belongs to: <see cref="AuditChains.Operator"/> or the partner's id (<c>D</c> format).</summary>
    public required string Chain { get; set; }

    /// <summary>Position in its chain, from 1, without gaps.</summary>
    public long Sequence { get; set; }

    public Guid Id { get; set; }

    /// <summary>The partner whose data changed or whose user signed in; null for the operator's own events.</summary>
    public Guid? PartnerId { get; set; }

    public Guid? CustomerId { get; set; }

    /// <summary>E.g. <c>create_partner</c>, <c>user_sign_in</c>, <c>user_locked_out</c>.</summary>
    public required string OperationType { get; set; }

    /// <summary>E.g. <c>partner</c>, <c>user</c>.</summary>
    public required string ResourceType { get; set; }

    /// <summary>The resource after the change, as JSON (never a secret).</summary>
    public string? ResourceNewValue { get; set; }

    /// <summary><c>succeeded</c> or <c>failed</c>.</summary>
    public required string OperationStatus { get; set; }

    public DateTimeOffset OperationDate { get; set; }

    public string? UserPrincipalName { get; set; }

    public string? ApplicationId { get; set; }

    public string? CorrelationId { get; set; }

    /// <summary>Hex SHA-256 of the previous record's hash (or the chain's genesis) and this record's content.</summary>
    public required string Hash { get; set; }
}

/// <summary>
/// The last position and hash of one chain, signed with the instance's audit key
/// (<see cref="AuditAnchorKey"/>), which lives outside the database. Written in the same
/// transaction as every append, so deleting the last records, or editing one and recomputing the
/// hashes after it, leaves a head that no longer matches the chain, and a new head cannot be
/// signed without the key.
/// </summary>
public sealed class AuditChainHead
{
    public required string Chain { get; set; }

    public long Sequence { get; set; }

    public required string Hash { get; set; }

    /// <summary>Hex HMAC-SHA256 of (chain, sequence, hash) with the audit key.</summary>
    public required string Signature { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Names of the audit chains.</summary>
public static class AuditChains
{
    /// <summary>The chain of the operator's own events (and of every record written before chains were per partner).</summary>
    public const string Operator = "operator";

    public const int MaxLength = 36;

    /// <summary>The chain a record of <paramref name="partnerId"/> goes to.</summary>
    public static string For(Guid? partnerId) => partnerId is { } id ? id.ToString("D") : Operator;

    /// <summary>The partner a chain belongs to; null for the operator's chain.</summary>
    public static Guid? PartnerOf(string chain) => Guid.TryParse(chain, out var id) ? id : null;
}
