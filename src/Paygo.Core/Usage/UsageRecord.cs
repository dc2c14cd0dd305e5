using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Paygo.Core.Usage;

/// <summary>
/// One usage record as <c>POST /v1/usage</c> accepted it (DOMAIN.md §7): stored once per partner
/// and record id, never changed afterwards. Rows are written by the engine's bulk path
/// (<see cref="IUsageBulkWriter"/>), not through EF; EF maps the table and reads it.
/// </summary>
public sealed class UsageRecord
{
    /// <summary>The partner that bills the Azure subscription: the idempotency key is per partner.</summary>
    public Guid PartnerId { get; set; }

    /// <summary>The client's id of the record (1 to <see cref="UsageLimits.MaxIdLength"/> characters), its idempotency key.</summary>
    public required string RecordId { get; set; }

    public Guid CustomerId { get; set; }

    /// <summary>The Azure plan (Partner Center subscription) the Azure subscription belongs to.</summary>
    public Guid SubscriptionId { get; set; }

    /// <summary>The Azure subscription (entitlement) the usage is for.</summary>
    public Guid EntitlementId { get; set; }

    /// <summary>The ARM id as sent (ARM compares ids case-insensitively; the text is kept as it came).</summary>
    public required string ResourceUri { get; set; }

    /// <summary>The meter as a lower-case GUID (<c>D</c> format).</summary>
    public required string MeterId { get; set; }

    public DateOnly UsageDate { get; set; }

    /// <summary>Units consumed, as sent (not negative, at most 18 significant digits).</summary>
    public decimal Quantity { get; set; }

    public string? Location { get; set; }

    public string? Tags { get; set; }

    public string? AdditionalInfo { get; set; }

    /// <summary>
    /// SHA-256 (hex) of the record's content (<see cref="HashOf"/>): a repeated id with the same hash
    /// is a duplicate, with another one a conflict, decided in SQL without reading the row back.
    /// </summary>
    public required string ContentHash { get; set; }

    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>
    /// The content hash: each field length-prefixed (no two records share one text), the quantity
    /// without trailing zeros (1.50 and 1.5 are the same quantity), the meter and entitlement as
    /// canonical GUIDs, a missing optional field the same as an empty one.
    /// </summary>
    public static string HashOf(string id, Guid entitlementId, string resourceUri, string meterId, DateOnly usageDate, decimal quantity,
        string? location, string? tags, string? additionalInfo)
    {
        var builder = new StringBuilder(256);
        foreach (var field in (ReadOnlySpan<string>)[
            id, entitlementId.ToString("D"), resourceUri, meterId, usageDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Normalized(quantity).ToString(CultureInfo.InvariantCulture), location ?? string.Empty, tags ?? string.Empty, additionalInfo ?? string.Empty])
        {
            builder.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    // Dividing by 1 with 28 decimals drops a decimal's trailing zeros (1.500 → 1.5) without rounding.
    private static decimal Normalized(decimal value) => value / 1.0000000000000000000000000000m;
}

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> e)
    {
        e.ToTable("UsageRecords");

        // The idempotency key (DOMAIN.md §7): one record per partner and id, enforced by the database,
        // so two batches racing with the same id cannot both store it.
        e.HasKey(r => new { r.PartnerId, r.RecordId });
        e.Property(r => r.RecordId).HasMaxLength(UsageLimits.MaxIdLength);
        e.Property(r => r.ResourceUri).HasMaxLength(UsageLimits.MaxResourceUriLength);
        e.Property(r => r.MeterId).HasMaxLength(36);
        e.Property(r => r.Location).HasMaxLength(UsageLimits.MaxLocationLength);
        e.Property(r => r.Tags).HasMaxLength(UsageLimits.MaxTagsLength);
        e.Property(r => r.AdditionalInfo).HasMaxLength(UsageLimits.MaxAdditionalInfoLength);
        e.Property(r => r.ContentHash).HasMaxLength(64);

        // Rating and the usage summaries read a customer's month, by Azure subscription and day.
        e.HasIndex(r => new { r.PartnerId, r.CustomerId, r.UsageDate });
    }
}

/// <summary>The limits of one batch and of a record's fields; each one broken gets its own clear answer.</summary>
public static class UsageLimits
{
    /// <summary>Records per batch; more is a 413 (a client splits its upload, the benchmark posts 1,000).</summary>
    public const int MaxRecords = 10_000;

    /// <summary>Bytes per request body: 10,000 records of about 1 KiB, with room.</summary>
    public const long MaxBodyBytes = 16L << 20;

    public const int MaxIdLength = 128;

    public const int MaxResourceUriLength = 2048;

    public const int MaxLocationLength = 64;

    public const int MaxTagsLength = 4096;

    public const int MaxAdditionalInfoLength = 8192;

    /// <summary>Significant digits of a quantity (DOMAIN.md §7: "beyond 18 digits" is rejected).</summary>
    public const int MaxQuantityDigits = 18;

    /// <summary>How far back a usage date may be (DOMAIN.md §7).</summary>
    public const int MaxDaysBack = 90;
}
