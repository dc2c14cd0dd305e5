using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Access;

/// <summary>Access records on a customer's Azure subscriptions, listed in validity order.</summary>
internal sealed class RoleAssignmentConfiguration : IEntityTypeConfiguration<RoleAssignment>
{
    public void Configure(EntityTypeBuilder<RoleAssignment> e)
    {
        e.ToTable("RoleAssignments");
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).ValueGeneratedNever();
        e.Property(r => r.ExternalId).HasMaxLength(200);
        // Records written before deny assignments existed are allow assignments.
        e.Property(r => r.Kind).HasMaxLength(10).HasDefaultValue(AccessKinds.Allow);
        e.Property(r => r.Scope).HasMaxLength(400);
        e.Property(r => r.RoleDefinitionId).HasMaxLength(50);
        e.Property(r => r.RoleName).HasMaxLength(200);
        e.Property(r => r.PrincipalType).HasMaxLength(30);
        e.Property(r => r.PrincipalDisplayName).HasMaxLength(300);
        e.Property(r => r.ActsForPartnerId).HasMaxLength(50);
        e.Property(r => r.Source).HasMaxLength(20);
        e.Property(r => r.RecordedBy).HasMaxLength(300);
        e.Ignore(r => r.AssignmentId);
        e.HasIndex(r => new { r.CustomerId, r.EntitlementId, r.ValidFrom });
        e.HasIndex(r => r.PartnerId);
        e.HasIndex(r => new { r.EntitlementId, r.ExternalId });
        e.HasIndex(r => r.Corrects);
    }
}
