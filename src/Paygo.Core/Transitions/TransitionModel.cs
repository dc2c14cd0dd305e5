using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paygo.Core.Common;

namespace Paygo.Core.Transitions;

/// <summary>
/// A product upgrade (reference §6): the transition of one customer's legacy Microsoft Azure
/// (MS-AZR-0145P) subscriptions to the Azure plan. One per customer and product family, enforced
/// by a unique index, so two concurrent upgrades of the same customer cannot both move anything.
/// </summary>
public sealed class ProductUpgrade
{
    public Guid Id { get; set; }

    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>Always <c>azure</c>: only Azure transitions (reference §6, "Only Azure").</summary>
    public required string ProductFamily { get; set; }

    /// <summary>One of <see cref="ProductUpgradeStatus"/>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>Partner Center's upgrade states; the reference names only <c>Completed</c>, the others are how a purchase can be blocked (900112-900114).</summary>
public static class ProductUpgradeStatus
{
    public const string Pending = "Pending";
    public const string InProgress = "InProgress";
    public const string Completed = "Completed";
    public const string Failed = "Failed";
}

/// <summary>
/// When one Azure subscription left the legacy offer for an Azure plan. Keyed by the Azure
/// subscription, so it can be moved once only, whatever races. Usage dated before
/// <see cref="TransitionedAt"/> belongs to the legacy subscription (billed on the legacy invoice,
/// no PEC); usage from it on belongs to the plan (<see cref="OfferHistory"/>).
/// </summary>
public sealed class AzureSubscriptionTransition
{
    public Guid EntitlementId { get; set; }

    public Guid UpgradeId { get; set; }

    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    public Guid LegacySubscriptionId { get; set; }

    public Guid AzurePlanId { get; set; }

    public DateTimeOffset TransitionedAt { get; set; }
}

/// <summary>
/// What Paygo knows of an imported legacy subscription beyond the commerce subscription itself:
/// where it came from, and whether it is an Azure Partner Shared Services subscription (900119).
/// </summary>
public sealed class LegacyAzureImport
{
    /// <summary>The legacy commerce subscription id (also its Azure subscription id, reference §1.5).</summary>
    public Guid SubscriptionId { get; set; }

    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    public bool PartnerSharedServices { get; set; }

    public DateTimeOffset ImportedAt { get; set; }

    public string? ImportedBy { get; set; }
}

internal sealed class ProductUpgradeConfiguration : IEntityTypeConfiguration<ProductUpgrade>
{
    public void Configure(EntityTypeBuilder<ProductUpgrade> e)
    {
        e.ToTable("ProductUpgrades");
        e.HasKey(u => u.Id);
        e.Property(u => u.Id).ValueGeneratedNever();
        e.Property(u => u.ProductFamily).HasMaxLength(20);
        e.Property(u => u.Status).HasMaxLength(20);
        e.HasIndex(u => new { u.CustomerId, u.ProductFamily }).IsUnique();
        e.HasIndex(u => u.PartnerId);
    }
}

internal sealed class AzureSubscriptionTransitionConfiguration : IEntityTypeConfiguration<AzureSubscriptionTransition>
{
    public void Configure(EntityTypeBuilder<AzureSubscriptionTransition> e)
    {
        e.ToTable("AzureSubscriptionTransitions");
        e.HasKey(t => t.EntitlementId);
        e.Property(t => t.EntitlementId).ValueGeneratedNever();
        e.HasIndex(t => t.UpgradeId);
        e.HasIndex(t => t.CustomerId);
    }
}

internal sealed class LegacyAzureImportConfiguration : IEntityTypeConfiguration<LegacyAzureImport>
{
    public void Configure(EntityTypeBuilder<LegacyAzureImport> e)
    {
        e.ToTable("LegacyAzureImports");
        e.HasKey(i => i.SubscriptionId);
        e.Property(i => i.SubscriptionId).ValueGeneratedNever();
        e.Property(i => i.ImportedBy).HasMaxLength(320);
        e.HasIndex(i => i.CustomerId);
    }
}

/// <summary>Partner Center's error codes of the transition (reference §6).</summary>
public static class TransitionCodes
{
    public const int SuspendedSubscriptions = 900105;
    public const int UpgradeNotFound = 900106;
    public const int CatalogItemNotFound = 900107;
    public const int NoAzureSubscriptions = 900108;
    public const int UpgradeInProgress = 900109;
    public const int UpgradeCompleted = 900110;
    public const int UpgradeOfAnotherCustomer = 900111;
    public const int PurchaseBlockedUpgradePending = 900112;
    public const int PurchaseBlockedUpgradeInProgress = 900113;
    public const int PurchaseBlockedUpgradeFailed = 900114;
    public const int PartnerSharedServices = 900119;
    public const int CannotProcess = 900120;
    public const int RecentlyPurchased = 900130;

    /// <summary>How long a newly bought legacy subscription waits before it may transition (900130); Partner Center does not publish its figure (docs/adr/0029).</summary>
    public static readonly TimeSpan RecentPurchaseWindow = TimeSpan.FromHours(24);
}

/// <summary>Body of the three <c>productUpgrades</c> requests (Partner Center's <c>ProductUpgradeRequest</c>).</summary>
public sealed record ProductUpgradeRequest(string? CustomerId = null, string? ProductFamily = null);

public sealed record ProductUpgradesEligibility(string CustomerId, string ProductFamily, bool IsEligible, string? UpgradeId, string? Reason, ResourceAttributes Attributes);

public sealed record UpgradeProduct(string Id, string Name);

public sealed record UpgradeErrorDetails(string Code, string Message);

public sealed record ProductUpgradeLineItem(UpgradeProduct SourceProduct, UpgradeProduct TargetProduct, DateTimeOffset? UpgradedDate, string Status, UpgradeErrorDetails? ErrorDetails);

public sealed record ProductUpgradesStatus(string Id, string ProductFamily, string Status, IReadOnlyList<ProductUpgradeLineItem> LineItems, UpgradeErrorDetails? ErrorDetails, ResourceAttributes Attributes);
