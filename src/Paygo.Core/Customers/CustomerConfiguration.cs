using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Customers;

/// <summary>Customers (DOMAIN.md §3): the domain is unique across the instance; lists page by company name.</summary>
internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> e)
    {
        e.ToTable("Customers");
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).ValueGeneratedNever();
        e.Property(c => c.Domain).HasMaxLength(253);
        e.Property(c => c.CompanyName).HasMaxLength(200);
        e.Property(c => c.OrganizationRegistrationNumber).HasMaxLength(50);
        e.Property(c => c.Email).HasMaxLength(256);
        e.Property(c => c.Culture).HasMaxLength(20);
        e.Property(c => c.Language).HasMaxLength(2);
        e.Property(c => c.FirstName).HasMaxLength(50);
        e.Property(c => c.LastName).HasMaxLength(50);
        e.Property(c => c.AddressLine1).HasMaxLength(200);
        e.Property(c => c.AddressLine2).HasMaxLength(200);
        e.Property(c => c.AddressLine3).HasMaxLength(200);
        e.Property(c => c.City).HasMaxLength(100);
        e.Property(c => c.State).HasMaxLength(3);
        e.Property(c => c.PostalCode).HasMaxLength(12);
        e.Property(c => c.Country).HasMaxLength(2);
        e.Property(c => c.Region).HasMaxLength(100);
        e.Property(c => c.PhoneNumber).HasMaxLength(30);
        e.Property(c => c.RelationshipToPartner).HasMaxLength(30);
        e.HasIndex(c => c.Domain).IsUnique();
        e.HasIndex(c => new { c.PartnerId, c.CompanyName });
        e.HasIndex(c => new { c.ResellerPartnerId, c.CompanyName });
    }
}
