using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Audit;

/// <summary>The audit trail's tables: records keyed by (chain, position), and one signed head per chain.</summary>
internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> e)
    {
        e.ToTable("AuditRecords");
        e.HasKey(r => new { r.Chain, r.Sequence });
        e.Property(r => r.Chain).HasMaxLength(AuditChains.MaxLength);
        e.Property(r => r.Sequence).ValueGeneratedNever();
        e.Property(r => r.OperationType).HasMaxLength(100);
        e.Property(r => r.ResourceType).HasMaxLength(100);
        e.Property(r => r.OperationStatus).HasMaxLength(20);
        e.Property(r => r.UserPrincipalName).HasMaxLength(256);
        e.Property(r => r.ApplicationId).HasMaxLength(200);
        e.Property(r => r.CorrelationId).HasMaxLength(100);
        e.Property(r => r.Hash).HasMaxLength(64);
        e.HasIndex(r => new { r.PartnerId, r.OperationDate });
        e.HasIndex(r => r.OperationDate);
    }
}

internal sealed class AuditChainHeadConfiguration : IEntityTypeConfiguration<AuditChainHead>
{
    public void Configure(EntityTypeBuilder<AuditChainHead> e)
    {
        e.ToTable("AuditChainHeads");
        e.HasKey(h => h.Chain);
        e.Property(h => h.Chain).HasMaxLength(AuditChains.MaxLength);
        e.Property(h => h.Hash).HasMaxLength(64);
        e.Property(h => h.Signature).HasMaxLength(64);
    }
}
