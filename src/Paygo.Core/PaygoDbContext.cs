using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Paygo.Core.Access;
using Paygo.Core.Agreements;
using Paygo.Core.Audit;
using Paygo.Core.AzurePlans;
using Paygo.Core.Catalog;
using Paygo.Core.Customers;
using Paygo.Core.Orders;
using Paygo.Core.Common;
using Paygo.Core.Identity;
using Paygo.Core.Instance;
using Paygo.Core.Partners;
using Paygo.Core.Pricing;

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

    public DbSet<VerifiedDomain> VerifiedDomains => Set<VerifiedDomain>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<PaygoUser> Users => Set<PaygoUser>();

    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();

    public DbSet<AuditRecord> AuditRecords => Set<AuditRecord>();

    public DbSet<AuditChainHead> AuditChainHeads => Set<AuditChainHead>();

    public DbSet<EnrolmentToken> EnrolmentTokens => Set<EnrolmentToken>();

    public DbSet<UserPasskey> UserPasskeys => Set<UserPasskey>();

    public DbSet<PasskeyCeremony> PasskeyCeremonies => Set<PasskeyCeremony>();

    public DbSet<DashboardSessionRecord> DashboardSessions => Set<DashboardSessionRecord>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<CustomerAgreement> CustomerAgreements => Set<CustomerAgreement>();

    public DbSet<CatalogProduct> CatalogProducts => Set<CatalogProduct>();

    public DbSet<CatalogSku> CatalogSkus => Set<CatalogSku>();

    public DbSet<CatalogAvailability> CatalogAvailabilities => Set<CatalogAvailability>();

    public DbSet<Cart> Carts => Set<Cart>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<CommerceSubscription> CommerceSubscriptions => Set<CommerceSubscription>();

    public DbSet<AzureEntitlement> AzureEntitlements => Set<AzureEntitlement>();

    public DbSet<RoleAssignment> RoleAssignments => Set<RoleAssignment>();

    public DbSet<StoredPriceList> PriceLists => Set<StoredPriceList>();

    public DbSet<StoredPriceRow> PriceRows => Set<StoredPriceRow>();

    public DbSet<StoredFxRate> FxRates => Set<StoredFxRate>();

    public bool IsSqlite => Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite";

    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
    {
        ArgumentNullException.ThrowIfNull(optionsBuilder);

        // Every context in the process, whoever created it, tells token caches about revoking writes.
        // The pooled contexts of the server carry the watchers in their options already (a pooled
        // context's options cannot change here).
        if (!RevocationSignal.IsWatching(optionsBuilder.Options))
        {
            optionsBuilder.AddInterceptors(RevocationSignal.Interceptors);
        }
    }

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

        modelBuilder.Entity<VerifiedDomain>(e =>
        {
            // The domain is the key: one organisation at most per domain, across partners and the operator.
            e.ToTable("VerifiedDomains");
            e.HasKey(d => d.Domain);
            e.Property(d => d.Domain).HasMaxLength(VerifiedDomainDirectory.MaxLength);
            e.HasIndex(d => d.PartnerId);
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
            // Encrypted (docs/adr/0015): a Data Protection payload of a 32-character secret is about 160 characters.
            e.Property(u => u.TotpSecret).HasMaxLength(512);
            e.HasIndex(u => u.NormalizedEmail).IsUnique();
            e.HasIndex(u => u.PartnerId);
        });

        modelBuilder.Entity<RecoveryCode>(e =>
        {
            e.ToTable("RecoveryCodes");
            e.HasKey(c => new { c.UserId, c.CodeHash });
            e.Property(c => c.CodeHash).HasMaxLength(64);
        });

        // Features map their own entities; the rest move out of this method as they are touched.
        modelBuilder.ApplyConfiguration(new AuditRecordConfiguration());
        modelBuilder.ApplyConfiguration(new AuditChainHeadConfiguration());

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

        modelBuilder.Entity<DashboardSessionRecord>(e =>
        {
            e.ToTable("DashboardSessions");
            e.HasKey(s => s.Id);
            e.Property(s => s.Id).ValueGeneratedNever();
            e.HasIndex(s => s.UserId);
            e.HasIndex(s => s.ExpiresAt);
        });

        ConfigureCommerce(modelBuilder);
        ConfigurePricing(modelBuilder);

        // OAuth applications, authorizations, scopes and tokens (OpenIddict's stores).
        modelBuilder.UseOpenIddict();
    }

    /// <summary>Customers, agreements, catalog, carts, orders, subscriptions and access (DOMAIN.md §3-4).</summary>
    private static void ConfigureCommerce(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Customer>(e =>
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
        });

        modelBuilder.Entity<CustomerAgreement>(e =>
        {
            e.ToTable("CustomerAgreements");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedNever();
            e.Property(a => a.Type).HasMaxLength(50);
            e.Property(a => a.TemplateId).HasMaxLength(50);
            e.Property(a => a.ContactFirstName).HasMaxLength(50);
            e.Property(a => a.ContactLastName).HasMaxLength(50);
            e.Property(a => a.ContactEmail).HasMaxLength(256);
            e.Property(a => a.ContactPhoneNumber).HasMaxLength(30);
            e.Property(a => a.UserEmail).HasMaxLength(256);
            e.HasIndex(a => new { a.CustomerId, a.CreatedAt });
            e.HasIndex(a => a.PartnerId);
        });

        modelBuilder.Entity<CatalogProduct>(e =>
        {
            e.ToTable("CatalogProducts");
            e.HasKey(p => p.Id);
            e.Property(p => p.Id).HasMaxLength(50);
            e.Property(p => p.Title).HasMaxLength(200);
            e.Property(p => p.Description).HasMaxLength(1000);
            e.Property(p => p.ProductType).HasMaxLength(50);
            e.Property(p => p.TargetView).HasMaxLength(50);
            e.Property(p => p.PublisherName).HasMaxLength(200);
        });

        modelBuilder.Entity<CatalogSku>(e =>
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
        });

        modelBuilder.Entity<CatalogAvailability>(e =>
        {
            e.ToTable("CatalogAvailabilities");
            e.HasKey(a => new { a.ProductId, a.SkuId, a.Id });
            e.Property(a => a.ProductId).HasMaxLength(50);
            e.Property(a => a.SkuId).HasMaxLength(50);
            e.Property(a => a.Id).HasMaxLength(50);
            e.Property(a => a.Countries).HasMaxLength(1000);
        });

        modelBuilder.Entity<Cart>(e =>
        {
            e.ToTable("Carts");
            e.HasKey(c => c.Id);
            e.Property(c => c.Id).ValueGeneratedNever();
            e.Property(c => c.Status).HasMaxLength(20);
            e.Property(c => c.LastModifiedUser).HasMaxLength(256);
            e.HasIndex(c => c.CustomerId);
            e.HasIndex(c => c.PartnerId);
        });

        modelBuilder.Entity<Order>(e =>
        {
            e.ToTable("Orders");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).ValueGeneratedNever();
            e.Property(o => o.BillingCycle).HasMaxLength(20);
            e.Property(o => o.CurrencyCode).HasMaxLength(3);
            e.Property(o => o.Status).HasMaxLength(30);
            e.HasIndex(o => new { o.CustomerId, o.CreatedAt });
            e.HasIndex(o => o.PartnerId);
        });

        modelBuilder.Entity<CommerceSubscription>(e =>
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
        });

        modelBuilder.Entity<AzureEntitlement>(e =>
        {
            e.ToTable("AzureEntitlements");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.FriendlyName).HasMaxLength(200);
            e.Property(x => x.Status).HasMaxLength(20);
            e.HasIndex(x => new { x.CustomerId, x.SubscriptionId });
            e.HasIndex(x => x.PartnerId);
        });

        modelBuilder.Entity<RoleAssignment>(e =>
        {
            e.ToTable("RoleAssignments");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).ValueGeneratedNever();
            e.Property(r => r.Scope).HasMaxLength(400);
            e.Property(r => r.RoleDefinitionId).HasMaxLength(50);
            e.Property(r => r.RoleName).HasMaxLength(100);
            e.Property(r => r.PrincipalType).HasMaxLength(30);
            e.Property(r => r.PrincipalDisplayName).HasMaxLength(300);
            e.Property(r => r.Source).HasMaxLength(20);
            e.HasIndex(r => new { r.CustomerId, r.EntitlementId, r.ValidFrom });
            e.HasIndex(r => r.PartnerId);
        });
    }

    /// <summary>Price lists and FX rates (DOMAIN.md §6). Price rows are written in bulk by the engine (IStorageEngine.InsertPriceRowsAsync).</summary>
    private static void ConfigurePricing(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StoredPriceList>(e =>
        {
            e.ToTable("PriceLists");
            e.HasKey(l => l.Id);
            e.Property(l => l.Id).ValueGeneratedNever();
            e.Property(l => l.Market).HasMaxLength(2);
            e.Property(l => l.Sha256).HasMaxLength(64);
            e.Property(l => l.ImportedBy).HasMaxLength(256);
            e.HasIndex(l => new { l.Market, l.Month }).IsUnique();
        });

        modelBuilder.Entity<StoredPriceRow>(e =>
        {
            e.ToTable("PriceRows");
            e.HasKey(r => new { r.PriceListId, r.RowNumber });
            e.Property(r => r.MeterId).HasMaxLength(64);
            e.Property(r => r.Market).HasMaxLength(2);
            e.Property(r => r.Currency).HasMaxLength(3);
            // The lookup of a meter's price uses this index; searches lower-case their columns, which no index serves.
            e.HasIndex(r => new { r.PriceListId, r.MeterId });
        });

        modelBuilder.Entity<StoredFxRate>(e =>
        {
            e.ToTable("FxRates");
            e.HasKey(r => new { r.Month, r.Currency });
            e.Property(r => r.Currency).HasMaxLength(3);
        });
    }

    /// <summary>Stores an instant as its UTC ticks; reads it back at offset zero.</summary>
    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
