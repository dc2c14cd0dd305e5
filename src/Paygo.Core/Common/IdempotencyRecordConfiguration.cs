using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Common;

/// <summary>Stored outcomes of idempotent creates, keyed by (scope, request id).</summary>
internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> e)
    {
        e.ToTable("IdempotencyRecords");
        e.HasKey(r => new { r.Scope, r.RequestId });
        e.Property(r => r.Scope).HasMaxLength(64);
        e.Property(r => r.RequestId).HasMaxLength(IdempotentCreates.MaxRequestIdLength);
        e.Property(r => r.Operation).HasMaxLength(200);
        e.Property(r => r.RequestHash).HasMaxLength(64);
        e.Property(r => r.Location).HasMaxLength(500);
        e.HasIndex(r => r.CreatedAt);
    }
}
