using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Access;

/// <summary>Azure role assignments on a customer's entitlements, listed in validity order.</summary>
internal sealed class RoleAssignmentConfiguration : IEntityTypeConfiguration<RoleAssignment>
{
    public void Configure(EntityTypeBuilder<RoleAssignment> e)
    {
        e.ToTable("RoleAssignments");
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).ValueGeneratedNever();
        e.Property(r => r.Scope).HasMaxLength(400);
        e.Property(r => r.RoleDefinitionId).HasMaxLength(50);
        e.Property(r => r.RoleName).HasMaxLength(100);
        e.Property(r => r.PrincipalType).HasMaxLength(30);
        e.Property(r => r.PrincipalDisplayName).HasMaxLength(300);
        e.Property(r => r.Source).HasMaxLength(20);
        e.HasIndex(r => new { r.CustomerId, r.EntitlementId, r.ValidFrom });
        e.HasIndex(r => r.PartnerId);
    }
}
