namespace Paygo.Core.Audit;

/// <summary>
/// One audited event in Partner Center's <c>AuditRecord</c> shape (DOMAIN.md §2): every state
/// change and every sign-in event. Records form one hash chain in <see cref="Sequence"/> order:
/// each hash covers the record's content and the previous hash, so an edited or deleted record
/// breaks the chain at that point.
/// </summary>
public sealed class AuditRecord
{
    /// <summary>Position in the chain, from 1, without gaps.</summary>
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

    /// <summary>Hex SHA-256 of the previous record's hash and this record's content.</summary>
    public required string Hash { get; set; }
}
