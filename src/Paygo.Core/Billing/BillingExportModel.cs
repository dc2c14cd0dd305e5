using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Billing;

/// <summary>What an asynchronous export (reference §8.3) is of.</summary>
public static class BillingExportKinds
{
    /// <summary><c>POST /v1/billedusage/invoices/{invoiceId}</c>: a closed invoice's daily rated usage.</summary>
    public const string Billed = "billedusage";

    /// <summary><c>POST /v1/unbilledusage</c>: a period's unbilled daily rated usage.</summary>
    public const string Unbilled = "unbilledusage";
}

/// <summary>
/// One asynchronous export (Partner Center's billing operation, reference §8.3): what was asked,
/// its status as <see cref="CloseStatus"/> names them, and once done the manifest of the gzip
/// JSON Lines blobs it wrote. Kept until <see cref="ExpiresAt"/>, then answered 410 Gone.
/// </summary>
public sealed class BillingExport
{
    public Guid Id { get; set; }

    /// <summary>The billed partner whose data it is; only that partner (and the operator) sees it.</summary>
    public Guid PartnerId { get; set; }

    /// <summary><see cref="BillingExportKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary><c>full</c> (every line-item field) or <c>basic</c> (the reconciliation core).</summary>
    public required string Fragment { get; set; }

    /// <summary>The invoice number of a billed export.</summary>
    public string? InvoiceNumber { get; set; }

    /// <summary>The month of an unbilled export, yyyy-MM.</summary>
    public string? Month { get; set; }

    public string? Currency { get; set; }

    public string Status { get; set; } = CloseStatus.NotStarted;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastActionAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public int? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    /// <summary>The manifest's id once the export succeeded.</summary>
    public Guid? ManifestId { get; set; }

    public int BlobCount { get; set; }

    public long SizeInBytes { get; set; }

    public long LineCount { get; set; }

    /// <summary>The manifest's eTag: a hash of the blobs' hashes, so the same data gives the same tag.</summary>
    public string? ETag { get; set; }
}

/// <summary>One gzip JSON Lines blob of an export, served by Paygo itself in place of Azure Blob storage.</summary>
public sealed class BillingExportBlob
{
    public Guid ManifestId { get; set; }

    public required string Name { get; set; }

    /// <summary>The partition's ordinal (the partition type is item count).</summary>
    public int PartitionValue { get; set; }

    public long SizeInBytes { get; set; }

    public long LineCount { get; set; }

    public required byte[] Content { get; set; }
}

internal sealed class BillingExportConfiguration : IEntityTypeConfiguration<BillingExport>
{
    public void Configure(EntityTypeBuilder<BillingExport> e)
    {
        e.ToTable("BillingExports");
        e.HasKey(x => x.Id);
        e.Property(x => x.Kind).HasMaxLength(32);
        e.Property(x => x.Fragment).HasMaxLength(16);
        e.Property(x => x.InvoiceNumber).HasMaxLength(16);
        e.Property(x => x.Month).HasMaxLength(7);
        e.Property(x => x.Currency).HasMaxLength(3);
        e.Property(x => x.Status).HasMaxLength(16);
        e.Property(x => x.ErrorMessage).HasMaxLength(4000);
        e.Property(x => x.ETag).HasMaxLength(64);
        e.HasIndex(x => x.ManifestId).IsUnique();

        // The worker picks up what is not finished; the sweep removes what expired.
        e.HasIndex(x => new { x.Status, x.CreatedAt });
        e.HasIndex(x => x.ExpiresAt);
    }
}

internal sealed class BillingExportBlobConfiguration : IEntityTypeConfiguration<BillingExportBlob>
{
    public void Configure(EntityTypeBuilder<BillingExportBlob> e)
    {
        e.ToTable("BillingExportBlobs");
        e.HasKey(x => new { x.ManifestId, x.Name });
        e.Property(x => x.Name).HasMaxLength(64);
    }
}
