using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.AzurePlans;

/// <summary>Subscriptions and Azure plan entitlements (DOMAIN.md §4).</summary>
internal sealed class CommerceSubscriptionConfiguration : IEntityTypeConfiguration<CommerceSubscription>
{
    public void Configure(EntityTypeBuilder<CommerceSubscription> e)
    {
        e.ToTable("Subscriptions");
        e.HasKey(s => s.Id);
        e.Property(s => s.Id).ValueGeneratedNever();
        e.Property(s => s.Kind).HasConversion<string>().HasMaxLength(20);
        e.Property(s => s.OfferId).HasMaxLength(160);
        e.Property(s => s.ProductId).HasMaxLength(50);
        e.Property(s => s.SkuId).HasMaxLength(50);
        e.Property(s => s.OfferName).HasMaxLength(200);
        e.Property(s => s.FriendlyName).HasMaxLength(200);
        e.Property(s => s.BillingCycle).HasMaxLength(20);
        e.Property(s => s.TermDuration).HasMaxLength(10);
        e.Property(s => s.Status).HasMaxLength(20);
        e.Property(s => s.AzurePlanKey).HasMaxLength(80);
        e.HasIndex(s => s.AzurePlanKey).IsUnique();
        e.HasIndex(s => new { s.CustomerId, s.CreatedAt });
        e.HasIndex(s => s.PartnerId);
        e.HasIndex(s => s.OrderId);
    }
}

internal sealed class AzureEntitlementConfiguration : IEntityTypeConfiguration<AzureEntitlement>
{
    public void Configure(EntityTypeBuilder<AzureEntitlement> e)
    {
        e.ToTable("AzureEntitlements");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).ValueGeneratedNever();
        e.Property(x => x.FriendlyName).HasMaxLength(200);
        e.Property(x => x.Status).HasMaxLength(20);
        e.Property(x => x.CancellationReason).HasMaxLength(20);
        e.HasIndex(x => new { x.CustomerId, x.SubscriptionId });
        e.HasIndex(x => x.PartnerId);
    }
}
