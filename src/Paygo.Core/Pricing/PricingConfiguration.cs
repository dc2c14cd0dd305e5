using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Pricing;

/// <summary>Price lists, their rows and FX rates (DOMAIN.md §6). Price rows are written in bulk by the engine, not through EF.</summary>
internal sealed class StoredPriceListConfiguration : IEntityTypeConfiguration<StoredPriceList>
{
    public void Configure(EntityTypeBuilder<StoredPriceList> e)
    {
        e.ToTable("PriceLists");
        e.HasKey(l => l.Id);
        e.Property(l => l.Id).ValueGeneratedNever();
        e.Property(l => l.Market).HasMaxLength(2);
        e.Property(l => l.Sha256).HasMaxLength(64);
        e.Property(l => l.ImportedBy).HasMaxLength(256);
        e.HasIndex(l => new { l.Market, l.Month }).IsUnique();
    }
}

internal sealed class StoredPriceRowConfiguration : IEntityTypeConfiguration<StoredPriceRow>
{
    public void Configure(EntityTypeBuilder<StoredPriceRow> e)
    {
        e.ToTable("PriceRows");
        e.HasKey(r => new { r.PriceListId, r.RowNumber });
        e.Property(r => r.MeterId).HasMaxLength(64);
        e.Property(r => r.Market).HasMaxLength(2);
        e.Property(r => r.Currency).HasMaxLength(3);
        // The lookup of a meter's price uses this index; searches lower-case their columns, which no index serves.
        e.HasIndex(r => new { r.PriceListId, r.MeterId });
    }
}

internal sealed class StoredFxRateConfiguration : IEntityTypeConfiguration<StoredFxRate>
{
    public void Configure(EntityTypeBuilder<StoredFxRate> e)
    {
        e.ToTable("FxRates");
        e.HasKey(r => new { r.Month, r.Currency });
        e.Property(r => r.Currency).HasMaxLength(3);
    }
}
