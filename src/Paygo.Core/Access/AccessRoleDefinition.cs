using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paygo.Rating.Access;

namespace Paygo.Core.Access;

/// <summary>
/// An Azure role definition Paygo knows: every built-in role of reference §3.3 (seeded, with its
/// PEC eligibility) and the custom roles the operator registers. A row is never changed: a custom
/// role's eligibility is its latest <see cref="AccessRoleEligibilityMark"/> (none: not eligible).
/// </summary>
public sealed class AccessRoleDefinition
{
    /// <summary>The Azure role definition id.</summary>
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public bool IsCustom { get; set; }

    /// <summary>A built-in role's eligibility (reference §3.3); always false on a custom role's row, see the marks.</summary>
    public bool PecEligible { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public string? CreatedBy { get; set; }
}

/// <summary>The operator's decision that a custom role earns PEC (or no longer does), from <see cref="MarkedAt"/> on.</summary>
public sealed class AccessRoleEligibilityMark
{
    public Guid Id { get; set; }

    public Guid RoleDefinitionId { get; set; }

    public bool PecEligible { get; set; }

    public DateTimeOffset MarkedAt { get; set; }

    public string? MarkedBy { get; set; }
}

internal sealed class AccessRoleDefinitionConfiguration : IEntityTypeConfiguration<AccessRoleDefinition>
{
    public void Configure(EntityTypeBuilder<AccessRoleDefinition> e)
    {
        e.ToTable("AccessRoleDefinitions");
        e.HasKey(r => r.Id);
        e.Property(r => r.Id).ValueGeneratedNever();
        e.Property(r => r.Name).HasMaxLength(200);
        e.Property(r => r.CreatedBy).HasMaxLength(300);
        e.HasIndex(r => r.Name).IsUnique();

        // The built-in roles are reference data every instance has from its first migration.
        e.HasData(BuiltInRoles.All.Select(r => new AccessRoleDefinition { Id = r.Id, Name = r.Name, IsCustom = false, PecEligible = r.PecEligible }));
    }
}

internal sealed class AccessRoleEligibilityMarkConfiguration : IEntityTypeConfiguration<AccessRoleEligibilityMark>
{
    public void Configure(EntityTypeBuilder<AccessRoleEligibilityMark> e)
    {
        e.ToTable("AccessRoleEligibilityMarks");
        e.HasKey(m => m.Id);
        e.Property(m => m.Id).ValueGeneratedNever();
        e.Property(m => m.MarkedBy).HasMaxLength(300);
        e.HasIndex(m => new { m.RoleDefinitionId, m.MarkedAt });
    }
}
