using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Partners;

/// <summary>Partners and their verified domains.</summary>
internal sealed class PartnerConfiguration : IEntityTypeConfiguration<Partner>
{
    public void Configure(EntityTypeBuilder<Partner> e)
    {
        e.ToTable("Partners");
        e.HasKey(p => p.Id);
        e.Property(p => p.Id).ValueGeneratedNever();
        e.Property(p => p.Name).HasMaxLength(PartnerRules.MaxNameLength);
        e.Property(p => p.Type).HasConversion<string>().HasMaxLength(32);
        e.Property(p => p.MpnId).HasMaxLength(PartnerRules.MaxMpnIdLength);
        e.Property(p => p.Country).HasMaxLength(2).IsFixedLength();
        e.Property(p => p.BillingCurrency).HasMaxLength(3).IsFixedLength();
        e.HasIndex(p => p.MpnId).IsUnique();
        e.HasIndex(p => new { p.Name, p.Id });
    }
}

internal sealed class VerifiedDomainConfiguration : IEntityTypeConfiguration<VerifiedDomain>
{
    public void Configure(EntityTypeBuilder<VerifiedDomain> e)
    {
        // The domain is the key: one organisation at most per domain, across partners and the operator.
        e.ToTable("VerifiedDomains");
        e.HasKey(d => d.Domain);
        e.Property(d => d.Domain).HasMaxLength(VerifiedDomainDirectory.MaxLength);
        e.HasIndex(d => d.PartnerId);
    }
}
