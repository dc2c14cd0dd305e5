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

    public DbSet<AccessRoleDefinition> AccessRoleDefinitions => Set<AccessRoleDefinition>();

    public DbSet<AccessRoleEligibilityMark> AccessRoleEligibilityMarks => Set<AccessRoleEligibilityMark>();

    public DbSet<StoredPriceList> PriceLists => Set<StoredPriceList>();

    public DbSet<StoredPriceRow> PriceRows => Set<StoredPriceRow>();

    public DbSet<StoredFxRate> FxRates => Set<StoredFxRate>();

    // transition (issue 11 point 5): legacy imports, product upgrades and each Azure subscription's transition instant.
    public DbSet<Transitions.ProductUpgrade> ProductUpgrades => Set<Transitions.ProductUpgrade>();

    public DbSet<Transitions.AzureSubscriptionTransition> AzureSubscriptionTransitions => Set<Transitions.AzureSubscriptionTransition>();

    public DbSet<Transitions.LegacyAzureImport> LegacyAzureImports => Set<Transitions.LegacyAzureImport>();
    public DbSet<Usage.UsageRecord> UsageRecords => Set<Usage.UsageRecord>();
    public DbSet<Budgets.CustomerBudget> CustomerBudgets => Set<Budgets.CustomerBudget>();
    public DbSet<Notifications.Notification> Notifications => Set<Notifications.Notification>();

    // billing (issue 13): close runs, invoices, their lines, billed usage and files (docs/adr/0036).
    public DbSet<Billing.CloseRun> CloseRuns => Set<Billing.CloseRun>();

    public DbSet<Billing.Invoice> Invoices => Set<Billing.Invoice>();

    public DbSet<Billing.InvoiceLine> InvoiceLines => Set<Billing.InvoiceLine>();

    public DbSet<Billing.BilledUsage> BilledUsage => Set<Billing.BilledUsage>();

    public DbSet<Billing.InvoiceFile> InvoiceFiles => Set<Billing.InvoiceFile>();

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

    // Access history is evidence: no save may delete or rewrite it (docs/adr/0027).
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        AccessLedger.Check(ChangeTracker);
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        AccessLedger.Check(ChangeTracker);
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
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

        // Each feature maps its own entities in its folder (IEntityTypeConfiguration<T>, docs/adr/0021):
        // a new feature adds a configuration class, not lines here.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(PaygoDbContext).Assembly);

        // OAuth applications, authorizations, scopes and tokens (OpenIddict's stores).
        modelBuilder.UseOpenIddict();
    }

    /// <summary>Stores an instant as its UTC ticks; reads it back at offset zero.</summary>
    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}
