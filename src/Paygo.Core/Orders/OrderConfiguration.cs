using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Orders;

/// <summary>Carts and orders, each carrying the partner's id and listed per customer.</summary>
internal sealed class CartConfiguration : IEntityTypeConfiguration<Cart>
{
    public void Configure(EntityTypeBuilder<Cart> e)
    {
        e.ToTable("Carts");
        e.HasKey(c => c.Id);
        e.Property(c => c.Id).ValueGeneratedNever();
        e.Property(c => c.Status).HasMaxLength(20);
        e.Property(c => c.LastModifiedUser).HasMaxLength(256);
        e.HasIndex(c => c.CustomerId);
        e.HasIndex(c => c.PartnerId);
    }
}

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> e)
    {
        e.ToTable("Orders");
        e.HasKey(o => o.Id);
        e.Property(o => o.Id).ValueGeneratedNever();
        e.Property(o => o.BillingCycle).HasMaxLength(20);
        e.Property(o => o.CurrencyCode).HasMaxLength(3);
        e.Property(o => o.Status).HasMaxLength(30);
        e.HasIndex(o => new { o.CustomerId, o.CreatedAt });
        e.HasIndex(o => o.PartnerId);
    }
}
