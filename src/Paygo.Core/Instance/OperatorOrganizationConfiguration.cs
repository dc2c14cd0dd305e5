using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Instance;

/// <summary>The operator's organisation: one row per instance.</summary>
internal sealed class OperatorOrganizationConfiguration : IEntityTypeConfiguration<OperatorOrganization>
{
    public void Configure(EntityTypeBuilder<OperatorOrganization> e)
    {
        e.ToTable("Operators");
        e.HasKey(o => o.Id);
        e.Property(o => o.Name).HasMaxLength(200);
    }
}
