using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Catalog;

/// <summary>The product catalog: products, their SKUs and each SKU's availabilities, keyed by Partner Center's ids.</summary>
internal sealed class CatalogProductConfiguration : IEntityTypeConfiguration<CatalogProduct>
{
    public void Configure(EntityTypeBuilder<CatalogProduct> e)
    {
        e.ToTable("CatalogProducts");
        e.HasKey(p => p.Id);
        e.Property(p => p.Id).HasMaxLength(50);
        e.Property(p => p.Title).HasMaxLength(200);
        e.Property(p => p.Description).HasMaxLength(1000);
        e.Property(p => p.ProductType).HasMaxLength(50);
        e.Property(p => p.TargetView).HasMaxLength(50);
        e.Property(p => p.PublisherName).HasMaxLength(200);
    }
}

internal sealed class CatalogSkuConfiguration : IEntityTypeConfiguration<CatalogSku>
{
    public void Configure(EntityTypeBuilder<CatalogSku> e)
    {
        e.ToTable("CatalogSkus");
        e.HasKey(s => new { s.ProductId, s.Id });
        e.Property(s => s.ProductId).HasMaxLength(50);
        e.Property(s => s.Id).HasMaxLength(50);
        e.Property(s => s.Title).HasMaxLength(200);
        e.Property(s => s.Description).HasMaxLength(1000);
        e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(s => s.SupportedBillingCycles).HasMaxLength(100);
        e.Property(s => s.TermDurations).HasMaxLength(100);
        e.Property(s => s.PurchasePrerequisites).HasMaxLength(200);
        e.Property(s => s.OfferCode).HasMaxLength(20);
    }
}

internal sealed class CatalogAvailabilityConfiguration : IEntityTypeConfiguration<CatalogAvailability>
{
    public void Configure(EntityTypeBuilder<CatalogAvailability> e)
    {
        e.ToTable("CatalogAvailabilities");
        e.HasKey(a => new { a.ProductId, a.SkuId, a.Id });
        e.Property(a => a.ProductId).HasMaxLength(50);
        e.Property(a => a.SkuId).HasMaxLength(50);
        e.Property(a => a.Id).HasMaxLength(50);
        e.Property(a => a.Countries).HasMaxLength(1000);
    }
}
