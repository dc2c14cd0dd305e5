using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Agreements;

/// <summary>Customer agreement attestations, listed per customer in creation order.</summary>
internal sealed class CustomerAgreementConfiguration : IEntityTypeConfiguration<CustomerAgreement>
{
    public void Configure(EntityTypeBuilder<CustomerAgreement> e)
    {
        e.ToTable("CustomerAgreements");
        e.HasKey(a => a.Id);
        e.Property(a => a.Id).ValueGeneratedNever();
        e.Property(a => a.Type).HasMaxLength(50);
        e.Property(a => a.TemplateId).HasMaxLength(50);
        e.Property(a => a.ContactFirstName).HasMaxLength(50);
        e.Property(a => a.ContactLastName).HasMaxLength(50);
        e.Property(a => a.ContactEmail).HasMaxLength(256);
        e.Property(a => a.ContactPhoneNumber).HasMaxLength(30);
        e.Property(a => a.UserEmail).HasMaxLength(256);
        e.HasIndex(a => new { a.CustomerId, a.CreatedAt });
        e.HasIndex(a => a.PartnerId);
    }
}
