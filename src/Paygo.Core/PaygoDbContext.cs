using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Paygo.Core.Audit;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Instance;
using Paygo.Core.Partners;

namespace Paygo.Core;

/// <summary>
/// The data-access API of Paygo (no repositories on top). The model is provider-neutral; where
/// SQLite cannot compare or order a CLR type natively, a conversion keeps the two engines
/// equivalent (docs/adr/0003). Every table of partner data carries the partner's id.
/// </summary>
public sealed class PaygoDbContext(DbContextOptions<PaygoDbContext> options) : DbContext(options)
{
    public DbSet<OperatorOrganization> Operators => Set<OperatorOrganization>();

    public DbSet<Partner> Partners => Set<Partner>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<PaygoUser> Users => Set<PaygoUser>();

    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<EnrolmentToken> EnrolmentTokens => Set<EnrolmentToken>();

    public DbSet<UserPasskey> UserPasskeys => Set<UserPasskey>();

    public DbSet<PasskeyCeremony> PasskeyCeremonies => Set<PasskeyCeremony>();

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (IsSqlite)
        {
            // SQLite has no timestamp type; EF would store text it cannot order or compare.
            // UTC ticks (a 64-bit integer) order correctly and keep full precision.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<OperatorOrganization>(e =>
        {
            e.ToTable("Operators");
            e.HasKey(o => o.Id);
            e.Property(o => o.Name).HasMaxLength(200);
        });

        modelBuilder.Entity<Partner>(e =>
        {
            e.ToTable("Partners");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).ValueGeneratedNever();
            e.Property(p => p.Name).HasMaxLength(PartnerRules.MaxNameLength);
            e.Property(p => p.Type).HasConversion<string>().HasMaxLength(32);
            e.Property(p => p.MpnId).HasMaxLength(PartnerRules.MaxMpnIdLength);
            e.Property(p => p.Country).HasMaxLength(2).IsFixedLength();
            e.Property(p => p.BillingCurrency).HasMaxLength(3).IsFixedLength();
            e.HasIndex(p => p.MpnId).IsUnique();
            e.HasIndex(p => new { p.Name, p.Id });
        });

        modelBuilder.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("IdempotencyRecords");
            e.HasKey(r => new { r.Scope, r.RequestId });
            e.Property(r => r.Scope).HasMaxLength(64);
            e.Property(r => r.RequestId).HasMaxLength(IdempotentCreates.MaxRequestIdLength);
            e.Property(r => r.Operation).HasMaxLength(200);
            e.Property(r => r.RequestHash).HasMaxLength(64);
            e.Property(r => r.Location).HasMaxLength(500);
            e.HasIndex(r => r.CreatedAt);
        });

        modelBuilder.Entity<PaygoUser>(e =>
        {
            e.ToTable("Users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).ValueGeneratedNever();
            e.Property(u => u.UserName).HasMaxLength(256);
            e.Property(u => u.NormalizedUserName).HasMaxLength(256);
            e.Property(u => u.Email).HasMaxLength(256);
            e.Property(u => u.NormalizedEmail).HasMaxLength(256);
            e.Property(u => u.DisplayName).HasMaxLength(200);
            e.Property(u => u.Roles).HasMaxLength(200);
            e.Property(u => u.TotpSecret).HasMaxLength(64);
            e.HasIndex(u => u.NormalizedEmail).IsUnique();
            e.HasIndex(u => u.PartnerId);
        });

        modelBuilder.Entity<RecoveryCode>(e =>
        {
            e.ToTable("RecoveryCodes");
            e.HasKey(c => new { c.UserId, c.CodeHash });
            e.Property(c => c.CodeHash).HasMaxLength(64);
        });

        modelBuilder.Entity<AuditRecord>(e =>
        {
            e.ToTable("AuditRecords");
            e.HasKey(r => r.Sequence);
            e.Property(r => r.Sequence).ValueGeneratedNever();
            e.Property(r => r.OperationType).HasMaxLength(100);
            e.Property(r => r.ResourceType).HasMaxLength(100);
            e.Property(r => r.OperationStatus).HasMaxLength(20);
            e.Property(r => r.UserPrincipalName).HasMaxLength(256);
            e.Property(r => r.ApplicationId).HasMaxLength(200);
            e.Property(r => r.CorrelationId).HasMaxLength(100);
            e.Property(r => r.Hash).HasMaxLength(64);
            e.HasIndex(r => new { r.PartnerId, r.OperationDate });
            e.HasIndex(r => r.OperationDate);
        });

        modelBuilder.Entity<EnrolmentToken>(e =>
        {
            e.ToTable("EnrolmentTokens");
            e.HasKey(t => t.TokenHash);
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.HasIndex(t => t.UserId);
        });

        modelBuilder.Entity<UserPasskey>(e =>
        {
            e.ToTable("UserPasskeys");
            e.HasKey(p => p.CredentialId);
            // WebAuthn caps credential ids at 1023 bytes.
            e.Property(p => p.CredentialId).HasMaxLength(1023);
            e.Property(p => p.Name).HasMaxLength(100);
            e.Property(p => p.Transports).HasMaxLength(100);
            e.HasIndex(p => p.UserId);
            e.HasIndex(p => p.PartnerId);
        });

        modelBuilder.Entity<PasskeyCeremony>(e =>
        {
            e.ToTable("PasskeyCeremonies");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Purpose).HasMaxLength(20);
            e.HasIndex(c => c.UserId);
        });

        // OAuth applications, authorizations, scopes and tokens (OpenIddict's stores).
        modelBuilder.UseOpenIddict();
    }

    /// <summary>Stores an instant as its UTC ticks; reads it back at offset zero.</summary>
    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
