using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Billing;

/// <summary>The states of a close run, as Partner Center's billing operations name them (reference §8.3).</summary>
public static class CloseStatus
{
    public const string NotStarted = "notstarted";
    public const string Running = "running";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>
/// One month's close (DOMAIN.md §8): at most one per month, so a second request answers this
/// run. Its progress is what is stored: the partners whose draft invoices are written.
/// </summary>
public sealed class CloseRun
{
    public Guid Id { get; set; }

    /// <summary><c>yyyy-MM</c>: text orders the same as months, on both engines.</summary>
    public required string Month { get; set; }

    public string Status { get; set; } = CloseStatus.NotStarted;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The partners with usage to bill, known once the run has listed them.</summary>
    public int PartnersTotal { get; set; }

    public int PartnersDone { get; set; }

    public int InvoiceCount { get; set; }

    public int? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    public string? RequestedBy { get; set; }
}

/// <summary>
/// An invoice: one per partner and billing currency of a close. Written as a draft (no number)
/// per partner, which a rerun may replace; numbered and closed in the close's final transaction.
/// A closed invoice, its lines, usage rows and files are refused any change by the database
/// (<see cref="InvoiceTriggers"/>), not only by this code (PROMISES M6).
/// </summary>
public sealed class Invoice
{
    public Guid Key { get; set; }

    public Guid CloseId { get; set; }

    public Guid PartnerId { get; set; }

    public required string Month { get; set; }

    public required string Currency { get; set; }

    /// <summary><c>G</c> + 9 digits, null while a draft.</summary>
    public string? Number { get; set; }

    public bool IsClosed { get; set; }

    public DateOnly InvoiceDate { get; set; }

    public decimal Subtotal { get; set; }

    public decimal TaxTotal { get; set; }

    public decimal Total { get; set; }

    public int LineCount { get; set; }

    public int UsageCount { get; set; }
}

/// <summary>
/// One billing line item of an invoice: the 46 cells of its reconciliation row (reference §5.4)
/// with the invoice number left blank until the final transaction, and the typed figures the
/// invariants and summaries read.
/// </summary>
public sealed class InvoiceLine
{
    public Guid InvoiceKey { get; set; }

    /// <summary>1-based, the line's place in the file and the seek key of its page.</summary>
    public int LineNumber { get; set; }

    public Guid PartnerId { get; set; }

    public Guid CustomerId { get; set; }

    public decimal Subtotal { get; set; }

    public decimal TaxTotal { get; set; }

    public decimal Total { get; set; }

    /// <summary>The row's cells as a JSON array of strings, in the file's column order.</summary>
    public required string Cells { get; set; }
}

/// <summary>
/// A usage record billed on an invoice: the 55 cells of its daily rated usage row (reference
/// §5.3). Keyed by partner and record id, so the database holds each record on one invoice at
/// most: the late-usage rule (DOMAIN.md §8) bills whatever is not here yet.
/// </summary>
public sealed class BilledUsage
{
    public Guid PartnerId { get; set; }

    public required string RecordId { get; set; }

    public Guid InvoiceKey { get; set; }

    /// <summary>1-based place in the invoice's daily file, the seek key of its page.</summary>
    public int RowNumber { get; set; }

    public Guid CustomerId { get; set; }

    public int PecPercent { get; set; }

    public required string Cells { get; set; }
}

/// <summary>A file written at close, stored with its SHA-256 so it can be served and checked byte for byte.</summary>
public sealed class InvoiceFile
{
    public Guid InvoiceKey { get; set; }

    /// <summary><see cref="InvoiceFileKinds"/>.</summary>
    public required string Kind { get; set; }

    public required byte[] Content { get; set; }

    public required string Sha256 { get; set; }
}

public static class InvoiceFileKinds
{
    public const string Reconciliation = "reconciliation";
    public const string DailyUsage = "dailyusage";

    public static IReadOnlyList<string> All { get; } = [Reconciliation, DailyUsage];
}

internal sealed class CloseRunConfiguration : IEntityTypeConfiguration<CloseRun>
{
    public void Configure(EntityTypeBuilder<CloseRun> e)
    {
        e.ToTable("CloseRuns");
        e.HasKey(r => r.Id);

        // One run per month: two requests racing for the same month cannot both start one.
        e.HasIndex(r => r.Month).IsUnique();
        e.Property(r => r.Month).HasMaxLength(7);
        e.Property(r => r.Status).HasMaxLength(16);
        e.Property(r => r.ErrorMessage).HasMaxLength(4000);
        e.Property(r => r.RequestedBy).HasMaxLength(256);
    }
}

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> e)
    {
        e.ToTable("Invoices");
        e.HasKey(i => i.Key);
        e.HasIndex(i => new { i.CloseId, i.PartnerId, i.Currency }).IsUnique();

        // Numbers are unique: two closes cannot hand out the same one.
        e.HasIndex(i => i.Number).IsUnique();
        e.HasIndex(i => new { i.PartnerId, i.Month });
        e.Property(i => i.Month).HasMaxLength(7);
        e.Property(i => i.Currency).HasMaxLength(3);
        e.Property(i => i.Number).HasMaxLength(10);
    }
}

internal sealed class InvoiceLineConfiguration : IEntityTypeConfiguration<InvoiceLine>
{
    public void Configure(EntityTypeBuilder<InvoiceLine> e)
    {
        e.ToTable("InvoiceLines");
        e.HasKey(l => new { l.InvoiceKey, l.LineNumber });
        e.HasOne<Invoice>().WithMany().HasForeignKey(l => l.InvoiceKey).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BilledUsageConfiguration : IEntityTypeConfiguration<BilledUsage>
{
    public void Configure(EntityTypeBuilder<BilledUsage> e)
    {
        e.ToTable("BilledUsage");
        e.HasKey(u => new { u.PartnerId, u.RecordId });
        e.Property(u => u.RecordId).HasMaxLength(128);
        e.HasOne<Invoice>().WithMany().HasForeignKey(u => u.InvoiceKey).OnDelete(DeleteBehavior.Restrict);

        // The usage line items of an invoice are paged by row number.
        e.HasIndex(u => new { u.InvoiceKey, u.RowNumber }).IsUnique();
    }
}

internal sealed class InvoiceFileConfiguration : IEntityTypeConfiguration<InvoiceFile>
{
    public void Configure(EntityTypeBuilder<InvoiceFile> e)
    {
        e.ToTable("InvoiceFiles");
        e.HasKey(f => new { f.InvoiceKey, f.Kind });
        e.Property(f => f.Kind).HasMaxLength(32);
        e.Property(f => f.Sha256).HasMaxLength(64);
        e.HasOne<Invoice>().WithMany().HasForeignKey(f => f.InvoiceKey).OnDelete(DeleteBehavior.Restrict);
    }
}
